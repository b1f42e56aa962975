/**
 * Versioned schema migrations, run on every start (Kysely's Migrator keeps the applied list and a lock,
 * so two processes starting at once do not both migrate). Migrations are code, not files on disk, so the
 * compiled program carries them. Never edit a released migration: add the next one.
 */
import { Migrator, sql, type ColumnDefinitionBuilder, type CreateTableBuilder, type Kysely, type Migration } from 'kysely';
import { VigilError } from '../errors.js';
import type { Dialect, Store } from './connection.js';
import { afterRelease } from './migrations/0006-after-release.js';
import { review } from './migrations/0007-review.js';
import { statusCountChange } from './migrations/0008-status-count-change.js';
import { eventImportBatchIndex } from './migrations/0009-event-import-batch-index.js';
import { eventTypeDateIndex } from './migrations/0010-event-type-date-index.js';
import { statusHoldingIndex } from './migrations/0011-status-holding-index.js';
import { casework } from './migrations/0005-casework.js';
import { storedFiles } from './migrations/0004-stored-files.js';

// Migrations see an untyped database: they describe the schema, they do not use it.
type AnyDb = Kysely<any>;

/** The one place where a column definition differs by dialect. */
export function withId<T extends string>(table: CreateTableBuilder<T, never>, dialect: Dialect) {
  return table.addColumn('id', 'integer', (col: ColumnDefinitionBuilder) =>
    dialect === 'sqlite' ? col.primaryKey().autoIncrement() : col.primaryKey().generatedByDefaultAsIdentity(),
  );
}

export function versioned<T extends string>(table: CreateTableBuilder<T, any>) {
  return table
    .addColumn('version', 'integer', (col) => col.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull());
}

