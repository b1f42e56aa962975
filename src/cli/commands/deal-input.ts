/** What the deals commands share: finding a deal, reading input files, checking input with the API's schemas, auditing reads. */
import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { errors, VigilError } from '../../errors.js';
import type { Store } from '../../store/connection.js';
import { appendAudit } from '../../features/audit/audit.service.js';
import { listLines } from '../../features/releases/reconcile.service.js';
import { findDeal, type DealRecord } from '../../features/releases/deal.service.js';
import { actor } from '../context.js';

/** A deal by slug or internal id. */
export async function dealByReference(store: Store, reference: string): Promise<DealRecord> {
  const row = await store.db.selectFrom('release_deal').select('id').where('slug', '=', reference).executeTakeFirst();
  if (row) return findDeal(store, row.id);
  if (/^\d+$/.test(reference)) return findDeal(store, Number(reference));
  throw errors.notFound(`deal ${reference}`);
}

async function readText(file: string): Promise<string> {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(await readFile(file));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new VigilError('file_not_found', `cannot read ${file}: no such file`);
    if (error instanceof TypeError) throw new VigilError('validation_failed', `${file} is not valid UTF-8; save it as UTF-8 and try again`);
    throw error;
  }
}

export async function readList(file: string): Promise<string[]> {
  return listLines(await readText(file));
}

export async function readJson(file: string): Promise<unknown> {
  const text = await readText(file);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw errors.validation(`${file} is not valid JSON: ${(error as Error).message}`);
  }
}

/** The value checked by the schema the API uses, or a validation error naming the first wrong field. */
export function checked<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.length ? issue.path.join('.') : 'input';
  throw errors.validation(`${where}: ${path}: ${issue.message}`);
}

/** A comma-separated option as a list ("LT,UA"); "none" or "" is the empty list. */
export function listOption(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === '' || value.trim() === 'none') return [];
  return value.split(',').map((part) => part.trim()).filter(Boolean);
}

/** The operator sees everything in the store; reading restricted values is still recorded. */
export async function auditCliReads(store: Store, reads: readonly { entity: string; id: number; fields: string[] }[]): Promise<void> {
  const shown = reads.filter((read) => read.fields.length > 0);
  if (shown.length === 0) return;
  await store.db.transaction().execute(async (trx) => {
    for (const read of shown) {
      await appendAudit(trx, { actor: actor(), action: 'read_restricted', entity: read.entity, entityId: read.id, detail: { fields: [...new Set(read.fields)], via: 'cli' } });
    }
  });
}
