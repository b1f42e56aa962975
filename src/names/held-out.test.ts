// Names that are not in names-dev: well-known public cases, stored in Belarusian form only (as a
// registry holds them), searched with the spellings the press, courts and other countries actually
// used. Nothing in the engine was fitted to this list.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { CONFIDENT_MATCH, NameIndex } from './index.js';

const people: [number, string, string, string?][] = [
  [1, 'Калеснікава', 'Марыя', 'Аляксандраўна'], [2, 'Бабарыка', 'Віктар', 'Дзмітрыевіч'], [3, 'Бяляцкі', 'Алесь', 'Віктаравіч'],
  [4, 'Лосік', 'Ігар', 'Аляксандравіч'], [5, 'Статкевіч', 'Мікалай', 'Віктаравіч'], [6, 'Ціханоўскі', 'Сяргей', 'Леанідавіч'],
  [7, 'Севярынец', 'Павел', 'Канстанцінавіч'], [8, 'Знак', 'Максім', "Валер'евіч"], [9, 'Пратасевіч', 'Раман', 'Дзмітрыевіч'],
  [10, 'Рабкова', 'Марфа', 'Уладзіміраўна'], [11, 'Луцкіна', 'Ксенія', 'Анатольеўна'], [12, 'Фурманаў', 'Дзмітрый'],
  [13, 'Шарэнда-Панасюк', 'Паліна', 'Мікалаеўна'], [14, 'Ціханоўская', 'Святлана', 'Георгіеўна'], [15, 'Хільмановіч', 'Вадзім'],
  [16, 'Кнырэвіч', 'Мікалай'], [17, 'Лосік', "Дар'я"], [18, 'Ціханоўскі', 'Міхаіл'], [19, 'Бабарыка', 'Эдуард'], [20, 'Ляўчук', 'Насця'],
];

const queries: [string, number][] = [
  ['Maria Kolesnikova', 1], ['Maryia Kalesnikava', 1], ['Maria Kalesnikawa', 1], ['Колесникова Мария Александровна', 1],
  ['Mascha Kolesnikowa', 1], ['Viktor Babariko', 2], ['Wiktar Babaryka', 2], ['Бабарико Виктор Дмитриевич', 2],
  ['Ales Bialiatski', 3], ['Ales Byalyatski', 3], ['Aleś Bialacki', 3], ['Alexander Belyatsky', 3], ['Igor Losik', 4],
  ['Ihar Losik', 4], ['Nikolai Statkevich', 5], ['Mikałaj Statkievič', 5], ['Mikola Statkevich', 5], ['Sergei Tikhanovsky', 6],
  ['Siarhei Tsikhanouski', 6], ['Pavel Severinets', 7], ['Paval Sieviaryniec', 7], ['Maxim Znak', 8], ['Maksim Znak', 8],
  ['Roman Protasevich', 9], ['Raman Pratasevich', 9], ['Marfa Rabkova', 10], ['Ksenia Lutskina', 11], ['Dmitry Furmanov', 12],
  ['Zmitser Furmanau', 12], ['Polina Sharendo-Panasyuk', 13], ['Palina Sharenda-Panasiuk', 13], ['Svetlana Tikhanovskaya', 14],
  ['Sviatlana Tsikhanouskaya', 14], ['Swiatłana Cichanouska', 14], ['Tichanowskaja Swetlana', 14], ['Vadim Khilmanovich', 15],
  ['Nikolai Knyrevich', 16], ['Daria Losik', 17], ['Dasha Losik', 17], ['Mikhail Tikhanovsky', 18], ['Eduard Babariko', 19],
  ['Nastya Levchuk', 20],
];

const index = new NameIndex();
for (const [id, family, given, patronymic] of people) index.add({ id, names: [{ family, given, patronymic: patronymic ?? null, lang: 'be' }] });

it('finds unseen people under the spellings the press and courts used', () => {
  const misses = queries.filter(([query, id]) => index.search(query, { limit: 1 })[0]?.id !== id).map(([query]) => query);
  assert.deepEqual(misses, []);
  const confident = queries.filter(([query]) => (index.search(query, { limit: 1 })[0]?.score ?? 0) >= CONFIDENT_MATCH).length;
  assert.ok(confident / queries.length >= 0.85, `only ${confident} of ${queries.length} above the confident-match threshold`);
});

it('does not confidently match people who are not there', () => {
  for (const query of ['Ivan Petrov', 'Natalia Ivanova', 'Andrei Sannikov', 'Mikhail Losik', 'Eduard Kolesnikov', 'Svetlana Alexievich']) {
    const best = index.search(query, { limit: 1 })[0];
    assert.ok(!best || best.score < CONFIDENT_MATCH, `${query} matched ${best?.id} at ${best?.score}`);
  }
});
