import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { belarusianToRussian, cyrillicLanguage, equivalentGivenName, russianToBelarusian, suggestOtherForms } from './suggest.js';

describe('forms of a typed name in the other script and language', () => {
  it('tells Belarusian from Russian by the letters only they have, else by the chosen language', () => {
    assert.equal(cyrillicLanguage({ family: 'Ціханоўская' }), 'be');
    assert.equal(cyrillicLanguage({ family: 'Тихановская' }), 'ru');
    assert.equal(cyrillicLanguage({ family: 'Бабарыка', lang: 'be' }), 'be');
    assert.equal(cyrillicLanguage({ family: 'Babaryka' }), null);
  });

  // Published spellings of public figures (Belarusian forms as Belarusian media write them).
  it('converts Russian family names to the Belarusian forms the press uses where stress does not matter', () => {
    assert.equal(russianToBelarusian('Тихановская'), 'Ціханоўская');
    assert.equal(russianToBelarusian('Тихановский'), 'Ціханоўскі');
    assert.equal(russianToBelarusian('Лосик'), 'Лосік');
    assert.equal(russianToBelarusian('Бяляцкий'), 'Бяляцкі');
  });

  it('converts Belarusian family names back to the Russian court form', () => {
    assert.equal(belarusianToRussian('Ціханоўская'), 'Тихановская');
    assert.equal(belarusianToRussian('Бяляцкі'), 'Бяляцкий');
    assert.equal(belarusianToRussian('Лосік'), 'Лосик');
  });

  it('takes given names from the equivalents table, not by letters', () => {
    assert.equal(equivalentGivenName('Дмитрий', 'ru'), 'Дзмітрый');
    assert.equal(equivalentGivenName('Сяргей', 'be'), 'Сергей');
    assert.equal(equivalentGivenName('Несуществующий', 'ru'), null);
  });

  it('offers Latin spellings and the other language, marking the letter conversion as probable', () => {
    const forms = suggestOtherForms({ family: 'Тихановская', given: 'Светлана', lang: 'ru' });
    const latin = forms.filter((f) => f.script === 'Latn');
    assert.ok(latin.some((f) => f.family === 'Tikhanovskaya' && f.given === 'Svetlana'), JSON.stringify(latin));
    const be = forms.find((f) => f.lang === 'be');
    assert.equal(be?.family, 'Ціханоўская');
    assert.equal(be?.given, 'Святлана');
    assert.equal(be?.certainty, 'probable');
    assert.ok(forms.every((f) => f.script === 'Cyrl' || f.certainty === 'rule'));
  });

  it('offers nothing for a Latin name (turning Latin into Cyrillic would be a guess)', () => {
    assert.deepEqual(suggestOtherForms({ family: 'Tsikhanouskaya', given: 'Sviatlana' }), []);
  });
});
