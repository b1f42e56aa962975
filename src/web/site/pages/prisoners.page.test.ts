/**
 * The list of political prisoners and the person pages, end to end over HTTP on both backends:
 * filters, search by other spellings, what a person page shows, what it must never show, and that a
 * change in the data shows on the next request.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { describeBothBackends } from '../../../test-support/stores.js';
import { buildApp } from '../../app.js';
import type { Store } from '../../../store/connection.js';
import type { Level } from '../../../domain/confidentiality.js';
import { createPerson } from '../../../features/persons/person.service.js';
import { createEvent } from '../../../features/events/event.service.js';
import { mergePeople } from '../../../features/duplicates/duplicates.service.js';
import type { NameVariant } from '../../../store/person.repository.js';

const MARK = 'RESTRICTEDMARKER';
const NOCONSENT = 'NOCONSENTMARKER';
const ctx = { actor: 'test:editor', reason: 'test data' };
const TODAY = new Date().toISOString().slice(0, 10);

const be = (family: string, given: string, confidentiality: Level = 'public'): NameVariant => ({
  family, given, patronymic: null, full_name: null, lang: 'be', script: 'Cyrl', romanization: null, confidentiality,
});
const ru = (family: string, given: string, patronymic: string): NameVariant => ({
  family, given, patronymic, full_name: null, lang: 'ru', script: 'Cyrl', romanization: null, confidentiality: 'public',
});

/** Events are internal unless said otherwise; these are public unless the test says so. */
const event = (store: Store, personId: number, input: Parameters<typeof createEvent>[2]) => createEvent(store, personId, { confidentiality: 'public', ...input }, ctx);

async function seed(store: Store) {
  const base = { birth_date: '1990', gender: 'male', region: 'Minsk city', occupation: null, tags: [], biography: {}, field_levels: {}, confidentiality: 'public' as const };
  const losik = await createPerson(store, {
    ...base, external_id: 'losik', publish: true, names: [be('Лосік', 'Ігар'), ru('Лосик', 'Игорь', 'Александрович'), be(`${MARK}alias`, 'Secret', 'restricted')],
    occupation: `${MARK}-occupation`, field_levels: { occupation: 'restricted' }, biography: { en: 'Blogger.' },
  }, ctx);
  await event(store, losik.id, { type: 'detained', date: '2020-06-25', facility: 'SIZO-1 Minsk', source_urls: ['https://example.org/losik-detained'] });
  await event(store, losik.id, { type: 'recognized', date: '2020-07-01', organization: 'Viasna' });
  await event(store, losik.id, { type: 'sentenced', date: '2021-12-14', articles: ['342', '130'], term_months: 180, regime: 'general' });
  await event(store, losik.id, { type: 'transferred', date: '2022-03-01', facility: 'Penal colony 1' });
  // A later move the public may not know about: the page must keep showing the public place, not this one.
  await event(store, losik.id, { type: 'transferred', date: '2023-01-10', facility: `${MARK} prison`, note: `${MARK}-note`, confidentiality: 'restricted' });

  const kalesnikava = await createPerson(store, { ...base, external_id: 'kalesnikava', gender: 'female', region: 'Gomel region', publish: true, names: [be('Калеснікава', 'Марыя')] }, ctx);
  await event(store, kalesnikava.id, { type: 'detained', date: '2020-09-07', facility: 'SIZO-1 Minsk' });
  await event(store, kalesnikava.id, { type: 'recognized', date: '2020-09-10' });
  await event(store, kalesnikava.id, { type: 'charged', date: '2020-09-16', articles: ['361'] });
  await event(store, kalesnikava.id, { type: 'expelled', date: '2025-09-11', country: 'LT' });

  const hidden = await createPerson(store, { ...base, external_id: 'hidden', publish: false, names: [be(`${NOCONSENT}`, 'Тайны')] }, ctx);
  await event(store, hidden.id, { type: 'detained', date: '2021-01-01' });
  await event(store, hidden.id, { type: 'recognized', date: '2021-01-02' });

  // A duplicate record merged into Losik: its page is gone, its spelling still finds him.
  const dup = await createPerson(store, { ...base, external_id: 'losik-dup', publish: true, names: [ru('Лосикк', 'Игорь', 'Александрович')] }, ctx);
  await mergePeople(store, 'losik', 'losik-dup', ctx);
  await store.db.updateTable('facility').set({ address: '220030, г. Минск, ул. Володарского, 2' }).where('name', '=', 'Penal colony 1').execute();
  return { losik, kalesnikava, hidden, dup };
}

