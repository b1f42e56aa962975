import { it } from 'node:test';
import assert from 'node:assert/strict';
import { diffSnapshots } from './snapshot-diff.js';

const name = (family: string, given: string, extra: Record<string, unknown> = {}) =>
  ({ family, given, patronymic: null, full_name: null, lang: 'be', script: 'Cyrl', romanization: null, confidentiality: 'internal', ...extra });

it('lists only the fields that changed, nested objects by key', () => {
  const before = { occupation: 'teacher', region: 'Minsk', biography: { be: 'Настаўніца.', en: 'Teacher.' }, publish: false, tags: ['a'] };
  const after = { occupation: 'teacher', region: null, biography: { be: 'Настаўніца музыкі.', en: 'Teacher.' }, publish: true, tags: ['a', 'b'] };
  assert.deepEqual(diffSnapshots(before, after), [
    { field: 'region', before: 'Minsk', after: null },
    { field: 'biography.be', before: 'Настаўніца.', after: 'Настаўніца музыкі.' },
    { field: 'publish', before: false, after: true },
    { field: 'tags', before: ['a'], after: ['a', 'b'] },
  ]);
  assert.deepEqual(diffSnapshots(before, { ...before, biography: { en: 'Teacher.', be: 'Настаўніца.' } }), [], 'key order is not a change');
});

it('shows a new record as every field added', () => {
  assert.deepEqual(diffSnapshots(null, { date: '2021-05', note: null }), [{ field: 'date', before: null, after: '2021-05' }]);
});

it('shows names removed and added, not the ones kept', () => {
  const kept = name('Лосік', 'Ігар');
  const changes = diffSnapshots({ names: [kept, name('Лосик', 'Игорь', { lang: 'ru' })] }, { names: [kept, name('Losik', 'Ihar', { lang: 'en', script: 'Latn', confidentiality: 'public' })] });
  assert.deepEqual(changes, [{ field: 'names', before: ['Лосик Игорь (ru, internal)'], after: ['Losik Ihar (en, public)'] }]);
});

it('writes out whole a name whose short form did not change, so the difference shows', () => {
  const changes = diffSnapshots({ names: [name('Лосік', 'Ігар', { script: 'Latn' })] }, { names: [name('Лосік', 'Ігар')] });
  assert.equal(changes.length, 1);
  const [before, after] = [changes[0]!.before as string[], changes[0]!.after as string[]];
  assert.match(before[0]!, /"script":"Latn"/);
  assert.match(after[0]!, /"script":"Cyrl"/);
});

it('shows the whole list when only the order changed', () => {
  const [a, b] = [name('Лосік', 'Ігар'), name('Лосик', 'Игорь', { lang: 'ru' })];
  assert.deepEqual(diffSnapshots({ names: [a, b] }, { names: [b, a] }), [
    { field: 'names', before: ['Лосік Ігар (be, internal)', 'Лосик Игорь (ru, internal)'], after: ['Лосик Игорь (ru, internal)', 'Лосік Ігар (be, internal)'] },
  ]);
});
