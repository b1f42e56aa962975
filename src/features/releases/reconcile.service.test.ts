import { it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describeBothBackends } from '../../test-support/stores.js';
import { NAMES_DEV, tempFile } from '../../test-support/files.js';
import { runCli } from '../../test-support/cli.js';
import { importPersons } from '../import/persons.import.js';
import { listLines, parseListLine, reconcileLines } from './reconcile.service.js';

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
