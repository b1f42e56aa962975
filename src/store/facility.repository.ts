import type { Executor } from './history.repository.js';
import type { FacilityRow } from './schema.js';

export async function facilitiesByName(db: Executor, names: readonly string[]): Promise<Map<string, FacilityRow>> {
  if (names.length === 0) return new Map();
  const rows = await db.selectFrom('facility').selectAll().where('name', 'in', [...names]).execute();
  return new Map(rows.map((row) => [row.name, row]));
}

export async function listFacilities(db: Executor): Promise<FacilityRow[]> {
  return db.selectFrom('facility').selectAll().orderBy('name').execute();
}
