import { it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { elderlyBornBy, flagHoldsOn, isElderlyOn } from './casework.js';
import { can, PUBLIC, ROLES, type Viewer } from './policy.js';

const member = (role: (typeof ROLES)[number]): Viewer => ({ kind: 'member', userId: 1, email: 'x@example.org', role, via: 'session' });

it('lets admins, editors and volunteers log letters, and nobody else', () => {
  assert.deepEqual(ROLES.filter((role) => can(member(role), 'log_letters')), ['admin', 'editor', 'volunteer']);
  assert.equal(can(PUBLIC, 'log_letters'), false);
  assert.equal(can(member('volunteer'), 'write'), false, 'logging letters gives no other write');
});

it('counts a person as elderly from 60, and a partial birth date only once 60 whatever the exact day', () => {
  assert.equal(isElderlyOn('1964-03-15', '2024-03-14'), false);
  assert.equal(isElderlyOn('1964-03-15', '2024-03-15'), true);
  assert.equal(isElderlyOn('1964', '2024-06-01'), false, 'born in 1964, perhaps in December');
  assert.equal(isElderlyOn('1964', '2024-12-31'), true);
  assert.equal(isElderlyOn('1964-02', '2024-02-28'), false);
  assert.equal(isElderlyOn('1964-02', '2024-02-29'), true);
  assert.equal(isElderlyOn(null, '2024-01-01'), false);
});

it('bounds every birth date of someone elderly on a day, partial ones too, by elderlyBornBy as text', () => {
  assert.equal(elderlyBornBy('2026-06-15'), '1966-06-15');
  const day = fc.date({ min: new Date('1990-01-01'), max: new Date('2100-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  const born = fc.tuple(fc.integer({ min: 1900, max: 2040 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }), fc.constantFrom(4, 7, 10))
    .map(([y, m, d, length]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`.slice(0, length));
  fc.assert(fc.property(born, day, (birth, on) => !isElderlyOn(birth, on) || birth <= elderlyBornBy(on)), { numRuns: 2000 });
});

it('holds a flag from the day it was noted until the day it was resolved', () => {
  assert.equal(flagHoldsOn({ noted_on: null, resolved_on: null }, '2024-01-01'), true);
  assert.equal(flagHoldsOn({ noted_on: '2024-02', resolved_on: null }, '2024-01-31'), false);
  assert.equal(flagHoldsOn({ noted_on: '2024-02', resolved_on: null }, '2024-02-01'), true);
  assert.equal(flagHoldsOn({ noted_on: '2023', resolved_on: '2024-05-10' }, '2024-05-09'), true);
  assert.equal(flagHoldsOn({ noted_on: '2023', resolved_on: '2024-05-10' }, '2024-05-10'), false);
});
