/**
 * Sources: a web page, a citation, or a stored file (its SHA-256 recorded at intake), with date,
 * reliability and confidentiality. Files arrive by upload (source-file.service.ts); a citation of an
 * external file may carry the file's SHA-256.
 */
import { errors } from '../../errors.js';
import type { Store } from '../../store/connection.js';
import { equalTo, type RecordRow } from '../../store/record.repository.js';
import type { EditContext } from '../persons/person.service.js';
import { checkedDate, createRecord, editRecord, findRecord, recordsPage, versionOf, withoutVersion, type RecordKind, type Versioned } from '../records/record.service.js';

export const SOURCE_KINDS = ['url', 'citation', 'file'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export type SourceData = Omit<RecordRow<'source'>, keyof Versioned | 'kind'> & { kind: SourceKind };

export type SourceRecord = SourceData & Versioned;

export const sourceKind: RecordKind<'source', SourceData, SourceRecord> = {
  entity: 'source',
  table: 'source',
  columns: (data) => data,
  record: async (_db, row) => ({
    kind: row.kind as SourceKind, url: row.url, title: row.title, citation: row.citation, sha256: row.sha256, media_type: row.media_type,
    size_bytes: row.size_bytes, published_date: row.published_date, reliability: row.reliability, confidentiality: row.confidentiality, ...versionOf(row),
  }),
  data: withoutVersion,
};

/** What intake recorded about a stored file; no edit may change it (no silent edits of evidence). */
const FIXED_AT_INTAKE = ['kind', 'sha256', 'media_type', 'size_bytes'] as const;

function checkSource(data: SourceData, before: SourceData | null): SourceData {
  // A file source claims the registry holds the file; only an upload can make that true.
  if (data.kind === 'file' && before?.kind !== 'file') throw errors.validation('kind: file sources are added by uploading the file (POST /api/v1/sources/upload or "vigil source add"); cite an external file as kind citation (with its sha256)');
  const sha256 = data.sha256?.toLowerCase() ?? null;
  const changed = before?.kind === 'file' ? FIXED_AT_INTAKE.find((field) => (field === 'sha256' ? sha256 : data[field]) !== before[field]) : undefined;
  if (changed) throw errors.validation(`${changed}: the kind, sha256, media_type and size_bytes of a stored file are recorded at intake and cannot change; upload a new file as a new source`);
  if (data.kind === 'url' && !data.url) throw errors.validation('url: a url source needs its url');
  if (data.kind === 'citation' && !data.citation && !data.title) throw errors.validation('citation: a citation source needs its citation or a title');
  return { ...data, sha256, published_date: checkedDate('published_date', data.published_date) };
}

export async function sourcePage(store: Store, page: { after: number; limit: number }, filter: { kind?: string; reliability?: string; sha256?: string; url?: string }): Promise<SourceRecord[]> {
  return recordsPage(store, sourceKind, page, equalTo({ ...filter, sha256: filter.sha256?.toLowerCase() }));
}

export const findSource = (store: Store, id: number) => findRecord(store.db, sourceKind, id);

export const createSource = (store: Store, data: SourceData, context: EditContext) => createRecord(store, sourceKind, checkSource(data, null), context);

export async function editSource(store: Store, id: number, expectedVersion: number, changes: Partial<SourceData>, context: EditContext): Promise<SourceRecord> {
  return editRecord(store, sourceKind, id, expectedVersion, (before) => checkSource({ ...before, ...changes }, before), context);
}
