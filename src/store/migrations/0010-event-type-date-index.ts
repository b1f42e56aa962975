/**
 * 0010_event_type_date_index: the home page counts events of one type by date (arrests per month for the
 * chart since 2020, recognitions this month) and the release timeline reads the events of negotiated
 * releases. Without indexes each read every event: at ten million events the home page took about 20 s
 * to render after each change on SQLite (7.5 s on PostgreSQL). The deal index holds only the events of
 * a deal (a partial index: few of all events).
 */
import { sql, type Kysely, type Migration } from 'kysely';

export const eventTypeDateIndex: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.createIndex('event_type_date_idx').on('event').columns(['type', 'date', 'person_id']).execute();
    await db.schema.createIndex('event_deal_idx').on('event').columns(['deal_id', 'type', 'date']).where(sql<boolean>`deal_id is not null`).execute();
  },
};
