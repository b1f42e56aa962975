/**
 * Every version of a record, and restoring an earlier one. History is append-only: a restore writes the
 * old content back as a new version through the record's own edit service, so it is version-checked,
 * logged (who, when, before, after, why) and audited like any edit. What a viewer sees of a version
 * passes the same policy as the record itself.
 */
import { isLevel, type Level } from '../../domain/confidentiality.js';
import { can, maySee, type Viewer } from '../../domain/policy.js';
import { errors, VigilError } from '../../errors.js';
import type { Store } from '../../store/connection.js';
import { eventData, eventHistory } from '../../store/event.repository.js';
import { historyOf, type HistoryEntry } from '../../store/history.repository.js';
import { personById, personData, type PersonData, type PersonRecord } from '../../store/person.repository.js';
import { presentPerson, PERSON_FIELDS, type Presented } from '../persons/person.presenter.js';
import { editPerson, type EditContext } from '../persons/person.service.js';
import { updateEvent } from '../events/event.service.js';
import { findRecord, type RecordKind, type Versioned } from '../records/record.service.js';
import { editFacility, facilityKind } from '../facilities/facility.service.js';
import { caseKind, editCase } from '../cases/case.service.js';
import { editSource, sourceKind } from '../sources/source.service.js';
import { editSanction, sanctionKind } from '../releases/sanction.service.js';
import { dealKind, editDeal, type DealData } from '../releases/deal.service.js';
import { canonical } from './snapshot-diff.js';

type Snapshot = Record<string, unknown>;

/** A record as it is now: what its history is compared with and a restore is checked against. */
export interface CurrentRecord {
  entity: string;
  id: number;
  version: number;
  /** Its content as the change log keeps it. */
  content: Snapshot;
  /** Publication consent of the person the record is about (true for records about no one). */
  consent: boolean;
  /** The person the record is about, if any (for links back). */
  personId: number | null;
  /** The person record itself, for person history (redaction needs the whole record). */
  person?: PersonRecord;
}

/** A snapshot as the viewer may see it; `complete` is false when any of its values was withheld. */
export interface ShownSnapshot extends Presented<Snapshot> {
  complete: boolean;
}

interface HistoryKind {
  load(store: Store, id: number): Promise<CurrentRecord>;
  history(store: Store, id: number): Promise<HistoryEntry[]>;
  present(viewer: Viewer, snapshot: unknown, current: CurrentRecord): ShownSnapshot;
  /** Writes `content` (every field of the record, as in the version restored) as the next version. */
  restore(store: Store, current: CurrentRecord, content: Snapshot, context: EditContext): Promise<void>;
}

const HIDDEN: ShownSnapshot = { view: null, restricted: [], complete: false };

/** History snapshots are records too: the viewer sees of them what they may see of the record. */
export function presentPersonSnapshot(viewer: Viewer, snapshot: unknown, current: PersonRecord): ShownSnapshot {
  if (snapshot === null || typeof snapshot !== 'object') return HIDDEN;
  const data = snapshot as PersonData & { merged_into?: number | null };
  const whole = { ...current, ...data, merged_into: data.merged_into ?? null };
  const { view, restricted } = presentPerson(viewer, whole);
  if (!view) return HIDDEN;
  const { id: _id, version: _v, created_at: _c, updated_at: _u, ...content } = view;
  const complete = view.names.length === whole.names.length && PERSON_FIELDS.every((field) => field in view);
  return { view: content as unknown as Snapshot, restricted, complete };
}

/** Records with one level of their own (events, cases, sources, deals): all of a version or nothing. */
function presentLeveledSnapshot(entity: string) {
  return (viewer: Viewer, snapshot: unknown, current: CurrentRecord): ShownSnapshot => {
    if (snapshot === null || typeof snapshot !== 'object') return HIDDEN;
    const raw = (snapshot as { confidentiality?: unknown }).confidentiality;
    // Facilities and sanction measures carry no level: they are public information.
    const level: Level = typeof raw === 'string' && isLevel(raw) ? raw : 'public';
    if (!maySee(viewer, { level, consent: current.consent })) return HIDDEN;
    return { view: snapshot as Snapshot, restricted: level === 'restricted' ? [entity] : [], complete: true };
  };
}

