import { test } from 'node:test';
import assert from 'node:assert/strict';
import { areDifferentKnownNames, EQUIVALENT_NAME_SIMILARITY, FAMILIAR_NAME_SIMILARITY, givenNameEquivalence, westernNameGroups } from './given-names.js';
import { primaryKey } from './phonetic.js';

const equivalence = (a: string, b: string): number => givenNameEquivalence(primaryKey(a), primaryKey(b));

test('Belarusian and Russian full forms are equivalents', () => {
  for (const [be, ru] of [['Зміцер', 'Дмитрий'], ['Алесь', 'Александр'], ['Ягор', 'Егор'], ['Кастусь', 'Константин'], ['Янка', 'Иван'], ['Юрась', 'Юрий'], ['Вольга', 'Ольга'], ['Ганна', 'Анна'], ['Алеся', 'Олеся']]) {
    // Some pairs are spelled alike under the phonetic key already (Алеся / Олеся) and score 1.
    assert.ok(equivalence(be ?? '', ru ?? '') >= EQUIVALENT_NAME_SIMILARITY, `${be} / ${ru}`);
  }
});

test('familiar forms reach their full names, in any romanisation', () => {
  for (const [short, full] of [['Sasha', 'Аляксандр'], ['Masha', 'Мария'], ['Sveta', 'Святлана'], ['Dima', 'Дзмітрый'], ['Zhenya', 'Евгения'], ['Kolya', 'Мікалай'], ['Misha', 'Михаил'], ['Tanya', 'Таццяна'], ['Volodya', 'Уладзімір'], ['Seryozha', 'Сергей'], ['Lyosha', 'Алексей'], ['Pasha', 'Павел']]) {
    assert.equal(equivalence(short ?? '', full ?? ''), FAMILIAR_NAME_SIMILARITY, `${short} / ${full}`);
  }
});

test('different names are not equivalents', () => {
  assert.equal(equivalence('Ігар', 'Ягор'), 0);
  assert.ok(areDifferentKnownNames(primaryKey('Галіна'), primaryKey('Паліна')));
  assert.ok(!areDifferentKnownNames(primaryKey('Зміцер'), primaryKey('Дмитрий')));
});

test('Western equivalents are recognised by spelling', () => {
  assert.ok(westernNameGroups('Eugene').length > 0);
  assert.deepEqual(westernNameGroups('Evgeny'), []);
});
