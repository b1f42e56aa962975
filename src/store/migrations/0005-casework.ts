/**
 * 0005_casework: family assistance cases (aid given, follow-ups), the letters log, officials linked to
 * cases and events, violations with the officials involved, health and risk flags (schema-casework.ts).
 */
import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../connection.js';
import { versioned, withId } from '../migrations.js';

type AnyDb = Kysely<any>;

async function assistance(db: AnyDb, dialect: Dialect): Promise<void> {
  await versioned(
    withId(db.schema.createTable('assistance_case'), dialect)
      .addColumn('person_id', 'integer', (col) => col.notNull().references('person.id'))
      .addColumn('status', 'text', (col) => col.notNull().defaultTo('open'))
      .addColumn('needs', 'text', (col) => col.notNull().defaultTo('[]'))
      .addColumn('family_contacts', 'text', (col) => col.notNull().defaultTo('[]'))
      .addColumn('summary', 'text')
      .addColumn('opened_on', 'text')
      .addColumn('confidentiality', 'text', (col) => col.notNull().defaultTo('restricted')),
  ).execute();
  await db.schema.createIndex('assistance_case_person_idx').on('assistance_case').column('person_id').execute();

  await versioned(
    withId(db.schema.createTable('assistance_aid'), dialect)
      .addColumn('case_id', 'integer', (col) => col.notNull().references('assistance_case.id'))
      .addColumn('date', 'text', (col) => col.notNull())
      .addColumn('kind', 'text', (col) => col.notNull())
      .addColumn('amount', 'double precision')
      .addColumn('currency', 'text')
      .addColumn('description', 'text'),
  ).execute();
  await db.schema.createIndex('assistance_aid_case_idx').on('assistance_aid').column('case_id').execute();

  await versioned(
    withId(db.schema.createTable('follow_up'), dialect)
      .addColumn('case_id', 'integer', (col) => col.notNull().references('assistance_case.id'))
      .addColumn('due', 'text', (col) => col.notNull())
      .addColumn('action', 'text', (col) => col.notNull())
      .addColumn('assignee', 'text')
      .addColumn('done_on', 'text'),
  ).execute();
  await db.schema.createIndex('follow_up_case_idx').on('follow_up').column('case_id').execute();
  await db.schema.createIndex('follow_up_due_idx').on('follow_up').columns(['done_on', 'due']).execute();
}

async function letters(db: AnyDb, dialect: Dialect): Promise<void> {
  await versioned(
    withId(db.schema.createTable('letter'), dialect)
      .addColumn('person_id', 'integer', (col) => col.notNull().references('person.id'))
      .addColumn('direction', 'text', (col) => col.notNull())
      .addColumn('date', 'text', (col) => col.notNull())
      .addColumn('logged_by', 'text', (col) => col.notNull())
      .addColumn('note', 'text'),
  ).execute();
  await db.schema.createIndex('letter_person_idx').on('letter').columns(['person_id', 'direction']).execute();
}

async function accountability(db: AnyDb, dialect: Dialect): Promise<void> {
  await versioned(
    withId(db.schema.createTable('official'), dialect)
      .addColumn('name', 'text', (col) => col.notNull())
      .addColumn('name_latin', 'text')
      .addColumn('role', 'text', (col) => col.notNull())
      .addColumn('institution', 'text')
      .addColumn('institution_kind', 'text', (col) => col.notNull().defaultTo('other'))
      .addColumn('facility_id', 'integer', (col) => col.references('facility.id'))
      .addColumn('note', 'text')
      .addColumn('confidentiality', 'text', (col) => col.notNull().defaultTo('internal')),
  ).execute();

  await db.schema
    .createTable('official_link')
    .addColumn('official_id', 'integer', (col) => col.notNull().references('official.id'))
    .addColumn('entity', 'text', (col) => col.notNull())
    .addColumn('entity_id', 'integer', (col) => col.notNull())
    .addColumn('role', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('official_link_pk', ['official_id', 'entity', 'entity_id'])
    .execute();
  await db.schema.createIndex('official_link_entity_idx').on('official_link').columns(['entity', 'entity_id']).execute();

  await versioned(
    withId(db.schema.createTable('violation'), dialect)
      .addColumn('person_id', 'integer', (col) => col.notNull().references('person.id'))
      .addColumn('type', 'text', (col) => col.notNull())
      .addColumn('date', 'text')
      .addColumn('end_date', 'text')
      .addColumn('facility_id', 'integer', (col) => col.references('facility.id'))
      .addColumn('case_id', 'integer', (col) => col.references('legal_case.id'))
      .addColumn('event_id', 'integer', (col) => col.references('event.id'))
      .addColumn('description', 'text')
      .addColumn('confidentiality', 'text', (col) => col.notNull().defaultTo('restricted')),
  ).execute();
  await db.schema.createIndex('violation_person_idx').on('violation').column('person_id').execute();
  await db.schema.createIndex('violation_facility_idx').on('violation').column('facility_id').execute();

  await db.schema
    .createTable('violation_official')
    .addColumn('violation_id', 'integer', (col) => col.notNull().references('violation.id'))
    .addColumn('official_id', 'integer', (col) => col.notNull().references('official.id'))
    .addPrimaryKeyConstraint('violation_official_pk', ['violation_id', 'official_id'])
    .execute();
  await db.schema.createIndex('violation_official_official_idx').on('violation_official').column('official_id').execute();
}

async function healthFlags(db: AnyDb, dialect: Dialect): Promise<void> {
  await versioned(
    withId(db.schema.createTable('health_flag'), dialect)
      .addColumn('person_id', 'integer', (col) => col.notNull().references('person.id'))
      .addColumn('kind', 'text', (col) => col.notNull())
      .addColumn('detail', 'text')
      .addColumn('noted_on', 'text')
      .addColumn('resolved_on', 'text')
      .addColumn('confidentiality', 'text', (col) => col.notNull().defaultTo('restricted')),
  ).execute();
  await db.schema.createIndex('health_flag_person_idx').on('health_flag').column('person_id').execute();
}

export function casework(dialect: Dialect): Migration {
  return {
    async up(db: AnyDb) {
      await assistance(db, dialect);
      await letters(db, dialect);
      await accountability(db, dialect);
      await healthFlags(db, dialect);
    },
  };
}
