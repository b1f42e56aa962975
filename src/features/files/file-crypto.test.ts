import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import { deriveFileKey } from '../../store/file-key.js';
import { seal, unseal } from './file-crypto.js';

const plain = Buffer.from('Fictional statement: MARKER-7f3a9 was seen at the gate.');
const sha256 = createHash('sha256').update(plain).digest('hex');

describe('sealing stored files', () => {
  it('seals with AES-256-GCM under a fresh nonce and opens to the same bytes', async () => {
    const key = await deriveFileKey('a long random store key');
    const first = seal(plain, sha256, key);
    const second = seal(plain, sha256, key);
    assert.equal(first.encryption, 'aes-256-gcm');
    assert.equal(first.key_id, key.id);
    assert.notEqual(first.nonce, second.nonce);
    assert.ok(!first.content.includes(Buffer.from('MARKER-7f3a9')));
    assert.deepEqual(unseal({ ...first, sha256 }, key), plain);
    assert.deepEqual(unseal({ ...second, sha256 }, key), plain);
  });

  it('keeps the content as it is without a key, and checks its SHA-256 on the way out', async () => {
    const kept = seal(plain, sha256, null);
    assert.equal(kept.encryption, 'none');
    assert.deepEqual(unseal({ ...kept, sha256 }, null), plain);
    const changed = Buffer.from(plain);
    changed[0] = 0x66;
    assert.throws(() => unseal({ ...kept, content: changed, sha256 }, null), { name: 'VigilError', message: /is damaged or was altered \(its bytes no longer have the SHA-256/ });
  });

  it('says which key is missing or wrong, and tells a damaged content apart, never returning other bytes', async () => {
    const key = await deriveFileKey('the right key');
    const other = await deriveFileKey('another key');
    assert.notEqual(key.id, other.id);
    assert.equal(key.id, (await deriveFileKey('the right key')).id, 'the same secret gives the same key');
    const sealed = { ...seal(plain, sha256, key), sha256 };
    assert.throws(() => unseal(sealed, null), (error: Error & { id?: string }) => error.id === 'file_key_missing' && /set VIGIL_DATABASE_KEY/.test(error.message));
    assert.throws(() => unseal(sealed, other), (error: Error & { id?: string }) => error.id === 'file_key_wrong' && error.message.includes(`key id ${key.id}`));
    const flipped = Buffer.from(sealed.content);
    flipped[3]! ^= 1;
    assert.throws(() => unseal({ ...sealed, content: flipped }, key), { message: /fails authentication/ });
    // Sealed content moved to another file's row does not open there.
    const otherSha = createHash('sha256').update('something else').digest('hex');
    assert.throws(() => unseal({ ...sealed, sha256: otherSha }, key), { message: /fails authentication/ });
  });

  it('never shows the key when the key object is printed', async () => {
    const key = await deriveFileKey('secret words');
    const material = key.key.export().toString('hex');
    assert.doesNotMatch(inspect(key, { depth: 5 }), new RegExp(material));
    assert.doesNotMatch(JSON.stringify(key), new RegExp(material));
  });
});
