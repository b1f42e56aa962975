// The fictional demo dataset: about 1,500 made-up people shaped like a real registry (2020 wave, steady
// arrests, pardon batches, the 2025 negotiated releases and expulsions), written in the CSV import format
// of DOMAIN.md. Deterministic: the same seed and `today` always give byte-identical files.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { createCalendar } from './calendar.js';
import { DayFormatter, parseIsoDay, todayIso } from './days.js';
import { facilityRows } from './facilities.js';
import { EVENT_COLUMNS, FACILITY_COLUMNS, PERSON_COLUMNS, type EventRow, type FacilityRow, type PersonRow } from './rows.js';
import { generatePerson } from './subject.js';

export type { EventRow, FacilityRow, PersonRow } from './rows.js';

export const DEFAULT_SEED = 20200809;
export const DEFAULT_PEOPLE = 1500;

export interface DemoOptions {
  seed?: number;
  /** YYYY-MM-DD; no event is dated after it. Defaults to the current UTC date. */
  today?: string;
  people?: number;
}

export interface DemoDataset {
  persons: PersonRow[];
  events: EventRow[];
  facilities: FacilityRow[];
}

export function generateDemo(options: DemoOptions = {}): DemoDataset {
  const seed = options.seed ?? DEFAULT_SEED;
  const people = options.people ?? DEFAULT_PEOPLE;
  if (!Number.isInteger(people) || people < 0) throw new RangeError(`people must be a whole number ≥ 0, got ${people}`);
  const calendar = createCalendar(parseIsoDay(options.today ?? todayIso()));
  const days = new DayFormatter();
  const persons: PersonRow[] = [];
  const events: EventRow[] = [];
  for (let index = 0; index < people; index++) {
    const generated = generatePerson({ seed, index, externalId: demoExternalId(index), calendar, days });
    persons.push(generated.person);
    events.push(...generated.events);
  }
  return { persons, events, facilities: facilityRows() };
}

export function demoExternalId(index: number): string {
  return `demo-${String(index + 1).padStart(5, '0')}`;
}

export interface WrittenDemo {
  persons: string;
  events: string;
  facilities: string;
}

/** Writes persons.csv, events.csv and facilities.csv into `dir` (created if missing); returns their paths. */
export async function writeDemoCsv(dir: string, options: DemoOptions = {}): Promise<WrittenDemo> {
  return writeDatasetCsv(dir, generateDemo(options));
}

/** Writes a dataset (for example the demo without the rows its deals record) as the three import files. */
export async function writeDatasetCsv(dir: string, dataset: DemoDataset): Promise<WrittenDemo> {
  await mkdir(dir, { recursive: true });
  const paths: WrittenDemo = {
    persons: join(dir, 'persons.csv'),
    events: join(dir, 'events.csv'),
    facilities: join(dir, 'facilities.csv'),
  };
  await writeFile(paths.persons, toCsv(dataset.persons, PERSON_COLUMNS));
  await writeFile(paths.events, toCsv(dataset.events, EVENT_COLUMNS));
  await writeFile(paths.facilities, toCsv(dataset.facilities, FACILITY_COLUMNS));
  return paths;
}

export function toCsv<Row extends Record<string, string>>(rows: readonly Row[], columns: readonly (keyof Row & string)[]): string {
  return stringify(rows as Row[], { header: true, columns: [...columns] });
}
