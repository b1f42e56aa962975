// Checks the demo data against the rules of DOMAIN.md (CSV import contract, event types and custody,
// counting) rather than against a snapshot, so a change that breaks the contract fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { createCalendar } from './calendar.js';
import { DayFormatter, parseIsoDay } from './days.js';
import { generateDemo, writeDemoCsv, type EventRow, type PersonRow } from './generate.js';
import { generatePerson } from './subject.js';

const TODAY = '2026-11-25';
const demo = generateDemo({ seed: 7, today: TODAY });

// The contract, written out here on purpose instead of imported from the code under test.
const PERSON_COLUMNS = 'external_id,family_name_be,given_name_be,patronymic_be,family_name_ru,given_name_ru,patronymic_ru,name_latin,birth_date,gender,region,occupation,tags,publish'.split(',');
const EVENT_COLUMNS = 'person_external_id,type,date,facility,articles,term_months,regime,reason,country,organization,note,source_url'.split(',');
const FACILITY_COLUMNS = 'name,type,address,region,lat,lon'.split(',');
const EVENT_TYPES = new Set(['detained', 'charged', 'sentenced', 'transferred', 'released', 'expelled', 'recognized', 'recognition_withdrawn', 'died']);
const RELEASE_REASONS = new Set(['end_of_term', 'pardon', 'negotiated', 'amnesty', 'acquitted', 'non_custodial', 'other']);
const REGIMES = new Set(['general', 'enhanced', 'strict', 'special', 'prison', 'restricted_freedom']);
const GENDERS = new Set(['female', 'male', 'other', 'unknown']);
const FACILITY_TYPES = new Set(['sizo', 'penal_colony', 'prison', 'temporary_detention', 'other']);
const REGIONS = new Set(['Minsk city', 'Brest region', 'Vitebsk region', 'Gomel region', 'Grodno region', 'Minsk region', 'Mogilev region']);
const DEAL_DATES = ['2025-06-21', '2025-09-11', '2025-12-13'];
const WOMEN_COLONIES = new Set(['Penal Colony No. 4 Gomel', 'Penal Colony No. 24 Zarechye']);
const ARTICLES = /^\d{3}(-\d)?(;\d{3}(-\d)?)*$/;
const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(text);
  if (!match) return false;
  const [, year, month = '01', day = '01'] = match;
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  return date.toISOString().slice(0, 10) === `${year}-${month}-${day}`;
}

function isIsoCountry(code: string): boolean {
  return /^[A-Z]{2}$/.test(code) && regionNames.of(code) !== code;
}

function eventsByPerson(events: readonly EventRow[]): Map<string, EventRow[]> {
  const map = new Map<string, EventRow[]>();
  for (const event of events) {
    const list = map.get(event.person_external_id) ?? [];
    list.push(event);
    map.set(event.person_external_id, list);
  }
  return map;
}

/** Replays one person's events in recorded order and names every custody rule they break. */
function custodyProblems(events: readonly EventRow[]): string[] {
  const problems: string[] = [];
  let held: string | undefined;
  let dead = false;
  let recognised = false;
  let lastDate = '';
  for (const e of events) {
    const where = `${e.person_external_id} ${e.type} ${e.date}`;
    if (e.date < lastDate) problems.push(`${where}: recorded before an earlier-dated event`);
    lastDate = e.date;
    if (dead) problems.push(`${where}: after death`);
    const inCustody = held !== undefined;
    switch (e.type) {
      case 'detained':
        if (inCustody) problems.push(`${where}: already in custody`);
        held = e.facility;
        break;
      case 'transferred':
        if (!inCustody) problems.push(`${where}: transfer without custody`);
        if (e.facility === held) problems.push(`${where}: transfer to the same facility`);
        held = e.facility;
        break;
      case 'charged':
      case 'sentenced':
        if (!inCustody) problems.push(`${where}: outside custody (the demo only charges people it holds)`);
        break;
      case 'released':
      case 'expelled':
      case 'died':
        if (!inCustody) problems.push(`${where}: custody ends without custody`);
        held = undefined;
        dead = e.type === 'died';
        break;
      case 'recognized':
        recognised = true;
        break;
      case 'recognition_withdrawn':
        if (!recognised) problems.push(`${where}: withdrawn without a recognition`);
        recognised = false;
        break;
    }
  }
  return problems;
}

interface Counts {
  inCustody: number;
  politicalPrisoners: number;
  diedInCustody: number;
}

