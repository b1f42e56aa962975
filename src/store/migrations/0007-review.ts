/** 0007_review: volunteers' proposed changes, waiting for an editor's decision (schema-review.ts). */
import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../connection.js';
import { withId } from '../migrations.js';

export function review(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<any>) {
      await withId(db.schema.createTable('proposal'), dialect)
        .addColumn('entity', 'text', (col) => col.notNull())
        .addColumn('entity_id', 'integer')
        .addColumn('data', 'text', (col) => col.notNull())
        .addColumn('base_version', 'integer')
        .addColumn('reason', 'text', (col) => col.notNull())
        .addColumn('proposed_by', 'text', (col) => col.notNull())
        .addColumn('proposed_role', 'text', (col) => col.notNull())
        .addColumn('proposed_at', 'text', (col) => col.notNull())
        .addColumn('status', 'text', (col) => col.notNull().defaultTo('pending'))
        .addColumn('decided_by', 'text')
        .addColumn('decided_at', 'text')
        .addColumn('decision_reason', 'text')
        .addColumn('result_id', 'integer')
        .execute();
      await db.schema.createIndex('proposal_status_idx').on('proposal').columns(['status', 'id']).execute();
      await db.schema.createIndex('proposal_entity_idx').on('proposal').columns(['entity', 'entity_id']).execute();
    },
  };
}
