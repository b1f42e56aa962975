/**
 * The Atom feed, the embed page and the framed counter: well-formed Atom with the expected entries,
 * nothing non-public in any of them, the counter's number equal to `vigil stats`, and framing allowed
 * for the counter only.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Level } from '../../../domain/confidentiality.js';
import { createEvent } from '../../../features/events/event.service.js';
import { createPerson } from '../../../features/persons/person.service.js';
import { createDeal } from '../../../features/releases/deal.service.js';
import { recordDealOutcomes } from '../../../features/releases/record-outcomes.service.js';
import type { ReconcileEntry } from '../../../features/releases/reconcile.service.js';
import type { Store } from '../../../store/connection.js';
import type { NameVariant } from '../../../store/person.repository.js';
import { runCli } from '../../../test-support/cli.js';
import { describeBothBackends } from '../../../test-support/stores.js';
import { buildApp } from '../../app.js';

process.env.VIGIL_ORIGIN = 'https://vigil.example.org';

const MARK = 'RESTRICTEDMARKER';
const INTERNAL = 'INTERNALMARKER';
const NOCONSENT = 'NOCONSENTMARKER';
const LANGS = ['be', 'ru', 'en'] as const;
const context = { actor: 'test:editor', reason: 'test data' };

const cyrillic = (family: string, given: string, lang = 'be', confidentiality: Level = 'public'): NameVariant => ({
  family, given, patronymic: null, full_name: null, lang, script: 'Cyrl', romanization: null, confidentiality,
});

async function person(store: Store, externalId: string, names: NameVariant[], options: { publish?: boolean; level?: Level } = {}): Promise<number> {
  const created = await createPerson(store, {
    external_id: externalId, birth_date: '1990', gender: 'male', region: 'Minsk', occupation: null, tags: [], biography: {},
    publish: options.publish ?? true, confidentiality: options.level ?? 'public', field_levels: {}, names,
  }, context);
  return created.id;
}

const matched = (line: number, externalId: string): ReconcileEntry => ({
  line, text: externalId, external_id: externalId, score: 1, status: 'matched', reason: null, candidates: [], same_person_as_line: null,
});

async function seed(store: Store): Promise<void> {
  const open = await person(store, 'open', [cyrillic('Лосік', 'Ігар'), cyrillic('Лосик', 'Игорь', 'ru'), cyrillic(`${MARK}alias`, 'Secret', 'be', 'restricted')]);
  await createEvent(store, open, { type: 'detained', date: '2020-06-25', confidentiality: 'public' }, context);
  await createEvent(store, open, { type: 'recognized', date: '2020-07-01', organization: 'Viasna', note: `${INTERNAL} note`, confidentiality: 'public' }, context);
  await createEvent(store, open, { type: 'released', date: '2024-09-11', reason: 'pardon', confidentiality: 'public' }, context);
  await createEvent(store, open, { type: 'detained', date: '2025-01-01', note: `${MARK} where`, confidentiality: 'restricted' }, context);
  await createEvent(store, open, { type: 'released', date: '2025-02-02', reason: 'other', note: `${MARK} how`, confidentiality: 'restricted' }, context);

  const exiled = await person(store, 'exiled', [cyrillic('Калеснікава', 'Марыя')]);
  await createEvent(store, exiled, { type: 'detained', date: '2020-09-07', confidentiality: 'public' }, context);
  await createEvent(store, exiled, { type: 'recognized', date: '2020-09-10', confidentiality: 'public' }, context);
  await createEvent(store, exiled, { type: 'expelled', date: '2025-06-21', country: 'LT', confidentiality: 'public' }, context);

  // A Latin name with characters XML must escape, and a control character XML forbids.
  const special = await person(store, 'special', [
    cyrillic('Іванова', 'Ганна'),
    { family: null, given: null, patronymic: null, full_name: 'Anna "Ania" <O\'Brien> & Co\u0007', lang: 'en', script: 'Latn', romanization: null, confidentiality: 'public' },
  ]);
  await createEvent(store, special, { type: 'detained', date: '2022-01-01', confidentiality: 'public' }, context);
  await createEvent(store, special, { type: 'recognized', date: '2022-01', confidentiality: 'public' }, context);

  const held = await person(store, 'held', [cyrillic('Бабарыка', 'Віктар')]);
  await createEvent(store, held, { type: 'detained', date: '2020-06-18', confidentiality: 'public' }, context);
  await createEvent(store, held, { type: 'recognized', date: '2020-06-20', confidentiality: 'public' }, context);

  const hidden = await person(store, 'noconsent', [cyrillic(NOCONSENT, 'Maryia')], { publish: false });
  await createEvent(store, hidden, { type: 'detained', date: '2021-03-01', note: NOCONSENT, confidentiality: 'public' }, context);
  await createEvent(store, hidden, { type: 'recognized', date: '2021-03-05', confidentiality: 'public' }, context);
  const internal = await person(store, 'internal', [cyrillic(INTERNAL, 'Ivan')], { level: 'internal' });
  await createEvent(store, internal, { type: 'detained', date: '2021-04-01', confidentiality: 'public' }, context);
  await createEvent(store, internal, { type: 'recognized', date: '2021-04-02', confidentiality: 'public' }, context);

  const deal = { date: '2025-09-11', envoy: null, counterpart: null, conditions: [], summary: null, people: [], concessions: [] };
  await createDeal(store, { ...deal, slug: 'deal-2025-09', facilitator: 'United States', destinations: ['LT'], confidentiality: 'public' }, context);
  await createDeal(store, { ...deal, slug: `secret-${MARK.toLowerCase()}`, facilitator: MARK, destinations: ['PL'], confidentiality: 'restricted' }, context);
  // Outcomes kept internal (not yet reviewed): counted in the deal's figures, not shown per person.
  await recordDealOutcomes(store, 'deal-2025-09', [matched(1, 'held'), matched(2, 'noconsent')], { as: 'expelled', country: 'LT', level: 'internal' }, context);
}

const leaks = (text: string) => [MARK, INTERNAL, NOCONSENT].filter((marker) => text.toLowerCase().includes(marker.toLowerCase()));

interface AtomEntry {
  id: string;
  title: { '#text': string };
  link: { '@_href': string };
  updated: string;
  published: string;
  summary: { '#text': string };
}

function parseFeed(body: string): { feed: Record<string, unknown>; entries: AtomEntry[] } {
  const valid = XMLValidator.validate(body);
  assert.equal(valid, true, `well-formed XML: ${JSON.stringify(valid)}`);
  const parsed = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'entry' || name === 'link', textNodeName: '#text', alwaysCreateTextNode: true }).parse(body);
  const feed = parsed.feed as Record<string, unknown>;
  const entries = ((feed.entry ?? []) as (Omit<AtomEntry, 'link' | 'id' | 'updated' | 'published'> & { link: AtomEntry['link'][]; id: { '#text': string }; updated: { '#text': string }; published: { '#text': string } })[])
    .map((entry) => ({ ...entry, id: entry.id['#text'], updated: entry.updated['#text'], published: entry.published['#text'], link: entry.link[0]! }));
  return { feed, entries };
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

describeBothBackends('public feed and counter', (backend) => {
  it('serves a well-formed Atom feed of public changes of published people and public deals', async () => {
    const store = await backend.fresh();
    await seed(store);
    const app = await buildApp({ store });
    const titles: Record<string, string[]> = {};
    for (const lang of LANGS) {
      const response = await app.inject({ url: `/feed.atom?lang=${lang}` });
      assert.equal(response.statusCode, 200);
      assert.equal(response.headers['content-type'], 'application/atom+xml; charset=utf-8');
      assert.deepEqual(leaks(response.body), [], `feed in ${lang} leaks`);
      const { feed, entries } = parseFeed(response.body);
      assert.equal(feed['@_xmlns'], 'http://www.w3.org/2005/Atom');
      assert.equal(feed['@_xml:lang'], lang);
      assert.match(String((feed.updated as { '#text': string })['#text']), RFC3339);
      const self = (feed.link as { '@_rel': string; '@_href': string }[]).find((l) => l['@_rel'] === 'self');
      assert.equal(self?.['@_href'], `https://vigil.example.org/feed.atom?lang=${lang}`);

      const links = entries.map((entry) => entry.link['@_href']).sort();
      assert.deepEqual(links, [
        `https://vigil.example.org/prisoners/exiled?lang=${lang}`,
        `https://vigil.example.org/prisoners/exiled?lang=${lang}`,
        `https://vigil.example.org/prisoners/held?lang=${lang}`,
        `https://vigil.example.org/prisoners/open?lang=${lang}`,
        `https://vigil.example.org/prisoners/open?lang=${lang}`,
        `https://vigil.example.org/prisoners/special?lang=${lang}`,
        `https://vigil.example.org/releases/deal-2025-09?lang=${lang}`,
      ]);
      const dates = entries.map((entry) => entry.updated);
      assert.deepEqual(dates, [...dates].sort().reverse(), 'newest first');
      assert.deepEqual(dates.slice(0, 3), ['2025-09-11T00:00:00Z', '2025-06-21T00:00:00Z', '2024-09-11T00:00:00Z']);
      for (const entry of entries) {
        assert.match(entry.id, /^tag:vigil\.example\.org,2020:/);
        assert.match(entry.updated, RFC3339);
        assert.match(entry.published, RFC3339);
      }
      assert.equal(new Set(entries.map((entry) => entry.id)).size, entries.length, 'entry ids are unique');
      assert.ok(!entries.some((entry) => entry.updated.startsWith('2025-02-02') || entry.updated.startsWith('2025-01-01')), 'no restricted event');
      titles[lang] = entries.map((entry) => entry.title['#text']);
      const deal = entries[0]!;
      assert.match(deal.summary['#text'], /\b0\b.*\b2\b/, 'the deal counts both expulsions (aggregate), released none');
    }
    assert.ok(titles.be!.includes('Лосік Ігар — Прызнанне палітвязнем'), titles.be!.join(' | '));
    assert.ok(titles.ru!.includes('Лосик Игорь — Признание политзаключённым'), titles.ru!.join(' | '));
    assert.ok(titles.en!.includes('Anna "Ania" <O\'Brien> & Co — Recognised as a political prisoner'), titles.en!.join(' | '));
    assert.ok(titles.en!.some((title) => /^Maryia \S+ — Expelled from the country$/.test(title)), titles.en!.join(' | '));
    await app.close();
  });

  it('shows the counter with the number `vigil stats` gives, framable by any site; other pages stay unframable', async () => {
    const store = await backend.fresh();
    await seed(store);
    const app = await buildApp({ store });
    const stats = await runCli(['stats', '--json'], { database: backend.lastLocation.database, env: backend.lastLocation.env });
    assert.equal(stats.code, 0, stats.stderr);
    const expected = (JSON.parse(stats.stdout) as { political_prisoners: number }).political_prisoners;
    assert.equal(expected, 2, 'special and the internal record are held and recognised');
    for (const lang of LANGS) {
      const counter = await app.inject({ url: `/embed/counter?lang=${lang}` });
      assert.equal(counter.statusCode, 200);
      assert.deepEqual(leaks(counter.body), [], `counter in ${lang} leaks`);
      assert.match(counter.body, new RegExp(`<html lang="${lang}">`));
      assert.equal(Number(/<data value="(\d+)">/.exec(counter.body)?.[1]), expected);
      assert.match(counter.body, new RegExp(`href="/\\?lang=${lang}"`), 'links to the site');
      const csp = String(counter.headers['content-security-policy']);
      assert.match(csp, /frame-ancestors \*/);
      assert.doesNotMatch(csp, /script-src/, 'no scripts at all in the framed document');
      assert.equal(counter.headers['x-frame-options'], undefined);

      const embed = await app.inject({ url: `/embed?lang=${lang}` });
      assert.equal(embed.statusCode, 200);
      assert.deepEqual(leaks(embed.body), [], `embed page in ${lang} leaks`);
      assert.ok(embed.body.includes(`<pre class="code"><code>&lt;iframe src=&quot;https://vigil.example.org/embed/counter?lang=${lang}&quot;`), 'the snippet is shown escaped');
      assert.ok(!embed.body.includes('<iframe src="https://'), 'the snippet is not live markup');
      for (const response of [embed, await app.inject({ url: `/feed.atom?lang=${lang}` }), await app.inject({ url: `/?lang=${lang}` })]) {
        assert.match(String(response.headers['content-security-policy']), /frame-ancestors 'none'/);
        assert.ok(response.headers['x-frame-options'], 'X-Frame-Options stays on other pages');
      }
    }
    await app.close();
  });
});