function core(dialect: Dialect): Migration {
  return {
    async up(db: AnyDb) {
      await versioned(
        withId(db.schema.createTable('facility'), dialect)
          .addColumn('name', 'text', (col) => col.notNull().unique())
          .addColumn('type', 'text', (col) => col.notNull().defaultTo('other'))
          .addColumn('address', 'text')
          .addColumn('region', 'text')
          .addColumn('lat', 'double precision')
          .addColumn('lon', 'double precision'),
      ).execute();

      await versioned(
        withId(db.schema.createTable('source'), dialect)
          .addColumn('kind', 'text', (col) => col.notNull())
          .addColumn('url', 'text')
          .addColumn('title', 'text')
          .addColumn('citation', 'text')
          .addColumn('sha256', 'text')
          .addColumn('media_type', 'text')
          .addColumn('size_bytes', 'integer')
          .addColumn('published_date', 'text')
          .addColumn('reliability', 'text')
          .addColumn('confidentiality', 'text', (col) => col.notNull().defaultTo('internal')),
      ).execute();
      await db.schema.createIndex('source_url_idx').on('source').column('url').execute();
      await db.schema.createIndex('source_sha256_idx').on('source').column('sha256').execute();

      await versioned(
        withId(db.schema.createTable('person'), dialect)
          .addColumn('external_id', 'text', (col) => col.notNull().unique())
          .addColumn('birth_date', 'text')
          .addColumn('gender', 'text', (col) => col.notNull().defaultTo('unknown'))
          .addColumn('region', 'text')
          .addColumn('occupation', 'text')
          .addColumn('tags', 'text', (col) => col.notNull().defaultTo('[]'))
          .addColumn('biography', 'text', (col) => col.notNull().defaultTo('{}'))
          .addColumn('photo_source_id', 'integer', (col) => col.references('source.id'))
          .addColumn('publish', 'integer', (col) => col.notNull().defaultTo(0))
          .addColumn('confidentiality', 'text', (col) => col.notNull().defaultTo('internal'))
          .addColumn('field_levels', 'text', (col) => col.notNull().defaultTo('{}'))
          .addColumn('merged_into', 'integer', (col) => col.references('person.id')),
      ).execute();

      await withId(db.schema.createTable('person_name'), dialect)
        .addColumn('person_id', 'integer', (col) => col.notNull().references('person.id').onDelete('cascade'))
        .addColumn('position', 'integer', (col) => col.notNull())
        .addColumn('family', 'text')
        .addColumn('given', 'text')
        .addColumn('patronymic', 'text')
        .addColumn('full_name', 'text')
        .addColumn('lang', 'text')
        .addColumn('script', 'text')
        .addColumn('romanization', 'text')
        .addColumn('confidentiality', 'text', (col) => col.notNull().defaultTo('internal'))
        .execute();
      await db.schema.createIndex('person_name_person_idx').on('person_name').column('person_id').execute();

      await versioned(
        withId(db.schema.createTable('legal_case'), dialect)
          .addColumn('person_id', 'integer', (col) => col.notNull().references('person.id'))
          .addColumn('case_number', 'text')
          .addColumn('articles', 'text', (col) => col.notNull().defaultTo('[]'))
          .addColumn('court', 'text')
          .addColumn('judge', 'text')
          .addColumn('prosecutor', 'text')
          .addColumn('verdict_date', 'text')
          .addColumn('term_months', 'integer')
          .addColumn('regime', 'text')
          .addColumn('note', 'text')
          .addColumn('confidentiality', 'text', (col) => col.notNull().defaultTo('internal')),
      ).execute();
      await db.schema.createIndex('legal_case_person_idx').on('legal_case').column('person_id').execute();

      await versioned(
        withId(db.schema.createTable('sanction_measure'), dialect)
          .addColumn('issuer', 'text', (col) => col.notNull())
          .addColumn('target', 'text', (col) => col.notNull())
          .addColumn('description', 'text')
          .addColumn('imposed_on', 'text')
          .addColumn('eased_on', 'text')
          .addColumn('lifted_on', 'text')
          .addColumn('reimposed_on', 'text'),
      ).execute();

      await versioned(
        withId(db.schema.createTable('release_deal'), dialect)
          .addColumn('slug', 'text', (col) => col.notNull().unique())
          .addColumn('date', 'text', (col) => col.notNull())
          .addColumn('facilitator', 'text')
          .addColumn('envoy', 'text')
          .addColumn('counterpart', 'text')
          .addColumn('destinations', 'text', (col) => col.notNull().defaultTo('[]'))
          .addColumn('conditions', 'text', (col) => col.notNull().defaultTo('[]'))
          .addColumn('summary', 'text')
          .addColumn('confidentiality', 'text', (col) => col.notNull().defaultTo('internal')),
      ).execute();

      await db.schema
        .createTable('deal_person')
        .addColumn('deal_id', 'integer', (col) => col.notNull().references('release_deal.id'))
        .addColumn('person_id', 'integer', (col) => col.notNull().references('person.id'))
        .addColumn('outcome', 'text', (col) => col.notNull())
        .addColumn('note', 'text')
        .addPrimaryKeyConstraint('deal_person_pk', ['deal_id', 'person_id'])
        .execute();

      await db.schema
        .createTable('deal_concession')
        .addColumn('deal_id', 'integer', (col) => col.notNull().references('release_deal.id'))
        .addColumn('measure_id', 'integer', (col) => col.notNull().references('sanction_measure.id'))
        .addColumn('action', 'text', (col) => col.notNull())
        .addPrimaryKeyConstraint('deal_concession_pk', ['deal_id', 'measure_id'])
        .execute();

      // Created before event: imported events point at the batch that created them.
      await withId(db.schema.createTable('import_batch'), dialect)
        .addColumn('kind', 'text', (col) => col.notNull())
        .addColumn('file_name', 'text', (col) => col.notNull())
        .addColumn('sha256', 'text', (col) => col.notNull())
        .addColumn('actor', 'text', (col) => col.notNull())
        .addColumn('started_at', 'text', (col) => col.notNull())
        .addColumn('finished_at', 'text', (col) => col.notNull())
        .addColumn('rows', 'integer', (col) => col.notNull())
        .addColumn('created', 'integer', (col) => col.notNull())
        .addColumn('updated', 'integer', (col) => col.notNull())
        .addColumn('unchanged', 'integer', (col) => col.notNull())
        .execute();

      await versioned(
        withId(db.schema.createTable('event'), dialect)
          .addColumn('person_id', 'integer', (col) => col.notNull().references('person.id'))
          .addColumn('type', 'text', (col) => col.notNull())
          .addColumn('date', 'text', (col) => col.notNull())
          .addColumn('facility_id', 'integer', (col) => col.references('facility.id'))
          .addColumn('case_id', 'integer', (col) => col.references('legal_case.id'))
          .addColumn('deal_id', 'integer', (col) => col.references('release_deal.id'))
          .addColumn('articles', 'text', (col) => col.notNull().defaultTo('[]'))
          .addColumn('term_months', 'integer')
          .addColumn('regime', 'text')
          .addColumn('reason', 'text')
          .addColumn('country', 'text')
          .addColumn('organization', 'text')
          .addColumn('note', 'text')
          .addColumn('confidentiality', 'text', (col) => col.notNull().defaultTo('internal'))
          .addColumn('import_key', 'text', (col) => col.unique())
          .addColumn('import_batch_id', 'integer', (col) => col.references('import_batch.id')),
      ).execute();
      await db.schema.createIndex('event_person_idx').on('event').columns(['person_id', 'date', 'id']).execute();
      await db.schema.createIndex('event_facility_idx').on('event').column('facility_id').execute();

      await db.schema
        .createTable('event_source')
        .addColumn('event_id', 'integer', (col) => col.notNull().references('event.id').onDelete('cascade'))
        .addColumn('source_id', 'integer', (col) => col.notNull().references('source.id'))
        .addPrimaryKeyConstraint('event_source_pk', ['event_id', 'source_id'])
        .execute();
      await db.schema.createIndex('event_source_source_idx').on('event_source').column('source_id').execute();

      // Sources cited by records other than events (recognitions, deals, cases, people).
      await db.schema
        .createTable('source_link')
        .addColumn('source_id', 'integer', (col) => col.notNull().references('source.id'))
        .addColumn('entity', 'text', (col) => col.notNull())
        .addColumn('entity_id', 'integer', (col) => col.notNull())
        .addPrimaryKeyConstraint('source_link_pk', ['source_id', 'entity', 'entity_id'])
        .execute();
      await db.schema.createIndex('source_link_entity_idx').on('source_link').columns(['entity', 'entity_id']).execute();

      await withId(db.schema.createTable('change_log'), dialect)
        .addColumn('entity', 'text', (col) => col.notNull())
        .addColumn('entity_id', 'integer', (col) => col.notNull())
        .addColumn('version', 'integer', (col) => col.notNull())
        .addColumn('action', 'text', (col) => col.notNull())
        .addColumn('actor', 'text', (col) => col.notNull())
        .addColumn('at', 'text', (col) => col.notNull())
        .addColumn('reason', 'text')
        .addColumn('before', 'text')
        .addColumn('after', 'text')
        .execute();
      await db.schema.createIndex('change_log_entity_idx').on('change_log').columns(['entity', 'entity_id', 'version']).execute();


      // Derived from events by domain/custody.ts; rebuilt for a person whenever their events change.
      await db.schema
        .createTable('status_interval')
        .addColumn('person_id', 'integer', (col) => col.notNull().references('person.id'))
        .addColumn('kind', 'text', (col) => col.notNull())
        .addColumn('start_day', 'text', (col) => col.notNull())
        .addColumn('end_day', 'text')
        .execute();
      await db.schema.createIndex('status_interval_start_idx').on('status_interval').columns(['kind', 'start_day']).execute();
      await db.schema.createIndex('status_interval_end_idx').on('status_interval').columns(['kind', 'end_day']).execute();
      await db.schema.createIndex('status_interval_person_idx').on('status_interval').column('person_id').execute();
    },
  };
}

