/**
 * The review queue: members who may only propose (volunteers) send changes here instead of writing the
 * registry. A proposal lives in its own table, so nothing of it reaches the registry, search, the public
 * site or the API until an editor or admin approves it. Approval applies it through the normal person
 * service in the approver's name, with a reason naming the volunteer, so the history says who proposed
 * and who accepted. A proposal made against a version that has since changed is not applied blindly:
 * the edit service refuses it as a conflict and the editor decides. Proposing, approving and rejecting
 * are audited.
 */
import { keepUnseen } from '../persons/unseen.js';
import { can, isRole, type Role, type Viewer } from '../../domain/policy.js';
import { errors, VigilError } from '../../errors.js';
import type { Store } from '../../store/connection.js';
import type { Executor } from '../../store/history.repository.js';
import { personById, personsByExternalId, type PersonData, type PersonRecord } from '../../store/person.repository.js';
import type { ProposalTable } from '../../store/schema-review.js';
import type { Selectable } from 'kysely';
import { appendAudit } from '../audit/audit.service.js';
import { createPerson, editPerson } from '../persons/person.service.js';

export type ProposalStatus = 'pending' | 'approved' | 'rejected';

export interface Proposal {
  id: number;
  entity: 'person';
  /** The person changed; null when the proposal adds a new person. */
  entityId: number | null;
  data: PersonData;
  baseVersion: number | null;
  reason: string;
  proposedBy: string;
  proposedRole: Role;
  proposedAt: string;
  status: ProposalStatus;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionReason: string | null;
  resultId: number | null;
}

type Member = Extract<Viewer, { kind: 'member' }>;

function toProposal(row: Selectable<ProposalTable>): Proposal {
  return {
    id: row.id, entity: 'person', entityId: row.entity_id, data: JSON.parse(row.data) as PersonData, baseVersion: row.base_version, reason: row.reason,
    proposedBy: row.proposed_by, proposedRole: isRole(row.proposed_role) ? row.proposed_role : 'volunteer', proposedAt: row.proposed_at,
    status: row.status as ProposalStatus, decidedBy: row.decided_by, decidedAt: row.decided_at, decisionReason: row.decision_reason, resultId: row.result_id,
  };
}

function forbidden(viewer: Member, what: string): VigilError {
  return new VigilError('forbidden', `your role (${viewer.role}) may not ${what}`, 403);
}

export interface PersonProposal {
  /** The person as the proposer saw it; null for a new person. */
  person: PersonRecord | null;
  /** The content proposed (for an edit: with only the names the proposer could see). */
  data: PersonData;
  /** The version the proposer edited (ignored for a new person). */
  baseVersion: number | null;
  reason: string;
  ip?: string | null;
}

/** Stores a proposed new person or change to a person; the registry is not touched. */
export async function proposePerson(store: Store, proposer: Member, proposal: PersonProposal): Promise<Proposal> {
  if (!can(proposer, 'propose')) throw forbidden(proposer, 'propose changes');
  if (!proposal.reason.trim()) throw errors.validation('reason: say why the record changes (a source or an explanation)');
  if (proposal.data.names.length === 0) throw errors.validation('names: a person needs at least one name');
  const { person } = proposal;
  if (person) {
    const current = await personById(store.db, person.id);
    if (!current) throw errors.notFound(`person ${person.id}`);
    if (current.version !== proposal.baseVersion) throw errors.conflict(`person ${current.external_id}`, proposal.baseVersion ?? 0, current.version);
  } else if ((await personsByExternalId(store.db, [proposal.data.external_id])).size > 0) {
    throw new VigilError('already_exists', `external_id: a person with external id ${proposal.data.external_id} already exists`, 409);
  }
  const now = new Date().toISOString();
  return store.db.transaction().execute(async (trx) => {
    const row = await trx.insertInto('proposal').values({
      entity: 'person', entity_id: person?.id ?? null, data: JSON.stringify(proposal.data), base_version: person ? proposal.baseVersion : null,
      reason: proposal.reason.trim(), proposed_by: proposer.email, proposed_role: proposer.role, proposed_at: now, status: 'pending',
      decided_by: null, decided_at: null, decision_reason: null, result_id: null,
    }).returningAll().executeTakeFirstOrThrow();
    await appendAudit(trx, {
      actor: proposer.email, action: 'propose', entity: 'proposal', entityId: row.id, ip: proposal.ip ?? null,
      detail: { entity: 'person', entity_id: person?.id ?? null, external_id: proposal.data.external_id, reason: row.reason },
    });
    return toProposal(row);
  });
}

export async function findProposal(db: Executor, id: number): Promise<Proposal> {
  const row = await db.selectFrom('proposal').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw errors.notFound(`proposal ${id}`);
  return toProposal(row);
}

