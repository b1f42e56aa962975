/** `vigil import persons`: people and their name variants, keyed by external_id. */
import { isDeepStrictEqual } from 'node:util';
import type { Transaction } from 'kysely';
import type { DB } from '../../store/schema.js';
import type { Store } from '../../store/connection.js';
import { recordChanges, type Change } from '../../store/history.repository.js';
import { LARGE_WRITE_ROWS, refreshStatistics } from '../../store/planner-statistics.js';
import {
  insertPersons,
  personData,
  personsByExternalId,
  updatePerson,
  type NameVariant,
  type PersonData,
  type PersonRecord,
} from '../../store/person.repository.js';
import type { CsvInput, Problem } from './csv-reader.js';
import { runImport, type ImportOptions, type ImportReport, type RowHandler, type ValidRow } from './import.service.js';
import { PERSON_COLUMNS, personRowSchema, type PersonRowValues } from './rows.js';

type Slot = 'be' | 'ru' | 'latin';

/** Which stored name variant an import column group owns; variants added by hand are never touched. */
function slotOf(name: NameVariant): Slot | null {
  if (name.script === 'Cyrl' && name.lang === 'be') return 'be';
  if (name.script === 'Cyrl' && name.lang === 'ru') return 'ru';
  if (name.script === 'Latn' && name.lang === null && name.romanization === null) return 'latin';
  return null;
}

function variant(parts: Partial<NameVariant>): NameVariant {
  return {
    family: null, given: null, patronymic: null, full_name: null, lang: null, script: null, romanization: null,
    confidentiality: 'public', ...parts,
  };
}

/** "Given Family": the last word is the family name (Latin forms rarely carry a patronymic). */
export function splitLatinName(full: string): Pick<NameVariant, 'given' | 'family'> {
  const words = full.split(/\s+/);
  return words.length === 1 ? { given: null, family: words[0]! } : { given: words.slice(0, -1).join(' '), family: words.at(-1)! };
}

function importedNames(row: PersonRowValues, header: Set<string>): Map<Slot, NameVariant | null> {
  const names = new Map<Slot, NameVariant | null>();
  for (const lang of ['be', 'ru'] as const) {
    const columns = [`family_name_${lang}`, `given_name_${lang}`, `patronymic_${lang}`] as const;
    if (!columns.some((column) => header.has(column))) continue;
    const [family, given, patronymic] = columns.map((column) => row[column] ?? null);
    names.set(lang, family || given || patronymic ? variant({ family, given, patronymic, lang, script: 'Cyrl' }) : null);
  }
  if (header.has('name_latin')) {
    names.set('latin', row.name_latin ? variant({ ...splitLatinName(row.name_latin), full_name: row.name_latin, script: 'Latn' }) : null);
  }
  return names;
}

/** The record this row asks for: columns in the file replace, columns not in the file keep what is stored. */
export function mergeRow(row: PersonRowValues, header: Set<string>, existing: PersonRecord | undefined): PersonData {
  const base: PersonData = existing
    ? personData(existing)
    : {
        external_id: row.external_id, birth_date: null, gender: 'unknown', region: null, occupation: null, tags: [],
        biography: {}, publish: false, confidentiality: 'public', field_levels: {}, names: [],
      };
  const pick = <K extends keyof PersonData>(column: string, key: K, value: PersonData[K]) => {
    if (header.has(column)) base[key] = value;
  };
  pick('birth_date', 'birth_date', row.birth_date ?? null);
  pick('gender', 'gender', row.gender ?? 'unknown');
  pick('region', 'region', row.region ?? null);
  pick('occupation', 'occupation', row.occupation ?? null);
  pick('tags', 'tags', row.tags ?? []);
  pick('publish', 'publish', row.publish === 'yes');

  const replaced = importedNames(row, header);
  const order: Slot[] = ['be', 'ru', 'latin'];
  const kept = base.names.filter((name) => {
    const slot = slotOf(name);
    return slot === null || !replaced.has(slot);
  });
  const fresh = order.flatMap((slot) => {
    const name = replaced.get(slot);
    return name ? [name] : [];
  });
  base.names = [...fresh, ...kept].sort((a, b) => rank(a) - rank(b));
  return base;
}

function rank(name: NameVariant): number {
  const slot = slotOf(name);
  return slot === 'be' ? 0 : slot === 'ru' ? 1 : slot === 'latin' ? 2 : 3;
}

export function personsHandler(actor: string): RowHandler<PersonRowValues> {
  const firstLine = new Map<string, number>();
  let written = 0;
  return {
    csv: { known: PERSON_COLUMNS, required: ['external_id'], oneOf: ['family_name_be', 'family_name_ru', 'name_latin'] },
    schema: personRowSchema,
    chunkSize: 500,
    async flush(trx: Transaction<DB>, rows: ValidRow<PersonRowValues>[], report: ImportReport, header: Set<string>) {
      const problems: Problem[] = [];
      for (const { line, value } of rows) {
        const earlier = firstLine.get(value.external_id);
        if (earlier !== undefined) {
          problems.push({ line, column: 'external_id', message: `${value.external_id} is already on line ${earlier}; each person once per file` });
        } else {
          firstLine.set(value.external_id, line);
        }
      }
      if (problems.length > 0) return problems;

      const now = new Date().toISOString();
      const existing = await personsByExternalId(trx, rows.map((row) => row.value.external_id));
      const created: PersonData[] = [];
      const changes: Change[] = [];
      for (const { value } of rows) {
        const stored = existing.get(value.external_id);
        const data = mergeRow(value, header, stored);
        if (!stored) {
          created.push(data);
        } else if (isDeepStrictEqual(personData(stored), data)) {
          report.unchanged += 1;
        } else {
          const version = await updatePerson(trx, stored.id, stored.version, data, now);
          changes.push({ entity: 'person', entityId: stored.id, version, action: 'update', actor, reason: `import ${report.file}`, before: personData(stored), after: data });
          report.updated += 1;
        }
      }
      const ids = await insertPersons(trx, created, now);
      created.forEach((data, index) =>
        changes.push({ entity: 'person', entityId: ids[index]!, version: 1, action: 'create', actor, reason: `import ${report.file}`, before: null, after: data }),
      );
      report.created += created.length;
      written += changes.length;
      await recordChanges(trx, changes, now);
      return [];
    },
    async finish(trx, store) {
      if (written > LARGE_WRITE_ROWS) await refreshStatistics(trx, store.dialect, ['person', 'person_name', 'change_log']);
    },
  };
}

export function importPersons(store: Store, path: CsvInput, options: ImportOptions): Promise<ImportReport> {
  return runImport(store, 'persons', path, personsHandler(options.actor), options);
}
