/**
 * Streams sealed chunk by chunk (encrypted backups, uploads waiting to be imported): the data is cut
 * into chunks of at most 64 KiB, each sealed with AES-256-GCM under its own random nonce. Each chunk's
 * associated data binds a context (a file's header, an upload's id), the chunk's index and whether it
 * is the last one, so chunks cannot be reordered, dropped, swapped between files or cut off at a chunk
 * boundary unnoticed.
 *
 *   chunk   last flag (1) | ciphertext length (4, big-endian) | nonce (12) | ciphertext | GCM tag (16)
 */
import { createCipheriv, createDecipheriv, randomBytes, type KeyObject } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

const CHUNK_BYTES = 64 * 1024;
const FRAME_HEAD_BYTES = 1 + 4 + 12;
const TAG_BYTES = 16;

/** An AES-256 key: 32 bytes, or a secret KeyObject of that size. */
export type ChunkKey = Buffer | KeyObject;

function associatedData(context: Buffer, index: number, last: boolean): Buffer {
  const position = Buffer.alloc(9);
  position.writeBigUInt64BE(BigInt(index));
  position[8] = last ? 1 : 0;
  return Buffer.concat([context, position]);
}

/** A stream that writes `lead` (a file header, say) as it is, then its input sealed chunk by chunk. */
export function sealingChunks(key: ChunkKey, context: Buffer, lead: Buffer = Buffer.alloc(0)): Transform {
  let pending: Buffer = Buffer.alloc(0);
  let index = 0;
  const seal = (plain: Buffer, last: boolean): Buffer => {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(associatedData(context, index++, last));
    const sealed = Buffer.concat([cipher.update(plain), cipher.final()]);
    const head = Buffer.alloc(5);
    head[0] = last ? 1 : 0;
    head.writeUInt32BE(sealed.length, 1);
    return Buffer.concat([head, nonce, sealed, cipher.getAuthTag()]);
  };
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      pending = Buffer.concat([pending, chunk]);
      // Keep the tail back: only the flush knows which chunk is the last.
      while (pending.length > CHUNK_BYTES) {
        this.push(seal(pending.subarray(0, CHUNK_BYTES), false));
        pending = pending.subarray(CHUNK_BYTES);
      }
      done();
    },
    flush(done: TransformCallback) {
      this.push(seal(pending, true));
      done();
    },
  });
  if (lead.length > 0) stream.push(lead);
  return stream;
}

/**
 * The stream that turns sealed chunks (sealed under `key` and `context`) back into the plain data.
 * `damaged(what)` makes the error for a chunk that fails authentication, a bad frame, or a cut-off end.
 */
export function openingChunks(key: ChunkKey, context: Buffer, damaged: (what: string) => Error): Transform {
  let pending: Buffer = Buffer.alloc(0);
  let index = 0;
  let ended = false;
  return new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      try {
        while (pending.length > 0) {
          if (ended) throw damaged('there is data after the last chunk');
          if (pending.length < FRAME_HEAD_BYTES) break;
          const last = pending[0] === 1;
          const length = pending.readUInt32BE(1);
          if (pending[0]! > 1 || length > CHUNK_BYTES) throw damaged(`chunk ${index} has an impossible header`);
          const frame = FRAME_HEAD_BYTES + length + TAG_BYTES;
          if (pending.length < frame) break;
          const decipher = createDecipheriv('aes-256-gcm', key, pending.subarray(5, FRAME_HEAD_BYTES), { authTagLength: TAG_BYTES });
          decipher.setAAD(associatedData(context, index, last));
          decipher.setAuthTag(pending.subarray(frame - TAG_BYTES, frame));
          const body = pending.subarray(FRAME_HEAD_BYTES, frame - TAG_BYTES);
          try {
            this.push(Buffer.concat([decipher.update(body), decipher.final()]));
          } catch {
            throw damaged(`chunk ${index} fails authentication`);
          }
          index += 1;
          ended = last;
          pending = pending.subarray(frame);
        }
        done();
      } catch (error) {
        done(error as Error);
      }
    },
    flush(done: TransformCallback) {
      done(ended ? null : damaged('it ends early: the file is truncated'));
    },
  });
}
