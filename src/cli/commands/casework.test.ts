/**
 * The casework, letters, officials, violations and report commands, run as a person would: JSON on
 * stdout only with --json, one-line errors, restricted reads and report exports in the audit trail.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { runCli } from '../../test-support/cli.js';
import { describeBothBackends } from '../../test-support/stores.js';
import { createPerson } from '../../features/persons/person.service.js';
import { createEvent } from '../../features/events/event.service.js';
import { auditEntries } from '../../features/audit/audit.service.js';

it('every casework command has --help', async () => {
  for (const command of [['casework'], ['casework', 'add'], ['letters', 'log'], ['officials'], ['violations', 'add'], ['report', 'accountability']]) {
    const result = await runCli([...command, '--help']);
    assert.equal(result.code, 0, `${command.join(' ')} --help`);
    assert.match(result.stdout, /Usage: vigil/);
  }
});

describeBothBackends('vigil casework, letters, officials, violations, report', (backend) => {
  it('opens a case, plans follow-ups, lists reminders, logs letters, records a violation and reports it', async () => {
    const store = await backend.fresh();
    const database = backend.lastLocation.database;
    const ctx = { actor: 'test', reason: 'fixture' };
    const person = await createPerson(store, {
      external_id: 'p1', birth_date: '1975', gender: 'male', region: null, occupation: null, tags: [], biography: {}, field_levels: {}, publish: false, confidentiality: 'internal',
      names: [{ family: 'Лосик', given: 'Игорь', patronymic: null, full_name: null, lang: 'ru', script: 'Cyrl', romanization: null, confidentiality: 'internal' }],
    }, ctx);
    await createEvent(store, person.id, { type: 'detained', date: '2020-06-25', facility: 'SIZO-1 Minsk' }, ctx);
    const cli = (...args: string[]) => runCli(args, { database });
    const ok = async (...args: string[]) => {
      const result = await cli(...args);
      assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
      return result;
    };

    const opened = await cli('casework', 'add', 'p1', '--needs', 'legal,parcels', '--contact', 'name=Ірына;relation=wife;phone=+375 29 111', '--json');
    assert.equal(opened.code, 0, opened.stderr);
    const c = JSON.parse(opened.stdout);
    assert.deepEqual([c.confidentiality, c.needs, c.family_contacts[0]], ['restricted', ['legal', 'parcels'], { name: 'Ірына', relation: 'wife', phone: '+375 29 111', email: null, address: null, note: null }]);
    assert.deepEqual(await cli('casework', 'add', 'p1', '--needs', 'housing'), { code: 1, stdout: '', stderr: 'vigil: --needs: "housing" is not one of legal, medical, financial, parcels, other\n' });
    assert.match((await cli('casework', 'add', 'p1', '--contact', 'relation=wife')).stderr, /^vigil: --contact: "relation=wife" has no name= part\n$/);

    await ok('casework', 'follow-up', String(c.id), '--due', '2025-01-10', '--action', 'visit the lawyer');
    await ok('casework', 'follow-up', String(c.id), '--due', '2025-03-01', '--action', 'send a parcel');
    const reminders = await ok('casework', 'reminders', '--on', '2025-02-01', '--json');
    assert.deepEqual(JSON.parse(reminders.stdout).items.map((f: { action: string; person: string }) => [f.action, f.person]), [['visit the lawyer', 'p1']]);
    const list = await cli('casework', 'list');
    assert.match(list.stdout, new RegExp(`^#${c.id}  p1 +open +legal,parcels  \\(1 contacts, restricted\\)\\n1 assistance case\\(s\\)\\n$`));
    const reads = await auditEntries(store.db, { limit: 20, action: 'read_restricted' });
    assert.ok(reads.some((r) => r.entity === 'assistance_case' && r.actor === 'test:cli' && (r.detail.fields as string[]).includes('family_contacts')), 'the list is an audited read');

    await ok('letters', 'log', 'p1', '--direction', 'sent', '--date', '2025-01-02');
    await ok('letters', 'log', 'p1', '--direction', 'reply', '--date', '2025-02');
    assert.match((await cli('letters', 'log', 'p1', '--direction', 'posted')).stderr, /^vigil: --direction: "posted" is not one of sent, reply\n$/);
    assert.deepEqual(JSON.parse((await cli('letters', 'counts', 'p1', '--json')).stdout), { person: 'p1', sent: 1, replies: 1 });

    const official = JSON.parse((await ok('officials', 'add', 'Начальник Иванов', '--role', 'facility_head', '--facility', 'SIZO-1 Minsk', '--json')).stdout);
    assert.deepEqual([official.institution_kind, official.facility_id !== null], ['facility', true]);
    assert.match((await cli('officials', 'add', 'X', '--role', 'judge', '--facility', 'Nowhere')).stderr, /^vigil: --facility: there is no facility named "Nowhere"/);
    const violation = await cli('violations', 'add', 'p1', '--type', 'incommunicado', '--date', '2020-06', '--end-date', '2020-08', '--facility', 'SIZO-1 Minsk', '--official', String(official.id), '--description', '=1+1 no lawyer for 2 months', '--json');
    assert.equal(violation.code, 0, violation.stderr);
    assert.equal(JSON.parse(violation.stdout).confidentiality, 'restricted');

    const csv = await cli('report', 'accountability', '--by', 'facility', '--format', 'csv', '--rows', 'items');
    assert.equal(csv.code, 0, csv.stderr);
    const rows = parse(csv.stdout, { columns: true }) as Record<string, string>[];
    assert.deepEqual(rows.map((r) => [r.name, r.violation_type, r.description, r.item_officials]), [['SIZO-1 Minsk', 'incommunicado', "'=1+1 no lawyer for 2 months", 'Начальник Иванов (facility_head)']]);
    const json = JSON.parse((await cli('report', 'accountability', '--by', 'official', '--json')).stdout);
    assert.deepEqual(json.groups.map((g: { name: string; counts: { incommunicado: number } }) => [g.name, g.counts.incommunicado]), [['Начальник Иванов', 1]]);
    const doc = await cli('report', 'accountability', '--by', 'official', '--format', 'html');
    assert.match(doc.stdout, /^<!doctype html>/);
    assert.doesNotMatch(doc.stdout, /<script/i);
    assert.deepEqual(await cli('report', 'accountability', '--by', 'judge'), { code: 1, stdout: '', stderr: 'vigil: --by: "judge" is not one of official, court, facility\n' });
    const exported = await auditEntries(store.db, { limit: 10, action: 'export' });
    assert.deepEqual(exported.map((e) => [e.actor, e.detail.format]), [['test:cli', 'html'], ['test:cli', 'json'], ['test:cli', 'csv']]);
  });
});