/** Pending proposals, oldest first (each waits its turn); `by` narrows to one proposer's own. */
export async function pendingProposals(store: Store, options: { limit: number; after?: number; by?: string }): Promise<Proposal[]> {
  let query = store.db.selectFrom('proposal').selectAll().where('status', '=', 'pending').where('id', '>', options.after ?? 0).orderBy('id').limit(options.limit);
  if (options.by) query = query.where('proposed_by', '=', options.by);
  return (await query.execute()).map(toProposal);
}

/** A proposer's decided proposals, newest first, so they learn what became of them. */
export async function decidedProposals(store: Store, by: string, limit: number): Promise<Proposal[]> {
  const rows = await store.db.selectFrom('proposal').selectAll().where('proposed_by', '=', by).where('status', '!=', 'pending').orderBy('decided_at', 'desc').limit(limit).execute();
  return rows.map(toProposal);
}

export async function countPending(store: Store, by?: string): Promise<number> {
  let query = store.db.selectFrom('proposal').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'pending');
  if (by) query = query.where('proposed_by', '=', by);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

/**
 * What an edit proposal makes of the person: the proposed content, except what the proposer could not
 * see, which stays as it is — names above their clearance, fields whose level hides them, and the field
 * levels (the form has no control for them).
 */
export function applyProposal(proposer: Viewer, current: PersonRecord, proposed: PersonData): Omit<PersonData, 'external_id'> {
  return keepUnseen(proposer, current, proposed);
}

export function proposerOf(proposal: Proposal): Viewer {
  return { kind: 'member', userId: 0, email: proposal.proposedBy, role: proposal.proposedRole, via: 'session' };
}

async function pending(store: Store, id: number): Promise<Proposal> {
  const proposal = await findProposal(store.db, id);
  if (proposal.status !== 'pending') throw errors.validation(`proposal ${id} was already ${proposal.status} by ${proposal.decidedBy ?? 'someone'}`);
  return proposal;
}

/**
 * Applies a proposal in the approver's name. A proposal made against an older version of the person
 * fails with version_conflict and stays pending: the editor compares and rejects, or edits by hand.
 */
export async function approveProposal(store: Store, approver: Member, id: number, note: string, ip: string | null = null): Promise<Proposal> {
  if (!can(approver, 'write')) throw forbidden(approver, 'approve proposals');
  const proposal = await pending(store, id);
  const context = { actor: approver.email, reason: `proposed by ${proposal.proposedBy}: ${proposal.reason}`, ip };
  let resultId: number;
  if (proposal.entityId === null) {
    resultId = (await createPerson(store, proposal.data, context)).id;
  } else {
    const current = await personById(store.db, proposal.entityId);
    if (!current) throw errors.notFound(`person ${proposal.entityId}`);
    await editPerson(store, current.id, proposal.baseVersion ?? 0, applyProposal(proposerOf(proposal), current, proposal.data), context);
    resultId = current.id;
  }
  // The registry change and this decision are two transactions (the person service opens its own). The
  // decision is written whatever happened to the proposal meanwhile: it must say what the registry now holds.
  return store.db.transaction().execute(async (trx) => {
    const now = new Date().toISOString();
    await trx.updateTable('proposal').set({ status: 'approved', decided_by: approver.email, decided_at: now, decision_reason: note.trim() || null, result_id: resultId }).where('id', '=', id).execute();
    await appendAudit(trx, { actor: approver.email, action: 'approve', entity: 'proposal', entityId: id, ip, detail: { entity: 'person', entity_id: resultId, proposed_by: proposal.proposedBy, note: note.trim() } });
    return findProposal(trx, id);
  });
}

/** Declines a proposal; nothing in the registry changes. */
export async function rejectProposal(store: Store, approver: Member, id: number, reason: string, ip: string | null = null): Promise<Proposal> {
  if (!can(approver, 'write')) throw forbidden(approver, 'reject proposals');
  if (!reason.trim()) throw errors.validation('reason: say why the proposal is rejected, so the volunteer can learn from it');
  const proposal = await pending(store, id);
  return store.db.transaction().execute(async (trx) => {
    const now = new Date().toISOString();
    const result = await trx.updateTable('proposal').set({ status: 'rejected', decided_by: approver.email, decided_at: now, decision_reason: reason.trim() })
      .where('id', '=', id).where('status', '=', 'pending').executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) throw errors.validation(`proposal ${id} was decided by someone else meanwhile`);
    await appendAudit(trx, { actor: approver.email, action: 'reject', entity: 'proposal', entityId: id, ip, detail: { entity: proposal.entity, entity_id: proposal.entityId, proposed_by: proposal.proposedBy, reason: reason.trim() } });
    return findProposal(trx, id);
  });
}
