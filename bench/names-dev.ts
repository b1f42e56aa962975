// Loads the names-dev test set (fictional people and queries) for the name-matching benchmark.

import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { NameRecord } from '../src/names/index.js';

export const NAMES_DEV_DIR = new URL('../../shared/data/names-dev/', import.meta.url);

export interface PersonRow {
  external_id: string;
  family_name_be: string;
  given_name_be: string;
  patronymic_be: string;
  family_name_ru: string;
  given_name_ru: string;
  patronymic_ru: string;
  name_latin: string;
  birth_date: string;
}

export interface DevQuery {
  query: string;
  expectedId: number;
  kind: string;
}

/** d00042 → 42 */
export function numericId(externalId: string): number {
  return Number.parseInt(externalId.replace(/\D/g, ''), 10);
}

export function readPersons(dir: URL = NAMES_DEV_DIR): PersonRow[] {
  return parse(readFileSync(new URL('persons.csv', dir)), { columns: true, skip_empty_lines: true }) as PersonRow[];
}

export function readQueries(dir: URL = NAMES_DEV_DIR): DevQuery[] {
  const rows = parse(readFileSync(new URL('queries.tsv', dir)), {
    columns: true,
    delimiter: '\t',
    skip_empty_lines: true,
    quote: false,
  }) as Array<{ query: string; expected_external_id: string; kind: string }>;
  return rows.map((r) => ({ query: r.query, expectedId: numericId(r.expected_external_id), kind: r.kind }));
}

/** The Belarusian parts, the Russian parts and the Latin name, as the registry stores them. */
export function toRecord(row: PersonRow, id: number = numericId(row.external_id)): NameRecord {
  const names: NameRecord['names'] = [];
  if (row.family_name_be || row.given_name_be) {
    names.push({ family: row.family_name_be, given: row.given_name_be, patronymic: row.patronymic_be, lang: 'be' });
  }
  if (row.family_name_ru || row.given_name_ru) {
    names.push({ family: row.family_name_ru, given: row.given_name_ru, patronymic: row.patronymic_ru, lang: 'ru' });
  }
  if (row.name_latin) names.push({ full: row.name_latin, lang: 'en' });
  return { id, names, birthDate: row.birth_date || null };
}

/** The stored names of a person as one string, as a general-purpose fuzzy searcher would get them. */
export function flatNames(row: PersonRow): string {
  return [
    row.family_name_be, row.given_name_be, row.patronymic_be,
    row.family_name_ru, row.given_name_ru, row.patronymic_ru, row.name_latin,
  ].filter(Boolean).join(' ');
}
