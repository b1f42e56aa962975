/**
 * Stored source files: POST /api/v1/sources/upload (multipart/form-data: one part "file" and the
 * source's fields) and GET /api/v1/sources/:id/file. The upload has its own size limit
 * (VIGIL_UPLOAD_MAX_MB), not the 1 MB of JSON bodies; it is a write like any other, so a cookie
 * session sends X-CSRF-Token (app.ts checks it before the body is read).
 */
import multipart, { type Multipart } from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { errors, VigilError } from '../../errors.js';
import type { Store } from '../../store/connection.js';
import { readLimited, uploadLimitBytes } from '../../features/files/file-store.service.js';
import { readSourceFile, storeSourceFile, type StoredSourceFile } from '../../features/sources/source-file.service.js';
import { presentLeveled } from '../../features/records/record.presenter.js';
import type { App } from './app-types.js';
import { allow, member } from './guards.js';
import { contextOf, errorsOf } from './record-routes.js';
import { ErrorBody, Level, NumericIdParam, SourceView } from './schemas.js';

const UploadFields = z.strictObject({
  title: z.string().max(500).optional(),
  published_date: z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'a date as YYYY, YYYY-MM or YYYY-MM-DD').optional(),
  reliability: z.string().max(50).optional(),
  confidentiality: Level.default('internal'),
  change_reason: z.string().max(2000).default(''),
});
const FIELD_NAMES = Object.keys(UploadFields.shape).join(', ');

/**
 * The form as OpenAPI describes it. Only a description: the parts are read as a stream (the body is
 * not parsed before the handler), checked by UploadFields and the file intake.
 */
const UploadFormDoc = UploadFields.extend({ file: z.string().meta({ format: 'binary' }).describe('the file; its type is told by its content') });
/** The body schema above only documents: nothing is parsed before the handler, so nothing to validate there. */
const documentationOnly = () => (value: unknown) => ({ value });

export const SourceUploadView = SourceView.extend({
  file: z.object({
    already_held: z.boolean().describe('the same bytes were already stored, and were reused rather than stored again'),
    also_cited_by: z.array(z.object({ id: z.number().int(), title: z.string().nullable() })).describe('other sources with the same SHA-256 that you may see'),
  }),
});

interface UploadForm {
  fields: z.output<typeof UploadFields>;
  content: Buffer;
  fileName: string;
}

/** What @fastify/multipart reports, as errors that say what to change. */
function formError(error: unknown): unknown {
  switch ((error as { code?: string }).code) {
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new VigilError('unsupported_media_type', 'send the upload as multipart/form-data, with the file in a part named "file"', 415);
    case 'FST_FILES_LIMIT':
      return errors.validation('file: send one file per upload');
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return errors.validation(`the form has too many parts; it takes one file (part "file") and the fields ${FIELD_NAMES}`);
    default:
      return error;
  }
}

function checkedFields(raw: ReadonlyMap<string, string>): z.output<typeof UploadFields> {
  // An empty form field means "not given".
  const given = Object.fromEntries([...raw].filter(([, value]) => value !== ''));
  const parsed = UploadFields.safeParse(given);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const where = issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : issue.path.join('.');
  throw errors.validation(`${where}: ${issue.code === 'unrecognized_keys' ? `unknown field (the form takes file, ${FIELD_NAMES})` : issue.message}`);
}

/** Reads every part; the file is read into memory up to the limit and refused (413) beyond it. */
async function readUploadForm(request: FastifyRequest, limit: number): Promise<UploadForm> {
  const raw = new Map<string, string>();
  let file: { content: Buffer; fileName: string } | undefined;
  try {
    // The busboy limit sits one byte above ours, so the reader sees the excess and refuses the file.
    const options = { limits: { fileSize: limit + 1, files: 1, fields: 10, fieldSize: 10_000, parts: 12 }, throwFileSizeLimit: false };
    const parts = request.parts(options);
    for await (const part of parts as AsyncIterable<Multipart>) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file') throw errors.validation(`${part.fieldname}: files go in the part named "file"`);
        file = { content: await readLimited(part.file, limit), fileName: part.filename };
        continue;
      }
      if (part.valueTruncated) throw errors.validation(`${part.fieldname}: too long`);
      if (raw.has(part.fieldname)) throw errors.validation(`${part.fieldname}: given twice`);
      raw.set(part.fieldname, String(part.value));
    }
  } catch (error) {
    throw formError(error);
  }
  if (!file) throw errors.validation('file: the form has no file; send it as the multipart part named "file"');
  return { fields: checkedFields(raw), ...file };
}

