/** `vigil import facilities`: the facility directory with postal addresses, keyed by name. */
import type { Store } from '../../store/connection.js';
import { guessFacilityType, upsertFacilities } from '../facilities/facility.service.js';
import type { Problem } from './csv-reader.js';
import { runImport, type ImportOptions, type ImportReport, type RowHandler } from './import.service.js';
import { FACILITY_COLUMNS, facilityRowSchema, type FacilityRowValues } from './rows.js';

export function facilitiesHandler(actor: string): RowHandler<FacilityRowValues> {
  const firstLine = new Map<string, number>();
  return {
    csv: { known: FACILITY_COLUMNS, required: ['name'] },
    schema: facilityRowSchema,
    chunkSize: 500,
    async flush(trx, rows, report) {
      const problems: Problem[] = [];
      for (const { line, value } of rows) {
        const earlier = firstLine.get(value.name);
        if (earlier !== undefined) problems.push({ line, column: 'name', message: `this facility is already on line ${earlier}` });
        else firstLine.set(value.name, line);
      }
      if (problems.length > 0) return problems;
      const counts = await upsertFacilities(
        trx,
        rows.map(({ value }) => ({
          name: value.name,
          type: value.type ?? guessFacilityType(value.name),
          address: value.address ?? null,
          region: value.region ?? null,
          lat: value.lat ?? null,
          lon: value.lon ?? null,
        })),
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

export function importFacilities(store: Store, path: string, options: ImportOptions): Promise<ImportReport> {
  return runImport(store, 'facilities', path, facilitiesHandler(options.actor), options);
}
