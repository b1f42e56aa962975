import { test } from 'node:test';
import assert from 'node:assert/strict';
import { foldDiacritics } from './fold.js';
import { nameKey, primaryKey, tokenKeys } from './phonetic.js';
import { keyEvidence, keySimilarity } from './similarity.js';

function meet(a: string, b: string): boolean {
  return tokenKeys(a).some((key) => tokenKeys(b).includes(key));
}

function assertAllMeet(spellings: string[]): void {
  const [first, ...rest] = spellings;
  for (const other of rest) assert.ok(meet(first ?? '', other), `${first} and ${other} should meet: ${tokenKeys(first ?? '')} / ${tokenKeys(other)}`);
}

test('all spellings of Tsikhanouskaya meet', () => {
  assertAllMeet(['Ціханоўская', 'Тихановская', 'Tikhanovskaya', 'Tsikhanouskaya', 'Cichanoŭskaja', 'Tichanowskaja', 'Tikhanovskaia', 'Cichanouska', 'Tsikhanowskaya']);
});

test('Belarusian and Russian forms of one family name meet (akanne, ў/в, ё, -ау/-ов)', () => {
  assertAllMeet(['Калеснікава', 'Колесникова', 'Kalesnikava', 'Kolesnikova', 'Kalesnikawa', 'Kaliesnikava']);
  assertAllMeet(['Салаўёў', 'Соловьёв', 'Salauyou', 'Solovyov', 'Soloviev', 'Sałaŭjoŭ', 'Solowjow', 'Solovyoff']);
  assertAllMeet(['Паўлоўскі', 'Павловский', 'Paulouski', 'Pavlovsky', 'Pavlovskiy', 'Pawlowski', 'Pavlovskii', 'Pavlovskij']);
  assertAllMeet(['Сянкевіч', 'Сенкевич', 'Siankievich', 'Senkevich', 'Siankiewicz']);
  assertAllMeet(['Цярэшчанка', 'Терещенко', 'Tsiareshchanka', 'Tereshchenko', 'Ciareščanka', 'Tereschtschenko', 'Ciareszczanka']);
  assertAllMeet(['Касцюк', 'Костюк', 'Kastsiuk', 'Kostyuk', 'Kosciuk', 'Kostjuk']);
});

test('given names meet across systems (дз/д, і/и/ы, iotation, -ий/-ый/-y)', () => {
  assertAllMeet(['Дзмітрый', 'Дмитрий', 'Dmitry', 'Dmitriy', 'Dmitrii', 'Dzmitry', 'Dzmitryj', 'Dmitrij']);
  assertAllMeet(['Марыя', 'Мария', 'Maria', 'Mariya', 'Mariia', 'Maryia', 'Marija']);
  assertAllMeet(['Сяргей', 'Сергей', 'Sergey', 'Sergei', 'Siarhei', 'Siarhiej', 'Syarhyey']);
  assertAllMeet(['Юлія', 'Юлия', 'Yulia', 'Iuliia', 'Julija', 'Yuliya']);
});

test('unrelated names do not meet and are not similar', () => {
  const pairs = [['Калеснікава', 'Ціханоўская'], ['Бандарэнка', 'Бабарыка'], ['Жук', 'Лук'], ['Іван', 'Ігар'], ['Мельнік', 'Мацкевіч'], ['Kozlov', 'Petrov']];
  for (const [a, b] of pairs) {
    assert.ok(!meet(a ?? '', b ?? ''), `${a} / ${b} must not meet`);
    assert.ok(keyEvidence(primaryKey(a ?? ''), primaryKey(b ?? '')) < 0.6, `${a} / ${b} must not look alike`);
  }
});

test('masculine and feminine forms are kept apart', () => {
  for (const [a, b] of [['Ціханоўскі', 'Ціханоўская'], ['Салаўёў', 'Салаўёва'], ['Аляксандр', 'Аляксандра'], ['Kolesnikov', 'Kolesnikova']]) {
    assert.ok(!meet(a ?? '', b ?? ''), `${a} / ${b}`);
    assert.ok(keySimilarity(primaryKey(a ?? ''), primaryKey(b ?? '')) <= 0.5, `${a} / ${b}`);
  }
});

test('a one-letter typo stays similar', () => {
  assert.ok(keySimilarity(primaryKey('Mihkail'), primaryKey('Михаил')) > 0.7);
  assert.ok(keySimilarity(primaryKey('Zhukouksi'), primaryKey('Жукоўскі')) > 0.8);
});

test('nameKey ignores word order and script', () => {
  assert.equal(nameKey('Tsikhanouskaya Sviatlana'), nameKey('Светлана Тихановская'));
});

test('foldDiacritics folds case and accents but keeps й and ў', () => {
  assert.equal(foldDiacritics('Łukaševič'), 'lukasevic');
  assert.equal(foldDiacritics('ЛУКАШЭВІЧ Пётр'), 'лукашэвіч петр');
  assert.equal(foldDiacritics('Андрэй Салаўёў'), 'андрэй салаўеў');
});
