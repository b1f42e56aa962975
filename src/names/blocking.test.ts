import { it } from 'node:test';
import assert from 'node:assert/strict';
import { blockingKeys } from './blocking.js';
import type { NameRecord } from './types.js';

const shareKey = (a: NameRecord, b: NameRecord) => blockingKeys(a).some((key) => blockingKeys(b).includes(key));

it('files two spellings of one person under a common key', () => {
  const belarusian: NameRecord = { id: 1, names: [{ family: 'Ціханоўская', given: 'Святлана', lang: 'be' }] };
  const press: NameRecord = { id: 2, names: [{ full: 'Svetlana Tikhanovskaya' }] };
  assert.ok(shareKey(belarusian, press));
  const zmitser: NameRecord = { id: 3, names: [{ family: 'Дашкевіч', given: 'Зміцер', lang: 'be' }] };
  const dmitry: NameRecord = { id: 4, names: [{ family: 'Дашкевич', given: 'Дмитрий', lang: 'ru' }] };
  assert.ok(shareKey(zmitser, dmitry), 'Belarusian and Russian forms of one given name');
  const typo: NameRecord = { id: 5, names: [{ full: 'Dmitry Dashkewich' }], birthDate: '1981-04-01' };
  const withYear: NameRecord = { id: 6, names: [{ family: 'Дашкевіч', given: 'Зміцер' }], birthDate: '1981' };
  assert.ok(shareKey(typo, withYear));
});

it('keeps unrelated people apart', () => {
  const a: NameRecord = { id: 1, names: [{ family: 'Бяляцкі', given: 'Алесь' }], birthDate: '1962' };
  const b: NameRecord = { id: 2, names: [{ family: 'Лосік', given: 'Ігар' }], birthDate: '1992' };
  assert.ok(!shareKey(a, b));
});
