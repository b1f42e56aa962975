/**
 * Life after release through the API and the CLI: field levels (needs and note restricted, the rest
 * internal), versioned edits with history, a record tied to a restricted deal kept from researchers,
 * restricted reads audited, and none of it ever reaching the public site, API or open data.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeBothBackends } from '../../test-support/stores.js';
import { memberWithToken } from '../../test-support/accounts.js';
import { runCli } from '../../test-support/cli.js';
import { buildApp } from '../app.js';
import type { Store } from '../../store/connection.js';
import { auditEntries } from '../../features/audit/audit.service.js';
import { createPerson } from '../../features/persons/person.service.js';
import { createEvent } from '../../features/events/event.service.js';
import { createDeal } from '../../features/releases/deal.service.js';
import { createAfterRelease, editAfterRelease } from '../../features/releases/after-release.service.js';
import { exportRows } from '../../features/export/export.service.js';
import type { NameVariant } from '../../store/person.repository.js';

const ctx = { actor: 'test:editor', reason: 'call with the family' };
const MARK = 'AFTERRELEASEMARKER';

const name = (family: string, given: string): NameVariant => ({ family, given, patronymic: null, full_name: null, lang: 'be', script: 'Cyrl', romanization: null, confidentiality: 'public' });
const base = { birth_date: '1990', gender: 'male', region: 'Minsk', occupation: null, tags: [], biography: {}, field_levels: {} };

async function seed(store: Store) {
  // Published and public: the public site shows this person, so anything leaking would show up there.
  const open = await createPerson(store, { ...base, external_id: 'open', publish: true, confidentiality: 'public', names: [name('Лосік', 'Ігар')] }, ctx);
  await createEvent(store, open.id, { type: 'detained', date: '2020-06-25', confidentiality: 'public' }, ctx);
  const other = await createPerson(store, { ...base, external_id: 'other', publish: true, confidentiality: 'internal', names: [name('Знак', 'Максім')] }, ctx);
  const deal = { date: '2025-09-11', facilitator: 'United States', envoy: null, counterpart: null, destinations: ['LT'], conditions: [], summary: null, people: [], concessions: [] };
  await createDeal(store, { ...deal, slug: 'open-deal', confidentiality: 'public' }, ctx);
  await createDeal(store, { ...deal, slug: 'secret-deal', confidentiality: 'restricted' }, ctx);
  await createEvent(store, open.id, { type: 'expelled', date: '2025-09-11', country: 'LT', reason: 'negotiated', confidentiality: 'public' }, ctx);
  return { open, other };
}

describeBothBackends('life after release', (backend) => {
  it('keeps needs and notes restricted by default, shows the rest to the team, and audits restricted reads', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    await seed(store);
    const editor = await memberWithToken(app, store, 'editor@example.org', 'editor');
    const researcher = await memberWithToken(app, store, 'researcher@example.org', 'researcher');
    const created = await app.inject({
      method: 'POST', url: '/api/v1/after-release', headers: editor,
      payload: { person: 'open', deal: 'open-deal', country: 'LT', reunited_on: '2025-10', needs: ['medical', 'housing'], needs_text: 'needs a cardiologist', passport_withheld: 'yes', note: 'lives with her sister', change_reason: 'call' },
    });
    assert.equal(created.statusCode, 201, created.body);
    const record = created.json();
    assert.deepEqual(record.field_levels, { needs: 'restricted', needs_text: 'restricted', note: 'restricted' });
    assert.equal(record.needs_text, 'needs a cardiologist', 'the editor who wrote it sees it');

    const forResearcher = (await app.inject({ method: 'GET', url: `/api/v1/after-release/${record.id}`, headers: researcher })).json();
    assert.deepEqual([forResearcher.country, forResearcher.reunited_on, forResearcher.passport_withheld], ['LT', '2025-10', 'yes']);
    assert.deepEqual([forResearcher.needs, forResearcher.needs_text, forResearcher.note], [undefined, undefined, undefined]);
    assert.deepEqual(forResearcher.hidden.sort(), ['needs', 'needs_text', 'note']);
    assert.equal((await auditEntries(store.db, { limit: 50, action: 'read_restricted' })).filter((e) => e.entity === 'after_release').length, 0, 'nothing restricted was shown to the researcher');

    const forEditor = (await app.inject({ method: 'GET', url: '/api/v1/after-release?person=open', headers: editor })).json();
    assert.deepEqual(forEditor.items.map((r: { needs: string[] }) => r.needs), [['medical', 'housing']]);
    const reads = (await auditEntries(store.db, { limit: 50, action: 'read_restricted' })).filter((e) => e.entity === 'after_release');
    assert.equal(reads.length, 1);
    assert.deepEqual([reads[0]!.actor, (reads[0]!.detail.fields as string[]).sort()], ['editor@example.org', ['needs', 'needs_text', 'note']]);

    assert.equal((await app.inject({ method: 'GET', url: `/api/v1/after-release/${record.id}` })).statusCode, 401, 'the public gets nothing');
    assert.equal((await app.inject({ method: 'POST', url: '/api/v1/after-release', headers: researcher, payload: { person: 'other' } })).statusCode, 403);
    await app.close();
  });

  it('refuses a public level, bad values and a second record for the same person and deal, writing nothing', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    await seed(store);
    const editor = await memberWithToken(app, store, 'editor@example.org', 'editor');
    const post = (payload: object) => app.inject({ method: 'POST', url: '/api/v1/after-release', headers: editor, payload });
    const refused: [object, RegExp][] = [
      [{ person: 'open', confidentiality: 'public' }, /confidentiality/],
      [{ person: 'open', field_levels: { needs: 'public' } }, /field_levels/],
      [{ person: 'open', country: 'XX' }, /country: "XX" is not an ISO 3166/],
      [{ person: 'open', reunited_on: '2025-13' }, /reunited_on/],
      [{ person: 'open', needs: ['money'] }, /needs/],
      [{ person: 'nobody' }, /no person with external id nobody/],
      [{ person: 'open', deal: 'no-such-deal' }, /no deal with slug no-such-deal/],
    ];
    for (const [payload, message] of refused) {
      const response = await post(payload);
      assert.equal(response.statusCode, 400, `${JSON.stringify(payload)}: ${response.body}`);
      assert.match(response.json().error.message, message);
    }
    assert.equal((await post({ person: 'open' })).statusCode, 201);
    assert.equal((await post({ person: 'open', deal: 'open-deal' })).statusCode, 201, 'a record per deal besides the general one');
    const twice = await post({ person: 'open' });
    assert.equal(twice.statusCode, 409, twice.body);
    assert.equal((await store.db.selectFrom('after_release').select('id').execute()).length, 2);
    await app.close();
  });

  it('edits with a version check, merges field levels, and shows history only as far as the viewer may see', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    await seed(store);
    const editor = await memberWithToken(app, store, 'editor@example.org', 'editor');
    const researcher = await memberWithToken(app, store, 'researcher@example.org', 'researcher');
    const record = await createAfterRelease(store, { person: 'open', deal: null, country: 'LT', reunited_on: null, needs: ['legal'], needs_text: null, passport_withheld: 'unknown', note: null, confidentiality: 'internal', field_levels: {} }, ctx);
    const patch = (payload: object) => app.inject({ method: 'PATCH', url: `/api/v1/after-release/${record.id}`, headers: editor, payload });
    const changed = await patch({ version: 1, change_reason: 'moved to Warsaw', country: 'PL', field_levels: { country: 'restricted' } });
    assert.equal(changed.statusCode, 200, changed.body);
    assert.deepEqual(changed.json().field_levels, { needs: 'restricted', needs_text: 'restricted', note: 'restricted', country: 'restricted' }, 'the defaults stay, the new level is added');
    assert.equal((await patch({ version: 1, change_reason: 'stale', country: 'DE' })).statusCode, 409);
    assert.equal((await patch({ version: 2, country: 'DE' })).statusCode, 400, 'a change needs a reason');

    const history = (await app.inject({ method: 'GET', url: `/api/v1/after-release/${record.id}/history`, headers: researcher })).json().items;
    assert.equal(history.length, 2);
    assert.equal(history[0].after.country, 'LT', 'the first version had the country internal');
    assert.equal(history[1].after.country, undefined, 'the second made it restricted');
    assert.ok(!JSON.stringify(history).includes('"PL"'), 'the restricted country does not reach the researcher');
    assert.equal((await app.inject({ method: 'GET', url: `/api/v1/after-release/${record.id}/history`, headers: editor })).json().items[1].after.country, 'PL');
    await app.close();
  });

  it('keeps a record about a restricted deal, or a restricted record, from roles without clearance', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    await seed(store);
    const researcher = await memberWithToken(app, store, 'researcher@example.org', 'researcher');
    const editor = await memberWithToken(app, store, 'editor@example.org', 'editor');
    const empty = { country: 'LT', reunited_on: null, needs: [], needs_text: null, passport_withheld: 'unknown' as const, note: null, field_levels: {} };
    const secretDeal = await createAfterRelease(store, { ...empty, person: 'open', deal: 'secret-deal', confidentiality: 'internal' }, ctx);
    const secretRecord = await createAfterRelease(store, { ...empty, person: 'other', deal: null, confidentiality: 'restricted' }, ctx);
    for (const id of [secretDeal.id, secretRecord.id]) {
      assert.equal((await app.inject({ method: 'GET', url: `/api/v1/after-release/${id}`, headers: researcher })).statusCode, 404);
      assert.equal((await app.inject({ method: 'GET', url: `/api/v1/after-release/${id}`, headers: editor })).statusCode, 200);
    }
    const list = (await app.inject({ method: 'GET', url: '/api/v1/after-release', headers: researcher })).json();
    assert.deepEqual(list.items, []);
    assert.ok(!(await app.inject({ method: 'GET', url: '/api/v1/after-release?deal=secret-deal', headers: researcher })).body.includes('secret-deal'));
    await app.close();
  });

  it('never lets life after release reach a public page, the public API, open data or a public export', async () => {
    const store = await backend.fresh();
    const app = await buildApp({ store });
    const { open } = await seed(store);
    // Every text a person types carries the marker; the record is as open as it can be made.
    const record = await createAfterRelease(store, {
      person: 'open', deal: 'open-deal', country: 'NZ', reunited_on: '2019-02-03', needs: ['psychological'], needs_text: `${MARK} needs`, passport_withheld: 'yes',
      note: `${MARK} note`, confidentiality: 'internal', field_levels: { needs: 'internal', needs_text: 'internal', note: 'internal' },
    }, ctx);
    await editAfterRelease(store, record.id, 1, { note: `${MARK} note, edited` }, ctx);
    // (Need kinds are not markers: their names are in the OpenAPI document.)
    const leaks = (text: string) => [MARK, 'New Zealand', 'Новая Зеландия', 'Новая Зеландыя', '2019-02-03'].filter((marker) => text.includes(marker));

    const urls = ['/', '/api/v1/stats', '/api/v1/openapi.json', '/api/v1/public/persons', '/api/v1/public/persons?q=Losik', '/opendata/persons.json', '/opendata/persons.csv', '/opendata/events.csv',
      `/api/v1/after-release/${record.id}`, `/api/v1/after-release/${record.id}/history`, '/api/v1/after-release'];
    for (const lang of ['be', 'ru', 'en']) {
      for (const path of ['/', '/prisoners', '/prisoners?status=all', '/prisoners/open', '/releases', '/releases/open-deal', '/regions', '/feed.atom', '/embed', '/opendata']) {
        urls.push(`${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
      }
    }
    let pages = 0;
    for (const url of urls) {
      const response = await app.inject({ method: 'GET', url });
      assert.deepEqual(leaks(response.body), [], `${url} leaks`);
      if (response.statusCode === 200) pages++;
    }
    assert.ok(pages >= 35, `the public pages answered (${pages})`);
    assert.match((await app.inject({ method: 'GET', url: '/prisoners/open?lang=en' })).body, /Losik|Лосік/, 'the person page itself is there');
    for (const kind of ['persons', 'events'] as const) {
      let text = '';
      for await (const row of exportRows(store, kind, { publicOnly: true })) text += JSON.stringify(row);
      assert.deepEqual(leaks(text), [], `public ${kind} export leaks`);
    }
    // The marker is stored and reachable through the right door: a cleared member's API read.
    const editor = await memberWithToken(app, store, 'editor@example.org', 'editor');
    assert.match((await app.inject({ method: 'GET', url: `/api/v1/after-release/${record.id}`, headers: editor })).body, new RegExp(`${MARK} note, edited`));
    assert.ok(open.id > 0);
    await app.close();
  });

  it('works from the command line: set creates then changes, show and history audit restricted reads', async () => {
    const store = await backend.fresh();
    await seed(store);
    const cli = (args: string[]) => runCli(['deals', 'after', ...args], { database: backend.lastLocation.database });
    const first = await cli(['set', 'open', '--deal', 'open-deal', '--country', 'LT', '--needs', 'medical,housing', '--needs-text', 'a cardiologist', '--passport', 'yes', '--reason', 'call', '--json']);
    assert.equal(first.code, 0, first.stderr);
    const created = JSON.parse(first.stdout);
    assert.deepEqual([created.version, created.country, created.needs, created.field_levels.needs], [1, 'LT', ['medical', 'housing'], 'restricted']);
    const second = await cli(['set', 'open', '--deal', 'open-deal', '--country', 'none', '--reunited', '2025-10', '--reason', 'moved on', '--json']);
    assert.equal(second.code, 0, second.stderr);
    const changed = JSON.parse(second.stdout);
    assert.deepEqual([changed.id, changed.version, changed.country, changed.reunited_on, changed.needs_text], [created.id, 2, null, '2025-10', 'a cardiologist']);

    const refused = await cli(['set', 'open', '--level', 'public', '--reason', 'x']);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /^vigil: .*confidentiality/);
    assert.equal(refused.stderr.trim().split('\n').length, 1, 'one line');
    const noReason = await cli(['set', 'open', '--deal', 'open-deal', '--country', 'PL']);
    assert.notEqual(noReason.code, 0, 'a change needs a reason');

    const shown = await cli(['show', 'open', '--json']);
    assert.equal(shown.code, 0, shown.stderr);
    assert.deepEqual(JSON.parse(shown.stdout).map((r: { deal: string }) => r.deal), ['open-deal']);
    const history = await cli(['history', String(created.id), '--json']);
    assert.deepEqual(JSON.parse(history.stdout).map((h: { version: number }) => h.version), [1, 2]);
    const reads = (await auditEntries(store.db, { limit: 50, action: 'read_restricted' })).filter((e) => e.entity === 'after_release');
    assert.ok(reads.length >= 3 && reads.every((e) => e.actor === 'test:cli' && e.detail.via === 'cli'), JSON.stringify(reads));
    await store.close();
  });
});
