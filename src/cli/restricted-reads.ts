/**
 * The CLI's operator sees everything in the store, but reading restricted values is still recorded
 * (DOMAIN.md: each read of a restricted value is written to the audit log), as the API does.
 */
import { appendAudit } from '../features/audit/audit.service.js';
import type { Store } from '../store/connection.js';
import { actor } from './context.js';

export interface CliRead {
  entity: string;
  id: number;
  fields: readonly string[];
}

export async function auditCliReads(store: Store, reads: readonly CliRead[]): Promise<void> {
  const shown = reads.filter((read) => read.fields.length > 0);
  if (shown.length === 0) return;
  await store.db.transaction().execute(async (trx) => {
    for (const read of shown) {
      await appendAudit(trx, { actor: actor(), action: 'read_restricted', entity: read.entity, entityId: read.id, detail: { fields: [...new Set(read.fields)], via: 'cli' } });
    }
  });
}