/** Decisions on possible duplicates: "same person" (merged) or "not the same", and who decided. */
const duplicateDecisions: Migration = {
  async up(db: AnyDb) {
    await db.schema
      .createTable('duplicate_decision')
      .addColumn('person_low', 'integer', (col) => col.notNull().references('person.id'))
      .addColumn('person_high', 'integer', (col) => col.notNull().references('person.id'))
      .addColumn('decision', 'text', (col) => col.notNull())
      .addColumn('actor', 'text', (col) => col.notNull())
      .addColumn('at', 'text', (col) => col.notNull())
      .addColumn('reason', 'text', (col) => col.notNull())
      .addPrimaryKeyConstraint('duplicate_decision_pk', ['person_low', 'person_high'])
      .execute();
    await db.schema.createIndex('person_merged_into_idx').on('person').column('merged_into').execute();
  },
};

/** Accounts, sessions, API tokens, passkeys, sign-in throttling and the tamper-evident audit trail. */
function security(dialect: Dialect): Migration {
  return {
    async up(db: AnyDb) {
      await versioned(
        withId(db.schema.createTable('app_user'), dialect)
          .addColumn('email', 'text', (col) => col.notNull().unique())
          .addColumn('display_name', 'text')
          .addColumn('role', 'text', (col) => col.notNull())
          .addColumn('password_hash', 'text')
          .addColumn('totp_secret', 'text')
          /** The last TOTP time step accepted: a code is never accepted twice. */
          .addColumn('totp_last_step', 'integer')
          .addColumn('status', 'text', (col) => col.notNull().defaultTo('active')),
      ).execute();

      // One-time set-up codes: how a new account gets its password (no default password exists).
      await withId(db.schema.createTable('setup_token'), dialect)
        .addColumn('user_id', 'integer', (col) => col.notNull().references('app_user.id'))
        .addColumn('token_hash', 'text', (col) => col.notNull().unique())
        .addColumn('created_at', 'text', (col) => col.notNull())
        .addColumn('expires_at', 'text', (col) => col.notNull())
        .addColumn('used_at', 'text')
        .execute();

      await db.schema
        .createTable('session')
        /** SHA-256 of the cookie value: a stolen database does not yield usable sessions. */
        .addColumn('id_hash', 'text', (col) => col.primaryKey())
        .addColumn('user_id', 'integer', (col) => col.notNull().references('app_user.id'))
        .addColumn('csrf_token', 'text', (col) => col.notNull())
        /** 1 once the second factor (TOTP or passkey) was given. */
        .addColumn('mfa_done', 'integer', (col) => col.notNull().defaultTo(0))
        .addColumn('challenge', 'text')
        .addColumn('created_at', 'text', (col) => col.notNull())
        .addColumn('last_seen_at', 'text', (col) => col.notNull())
        .addColumn('expires_at', 'text', (col) => col.notNull())
        .addColumn('ip', 'text')
        .addColumn('user_agent', 'text')
        .execute();
      await db.schema.createIndex('session_user_idx').on('session').column('user_id').execute();

      await withId(db.schema.createTable('api_token'), dialect)
        .addColumn('user_id', 'integer', (col) => col.notNull().references('app_user.id'))
        .addColumn('name', 'text', (col) => col.notNull())
        .addColumn('token_hash', 'text', (col) => col.notNull().unique())
        .addColumn('role', 'text', (col) => col.notNull())
        .addColumn('created_at', 'text', (col) => col.notNull())
        .addColumn('expires_at', 'text')
        .addColumn('last_used_at', 'text')
        .addColumn('revoked_at', 'text')
        .execute();

      await withId(db.schema.createTable('webauthn_credential'), dialect)
        .addColumn('user_id', 'integer', (col) => col.notNull().references('app_user.id'))
        .addColumn('credential_id', 'text', (col) => col.notNull().unique())
        .addColumn('public_key', 'text', (col) => col.notNull())
        .addColumn('counter', 'integer', (col) => col.notNull())
        .addColumn('transports', 'text', (col) => col.notNull().defaultTo('[]'))
        .addColumn('name', 'text')
        .addColumn('created_at', 'text', (col) => col.notNull())
        .addColumn('last_used_at', 'text')
        .execute();

      await withId(db.schema.createTable('signin_failure'), dialect)
        /** "account:<email>" or "address:<ip>". */
        .addColumn('key', 'text', (col) => col.notNull())
        .addColumn('at', 'text', (col) => col.notNull())
        .execute();
      await db.schema.createIndex('signin_failure_key_idx').on('signin_failure').columns(['key', 'at']).execute();

      await db.schema
        .createTable('audit_log')
        /** 1, 2, 3, ... without gaps: a missing number is a deleted entry. */
        .addColumn('seq', 'integer', (col) => col.primaryKey())
        .addColumn('at', 'text', (col) => col.notNull())
        .addColumn('actor', 'text', (col) => col.notNull())
        .addColumn('action', 'text', (col) => col.notNull())
        .addColumn('entity', 'text')
        .addColumn('entity_id', 'text')
        .addColumn('ip', 'text')
        /** JSON object with the details of the action. */
        .addColumn('detail', 'text', (col) => col.notNull().defaultTo('{}'))
        .addColumn('prev_hash', 'text', (col) => col.notNull())
        .addColumn('hash', 'text', (col) => col.notNull())
        .execute();

      /** The newest entry's number and hash, updated with every append: cutting entries off the end shows. */
      await db.schema
        .createTable('audit_head')
        .addColumn('id', 'integer', (col) => col.primaryKey())
        .addColumn('seq', 'integer', (col) => col.notNull())
        .addColumn('hash', 'text', (col) => col.notNull())
        .execute();
    },
  };
}

export function migrations(dialect: Dialect): Record<string, Migration> {
  return { '0001_core': core(dialect), '0002_duplicate_decisions': duplicateDecisions, '0003_security': security(dialect),
    '0006_after_release': afterRelease(dialect),
    '0007_review': review(dialect),
    '0005_casework': casework(dialect),
    '0004_stored_files': storedFiles(dialect),
    '0008_status_count_change': statusCountChange,
    '0009_event_import_batch_index': eventImportBatchIndex,
    '0010_event_type_date_index': eventTypeDateIndex,
    '0011_status_holding_index': statusHoldingIndex,
  };
}

export async function migrateToLatest(store: Store): Promise<void> {
  // On PostgreSQL the bookkeeping tables go in the schema the connection works in, the only schema the
  // store's introspection reads (pg-introspector.ts).
  const schema =
    store.dialect === 'postgres'
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(store.db)).rows[0]?.schema
      : undefined;
  const migrator = new Migrator({
    db: store.db,
    provider: { getMigrations: async () => migrations(store.dialect) },
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName ?? 'unknown';
    throw new VigilError('migration_failed', `database migration ${failed} failed on ${store.description}: ${(error as Error).message}`);
  }
}
