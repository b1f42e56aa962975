import { it } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalJson, entryHash, GENESIS_HASH } from './chain.js';

const content = { seq: 1, at: '2025-03-01T10:00:00.000Z', actor: 'a@example.org', action: 'update', entity: 'person', entity_id: '7', ip: null };

it('writes canonical JSON: keys sorted at every level, integer-like keys as text, no spaces', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 'ў' }], c: null }, 10: 'x', 9: 'y' }), '{"10":"x","9":"y","a":{"c":null,"d":[2,{"y":"ў","z":1}]},"b":1}');
  assert.equal(canonicalJson({ gone: undefined, list: [undefined] }), '{"list":[null]}');
});

it('hashes an entry the same whatever order its detail keys were written in, and differently when anything changes', () => {
  const one = entryHash(GENESIS_HASH, { ...content, detail: { field: 'region', from: 'Minsk', to: 'Homiel' } });
  assert.equal(one, entryHash(GENESIS_HASH, { ...content, detail: { to: 'Homiel', from: 'Minsk', field: 'region' } }));
  assert.match(one, /^[0-9a-f]{64}$/);
  assert.notEqual(one, entryHash(GENESIS_HASH, { ...content, detail: { field: 'region', from: 'Minsk', to: 'Brest' } }));
  assert.notEqual(one, entryHash(GENESIS_HASH, { ...content, seq: 2, detail: { field: 'region', from: 'Minsk', to: 'Homiel' } }));
  assert.notEqual(one, entryHash('1'.repeat(64), { ...content, detail: { field: 'region', from: 'Minsk', to: 'Homiel' } }));
});
