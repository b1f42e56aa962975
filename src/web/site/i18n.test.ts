/** The three languages are complete: same keys, the plural forms each language needs, the same placeholders. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allMessages, formatDate, LANGS, pickLang, say, messages, type Text } from './i18n.js';
import './routes.js';
import '../admin/routes.js';

const placeholders = (text: Text) =>
  [...new Set((typeof text === 'string' ? [text] : Object.values(text)).flatMap((form) => [...(form ?? '').matchAll(/\{(\w+)\}/g)].map((m) => m[1])))].sort();

test('every message set has every key in be, ru and en, with matching placeholders and plural forms', () => {
  const sets = allMessages();
  assert.ok(sets.length >= 4, `the site's and the workspace's message sets are loaded (${sets.map((s) => s.name).join(', ')})`);
  for (const set of sets) {
    const keys = Object.keys(set.texts.en).sort();
    for (const lang of LANGS) {
      assert.deepEqual(Object.keys(set.texts[lang]).sort(), keys, `${set.name}: keys in ${lang}`);
      for (const key of keys) {
        const text = set.texts[lang][key]!;
        const reference = set.texts.en[key]!;
        assert.deepEqual(placeholders(text), placeholders(reference), `${set.name}.${key}: placeholders in ${lang}`);
        assert.equal(typeof text, typeof reference, `${set.name}.${key}: plural in every language or in none (${lang})`);
        if (typeof text !== 'string') {
          assert.ok(typeof text === 'object' && text.one && text.other, `${set.name}.${key}: one and other in ${lang}`);
          if (lang !== 'en') assert.ok(text.few && text.many, `${set.name}.${key}: ${lang} needs few and many`);
        }
        if (typeof text === 'string') assert.ok(text.trim().length > 0, `${set.name}.${key}: empty in ${lang}`);
      }
    }
  }
});

test('plural forms follow each language: 1, 2, 5, 21, 22, 111', () => {
  const set = messages('test-plural', {
    en: { n: { one: '{n} prisoner', other: '{n} prisoners' } },
    be: { n: { one: '{n} палітвязень', few: '{n} палітвязні', many: '{n} палітвязняў', other: '{n} палітвязня' } },
    ru: { n: { one: '{n} политзаключённый', few: '{n} политзаключённых', many: '{n} политзаключённых', other: '{n} политзаключённого' } },
  });
  assert.deepEqual([1, 2, 5, 21, 22, 111].map((n) => say('be', set, 'n', { n })), ['1 палітвязень', '2 палітвязні', '5 палітвязняў', '21 палітвязень', '22 палітвязні', '111 палітвязняў']);
  assert.deepEqual([1, 2, 21].map((n) => say('en', set, 'n', { n })), ['1 prisoner', '2 prisoners', '21 prisoners']);
  assert.equal(say('ru', set, 'n', { n: 1234 }), '1\u00a0234 политзаключённых', 'thousands grouped the Russian way');
});

test('dates are written per language and never more precisely than known', () => {
  assert.equal(formatDate('en', '2025-09-11'), 'September 11, 2025');
  assert.equal(formatDate('be', '2025-09-11'), '11 верасня 2025 г.');
  assert.equal(formatDate('ru', '2025-09'), 'сентябрь 2025 г.');
  assert.equal(formatDate('en', '2021'), '2021');
});

test('the language comes from ?lang=, then Accept-Language, then Belarusian', () => {
  assert.equal(pickLang('ru', 'en'), 'ru');
  assert.equal(pickLang(undefined, 'de-DE,en;q=0.8,ru;q=0.9'), 'ru');
  assert.equal(pickLang('xx', 'en-GB'), 'en');
  assert.equal(pickLang(undefined, undefined), 'be');
  assert.equal(pickLang(undefined, 'ru;q=0'), 'be');
});
