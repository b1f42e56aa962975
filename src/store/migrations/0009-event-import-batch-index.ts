/**
 * 0009_event_import_batch_index: after an import the public registry and the name index look up the
 * people the import touched (events of the new import batches). Without an index that read every event:
 * seconds at ten million events, twice, before the first page after an import.
 */
import type { Kysely, Migration } from 'kysely';

export const eventImportBatchIndex: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.createIndex('event_import_batch_idx').on('event').columns(['import_batch_id', 'person_id']).execute();
  },
};
