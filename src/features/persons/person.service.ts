/** Reading and editing people: every edit is versioned and logged with who, when, before, after and why. */
import { errors, VigilError } from '../../errors.js';
import { appendAudit } from '../audit/audit.service.js';
import type { Store } from '../../store/connection.js';
import { eventsOfPerson, type EventRecord } from '../../store/event.repository.js';
import { historyOf, recordChanges, type HistoryEntry } from '../../store/history.repository.js';
import { insertPersons, personById, personData, personsByExternalId, updatePerson, type PersonData, type PersonRecord } from '../../store/person.repository.js';

export interface PersonDossier {
  person: PersonRecord;
  events: EventRecord[];
}

/** Finds a person by internal id (digits) or external id. */
export async function findPerson(store: Store, reference: string): Promise<PersonRecord> {
  const byExternal = (await personsByExternalId(store.db, [reference])).get(reference);
  const person = byExternal ?? (/^\d+$/.test(reference) ? await personById(store.db, Number(reference)) : undefined);
  if (!person) throw errors.notFound(`person ${reference}`);
  return person;
}

export async function personDossier(store: Store, reference: string): Promise<PersonDossier> {
  const person = await findPerson(store, reference);
  return { person, events: await eventsOfPerson(store.db, person.id) };
}

export async function personHistory(store: Store, reference: string): Promise<HistoryEntry[]> {
  const person = await findPerson(store, reference);
  return historyOf(store.db, 'person', person.id);
}

export interface EditContext {
  actor: string;
  reason: string;
  /** Where the request came from, for the audit trail. */
  ip?: string | null;
}

/**
 * Applies `changes` to the person as it was at `expectedVersion`. If someone saved another version in
 * between, nothing is written and a version_conflict error says so.
 */
export async function editPerson(
  store: Store,
  id: number,
  expectedVersion: number,
  changes: Partial<Omit<PersonData, 'external_id'>>,
  context: EditContext,
): Promise<PersonRecord> {
  if (!context.reason.trim()) throw errors.validation('reason: say why the record changes (a source or an explanation)');
  return store.db.transaction().execute(async (trx) => {
    const current = await personById(trx, id);
    if (!current) throw errors.notFound(`person ${id}`);
    if (current.version !== expectedVersion) throw errors.conflict(`person ${current.external_id}`, expectedVersion, current.version);
    const before = personData(current);
    const after: PersonData = { ...before, ...changes };
    const now = new Date().toISOString();
    const version = await updatePerson(trx, id, expectedVersion, after, now);
    await recordChanges(trx, [{ entity: 'person', entityId: id, version, action: 'update', actor: context.actor, reason: context.reason, before, after }], now);
    await appendAudit(trx, { actor: context.actor, action: 'update', entity: 'person', entityId: id, ip: context.ip ?? null, detail: { version, reason: context.reason } });
    return (await personById(trx, id))!;
  });
}

/** Creates a person; the external id must be new. */
export async function createPerson(store: Store, data: PersonData, context: EditContext): Promise<PersonRecord> {
  if (data.names.length === 0) throw errors.validation('names: a person needs at least one name');
  return store.db.transaction().execute(async (trx) => {
    if ((await personsByExternalId(trx, [data.external_id])).size > 0) {
      throw new VigilError('already_exists', `external_id: a person with external id ${data.external_id} already exists`, 409);
    }
    const now = new Date().toISOString();
    const [id] = await insertPersons(trx, [data], now);
    await recordChanges(trx, [{ entity: 'person', entityId: id!, version: 1, action: 'create', actor: context.actor, reason: context.reason || null, before: null, after: data }], now);
    await appendAudit(trx, { actor: context.actor, action: 'create', entity: 'person', entityId: id!, ip: context.ip ?? null });
    return (await personById(trx, id!))!;
  });
}
