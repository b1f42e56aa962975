import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { tempFile } from '../../test-support/files.js';
import { decryptingStream, ENCRYPTED_HEADER_BYTES, encryptingStream } from './backup-crypto.js';

const KEY = 'a long passphrase';

async function seal(plain: Buffer): Promise<Buffer> {
  const parts: Buffer[] = [];
  await pipeline(Readable.from([plain]), await encryptingStream(KEY), async (sealed: AsyncIterable<Buffer>) => {
    for await (const part of sealed) parts.push(part);
  });
  return Buffer.concat(parts);
}

async function open(bytes: Buffer, key = KEY): Promise<Buffer> {
  const file = tempFile('backup.enc', bytes);
  const parts: Buffer[] = [];
  await pipeline(createReadStream(file, { start: ENCRYPTED_HEADER_BYTES }), await decryptingStream(file, 'backup.enc', key), async (plain: AsyncIterable<Buffer>) => {
    for await (const part of plain) parts.push(part);
  });
  return Buffer.concat(parts);
}

/** The file cut into its header and its sealed chunks. */
function frames(file: Buffer): { header: Buffer; chunks: Buffer[] } {
  const chunks: Buffer[] = [];
  for (let at = ENCRYPTED_HEADER_BYTES; at < file.length; ) {
    const end = at + 1 + 4 + 12 + file.readUInt32BE(at + 1) + 16;
    chunks.push(file.subarray(at, end));
    at = end;
  }
  return { header: file.subarray(0, ENCRYPTED_HEADER_BYTES), chunks };
}

describe('encrypted backup chunks', () => {
  const plain = randomBytes(200 * 1024);
  let sealed: Buffer;

  it('round-trips data over several chunks, and an empty input', async () => {
    sealed = await seal(plain);
    assert.equal(frames(sealed).chunks.length, 4);
    assert.ok((await open(sealed)).equals(plain));
    assert.equal((await open(await seal(Buffer.alloc(0)))).length, 0);
  });

  it('refuses chunks reordered, dropped, cut off at a chunk boundary, or taken from another file', async () => {
    const { header, chunks } = frames(sealed);
    const [a, b, c, d] = chunks as [Buffer, Buffer, Buffer, Buffer];
    const other = frames(await seal(plain));
    const tampered: [string, Buffer, RegExp][] = [
      ['two chunks swapped', Buffer.concat([header, b, a, c, d]), /chunk 0 fails authentication/],
      ['a middle chunk dropped', Buffer.concat([header, a, c, d]), /chunk 1 fails authentication/],
      ['the last chunk dropped', Buffer.concat([header, a, b, c]), /it ends early: the file is truncated/],
      ['a chunk from another backup', Buffer.concat([header, a, other.chunks[1]!, c, d]), /chunk 1 fails authentication/],
      ['data after the last chunk', Buffer.concat([header, a, b, c, d, d]), /there is data after the last chunk/],
    ];
    for (const [what, bytes, message] of tampered) await assert.rejects(open(bytes), message, what);
    await assert.rejects(open(sealed, 'another passphrase'), /the key is wrong/);
  });
});
