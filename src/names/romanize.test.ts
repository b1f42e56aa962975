import { test } from 'node:test';
import assert from 'node:assert/strict';
import { romanize } from './romanize.js';

// Each expectation follows the published rule cited beside it.

test('be-passport: MVD instruction 2008/2010 as applied in passports (г → h, ў → u, ie/ia after consonants)', () => {
  assert.equal(romanize('Ціханоўская Святлана', 'be-passport'), 'Tsikhanouskaya Sviatlana');
  assert.equal(romanize('Салаўёў', 'be-passport'), 'Salauyou');
  assert.equal(romanize('Зміцер', 'be-passport'), 'Zmitsier');
  // Instruction's own test pairs: Міховіч Марыя → Mikhovich Maryia, Бабрыковіч Аляксандр, Ігар.
  assert.equal(romanize('Міховіч Марыя', 'be-passport'), 'Mikhovich Maryia');
  assert.equal(romanize('Бабрыковіч Аляксандр', 'be-passport'), 'Babrykovich Aliaksandr');
  assert.equal(romanize('Ігар', 'be-passport'), 'Ihar');
  assert.equal(romanize('СВЯТЛАНА', 'be-passport'), 'SVIATLANA');
});

test('be-national: 2007 national system / UNGEGN (ie after consonants, ŭ, ch, soft sign as acute)', () => {
  // Examples from the instruction: Гомель → Homieĺ, Магілёў → Mahilioŭ, Віцебск → Viciebsk, Шаркаўшчына.
  assert.equal(romanize('Гомель', 'be-national'), 'Homieĺ');
  assert.equal(romanize('Магілёў', 'be-national'), 'Mahilioŭ');
  assert.equal(romanize('Віцебск', 'be-national'), 'Viciebsk');
  assert.equal(romanize('Шаркаўшчына', 'be-national'), 'Šarkaŭščyna');
  assert.equal(romanize('Ціханоўская', 'be-national'), 'Cichanoŭskaja');
});

test('be-bgn: BGN/PCGN 1979 for Belarusian (ў → w, я → ya, е → ye)', () => {
  assert.equal(romanize('Аляксандр Лукашэнка', 'be-bgn'), 'Alyaksandr Lukashenka');
  assert.equal(romanize('Магілёў', 'be-bgn'), 'Mahilyow');
  assert.equal(romanize('Ціханоўская', 'be-bgn'), 'Tsikhanowskaya');
});

test('be-lacinka: classical Łacinka (ł before hard vowels, l and no i before soft ones)', () => {
  assert.equal(romanize('Беларусь', 'be-lacinka'), 'Biełaruś');
  assert.equal(romanize('Лукашэнка', 'be-lacinka'), 'Łukašenka');
  assert.equal(romanize('Калеснікава', 'be-lacinka'), 'Kalesnikava');
  assert.equal(romanize('Ціханоўская', 'be-lacinka'), 'Cichanoŭskaja');
});

test('be-polish: Polish orthography (w, cz, sz, ż, ł; feminine -ская as -ska)', () => {
  assert.equal(romanize('Калеснікава', 'be-polish'), 'Kalesnikawa');
  assert.equal(romanize('Ціханоўская Святлана', 'be-polish'), 'Cichanouska Swiatłana');
  assert.equal(romanize('Лукашэнка', 'be-polish'), 'Łukaszenka');
  assert.equal(romanize('Сянкевіч', 'be-polish'), 'Siankiewicz');
});

test('ru-common: English-language press (ye-, yo, -y, -ei, Alex-)', () => {
  assert.equal(romanize('Тихановская', 'ru-common'), 'Tikhanovskaya');
  assert.equal(romanize('Колесникова Мария', 'ru-common'), 'Kolesnikova Maria');
  assert.equal(romanize('Евгений', 'ru-common'), 'Yevgeny');
  assert.equal(romanize('Сергей', 'ru-common'), 'Sergei');
  assert.equal(romanize('Пётр', 'ru-common'), 'Pyotr');
  assert.equal(romanize('Александр', 'ru-common'), 'Alexander');
});

test('ru-bgn: BGN/PCGN 1947 (ye after vowels and signs, ë, -iy, ʹ for ь)', () => {
  assert.equal(romanize('Тихановская', 'ru-bgn'), 'Tikhanovskaya');
  assert.equal(romanize('Геннадий', 'ru-bgn'), 'Gennadiy');
  assert.equal(romanize('Евгений', 'ru-bgn'), 'Yevgeniy');
  assert.equal(romanize('Соловьёв', 'ru-bgn'), 'Solovʹyëv');
});

test('ru-passport: 2013 passports = ICAO Doc 9303 (ia, iu, i for й, e for ё, ь dropped)', () => {
  assert.equal(romanize('Тихановская', 'ru-passport'), 'Tikhanovskaia');
  assert.equal(romanize('Юлия', 'ru-passport'), 'Iuliia');
  assert.equal(romanize('Андрей', 'ru-passport'), 'Andrei');
  assert.equal(romanize('Наталья', 'ru-passport'), 'Natalia');
  assert.equal(romanize('Пётр', 'ru-passport'), 'Petr');
});

test('ru-scholarly: ISO/R 9:1968 scholarly transliteration (ch for х, č š ž, ja ju)', () => {
  assert.equal(romanize('Тихановская', 'ru-scholarly'), 'Tichanovskaja');
  assert.equal(romanize('Жуков', 'ru-scholarly'), 'Žukov');
  assert.equal(romanize('Щербаков', 'ru-scholarly'), 'Ščerbakov');
});

test('ru-iso9: ISO 9:1995 one letter per letter (h, ŝ, â, û)', () => {
  assert.equal(romanize('Тихановская', 'ru-iso9'), 'Tihanovskaâ');
  assert.equal(romanize('Юлия', 'ru-iso9'), 'Ûliâ');
  assert.equal(romanize('Щербаков', 'ru-iso9'), 'Ŝerbakov');
});

test('ru-german: Duden transliteration (w, sch, tsch, z, ss between vowels, -i)', () => {
  assert.equal(romanize('Тихановская', 'ru-german'), 'Tichanowskaja');
  assert.equal(romanize('Жуков', 'ru-german'), 'Schukow');
  assert.equal(romanize('Евгений', 'ru-german'), 'Jewgeni');
  assert.equal(romanize('Василий', 'ru-german'), 'Wassili');
  assert.equal(romanize('Хрущёв', 'ru-german'), 'Chruschtschow');
});

test('romanize leaves Latin text and punctuation alone', () => {
  assert.equal(romanize('Maria Калеснікава-Кузьміч', 'be-lacinka'), 'Maria Kalesnikava-Kuźmič');
});
