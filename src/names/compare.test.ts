import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareRecords } from './compare.js';
import { detectScript } from './script.js';

test('the same person in Belarusian and Russian, same birth year, is a likely duplicate', () => {
  const result = compareRecords(
    { id: 1, names: [{ family: 'Калеснікава', given: 'Марыя', lang: 'be' }], birthDate: '1982', region: 'Minsk' },
    { id: 2, names: [{ full: 'Maria Kolesnikova', lang: 'en' }], birthDate: '1982-04-24', region: 'Minsk' },
  );
  assert.ok(result.score >= 0.9, JSON.stringify(result));
  assert.ok(result.reasons.some((r) => r.includes('family name')));
  assert.ok(result.reasons.some((r) => r.includes('birth dates agree')));
});

test('conflicting birth dates and a different given name push the score down', () => {
  const result = compareRecords(
    { id: 1, names: [{ family: 'Ціханоўскі', given: 'Сяргей' }], birthDate: '1978-09-18' },
    { id: 2, names: [{ family: 'Ціханоўская', given: 'Святлана' }], birthDate: '1982-09-11' },
  );
  assert.ok(result.score < 0.5, JSON.stringify(result));
  assert.ok(result.reasons.some((r) => r.includes('differ')));
});

test('equivalent given names count as agreement', () => {
  const result = compareRecords({ id: 1, names: [{ family: 'Дашкевіч', given: 'Зміцер' }] }, { id: 2, names: [{ family: 'Дашкевич', given: 'Дмитрий' }] });
  assert.ok(result.score >= 0.9, JSON.stringify(result));
});

test('detectScript tells Cyrillic, Latin, mixed and other apart', () => {
  assert.equal(detectScript('Ціханоўская'), 'cyrillic');
  assert.equal(detectScript('Cichanoŭskaja'), 'latin');
  assert.equal(detectScript('Maria Калеснікава'), 'mixed');
  assert.equal(detectScript('123 -'), 'other');
  assert.equal(detectScript('ციხანოვსკაია'), 'other');
});

test('does not take two different known given names as one person, however alike they look', () => {
  const a = { id: 1, names: [{ family: 'Цярэшчанка', given: 'Ігар', patronymic: 'Андрэевіч' }], birthDate: '1976' };
  const b = { id: 2, names: [{ family: 'Цярэшчанка', given: 'Іван', patronymic: 'Андрэевіч' }], birthDate: '1976' };
  const result = compareRecords(a, b);
  assert.ok(result.score < 0.85, `scored ${result.score}`);
  assert.ok(result.reasons.some((r) => /given name differs/.test(r)), result.reasons.join('; '));
});
