import { it } from 'node:test';
import assert from 'node:assert/strict';
import { can, clearance, fieldLevel, maySee, PUBLIC, roleAtMost, ROLES, type Action, type Viewer } from './policy.js';

const member = (role: (typeof ROLES)[number]): Viewer => ({ kind: 'member', userId: 1, email: 'x@example.org', role, via: 'session' });

it('gives each role exactly the actions of the documented matrix', () => {
  const expected: Record<string, Action[]> = {
    admin: ['read', 'write', 'import', 'merge', 'export', 'manage_users', 'manage_own_tokens', 'manage_all_tokens', 'read_audit'],
    editor: ['read', 'write', 'import', 'merge', 'export', 'manage_own_tokens'],
    researcher: ['read', 'export', 'manage_own_tokens'],
    volunteer: ['read', 'propose'],
  };
  const all: Action[] = ['read', 'write', 'propose', 'import', 'merge', 'export', 'manage_users', 'manage_own_tokens', 'manage_all_tokens', 'read_audit'];
  for (const role of ROLES) {
    assert.deepEqual(all.filter((action) => can(member(role), action)), expected[role], role);
  }
  assert.deepEqual(all.filter((action) => can(PUBLIC, action)), []);
});

it('shows the public only public values of people who consented', () => {
  assert.equal(maySee(PUBLIC, { level: 'public', consent: true }), true);
  assert.equal(maySee(PUBLIC, { level: 'public', consent: false }), false);
  assert.equal(maySee(PUBLIC, { level: 'internal', consent: true }), false);
  assert.equal(maySee(member('volunteer'), { level: 'internal', consent: false }), true);
  assert.equal(maySee(member('volunteer'), { level: 'restricted', consent: true }), false);
  assert.equal(maySee(member('researcher'), { level: 'restricted', consent: true }), false);
  assert.equal(maySee(member('editor'), { level: 'restricted', consent: false }), true);
  assert.equal(clearance(member('admin')), 'restricted');
});

it('lets a field be stricter than its record, never looser', () => {
  assert.equal(fieldLevel('public', { birth_date: 'restricted' }, 'birth_date'), 'restricted');
  assert.equal(fieldLevel('internal', { birth_date: 'public' }, 'birth_date'), 'internal');
  assert.equal(fieldLevel('public', {}, 'region'), 'public');
});

it('never lets a token carry more than its owner', () => {
  assert.ok(roleAtMost('researcher', 'editor'));
  assert.ok(!roleAtMost('admin', 'editor'));
});
