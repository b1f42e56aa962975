import { it } from 'node:test';
import assert from 'node:assert/strict';
import { sanctionStateOn } from './release-deal.js';

it('tells where a sanction stood on a day', () => {
  const belavia = { imposed_on: '2021-06-04', eased_on: '2025-09-11', lifted_on: null, reimposed_on: null };
  assert.equal(sanctionStateOn(belavia, '2021-06-03'), 'not_imposed');
  assert.equal(sanctionStateOn(belavia, '2021-06-04'), 'imposed');
  assert.equal(sanctionStateOn(belavia, '2025-09-11'), 'eased');
  const reimposed = { imposed_on: '2021-06-04', eased_on: null, lifted_on: '2025-12-13', reimposed_on: '2026-03-01' };
  assert.equal(sanctionStateOn(reimposed, '2026-01-01'), 'lifted');
  assert.equal(sanctionStateOn(reimposed, '2026-03-01'), 'reimposed');
});
