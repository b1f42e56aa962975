/**
 * Sources that are stored files: intake (the file is read up to the size limit, typed by its content,
 * hashed, stored once by content and sealed when the store has a key; a source of kind "file" is
 * created with its SHA-256, type and size, and the chain of custody is written to the audit trail,
 * all in one transaction) and handing the bytes back to those allowed to see the source.
 *
 * The web API, the workspace's upload form and `vigil source add` all call `storeSourceFile`; a
 * multipart handler passes the file part's stream (busboy limit `uploadLimitBytes() + 1`, so that the
 * reader here sees the excess and refuses it) or a buffer.
 */
import { isLevel, LEVELS, type Level } from '../../domain/confidentiality.js';
import { maySee, type Viewer } from '../../domain/policy.js';
import { errors, VigilError } from '../../errors.js';
import type { Store } from '../../store/connection.js';
import type { StoredFileInfo } from '../../store/stored-file.repository.js';
import { AUDIT_ACTIONS } from '../audit/actions.js';
import { appendAudit } from '../audit/audit.service.js';
import { examineFile, readFile, storeFile, uploadLimitBytes } from '../files/file-store.service.js';
import { extensionOf } from '../files/file-type.js';
import type { EditContext } from '../persons/person.service.js';
import { checkedDate, insertNewRecord } from '../records/record.service.js';
import { findSource, sourceKind, sourcePage, type SourceData, type SourceRecord } from './source.service.js';

export interface SourceFileInput {
  /** The file: its bytes, or a stream read up to the size limit. */
  content: Buffer | AsyncIterable<Uint8Array | string>;
  /** The name the file came with: only a label (the title when none is given), never a path or a type. */
  fileName?: string | null;
  title?: string | null;
  published_date?: string | null;
  reliability?: string | null;
  confidentiality?: Level;
}

/** Who stores the file, why, and as whom the answer is shown (the other sources it names). */
export interface FileIntakeContext extends EditContext {
  viewer: Viewer;
}

export interface StoredSourceFile {
  source: SourceRecord;
  file: StoredFileInfo;
  /** The same bytes were already held: they were not stored again. */
  alreadyHeld: boolean;
  /** Other sources with the same SHA-256 that the viewer may see. */
  alsoCitedBy: SourceRecord[];
}

const LIMITS = { title: 500, reliability: 50 } as const;

/** A file name as a label: its last path segment, without control characters, at most 200 characters. */
export function fileLabel(name: string | null | undefined): string | null {
  const last = (name ?? '').split(/[/\\]/).pop() ?? '';
  const label = last.replace(/[\p{Cc}\p{Cf}]/gu, '').trim().slice(0, 200);
  return label === '' ? null : label;
}

function checkedText(field: keyof typeof LIMITS, value: string | null | undefined): string | null {
  if (value === undefined || value === null || value.trim() === '') return null;
  if (value.includes('\u0000')) throw errors.validation(`${field}: contains the character U+0000 (NUL); remove it`);
  if (value.length > LIMITS[field]) throw errors.validation(`${field}: at most ${LIMITS[field]} characters (this one has ${value.length})`);
  return value;
}

function sourceFields(input: SourceFileInput): Omit<SourceData, 'kind' | 'sha256' | 'media_type' | 'size_bytes'> {
  const confidentiality = input.confidentiality ?? 'internal';
  if (!isLevel(confidentiality)) throw errors.validation(`confidentiality: "${confidentiality}" is not one of ${LEVELS.join(', ')}`);
  return {
    url: null,
    citation: null,
    title: checkedText('title', input.title) ?? fileLabel(input.fileName),
    published_date: checkedDate('published_date', input.published_date ?? null),
    reliability: checkedText('reliability', input.reliability),
    confidentiality,
  };
}

const visibleTo = (viewer: Viewer) => (source: SourceRecord) => maySee(viewer, { level: source.confidentiality, consent: true });

/**
 * Takes a file in as a new source of kind "file". Nothing is written unless all of it is: a file
 * over the limit, of a refused type, or with a bad field leaves no stored bytes and no source.
 */
export async function storeSourceFile(store: Store, input: SourceFileInput, context: FileIntakeContext, options: { maxBytes?: number } = {}): Promise<StoredSourceFile> {
  const fields = sourceFields(input);
  const file = await examineFile(input.content, options.maxBytes ?? uploadLimitBytes());
  const key = await store.fileKey();
  const { source, stored } = await store.db.transaction().execute(async (trx) => {
    const now = new Date().toISOString();
    const stored = await storeFile(trx, key, file, context.actor, now);
    const data: SourceData = { ...fields, kind: 'file', sha256: file.sha256, media_type: file.media_type, size_bytes: file.size_bytes };
    const source = await insertNewRecord(trx, sourceKind, data, context, now);
    await appendAudit(trx, {
      actor: context.actor,
      action: AUDIT_ACTIONS.fileStore,
      entity: 'source',
      entityId: source.id,
      ip: context.ip ?? null,
      detail: { sha256: file.sha256, size_bytes: file.size_bytes, media_type: file.media_type, already_held: stored.alreadyHeld },
    }, now);
    return { source, stored };
  });
  const same = await sourcePage(store, { after: 0, limit: 100 }, { sha256: file.sha256 });
  const alsoCitedBy = same.filter((other) => other.id !== source.id).filter(visibleTo(context.viewer));
  return { source, file: stored.info, alreadyHeld: stored.alreadyHeld, alsoCitedBy };
}

export interface SourceFileDownload {
  source: SourceRecord;
  content: Buffer;
  media_type: string;
  /** Named by the source, never by the name the file came with. */
  fileName: string;
}

/**
 * The bytes of a source's stored file, for a signed-in member who may see the source (404 otherwise,
 * as for the source itself). The public never downloads stored files: a file may show far more than
 * publication consent covers (faces, documents), so even a public source's file stays in the workspace.
 * Every download is written to the audit trail; a restricted one as read_restricted.
 */
export async function readSourceFile(store: Store, viewer: Viewer, id: number, context: { actor: string; ip?: string | null }): Promise<SourceFileDownload> {
  if (viewer.kind !== 'member') throw errors.notFound(`source ${id}`);
  const source = await findSource(store, id);
  if (!maySee(viewer, { level: source.confidentiality, consent: true })) throw errors.notFound(`source ${id}`);
  if (source.kind !== 'file' || !source.sha256) throw new VigilError('not_found', `source ${id} has no stored file (it is a ${source.kind} source)`, 404);
  const { info, content } = await readFile(store.db, await store.fileKey(), source.sha256);
  const restricted = source.confidentiality === 'restricted';
  await store.db.transaction().execute((trx) =>
    appendAudit(trx, {
      actor: context.actor,
      action: restricted ? AUDIT_ACTIONS.readRestricted : AUDIT_ACTIONS.fileDownload,
      entity: 'source',
      entityId: id,
      ip: context.ip ?? null,
      detail: restricted ? { fields: ['file'], sha256: info.sha256 } : { sha256: info.sha256 },
    }),
  );
  return { source, content, media_type: info.media_type, fileName: `source-${id}.${extensionOf(info.media_type)}` };
}
