/** `vigil deals create|list|show|people|report|timeline` from the command line. */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeBothBackends } from '../../test-support/stores.js';
import { tempFile } from '../../test-support/files.js';
import { runCli } from '../../test-support/cli.js';
import { importPersons } from '../../features/import/persons.import.js';
import { importEvents } from '../../features/import/events.import.js';
import { createSanction } from '../../features/releases/sanction.service.js';
import { auditEntries } from '../../features/audit/audit.service.js';

const PEOPLE = ['external_id,family_name_ru,given_name_ru,patronymic_ru', 'c1,Лосик,Игорь,Александрович', 'c2,Беляцкий,Алесь,Викторович', 'c3,Знак,Максим,Валерьевич'].join('\n');
const EVENTS = ['person_external_id,type,date', 'c1,detained,2020-06-25', 'c2,detained,2021-07-14', 'c3,detained,2020-09-09'].join('\n');

describeBothBackends('vigil deals', (backend) => {
  it('creates deals from flags and from a JSON file, lists and shows them, and changes who is named', async () => {
    const store = await backend.fresh();
    await importPersons(store, tempFile('p.csv', PEOPLE), { actor: 'test' });
    await importEvents(store, tempFile('e.csv', EVENTS), { actor: 'test' });
    const belavia = await createSanction(store, { issuer: 'US', target: 'Belavia', description: null, imposed_on: '2021-08-09', eased_on: '2025-09-11', lifted_on: null, reimposed_on: null }, { actor: 'test', reason: 'test' });
    const cli = (...args: string[]) => runCli(['deals', ...args], { database: backend.lastLocation.database });

    const flags = await cli('create', '--slug', 'june-2025', '--date', '2025-06-21', '--facilitator', 'United States', '--destinations', 'LT', '--conditions', 'forced_expulsion,passport_withheld', '--reason', 'press release', '--json');
    assert.equal(flags.code, 0, flags.stderr);
    assert.deepEqual(JSON.parse(flags.stdout).conditions, ['forced_expulsion', 'passport_withheld']);
    const file = tempFile('deal.json', JSON.stringify({
      slug: 'sept-2025', date: '2025-09-11', facilitator: 'Poland', envoy: 'John Coale', destinations: ['LT', 'UA'], confidentiality: 'restricted', change_reason: 'statement of 11 September',
      people: [{ person: 'c1', outcome: 'asked_not_released' }, { person: 'c2', outcome: 'refused_expulsion', note: 'taken back to Hlybokaye' }],
      concessions: [{ measure_id: belavia.id, action: 'eased' }],
    }));
    const fromFile = await cli('create', '--file', file, '--facilitator', 'United States', '--json');
    assert.equal(fromFile.code, 0, fromFile.stderr);
    const created = JSON.parse(fromFile.stdout);
    assert.deepEqual([created.facilitator, created.envoy, created.confidentiality], ['United States', 'John Coale', 'restricted'], 'a flag overrides the file');
    assert.deepEqual(created.concessions, [{ measure_id: belavia.id, action: 'eased', issuer: 'US', target: 'Belavia' }]);
    assert.deepEqual(created.people.map((p: { person: string; outcome: string; name: string }) => [p.person, p.outcome, p.name]), [['c1', 'asked_not_released', 'Игорь Лосик'], ['c2', 'refused_expulsion', 'Алесь Беляцкий']]);

    const bad = await cli('create', '--slug', 'Bad Slug', '--date', '2025');
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /^vigil: deal: slug: lower-case words joined by hyphens/);
    const taken = await cli('create', '--slug', 'june-2025', '--date', '2025');
    assert.match(taken.stderr, /a deal with slug june-2025 already exists/);

    const list = await cli('list', '--json');
    assert.deepEqual(JSON.parse(list.stdout).map((d: { slug: string }) => d.slug), ['june-2025', 'sept-2025']);
    const text = await cli('list', '--from', '2025-07');
    assert.match(text.stdout, /^2025-09-11 {2}sept-2025 +United States +2 named {2}restricted\n1 deals\n$/);

    const people = await cli('people', 'sept-2025', '--add', 'c3', '--outcome', 'asked_not_released', '--remove', 'c1', '--reason', 'corrected list', '--json');
    assert.equal(people.code, 0, people.stderr);
    assert.deepEqual(JSON.parse(people.stdout).map((p: { person: string }) => p.person).sort(), ['c2', 'c3']);
    const noReason = await cli('people', 'sept-2025', '--remove', 'c2');
    assert.match(noReason.stderr, /change_reason: say why/);
    const show = JSON.parse((await cli('show', String(created.id), '--json')).stdout);
    assert.deepEqual([show.slug, show.version, show.people.length], ['sept-2025', 2, 2]);
    assert.equal((await cli('show', 'no-such-deal')).stderr, 'vigil: deal no-such-deal was not found\n');

    const report = JSON.parse((await cli('report', '--on', '2025-12-31', '--deal', 'sept-2025', '--json')).stdout);
    assert.deepEqual([report.deal, report.deals[0].asked_for, report.deals[0].refused_expulsion, report.deals[0].still_held.map((p: { external_id: string }) => p.external_id)], ['sept-2025', 2, 1, ['c2', 'c3']]);
    const timeline = JSON.parse((await cli('timeline', '--from', '2025-09-01', '--to', '2025-09-30', '--format', 'json')).stdout);
    assert.deepEqual(timeline.map((m: { date: string; deals: string[] }) => [m.date, m.deals]), [['2025-09-30', ['sept-2025']]]);
    const reads = await auditEntries(store.db, { limit: 100, action: 'read_restricted' });
    assert.ok(reads.some((e) => e.entity === 'deal' && e.entity_id === String(created.id) && e.detail.via === 'cli'), 'reading the restricted deal is audited');
    await store.close();
  });
});
