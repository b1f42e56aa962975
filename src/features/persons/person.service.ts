/** Reading and editing people: every edit is versioned and logged with who, when, before, after and why. */
import { errors } from '../../errors.js';
import type { Store } from '../../store/connection.js';
import { eventsOfPerson, type EventRecord } from '../../store/event.repository.js';
import { historyOf, recordChanges, type HistoryEntry } from '../../store/history.repository.js';
import { personById, personData, personsByExternalId, updatePerson, type PersonData, type PersonRecord } from '../../store/person.repository.js';

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
    return (await personById(trx, id))!;
  });
}
