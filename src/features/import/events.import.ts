/** `vigil import events`: events of people already in the registry. */
import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { DB } from '../../store/schema.js';
import type { Store } from '../../store/connection.js';
import { personIds } from '../../store/person.repository.js';
import { existingImportKeys, insertEvents, linkEventSources, sourcesForUrls, type EventData } from '../../store/event.repository.js';
import { LARGE_WRITE_ROWS, refreshStatistics } from '../../store/planner-statistics.js';
import { rebuildStatus } from '../../store/status.repository.js';
import { ensureFacilities } from '../facilities/facility.service.js';
import type { CsvInput, Problem } from './csv-reader.js';
import { runImport, type ImportOptions, type ImportReport, type RowHandler, type ValidRow } from './import.service.js';
import { EVENT_COLUMNS, eventRowSchema, type EventRowValues } from './rows.js';

/**
 * The identity of an imported event: its content, canonicalised. The same row imported again (in this
 * file or another) has the same key and is skipped.
 */
export function eventImportKey(row: EventRowValues): string {
  const canonical = [
    row.person_external_id, row.type, row.date, row.facility ?? '', [...(row.articles ?? [])].sort().join(';'),
    row.term_months ?? '', row.regime ?? '', row.reason ?? '', row.country ?? '', row.organization ?? '',
    row.note ?? '', row.source_url ?? '',
  ];
  // 128 bits of SHA-256 in base64url: collision-free in practice, and a short key keeps the unique
  // index small enough to stay in cache during a million-row import.
  return createHash('sha256').update(JSON.stringify(canonical)).digest().subarray(0, 16).toString('base64url');
}

export function eventsHandler(actor: string): RowHandler<EventRowValues> {
  const touched = new Set<number>();
  return {
    csv: { known: EVENT_COLUMNS, required: ['person_external_id', 'type', 'date'] },
    schema: eventRowSchema,
    chunkSize: 1000,
    async flush(trx: Transaction<DB>, rows: ValidRow<EventRowValues>[], report: ImportReport) {
      const people = await personIds(trx, rows.map((row) => row.value.person_external_id));
      const problems: Problem[] = rows
        .filter((row) => !people.has(row.value.person_external_id))
        .map((row) => ({
          line: row.line,
          column: 'person_external_id',
          message: 'no person has this external id; import the persons file first',
        }));
      if (problems.length > 0) return problems;

      const now = new Date().toISOString();
      const keyed = rows.map((row) => ({ ...row, key: eventImportKey(row.value) }));
      const known = await existingImportKeys(trx, keyed.map((row) => row.key));
      const fresh = keyed.filter((row) => {
        if (known.has(row.key)) return false;
        known.add(row.key); // an identical row later in the same file is a repeat too
        return true;
      });
      report.unchanged += rows.length - fresh.length;
      if (fresh.length === 0) return [];

      const facilityNames = fresh.flatMap((row) => (row.value.facility ? [row.value.facility] : []));
      const facilities = await ensureFacilities(trx, facilityNames, actor, `import ${report.file}`, now);
      report.facilities_created += facilities.created;
      const sources = await sourcesForUrls(trx, fresh.flatMap((row) => (row.value.source_url ? [row.value.source_url] : [])), now);

      const events = fresh.map(({ value, key }) => {
        const data: EventData = {
          person_id: people.get(value.person_external_id)!,
          type: value.type,
          date: value.date,
          facility_id: value.facility ? facilities.ids.get(value.facility)! : null,
          case_id: null,
          deal_id: null,
          articles: value.articles ?? [],
          term_months: value.term_months ?? null,
          regime: value.regime ?? null,
          reason: value.reason ?? null,
          country: value.country ?? null,
          organization: value.organization ?? null,
          note: value.note ?? null,
          confidentiality: 'public',
        };
        return { ...data, import_key: key, import_batch_id: report.batch_id };
      });
      const ids = await insertEvents(trx, events, now);
      await linkEventSources(
        trx,
        fresh.flatMap((row, index) => (row.value.source_url ? [{ event_id: ids[index]!, source_id: sources.get(row.value.source_url)! }] : [])),
      );
      // No change-log row per event: the batch records who, when and which file; see eventHistory.
      for (const event of events) touched.add(event.person_id);
      report.created += events.length;
      return [];
    },
    async finish(trx, store) {
      // The rebuild reads the events just written; what reads the store after the import, the intervals too.
      const large = touched.size > LARGE_WRITE_ROWS;
      if (large) await refreshStatistics(trx, store.dialect, ['event']);
      await rebuildStatus(trx, touched);
      if (large) await refreshStatistics(trx, store.dialect, ['status_interval', 'status_count_change', 'event_source', 'source']);
    },
  };
}

export function importEvents(store: Store, path: CsvInput, options: ImportOptions): Promise<ImportReport> {
  return runImport(store, 'events', path, eventsHandler(options.actor), options);
}
