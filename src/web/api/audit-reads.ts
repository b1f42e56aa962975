/** Every read of a restricted value is written to the audit trail (DOMAIN.md, "Confidentiality"). */
import type { FastifyRequest } from 'fastify';
import type { Store } from '../../store/connection.js';
import { appendAudit } from '../../features/audit/audit.service.js';

export async function auditRestrictedRead(store: Store, request: FastifyRequest, entity: string, reads: { id: number; fields: string[] }[]): Promise<void> {
  const shown = reads.filter((read) => read.fields.length > 0);
  if (shown.length === 0 || request.auth.viewer.kind !== 'member') return;
  const actor = request.auth.viewer.email;
  await store.db.transaction().execute(async (trx) => {
    for (const read of shown) {
      await appendAudit(trx, { actor, action: 'read_restricted', entity, entityId: read.id, ip: request.ip, detail: { fields: [...new Set(read.fields)], path: request.routeOptions.url ?? null } });
    }
  });
}
