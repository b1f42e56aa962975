/** The demo's casework: present, labelled fictional everywhere, and shown by the public counts and the reports. */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeBothBackends } from '../../test-support/stores.js';
import { OPERATOR } from '../../domain/policy.js';
import { buildApp } from '../../web/app.js';
import { accountabilityReport } from '../accountability/accountability.service.js';
import { loadDemo } from './demo.service.js';

describeBothBackends('demo casework', (backend) => {
  it('adds fictional letters, flags, officials, violations and cases that say they are fictional', async () => {
    const store = await backend.fresh();
    await loadDemo(store, () => {}, { today: '2026-11-25' });
    const all = async (table: 'letter' | 'health_flag' | 'official' | 'violation' | 'assistance_case') => store.db.selectFrom(table).selectAll().execute();
    assert.ok((await all('letter')).length >= 40);
    assert.ok((await all('health_flag')).every((flag) => /FICTIONAL/.test(flag.detail ?? '')));
    const officials = await all('official');
    assert.ok(officials.length >= 2 && officials.every((o) => /^Fictional .*\(demo\)$/.test(o.name)), JSON.stringify(officials.map((o) => o.name)));
    const violations = await all('violation');
    assert.ok(violations.length > 0 && violations.every((v) => /FICTIONAL/.test(v.description ?? '')));
    const cases = await all('assistance_case');
    assert.ok(cases.length > 0 && cases.every((c) => c.confidentiality === 'restricted' && /FICTIONAL/.test(c.summary ?? '') && /demo/.test(c.family_contacts)));

    const { report } = await accountabilityReport(store, OPERATOR, { by: 'facility' });
    assert.ok(report.scope.demo, 'the report knows the store holds the demo');
    assert.ok(report.groups.some((group) => group.counts.violations > 0));
    const app = await buildApp({ store });
    assert.match((await app.inject({ url: '/?lang=en' })).body, /<section aria-labelledby="risk">/);
    await app.close();
  });
});
