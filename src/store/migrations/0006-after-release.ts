/** 0006_after_release: life after release — residence, family reunion, needs, passport (domain/after-release.ts). */
import { sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from '../connection.js';
import { versioned, withId } from '../migrations.js';

export function afterRelease(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<any>) {
      await versioned(
        withId(db.schema.createTable('after_release'), dialect)
          .addColumn('person_id', 'integer', (col) => col.notNull().references('person.id'))
          .addColumn('deal_id', 'integer', (col) => col.references('release_deal.id'))
          .addColumn('country', 'text')
          .addColumn('reunited_on', 'text')
          .addColumn('needs', 'text', (col) => col.notNull().defaultTo('[]'))
          .addColumn('needs_text', 'text')
          .addColumn('passport_withheld', 'text', (col) => col.notNull().defaultTo('unknown'))
          .addColumn('note', 'text')
          .addColumn('confidentiality', 'text', (col) => col.notNull().defaultTo('internal'))
          .addColumn('field_levels', 'text', (col) => col.notNull().defaultTo('{}')),
      ).execute();
      // One record per person and deal, and one "in general" (no deal): NULLs are never equal in a
      // unique index, so the missing deal counts as 0.
      await sql`CREATE UNIQUE INDEX after_release_person_deal_idx ON after_release (person_id, coalesce(deal_id, 0))`.execute(db);
      await db.schema.createIndex('after_release_deal_idx').on('after_release').column('deal_id').execute();
    },
  };
}