const personKind: HistoryKind = {
  async load(_store, id) {
    const person = await personById(_store.db, id);
    if (!person) throw errors.notFound(`person ${id}`);
    return { entity: 'person', id, version: person.version, content: { ...personData(person), merged_into: person.merged_into }, consent: person.publish, personId: id, person };
  },
  history: (store, id) => historyOf(store.db, 'person', id),
  present: (viewer, snapshot, current) => presentPersonSnapshot(viewer, snapshot, current.person!),
  async restore(store, current, content, context) {
    // Content only: the external id never changes by an edit, and merging is undone by unmerging.
    const { external_id: _id, merged_into: _merged, ...data } = content as unknown as PersonData & { merged_into: unknown };
    await editPerson(store, current.id, current.version, data, context);
  },
};

const eventKind: HistoryKind = {
  async load(store, id) {
    const row = await store.db.selectFrom('event').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw errors.notFound(`event ${id}`);
    const person = await store.db.selectFrom('person').select('publish').where('id', '=', row.person_id).executeTakeFirstOrThrow();
    return { entity: 'event', id, version: row.version, content: eventData(row) as unknown as Snapshot, consent: person.publish === 1, personId: row.person_id };
  },
  history: (store, id) => eventHistory(store.db, id),
  present: presentLeveledSnapshot('event'),
  async restore(store, current, content, context) {
    const data = content as unknown as ReturnType<typeof eventData>;
    const facility = data.facility_id === null ? null
      : (await store.db.selectFrom('facility').select('name').where('id', '=', data.facility_id).executeTakeFirstOrThrow()).name;
    await updateEvent(store, current.id, current.version, {
      type: data.type, date: data.date, facility, articles: data.articles, term_months: data.term_months, regime: data.regime, reason: data.reason,
      country: data.country, organization: data.organization, note: data.note, confidentiality: data.confidentiality,
    }, context);
  },
};

type Edit<Data> = (store: Store, id: number, version: number, content: Data, context: EditContext) => Promise<unknown>;

/** A record kind edited through record.service (its own edit function keeps its checks). */
function versionedRecord<Data, Rec extends Data & Versioned>(kind: RecordKind<any, Data, Rec>, edit: Edit<Data>): HistoryKind {
  return {
    async load(store, id) {
      const record = await findRecord(store.db, kind, id);
      const content = kind.data(record) as Snapshot;
      const personId = typeof content.person_id === 'number' ? content.person_id : null;
      const consent = personId === null ? true
        : (await store.db.selectFrom('person').select('publish').where('id', '=', personId).executeTakeFirstOrThrow()).publish === 1;
      return { entity: kind.entity, id, version: record.version, content, consent, personId };
    },
    history: (store, id) => historyOf(store.db, kind.entity, id),
    present: presentLeveledSnapshot(kind.entity),
    async restore(store, current, content, context) {
      await edit(store, current.id, current.version, content as Data, context);
    },
  };
}

/** A deal names its people by internal id in the log; its edit service takes external ids. */
async function restoreDeal(store: Store, id: number, version: number, content: DealData, context: EditContext): Promise<void> {
  const ids = content.people.map((person) => person.person_id);
  const rows = ids.length > 0 ? await store.db.selectFrom('person').select(['id', 'external_id']).where('id', 'in', ids).execute() : [];
  const external = new Map(rows.map((row) => [row.id, row.external_id]));
  const people = content.people.map(({ person_id, ...rest }) => ({ ...rest, person: external.get(person_id) ?? String(person_id) }));
  await editDeal(store, id, version, { ...content, people }, context);
}

/** The record kinds whose history the workspace shows, by the names the change log uses. */
const KINDS: Record<string, HistoryKind> = {
  person: personKind,
  event: eventKind,
  facility: versionedRecord(facilityKind, editFacility),
  case: versionedRecord(caseKind, (store, id, version, { person_id: _person, ...content }, context) => editCase(store, id, version, content, context)),
  source: versionedRecord(sourceKind, editSource),
  sanction: versionedRecord(sanctionKind, editSanction),
  deal: versionedRecord(dealKind, restoreDeal),
};