function presentUpload(request: FastifyRequest, stored: StoredSourceFile): object {
  const viewer = member(request);
  return {
    ...presentLeveled(viewer, stored.source, 'source').view,
    file: { already_held: stored.alreadyHeld, also_cited_by: stored.alsoCitedBy.map((source) => ({ id: source.id, title: source.title })) },
  };
}

export function sourceFileRoutes(app: App, store: Store): void {
  const limit = uploadLimitBytes();
  app.register(async (scope) => {
    // Multipart only in this scope: elsewhere a multipart body stays an unsupported type. The workspace
    // may have registered it already (it then serves both); the limits are given per request below.
    if (!scope.hasContentTypeParser('multipart/form-data')) await scope.register(multipart);
    // An answer given before the upload was read to its end (refused: too large, not allowed, bad form)
    // closes the connection, rather than read the rest or leave a half-read request on a kept-alive socket.
    scope.addHook('onSend', async (request, reply) => {
      if (!request.raw.complete) void reply.header('connection', 'close');
    });

    scope.post('/api/v1/sources/upload', {
      schema: {
        tags: ['sources'],
        summary: `Upload a file as a new source (multipart/form-data: part "file", fields ${FIELD_NAMES}); at most ${Math.round(limit / 1024 / 1024)} MB`,
        description:
          'The type is told by the content, never by the file name or declared type; accepted: PDF, JPEG, PNG, WebP, GIF, MP4/WebM, MP3/M4A/OGG/WAV, plain text, DOCX/ODT/XLSX (others: 415). ' +
          'The SHA-256 is computed at intake; the same bytes uploaded again are stored once, and the answer says so. Too large: 413, nothing stored.',
        consumes: ['multipart/form-data'],
        body: UploadFormDoc,
        response: { 201: SourceUploadView, ...errorsOf, 413: ErrorBody, 415: ErrorBody },
      },
      validatorCompiler: documentationOnly,
    }, async (request, reply) => {
      const viewer = allow(request, 'write');
      const { fields, content, fileName } = await readUploadForm(request, limit);
      const { change_reason, ...source } = fields;
      const stored = await storeSourceFile(store, { ...source, content, fileName }, { ...contextOf(request, viewer, change_reason), viewer }, { maxBytes: limit });
      return reply.status(201).send(presentUpload(request, stored));
    });
  });

  app.get('/api/v1/sources/:id/file', {
    schema: {
      tags: ['sources'],
      summary: 'Download the stored file of a source (members who may see the source; never the public)',
      description: 'Sent as an attachment with the type detected at intake, X-Content-Type-Options: nosniff and Content-Security-Policy: sandbox. Every download is audited.',
      params: NumericIdParam,
      response: errorsOf,
    },
  }, async (request, reply) => {
    const viewer = allow(request, 'read');
    const download = await readSourceFile(store, viewer, request.params.id, { actor: viewer.email, ip: request.ip });
    // The bytes are sent as they are, not through a response schema.
    return (reply as FastifyReply)
      .header('content-type', download.media_type === 'text/plain' ? 'text/plain; charset=utf-8' : download.media_type)
      .header('content-disposition', `attachment; filename="${download.fileName}"`)
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "sandbox; default-src 'none'")
      .header('cache-control', 'private, no-store')
      .header('x-sha256', download.source.sha256 ?? '')
      .send(download.content);
  });
}
