/**
 * /api/v1/after-release: life after release (country of residence, family reunion, needs, passport) —
 * list, read, create, update (version-checked), history. Never public; restricted fields are shown to
 * cleared roles only and every such read is audited (record-routes.ts).
 */
import { z } from 'zod';
import { AFTER_RELEASE_FIELDS, AFTER_RELEASE_LEVELS, NEED_KINDS, PASSPORT_STATES } from '../../domain/after-release.js';
import type { Store } from '../../store/connection.js';
import { afterReleasePage, createAfterRelease, editAfterRelease, findAfterRelease, type AfterReleaseData, type AfterReleaseRecord } from '../../features/releases/after-release.service.js';
import { presentAfterRelease } from '../../features/releases/after-release.presenter.js';
import type { App } from './app-types.js';
import { recordRoutes, type RecordApi } from './record-routes.js';

const partialDate = z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'a date as YYYY, YYYY-MM or YYYY-MM-DD');
const Level = z.enum(AFTER_RELEASE_LEVELS).describe('internal or restricted: life after release is never public');
const FieldLevels = z.partialRecord(z.enum(AFTER_RELEASE_FIELDS), Level).describe('levels of single fields (stricter than the record); needs, needs_text and note are restricted unless set otherwise');

const fields = {
  country: z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166 two-letter code such as LT').nullable().describe('country of residence'),
  reunited_on: partialDate.nullable().describe('reunited with family on (partial date)'),
  needs: z.array(z.enum(NEED_KINDS)).max(NEED_KINDS.length),
  needs_text: z.string().max(5000).nullable(),
  passport_withheld: z.enum(PASSPORT_STATES),
  note: z.string().max(5000).nullable(),
  confidentiality: Level,
};

export const AfterReleaseView = z.object({
  id: z.number().int(),
  person_id: z.number().int(),
  person: z.string().describe('external id of the person'),
  deal_id: z.number().int().nullable(),
  deal: z.string().nullable().describe('slug of the deal; null for a record about life after release in general'),
  ...z.object(fields).partial().shape,
  confidentiality: z.string(),
  field_levels: z.record(z.string(), z.string()),
  hidden: z.array(z.string()).describe('fields left out because your role may not see them'),
  version: z.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
});

export const AfterReleaseCreate = z.object({
  person: z.string().min(1).max(100).describe('external id of the person'),
  deal: z.string().min(1).max(100).nullable().default(null).describe('slug of the deal the person was freed by, if the record is about that release'),
  country: fields.country.default(null),
  reunited_on: fields.reunited_on.default(null),
  needs: fields.needs.default([]),
  needs_text: fields.needs_text.default(null),
  passport_withheld: fields.passport_withheld.default('unknown'),
  note: fields.note.default(null),
  confidentiality: Level.default('internal'),
  field_levels: FieldLevels.default({}),
  change_reason: z.string().max(2000).default('').describe('where the information comes from'),
});

export const AfterReleaseUpdate = z.object(fields).partial().extend({
  field_levels: FieldLevels.optional().describe('the fields named get these levels; the others keep theirs'),
  version: z.number().int().min(1).describe('the version you edited; a newer one means someone else saved first (409)'),
  change_reason: z.string().min(1).max(2000).describe('why the record changes: a source or an explanation'),
});

export const AfterReleaseListQuery = z.object({
  person: z.string().max(100).optional().describe('external id of the person'),
  deal: z.string().max(100).optional().describe('slug of the deal'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  after: z.coerce.number().int().min(0).default(0).describe('cursor: next_after of the previous page'),
});

export const afterReleaseApi: RecordApi<AfterReleaseData, AfterReleaseRecord, typeof AfterReleaseListQuery, typeof AfterReleaseCreate, typeof AfterReleaseUpdate> = {
  path: '/api/v1/after-release',
  tag: 'after-release',
  entity: 'after_release',
  schemas: { view: AfterReleaseView, list: AfterReleaseListQuery, create: AfterReleaseCreate, update: AfterReleaseUpdate },
  async page(store, { after, limit, person, deal }) {
    if (person === undefined && deal === undefined) return afterReleasePage(store, { after, limit }, {});
    const personId = person === undefined ? undefined : (await store.db.selectFrom('person').select('id').where('external_id', '=', person).executeTakeFirst())?.id;
    const dealId = deal === undefined ? undefined : (await store.db.selectFrom('release_deal').select('id').where('slug', '=', deal).executeTakeFirst())?.id;
    if ((person !== undefined && personId === undefined) || (deal !== undefined && dealId === undefined)) return [];
    return afterReleasePage(store, { after, limit }, { personId, dealId });
  },
  find: findAfterRelease,
  present: (store, viewer, records) => presentAfterRelease(store.db, viewer, records),
  create: (store, data, context) => createAfterRelease(store, data, context),
  edit: editAfterRelease,
};

export function afterReleaseRoutes(app: App, store: Store): void {
  recordRoutes(app, store, afterReleaseApi);
}