export const HISTORY_ENTITIES = Object.keys(KINDS);

function kindOf(entity: string): HistoryKind {
  const kind = Object.hasOwn(KINDS, entity) ? KINDS[entity] : undefined;
  if (!kind) throw errors.notFound(`history of "${entity}" records (known: ${HISTORY_ENTITIES.join(', ')})`);
  return kind;
}

export interface ShownEntry extends Omit<HistoryEntry, 'before' | 'after'> {
  before: ShownSnapshot;
  after: ShownSnapshot;
}

export interface RecordHistory {
  current: CurrentRecord;
  /** The current record as the viewer may see it (null: they may not see it at all). */
  shown: ShownSnapshot;
  /** Oldest first. */
  entries: ShownEntry[];
  /** Restricted values among everything shown, to be written to the audit trail by the caller. */
  restricted: string[];
}

/** Every version of a record, each redacted to what the viewer may see. */
export async function readHistory(store: Store, viewer: Viewer, entity: string, id: number): Promise<RecordHistory> {
  const kind = kindOf(entity);
  const current = await kind.load(store, id);
  const shown = kind.present(viewer, current.content, current);
  if (!shown.view) throw errors.notFound(`${entity} ${id}`);
  const entries = (await kind.history(store, id)).map((entry) => ({
    ...entry, before: kind.present(viewer, entry.before, current), after: kind.present(viewer, entry.after, current),
  }));
  const restricted = [...new Set([...shown.restricted, ...entries.flatMap((entry) => [...entry.before.restricted, ...entry.after.restricted])])];
  return { current, shown, entries, restricted };
}

export interface RestoreRequest {
  entity: string;
  id: number;
  /** The version whose content comes back. */
  version: number;
  /** The version the member saw as current when they asked: a restore over someone's newer edit is refused. */
  expectedVersion: number;
  reason: string;
  ip?: string | null;
}

/** Writes version K's content back as a new version; returns the new version number. */
export async function restoreVersion(store: Store, viewer: Viewer, request: RestoreRequest): Promise<number> {
  if (viewer.kind !== 'member' || !can(viewer, 'write')) {
    throw new VigilError('forbidden', `your role (${viewer.kind === 'member' ? viewer.role : 'public'}) may not restore versions; ask an editor`, 403);
  }
  if (!request.reason.trim()) throw errors.validation('reason: say why the earlier version is right (a source or an explanation)');
  const context: EditContext = { actor: viewer.email, reason: `restored version ${request.version}: ${request.reason.trim()}`, ip: request.ip ?? null };
  const kind = kindOf(request.entity);
  const current = await kind.load(store, request.id);
  if (!kind.present(viewer, current.content, current).view) throw errors.notFound(`${request.entity} ${request.id}`);
  if (current.version !== request.expectedVersion) throw errors.conflict(`${request.entity} ${request.id}`, request.expectedVersion, current.version);
  const entry = (await kind.history(store, request.id)).filter((e) => e.version === request.version && e.after !== null).at(-1);
  if (!entry) throw errors.validation(`version: ${request.entity} ${request.id} has no version ${request.version} to restore`);
  const snapshot = entry.after as Snapshot;
  if (!kind.present(viewer, snapshot, current).complete) {
    throw new VigilError('forbidden', `version ${request.version} holds values your role may not see; an admin can restore it`, 403);
  }
  // The record's fields as they were in version K; a field the record did not have then keeps its value.
  const restored = Object.fromEntries(Object.entries(current.content).map(([key, value]) => [key, key !== 'merged_into' && key in snapshot ? snapshot[key] : value]));
  if (canonical(restored) === canonical(current.content)) {
    throw errors.validation(`version: version ${request.version} has the same content as the current version ${current.version}; nothing to restore`);
  }
  await kind.restore(store, current, restored, context);
  return current.version + 1;
}
