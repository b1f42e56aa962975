/** What a viewer sees of an event's sources: each source's own level counts, not only the event's. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PUBLIC, type Viewer } from '../../domain/policy.js';
import type { EventRecord } from '../../store/event.repository.js';
import { presentEvent } from './event.presenter.js';

const member = (role: 'admin' | 'editor' | 'researcher' | 'volunteer'): Viewer => ({ kind: 'member', userId: 1, email: `${role}@example.org`, role, via: 'session' });

const event: EventRecord = {
  id: 7, person_id: 1, type: 'detained', date: '2021-05', facility_id: null, facility: null, articles: [], term_months: null, regime: null, reason: null, country: null,
  organization: null, note: 'internal working note', case_id: null, deal_id: null, confidentiality: 'public', version: 1, created_at: '2021-06-01', updated_at: '2021-06-01',
  sources: [
    { id: 1, url: 'https://example.org/public-report', title: 'public report', confidentiality: 'public' },
    { id: 2, url: 'https://example.org/team-notes', title: 'team notes', confidentiality: 'internal' },
    { id: 3, url: 'https://example.org/witness', title: 'witness statement', confidentiality: 'restricted' },
  ],
};

const titles = (viewer: Viewer) => presentEvent(viewer, event, true).view?.sources.map((s) => s.title);

test('a cited source is shown only to viewers cleared for its own level', () => {
  assert.deepEqual(titles(PUBLIC), ['public report']);
  assert.deepEqual(titles(member('volunteer')), ['public report', 'team notes']);
  assert.deepEqual(titles(member('researcher')), ['public report', 'team notes']);
  assert.deepEqual(titles(member('editor')), ['public report', 'team notes', 'witness statement']);
});

test('showing a restricted source counts as a restricted read (for the audit trail)', () => {
  assert.deepEqual(presentEvent(member('editor'), event, true).restricted, ['source']);
  assert.deepEqual(presentEvent(member('researcher'), event, true).restricted, []);
});

test('without consent the public sees nothing of the event, sources included', () => {
  assert.equal(presentEvent(PUBLIC, event, false).view, null);
});
