import { it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describeBothBackends } from '../../test-support/stores.js';
import { NAMES_DEV, tempFile } from '../../test-support/files.js';
import { runCli } from '../../test-support/cli.js';
import { importPersons } from '../import/persons.import.js';
import { readFileSync } from 'node:fs';
import { givenNameEquivalence, keySimilarity, tokenKeys } from '../../names/index.js';
import { genderCues } from './gender-cues.js';
import { listLines, parseListLine, reconcileLines, samePatronymic } from './reconcile.service.js';

it('reads list lines: numbering, birth years and notes are not part of the name', () => {
  assert.deepEqual(parseListLine('12. Колесникова Мария Александровна, 1982 г.р.'), { name: 'Колесникова Мария Александровна', birthYear: '1982' });
  assert.deepEqual(parseListLine('- Losik Ihar (1992)'), { name: 'Losik Ihar', birthYear: '1992' });
  assert.deepEqual(parseListLine('Бяляцкі Алесь'), { name: 'Бяляцкі Алесь', birthYear: null });
  assert.deepEqual(listLines('\uFEFFa\r\nb\n\nc\n'), ['a', 'b', '', 'c']);
});

const PEOPLE = [
  'external_id,family_name_be,given_name_be,patronymic_be,family_name_ru,given_name_ru,patronymic_ru,birth_date',
  'r1,Лосік,Ігар,Аляксандравіч,Лосик,Игорь,Александрович,1992-03-11',
  'r2,Жук,Алена,Іванаўна,,,,1980',
  'r3,Жук,Алена,Пятроўна,,,,1995',
].join('\n');

describeBothBackends('list reconciliation', (backend) => {
  it('matches names in court form, leaves unknown names unmatched and namesakes for a person to decide', async () => {
    const store = await backend.fresh();
    await importPersons(store, tempFile('p.csv', PEOPLE), { actor: 'test' });
    const entries = await reconcileLines(store, ['1. Лосик Игорь Александрович', 'Иванов Пётр Сергеевич', '', 'Жук Алёна', 'Жук Алёна (1995)', 'Losik Ihar']);
    assert.deepEqual(entries.map((e) => [e.line, e.status, e.external_id]), [
      [1, 'matched', 'r1'],
      [2, 'unmatched', null],
      [3, 'empty', null],
      [4, 'uncertain', null],
      [5, 'matched', 'r3'],
      [6, 'matched', 'r1'],
    ]);
    assert.equal(entries[5]!.same_person_as_line, 1, 'a person named twice is pointed out');
    assert.ok(entries[3]!.candidates.length >= 2, 'the namesakes are offered to the person deciding');
  });

  it('matches names-dev queries without a single wrong confident match', async () => {
    const store = await backend.fresh();
    await importPersons(store, join(NAMES_DEV, 'persons.csv'), { actor: 'test' });
    const { readFileSync } = await import('node:fs');
    const rows = readFileSync(join(NAMES_DEV, 'queries.tsv'), 'utf8').trim().split('\n').slice(1).map((line) => line.split('\t'));
    const entries = await reconcileLines(store, rows.map((row) => row[0]!));
    const wrong = entries.filter((e, i) => e.external_id !== null && e.external_id !== rows[i]![1]);
    assert.deepEqual(wrong.map((e) => e.text), []);
    assert.ok(entries.filter((e) => e.status === 'matched').length >= 0.9 * rows.length);
  });

  it('answers the DOMAIN.md contract from the command line: one entry per line, in order', async () => {
    const store = await backend.fresh();
    await importPersons(store, tempFile('p.csv', PEOPLE), { actor: 'test' });
    const list = tempFile('list.txt', 'Лосик Игорь Александрович\nНикто Никтоевич\n');
    const result = await runCli(['deals', 'reconcile', list, '--json'], { database: backend.lastLocation.database });
    assert.equal(result.code, 0, result.stderr);
    const entries = JSON.parse(result.stdout) as { line: number; text: string; external_id: string | null; score: number }[];
    assert.deepEqual(entries.map(({ line, text, external_id }) => ({ line, text, external_id })), [
      { line: 1, text: 'Лосик Игорь Александрович', external_id: 'r1' },
      { line: 2, text: 'Никто Никтоевич', external_id: null },
    ]);
    assert.ok(entries.every((e) => typeof e.score === 'number'));
    await store.close();
  });
});

it('reads gender from name forms only where they are unambiguous', () => {
  const cues = (name: string) => [...genderCues(name)].sort();
  assert.deepEqual(cues('Жук Ганна'), ['female'], 'a woman\'s given name');
  assert.deepEqual(cues('Пятроў Генадзь'), ['male']);
  assert.deepEqual(cues('Паўлоўская Максім'), ['female', 'male'], 'a line that contradicts itself');
  assert.deepEqual(cues('Kalesnikava Maryia'), ['female']);
  assert.deepEqual(cues('Tsikhanouski Siarhei'), ['male']);
  assert.deepEqual(cues('Міхалевіч Кацярына'), ['female'], 'a family name in -віч is the same for men and women');
  assert.deepEqual(cues('Міхалевіч Саша'), [], 'Саша is a man or a woman');
  assert.deepEqual(cues('Петрова Марина Владимировна'), ['female']);
});