/** The counting rules of DOMAIN.md for one date. */
function countOn(byPerson: Map<string, EventRow[]>, date: string): Counts {
  const counts = { inCustody: 0, politicalPrisoners: 0, diedInCustody: 0 };
  for (const events of byPerson.values()) {
    let held = false;
    let recognised = false;
    for (const e of events) {
      if (e.date > date) break;
      if (e.type === 'died' && held) counts.diedInCustody++;
      if (e.type === 'detained') held = true;
      if (e.type === 'released' || e.type === 'expelled' || e.type === 'died') held = false;
      if (e.type === 'recognized') recognised = true;
      if (e.type === 'recognition_withdrawn') recognised = false;
    }
    if (held) counts.inCustody++;
    if (held && recognised) counts.politicalPrisoners++;
  }
  return counts;
}

test('the same seed gives identical data and a different seed different data', () => {
  assert.deepEqual(generateDemo({ seed: 7, today: TODAY }), demo);
  assert.notDeepEqual(generateDemo({ seed: 8, today: TODAY }).persons, demo.persons);
});

test('writeDemoCsv writes byte-identical RFC 4180 files that parse back into the same rows', async () => {
  const first = await mkdtemp(join(tmpdir(), 'vigil-demo-'));
  const second = await mkdtemp(join(tmpdir(), 'vigil-demo-'));
  try {
    await writeDemoCsv(first, { seed: 7, today: TODAY, people: 200 });
    await writeDemoCsv(second, { seed: 7, today: TODAY, people: 200 });
    const small = generateDemo({ seed: 7, today: TODAY, people: 200 });
    const expected = { persons: [PERSON_COLUMNS, small.persons], events: [EVENT_COLUMNS, small.events], facilities: [FACILITY_COLUMNS, small.facilities] } as const;
    for (const [name, [columns, rows]] of Object.entries(expected)) {
      const text = await readFile(join(first, `${name}.csv`), 'utf8');
      assert.equal(text, await readFile(join(second, `${name}.csv`), 'utf8'), `${name}.csv differs between runs`);
      assert.equal(text.split('\n')[0], columns.join(','), `${name}.csv header`);
      assert.deepEqual(parse(text, { columns: true }), rows, `${name}.csv round trip`);
    }
  } finally {
    await rm(first, { recursive: true, force: true });
    await rm(second, { recursive: true, force: true });
  }
});

test('about 1,500 people by default, each a valid persons row labelled fictional', () => {
  assert.equal(demo.persons.length, 1500);
  const ids = new Set(demo.persons.map((p) => p.external_id));
  assert.equal(ids.size, demo.persons.length, 'external_id is unique');
  for (const p of demo.persons) {
    assert.deepEqual(Object.keys(p), PERSON_COLUMNS);
    assert.match(p.external_id, /^demo-\d{5}$/);
    assert.ok(p.family_name_be || p.family_name_ru || p.name_latin, `${p.external_id}: no family name`);
    assert.ok(p.birth_date === '' || isCalendarDate(p.birth_date), `${p.external_id}: birth_date ${p.birth_date}`);
    assert.ok(GENDERS.has(p.gender), `${p.external_id}: gender ${p.gender}`);
    assert.ok(REGIONS.has(p.region), `${p.external_id}: region ${p.region}`);
    assert.ok(p.occupation, `${p.external_id}: occupation`);
    assert.ok(p.tags.split(';').includes('fictional-demo'), `${p.external_id}: not tagged fictional`);
    assert.ok(p.publish === 'yes' || p.publish === 'no', `${p.external_id}: publish ${p.publish}`);
  }
});

