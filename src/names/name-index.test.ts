import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { CONFIDENT_MATCH, NameIndex, type NameRecord } from './index.js';

const NAMES_DEV = new URL('../../../shared/data/names-dev/', import.meta.url);

type PersonRow = Record<'external_id' | 'family_name_be' | 'given_name_be' | 'patronymic_be' | 'family_name_ru' | 'given_name_ru' | 'patronymic_ru' | 'name_latin', string>;

function toRecord(row: PersonRow): NameRecord {
  const names: NameRecord['names'] = [];
  if (row.family_name_be) names.push({ family: row.family_name_be, given: row.given_name_be, patronymic: row.patronymic_be, lang: 'be' });
  if (row.family_name_ru) names.push({ family: row.family_name_ru, given: row.given_name_ru, patronymic: row.patronymic_ru, lang: 'ru' });
  if (row.name_latin) names.push({ full: row.name_latin, lang: 'en' });
  return { id: Number.parseInt(row.external_id.slice(1), 10), names };
}

function loadNamesDev(): { index: NameIndex; queries: Array<{ query: string; id: number; kind: string }> } {
  const persons = parse(readFileSync(new URL('persons.csv', NAMES_DEV)), { columns: true }) as PersonRow[];
  const rows = parse(readFileSync(new URL('queries.tsv', NAMES_DEV)), { columns: true, delimiter: '\t', quote: false }) as Array<Record<string, string>>;
  const index = new NameIndex();
  for (const row of persons) index.add(toRecord(row));
  const queries = rows.map((r) => ({ query: r.query ?? '', id: Number.parseInt((r.expected_external_id ?? '').slice(1), 10), kind: r.kind ?? '' }));
  return { index, queries };
}

const kolesnikova: NameRecord = {
  id: 1,
  names: [
    { family: 'Калеснікава', given: 'Марыя', patronymic: 'Аляксандраўна', lang: 'be' },
    { family: 'Колесникова', given: 'Мария', patronymic: 'Александровна', lang: 'ru' },
  ],
};
const tsikhanouskaya: NameRecord = { id: 2, names: [{ family: 'Ціханоўская', given: 'Святлана', lang: 'be' }] };
const tsikhanouski: NameRecord = { id: 3, names: [{ family: 'Ціханоўскі', given: 'Сяргей', lang: 'be' }] };
const babaryka: NameRecord = { id: 4, names: [{ full: 'Viktar Babaryka', lang: 'en' }] };

function smallIndex(): NameIndex {
  const index = new NameIndex();
  for (const record of [kolesnikova, tsikhanouskaya, tsikhanouski, babaryka]) index.add(record);
  return index;
}

test('finds a person under any script, system and word order', () => {
  const index = smallIndex();
  for (const query of ['Maria Kolesnikova', 'Maryia Kalesnikava', 'KALESNIKAWA Maryja', 'Колесникова Мария Александровна', 'kalesnikava marya', 'Masha Kolesnikova']) {
    const [hit] = index.search(query);
    assert.equal(hit?.id, 1, query);
    assert.ok((hit?.score ?? 0) >= CONFIDENT_MATCH, `${query}: ${hit?.score}`);
  }
  assert.equal(index.search('Tikhanovskaya Svetlana')[0]?.id, 2);
  assert.equal(index.search('Babaryka')[0]?.id, 4);
});

test('exact spelling scores 1 and the matched variant is reported', () => {
  const [hit] = smallIndex().search('Марыя Калеснікава');
  assert.equal(hit?.score, 1);
  assert.equal(hit?.matched, 'Марыя Аляксандраўна Калеснікава');
});

test('husband and wife are told apart by the gender of the family name', () => {
  const index = smallIndex();
  assert.equal(index.search('Siarhei Tsikhanouski')[0]?.id, 3);
  assert.equal(index.search('Sviatlana Tsikhanouskaya')[0]?.id, 2);
  const wrongGender = index.search('Sviatlana Tsikhanouski').find((h) => h.id === 3);
  assert.ok((wrongGender?.score ?? 0) < CONFIDENT_MATCH);
});

test('an unseen name scores below the confidence threshold', () => {
  const index = smallIndex();
  for (const query of ['Ivan Ivanov', 'Piotr Kowalski', 'Алесь Бяляцкі', 'Maria Kolesnik', 'Sergei Kolesnikov']) {
    const top = index.search(query)[0];
    assert.ok((top?.score ?? 0) < CONFIDENT_MATCH, `${query}: ${JSON.stringify(top)}`);
  }
});

test('add replaces a record with the same id, remove forgets it, size counts people', () => {
  const index = smallIndex();
  assert.equal(index.size, 4);
  index.add({ id: 4, names: [{ family: 'Лосік', given: 'Ігар' }] });
  assert.equal(index.size, 4);
  assert.equal(index.search('Babaryka')[0]?.id === 4 && (index.search('Babaryka')[0]?.score ?? 0) > 0.5, false);
  assert.equal(index.search('Ihar Losik')[0]?.id, 4);
  index.remove(4);
  assert.equal(index.size, 3);
  assert.equal(index.search('Ihar Losik').some((h) => h.id === 4), false);
});

test('limit and minScore are honoured; an empty query finds nothing', () => {
  const index = smallIndex();
  assert.equal(index.search('Tsikhanouskaya', { limit: 1 }).length, 1);
  assert.ok(index.search('Tsikhanouskaya', { minScore: 0.99 }).every((h) => h.score >= 0.99));
  assert.deepEqual(index.search('  , '), []);
});

test('names-dev: top-1 ≥ 95% and top-5 ≥ 99%', () => {
  const { index, queries } = loadNamesDev();
  let top1 = 0;
  let top5 = 0;
  for (const q of queries) {
    const rank = index.search(q.query, { limit: 5 }).findIndex((h) => h.id === q.id);
    if (rank === 0) top1 += 1;
    if (rank >= 0) top5 += 1;
  }
  assert.ok(top1 / queries.length >= 0.95, `top-1 ${top1}/${queries.length}`);
  assert.ok(top5 / queries.length >= 0.99, `top-5 ${top5}/${queries.length}`);
});

test('names-dev: with the person left out, the best wrong hit is mostly below the threshold', () => {
  const { index, queries } = loadNamesDev();
  const persons = new Map<number, NameRecord>();
  for (const row of parse(readFileSync(new URL('persons.csv', NAMES_DEV)), { columns: true }) as PersonRow[]) {
    const record = toRecord(row);
    persons.set(record.id, record);
  }
  let confidentButWrong = 0;
  for (const q of queries) {
    const person = persons.get(q.id);
    if (!person) continue;
    index.remove(q.id);
    const top = index.search(q.query, { limit: 1 })[0];
    // Another person with an equivalent name (Зміцер / Дзмітрый Палякоў) is a fair match.
    const sameNameElsewhere = top !== undefined && top.score >= 0.93;
    if (top && top.score >= CONFIDENT_MATCH && !sameNameElsewhere) confidentButWrong += 1;
    index.add(person);
  }
  assert.ok(confidentButWrong / queries.length <= 0.01, `confident but wrong: ${confidentButWrong}`);
});