it('knows one patronymic in Belarusian and Russian, and tells different fathers apart', () => {
  assert.equal(samePatronymic('Владимировна', 'Уладзіміраўна'), true);
  assert.equal(samePatronymic('Петрович', 'Пятровіч'), true);
  assert.equal(samePatronymic('Александрович', 'Аляксандравіч'), true);
  assert.equal(samePatronymic('Петрович', 'Паўлавіч'), false);
  assert.equal(samePatronymic('Ивановна', 'Пятроўна'), false);
});

/**
 * Names made of a family name and a given name that are both in names-dev, never together for one
 * person (nor with an equivalent form of the given name, Зміцер / Дзмітрый), in Belarusian and in
 * Russian court form with a patronymic: nobody in the registry is called that.
 */
function inventedNames(count: number): string[] {
  const rows = readFileSync(join(NAMES_DEV, 'persons.csv'), 'utf8').trim().split('\n').slice(1).map((line) => line.split(','));
  const same = (a: string, b: string) => tokenKeys(a).some((x) => tokenKeys(b).some((y) => x === y || givenNameEquivalence(x, y) > 0));
  // Family names that may be one under spelling (Кузняцоў / Кузнецов, Лявонаў / Леонов) count as one.
  const givensOf = new Map<string, string[]>();
  for (const r of rows) for (const family of [r[1]!, r[4]!].filter(Boolean)) givensOf.set(family, [...(givensOf.get(family) ?? []), ...[r[2]!, r[5]!].filter(Boolean)]);
  const families = [...givensOf.keys()].sort();
  const keys = new Map(families.map((family) => [family, tokenKeys(family)]));
  const alike = (a: string, b: string) => keys.get(a)!.some((x) => keys.get(b)!.some((y) => keySimilarity(x, y) >= 0.7));
  const knownGiven = (family: string) => families.filter((other) => alike(other, family)).flatMap((other) => givensOf.get(other)!);
  const givens = [...new Set(rows.flatMap((r) => [r[2]!, r[5]!]).filter(Boolean))].sort();
  const lines: string[] = [];
  for (let i = 0; lines.length < count && i < families.length * givens.length; i++) {
    const family = families[(i * 7) % families.length]!;
    const given = givens[(i * 13) % givens.length]!;
    if (knownGiven(family).some((known) => same(known, given))) continue;
    lines.push(/[ыэё]|ий$|ов$/u.test(`${family} ${given}`) && lines.length % 2 === 0 ? `${lines.length + 1}. ${family} ${given} Петрович` : `${family} ${given}`);
  }
  return lines;
}

describeBothBackends('list reconciliation does not guess', (backend) => {
  it('leaves every name that is not in the registry without a match, flagged for a person to decide', async () => {
    const store = await backend.fresh();
    await importPersons(store, join(NAMES_DEV, 'persons.csv'), { actor: 'test' });
    const byHand = [
      'Пятроў Ганна', // Генадзь Пятроў exists; the line itself says a man's family name and a woman's given name
      'Жук Ганна', // Генадзь Жук exists: a woman's name is not his
      'Паўлоўская Максім', // a woman's family name with a man's given name
      'Бяляцкая Фёдар',
      'Лукашевич Денис Петрович', // Дзяніс Паўлавіч Лукашэвіч exists: another father
      'Иванов Пётр Сергеевич',
      'Ціханоўская Святлана',
      'John Smith',
      'Kowalski Jan',
    ];
    const lines = [...byHand, ...inventedNames(300)];
    assert.equal(lines.length, byHand.length + 300);
    const entries = await reconcileLines(store, lines);
    const guessed = entries.filter((e) => e.external_id !== null).map((e) => `${e.text} → ${e.external_id}`);
    assert.deepEqual(guessed, [], 'a name not in the registry stays unmatched');
    assert.ok(entries.every((e) => (e.status === 'unmatched' || e.status === 'uncertain') && e.reason), 'every line says why it needs a person');
    assert.deepEqual(entries.slice(0, 5).map((e) => e.status), ['uncertain', 'uncertain', 'uncertain', 'uncertain', 'uncertain'], 'close names are offered, not taken');
    assert.match(entries[1]!.reason!, /names a woman, the best candidate is a man/);
    assert.match(entries[0]!.reason!, /mixes a man's and a woman's name forms/);
    assert.match(entries[2]!.reason!, /mixes a man's and a woman's name forms/);
    assert.match(entries[4]!.reason!, /patronymic Петрович/);
    // The people who are in the registry, in the same forms, are still found.
    const known = await reconcileLines(store, ['Пятроў Генадзь', 'Лукашевич Денис Павлович', 'Паўлоўскі Максім']);
    assert.deepEqual(known.map((e) => e.status), ['matched', 'matched', 'matched']);
  });
});
