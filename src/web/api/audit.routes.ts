/** /api/v1/audit: the audit trail for admins, and its verification. */
import { z } from 'zod';
import type { Store } from '../../store/connection.js';
import { auditEntries, verifyAudit } from '../../features/audit/audit.service.js';
import { appendAudit } from '../../features/audit/audit.service.js';
import { allow } from './guards.js';
import type { App } from './app-types.js';
import { ErrorBody } from './schemas.js';

const errorsOf = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody };

export function auditRoutes(app: App, store: Store): void {
  app.get('/api/v1/audit', {
    schema: {
      tags: ['audit'],
      summary: 'Audit entries, newest first (admins)',
      querystring: z.object({
        limit: z.coerce.number().int().min(1).max(1000).default(100),
        before: z.coerce.number().int().min(1).optional().describe('entries before this sequence number'),
        actor: z.string().max(254).optional(),
        action: z.string().max(50).optional(),
      }),
      response: {
        200: z.object({
          items: z.array(z.object({
            seq: z.number().int(), at: z.string(), actor: z.string(), action: z.string(), entity: z.string().nullable(),
            entity_id: z.string().nullable(), ip: z.string().nullable(), detail: z.record(z.string(), z.unknown()), hash: z.string(),
          })),
        }),
        ...errorsOf,
      },
    },
  }, async (request) => {
    const viewer = allow(request, 'read_audit');
    const { limit, before, actor, action } = request.query;
    const items = await auditEntries(store.db, { limit, ...(before ? { beforeSeq: before } : {}), ...(actor ? { actor } : {}), ...(action ? { action } : {}) });
    // Who read the audit trail is itself worth knowing.
    await store.db.transaction().execute((trx) => appendAudit(trx, { actor: viewer.email, action: 'read_audit', ip: request.ip, detail: { limit, actor: actor ?? null, action: action ?? null } }));
    return { items };
  });

  app.get('/api/v1/audit/verify', {
    schema: {
      tags: ['audit'],
      summary: 'Check the hash chain: intact, or the first broken entry (admins)',
      response: { 200: z.object({ ok: z.boolean(), entries: z.number().int(), first_broken: z.object({ seq: z.number().int(), problem: z.string() }).nullable(), head_hash: z.string().nullable() }), ...errorsOf },
    },
  }, async (request) => {
    allow(request, 'read_audit');
    const result = await verifyAudit(store.db);
    return { ok: result.ok, entries: result.entries, first_broken: result.ok ? null : result.firstBroken, head_hash: result.head?.hash ?? null };
  });
}
