/**
 * `vigil import facilities`: the facility directory with postal addresses, keyed by name. As for
 * persons, columns in the file replace and columns not in the file keep what is stored; an empty type
 * keeps the stored type (or, for a new facility, is guessed from the name).
 */
import type { Store } from '../../store/connection.js';
import type { Executor } from '../../store/history.repository.js';
import { facilitiesByName } from '../../store/facility.repository.js';
import { facilityData, guessFacilityType, upsertFacilities, type FacilityData } from '../facilities/facility.service.js';
import type { CsvInput, Problem } from './csv-reader.js';
import { runImport, type ImportOptions, type ImportReport, type RowHandler } from './import.service.js';
import { FACILITY_COLUMNS, facilityRowSchema, type FacilityRowValues } from './rows.js';

export function facilitiesHandler(actor: string): RowHandler<FacilityRowValues> {
  const firstLine = new Map<string, number>();
  return {
    csv: { known: FACILITY_COLUMNS, required: ['name'] },
    schema: facilityRowSchema,
    chunkSize: 500,
    async flush(trx, rows, report, header) {
      const problems: Problem[] = [];
      for (const { line, value } of rows) {
        const earlier = firstLine.get(value.name);
        if (earlier !== undefined) problems.push({ line, column: 'name', message: `this facility is already on line ${earlier}` });
        else firstLine.set(value.name, line);
      }
      if (problems.length > 0) return problems;
      const counts = await upsertFacilities(
        trx,
        await mergedRows(trx, rows.map((row) => row.value), header),
        actor,
        `import ${report.file}`,
        new Date().toISOString(),
      );
      report.created += counts.created;
      report.updated += counts.updated;
      report.unchanged += counts.unchanged;
      return [];
    },
  };
}

/** What each row asks for: the columns in the file over what is stored. */
async function mergedRows(db: Executor, rows: readonly FacilityRowValues[], header: Set<string>): Promise<FacilityData[]> {
  const stored = await facilitiesByName(db, rows.map((row) => row.name));
  return rows.map((row) => {
    const existing = stored.get(row.name);
    const merged: FacilityData = existing ? facilityData(existing) : { name: row.name, type: guessFacilityType(row.name), address: null, region: null, lat: null, lon: null };
    if (row.type) merged.type = row.type;
    if (header.has('address')) merged.address = row.address ?? null;
    if (header.has('region')) merged.region = row.region ?? null;
    if (header.has('lat')) merged.lat = row.lat ?? null;
    if (header.has('lon')) merged.lon = row.lon ?? null;
    return merged;
  });
}

export function importFacilities(store: Store, path: CsvInput, options: ImportOptions): Promise<ImportReport> {
  return runImport(store, 'facilities', path, facilitiesHandler(options.actor), options);
}