async function get(app: Awaited<ReturnType<typeof buildApp>>, url: string) {
  const response = await app.inject({ method: 'GET', url });
  return { status: response.statusCode, body: response.body, headers: response.headers };
}

describeBothBackends('public list and person pages', (backend) => {
  it('lists who is held by default, others by status, never the unconsented; filters narrow the list', async () => {
    const store = await backend.fresh();
    await seed(store);
    const app = await buildApp({ store });
    const held = await get(app, '/prisoners?lang=en');
    assert.equal(held.status, 200);
    assert.match(held.headers['content-type'] as string, /text\/html/);
    assert.ok(held.body.includes('Ihar Losik') || held.body.includes('Losik'), 'Losik (held) is listed');
    assert.ok(!held.body.includes('Kalesnikava'), 'an expelled person is not among those held');
    const expelled = await get(app, '/prisoners?lang=be&status=expelled');
    assert.ok(expelled.body.includes('Калеснікава Марыя'));
    assert.ok(!expelled.body.includes('Лосік'));
    const everyone = await get(app, '/prisoners?lang=be&status=all');
    assert.ok(everyone.body.includes('Калеснікава') && everyone.body.includes('Лосік'));
    for (const body of [held.body, expelled.body, everyone.body]) {
      assert.ok(!body.includes(NOCONSENT) && !body.includes(MARK));
    }
    // Filters: region, article, gender, facility.
    assert.ok((await get(app, '/prisoners?lang=be&status=all&region=Gomel%20region')).body.includes('Калеснікава'));
    assert.ok(!(await get(app, '/prisoners?lang=be&status=all&region=Gomel%20region')).body.includes('Лосік'));
    assert.ok((await get(app, '/prisoners?lang=be&status=all&article=342')).body.includes('Лосік'));
    assert.ok(!(await get(app, '/prisoners?lang=be&status=all&article=342')).body.includes('Калеснікава'));
    assert.ok(!(await get(app, '/prisoners?lang=be&status=all&gender=female')).body.includes('Лосік'));
    const colony = (await store.db.selectFrom('facility').select('id').where('name', '=', 'Penal colony 1').executeTakeFirstOrThrow()).id;
    const byPlace = await get(app, `/prisoners?lang=ru&facility=${colony}`);
    assert.ok(byPlace.body.includes('Лосик Игорь Александрович'), 'the Russian page shows the Russian form');
    assert.ok(byPlace.body.includes('Penal colony 1'));
  });

  it('finds people by other spellings and scripts, and never finds the unconsented', async () => {
    const store = await backend.fresh();
    await seed(store);
    const app = await buildApp({ store });
    for (const q of ['Ihar Losik', 'Лосик Игорь', 'Losik', 'Лосикк']) {
      const page = await get(app, `/prisoners?lang=en&q=${encodeURIComponent(q)}`);
      assert.ok(page.body.includes('/prisoners/losik?'), `"${q}" finds Losik`);
      assert.ok(!page.body.includes('losik-dup'), 'the merged record has no entry of its own');
    }
    assert.ok((await get(app, `/prisoners?lang=en&q=${encodeURIComponent('Maria Kolesnikova')}`)).body.includes('/prisoners/kalesnikava?'));
    const secret = await get(app, `/prisoners?lang=en&q=${NOCONSENT}`);
    assert.ok(!secret.body.includes('/prisoners/hidden'));
    const restrictedAlias = await get(app, `/prisoners?lang=en&q=${MARK}alias`);
    assert.ok(!restrictedAlias.body.includes('/prisoners/losik?'), 'a restricted spelling does not find the person publicly');
  });

  it('shows a person page with charges, sentence, place, letter address and public timeline only', async () => {
    const store = await backend.fresh();
    await seed(store);
    const app = await buildApp({ store });
    const page = await get(app, '/prisoners/losik?lang=en');
    assert.equal(page.status, 200);
    assert.ok(page.body.includes('Art. 130, 342 of the Criminal Code'));
    assert.ok(page.body.includes('15 years, general regime colony'));
    assert.ok(page.body.includes('Penal colony 1'), 'held at the last public place');
    assert.ok(page.body.includes('220030, г. Минск, ул. Володарского, 2'), 'postal address for letters');
    assert.ok(page.body.includes('Лосик Игорь Александрович 1990'), 'letters are addressed in Russian court form with the birth year');
    assert.ok(page.body.includes('https://example.org/losik-detained'), 'sources are linked');
    assert.ok(page.body.includes('Blogger.'));
    assert.ok(!page.body.includes(MARK), 'no restricted name, field, event, place or note');
    const be = await get(app, '/prisoners/losik?lang=be');
    assert.ok(be.body.includes('15 гадоў'), 'Belarusian plural for 15 years');
    const ru = await get(app, '/prisoners/losik?lang=ru');
    assert.ok(ru.body.includes('15 лет'));
    assert.equal((await get(app, '/prisoners/hidden?lang=en')).status, 404);
    assert.ok(!(await get(app, '/prisoners/hidden?lang=en')).body.includes(NOCONSENT));
    assert.equal((await get(app, '/prisoners/losik-dup?lang=en')).status, 404);
    const expelled = await get(app, '/prisoners/kalesnikava?lang=ru');
    assert.ok(expelled.body.includes('Литва'), 'expelled to Lithuania, in Russian');
    assert.ok(!expelled.body.includes('Написать письмо'), 'no letter address for someone no longer held');
  });

  it('shows a change on the next request', async () => {
    const store = await backend.fresh();
    const { losik } = await seed(store);
    const app = await buildApp({ store });
    assert.ok((await get(app, '/prisoners?lang=be')).body.includes('Лосік'));
    await event(store, losik.id, { type: 'released', date: TODAY, reason: 'pardon' });
    assert.ok(!(await get(app, '/prisoners?lang=be')).body.includes('Лосік'), 'released people leave the list of those held');
    assert.ok((await get(app, '/prisoners?lang=be&status=released')).body.includes('Лосік'));
  });

  it('answers a bad filter with a page naming it, and stays small when compressed', async () => {
    const store = await backend.fresh();
    await seed(store);
    const app = await buildApp({ store });
    const bad = await get(app, '/prisoners?lang=en&page=abc');
    assert.equal(bad.status, 400);
    assert.match(bad.body, /page/);
    assert.ok(!bad.body.includes('at Object'), 'no stack trace');
    const wrongStatus = await get(app, '/prisoners?lang=en&status=free');
    assert.equal(wrongStatus.status, 400);
    assert.match(wrongStatus.body, /status/);
    const zipped = await app.inject({ method: 'GET', url: '/prisoners?lang=en&status=all', headers: { 'accept-encoding': 'gzip' } });
    assert.equal(zipped.headers['content-encoding'], 'gzip');
    assert.ok(gunzipSync(zipped.rawPayload).toString('utf8').includes('Losik'));
    const again = await app.inject({ method: 'GET', url: '/prisoners?lang=en&status=all', headers: { 'if-none-match': zipped.headers.etag as string } });
    assert.equal(again.statusCode, 304);
  });
});