test('names come in Belarusian, Russian and Latin script, with the gaps real records have', () => {
  const belarusian = /^[А-ЯЁІЎа-яёіў'-]+$/;
  const russian = /^[А-ЯЁа-яё-]+$/;
  for (const p of demo.persons) {
    for (const part of [p.family_name_be, p.given_name_be, p.patronymic_be].filter(Boolean)) assert.match(part, belarusian);
    for (const part of [p.family_name_ru, p.given_name_ru, p.patronymic_ru].filter(Boolean)) assert.match(part, russian);
    if (p.name_latin) assert.match(p.name_latin, /^[A-Z][a-z]+ [A-Z][a-z]+$/);
  }
  const share = (predicate: (p: PersonRow) => boolean): number => demo.persons.filter(predicate).length / demo.persons.length;
  assert.ok(share((p) => p.family_name_ru === '') > 0.1, 'some people have no Russian form');
  assert.ok(share((p) => /^\d{4}(-\d{2})?$/.test(p.birth_date)) > 0.1, 'some birth dates are partial');
  assert.ok(share((p) => p.publish === 'no') > 0.05, 'some people have not consented to publication');
  assert.ok(share((p) => p.gender === 'female') > 0.1, 'women are represented');
  const women = demo.persons.filter((p) => p.gender === 'female' && p.family_name_ru.endsWith('ова'));
  assert.ok(women.length > 0 && women.every((p) => p.family_name_be.endsWith('ава') || p.family_name_be.endsWith('ова')), 'feminine family names');
});

test('every event row is valid under the events import contract and labelled fictional', () => {
  const ids = new Set(demo.persons.map((p) => p.external_id));
  for (const e of demo.events) {
    const where = `${e.person_external_id} ${e.type} ${e.date}`;
    assert.deepEqual(Object.keys(e), EVENT_COLUMNS);
    assert.ok(ids.has(e.person_external_id), `${where}: unknown person`);
    assert.ok(EVENT_TYPES.has(e.type), `${where}: type`);
    assert.ok(/^\d{4}-\d{2}-\d{2}$/.test(e.date) && isCalendarDate(e.date), `${where}: date`);
    assert.ok(e.date <= TODAY, `${where}: after today`);
    assert.match(e.note, /fictional/i, `${where}: note`);
    assert.ok(e.source_url === '' || e.source_url.startsWith('https://example.org/fictional/'), `${where}: source_url`);
    assert.equal(e.facility !== '', ['detained', 'transferred', 'died'].includes(e.type) && e.facility !== '', `${where}: facility`);
    assert.equal(e.articles !== '', e.type === 'charged' || e.type === 'sentenced', `${where}: articles`);
    if (e.articles) assert.match(e.articles, ARTICLES, `${where}: articles`);
    assert.equal(e.term_months !== '' || e.regime !== '', e.type === 'sentenced', `${where}: term/regime`);
    if (e.type === 'sentenced') {
      assert.match(e.term_months, /^[1-9]\d*$/, `${where}: term_months`);
      assert.ok(REGIMES.has(e.regime), `${where}: regime ${e.regime}`);
    }
    if (e.type === 'released') assert.ok(RELEASE_REASONS.has(e.reason), `${where}: reason ${e.reason}`);
    assert.equal(e.country !== '', e.type === 'expelled', `${where}: country`);
    if (e.country) assert.ok(isIsoCountry(e.country), `${where}: country ${e.country}`);
    assert.equal(e.organization !== '', e.type === 'recognized' || e.type === 'recognition_withdrawn', `${where}: organization`);
  }
});

test('each person’s events follow the custody rules in recorded order', () => {
  const byPerson = eventsByPerson(demo.events);
  assert.equal(byPerson.size, demo.persons.length, 'everyone in the registry has been detained');
  for (const events of byPerson.values()) {
    assert.equal(events[0]?.type, 'detained', `${events[0]?.person_external_id}: history starts with detention`);
    assert.deepEqual(custodyProblems(events), []);
  }
});

test('recognition comes two to eight weeks after detention', () => {
  for (const events of eventsByPerson(demo.events).values()) {
    let detainedOn = 0;
    for (const e of events) {
      if (e.type === 'detained') detainedOn = parseIsoDay(e.date);
      if (e.type !== 'recognized') continue;
      const weeks = (parseIsoDay(e.date) - detainedOn) / 7;
      assert.ok(weeks >= 2 && weeks <= 8, `${e.person_external_id}: recognised ${weeks} weeks after detention`);
    }
  }
});

test('every facility an event names is listed, with a type, a demo address and coordinates in Belarus', () => {
  const names = new Set(demo.facilities.map((f) => f.name));
  assert.equal(names.size, demo.facilities.length, 'facility names are unique');
  for (const f of demo.facilities) {
    assert.deepEqual(Object.keys(f), FACILITY_COLUMNS);
    assert.ok(FACILITY_TYPES.has(f.type), `${f.name}: type ${f.type}`);
    assert.match(f.address, /demo address/i);
    assert.ok(REGIONS.has(f.region), `${f.name}: region`);
    assert.ok(Number(f.lat) > 51.2 && Number(f.lat) < 56.2 && Number(f.lon) > 23.1 && Number(f.lon) < 32.8, `${f.name}: coordinates`);
  }
  for (const e of demo.events) if (e.facility) assert.ok(names.has(e.facility), `unknown facility "${e.facility}"`);
});

test('the three 2025 deals release people, expelling most to Lithuania or Ukraine', () => {
  const negotiated = demo.events.filter((e) => e.reason === 'negotiated');
  for (const date of DEAL_DATES) {
    assert.ok(negotiated.some((e) => e.date === date && e.type === 'expelled'), `expulsions on ${date}`);
  }
  assert.ok(negotiated.every((e) => DEAL_DATES.includes(e.date)), 'negotiated releases only on deal dates');
  const countries = new Set(negotiated.filter((e) => e.type === 'expelled').map((e) => e.country));
  assert.ok(countries.has('LT') && countries.has('UA'), `expelled to ${[...countries].join(', ')}`);
});

test('some refuse expulsion and are taken back into custody', () => {
  const takenBack = [...eventsByPerson(demo.events).values()].filter((events) =>
    events.some((e, i) => e.type === 'released' && e.reason === 'negotiated' && events[i + 1]?.type === 'detained'),
  );
  assert.ok(takenBack.length >= 1);
});

test('pardons come in batches of ten to forty people', () => {
  const batches = new Map<string, number>();
  for (const e of demo.events) if (e.reason === 'pardon') batches.set(e.date, (batches.get(e.date) ?? 0) + 1);
  const typical = [...batches.values()].filter((size) => size >= 10 && size <= 40);
  assert.ok(typical.length >= 5, `batch sizes ${[...batches.values()].join(', ')}`);
  assert.ok([...batches.values()].every((size) => size <= 40));
});

test('the rarer stories are present: deaths in custody, re-arrests, withdrawn recognitions', () => {
  const byPerson = eventsByPerson(demo.events);
  const died = demo.events.filter((e) => e.type === 'died').length;
  assert.ok(died >= 2 && died <= 20, `${died} deaths`);
  const rearrested = [...byPerson.values()].filter((events) => events.filter((e) => e.type === 'detained').length > 1).length;
  assert.ok(rearrested >= 5, `${rearrested} re-arrested`);
  assert.ok(demo.events.some((e) => e.type === 'recognition_withdrawn'));
});

test('counts look like a registry: hundreds in custody, about four in five recognised', () => {
  const byPerson = eventsByPerson(demo.events);
  for (const date of ['2021-06-30', '2022-12-31', '2024-06-30', '2025-12-31', TODAY]) {
    const { inCustody, politicalPrisoners } = countOn(byPerson, date);
    assert.ok(inCustody >= 200 && inCustody <= 1000, `${date}: ${inCustody} in custody`);
    const share = politicalPrisoners / inCustody;
    assert.ok(share >= 0.7 && share <= 0.92, `${date}: ${share.toFixed(2)} recognised`);
  }
  assert.ok(countOn(byPerson, TODAY).diedInCustody >= 1);
});

test('an earlier today cuts the history: nothing after it, no deals before they happened', () => {
  const early = generateDemo({ seed: 7, today: '2023-06-30', people: 500 });
  assert.ok(early.events.every((e) => e.date <= '2023-06-30'));
  assert.ok(!early.events.some((e) => e.reason === 'negotiated' || e.type === 'expelled'));
  for (const events of eventsByPerson(early.events).values()) assert.deepEqual(custodyProblems(events), []);
  assert.throws(() => generateDemo({ today: '2020-01-01' }), RangeError);
  assert.throws(() => generateDemo({ today: '2025-02-30' }), RangeError);
});

test('benchmark padding and cutting keep each history valid at the exact size asked for', () => {
  const calendar = createCalendar(parseIsoDay(TODAY));
  const days = new DayFormatter();
  for (let index = 0; index < 600; index++) {
    const targetEvents = 1 + (index % 40);
    const { person, events } = generatePerson({ seed: 3, index, externalId: `b${index}`, calendar, days, targetEvents });
    assert.equal(events.length, targetEvents);
    assert.equal(events[0]?.type, 'detained');
    assert.deepEqual(custodyProblems(events), []);
    assert.ok(events.every((e) => e.date <= TODAY));
    if (person.gender === 'male') assert.deepEqual(events.filter((e) => WOMEN_COLONIES.has(e.facility)), []);
  }
});

test('men are never held in a women’s colony', () => {
  const men = new Set(demo.persons.filter((p) => p.gender === 'male').map((p) => p.external_id));
  const misplaced = demo.events.filter((e) => men.has(e.person_external_id) && WOMEN_COLONIES.has(e.facility));
  assert.deepEqual(misplaced, []);
});
