/** Zod schemas of the casework, letters and accountability API (issue 8); they also generate its OpenAPI. */
import { z } from 'zod';
import { CASE_STATUSES, CASEWORK_LEVELS, HEALTH_FLAG_KINDS, INSTITUTION_KINDS, LETTER_DIRECTIONS, NEED_KINDS, OFFICIAL_ROLES, VIOLATION_TYPES } from '../../domain/casework.js';
import { LINK_ENTITIES } from '../../features/accountability/officials.service.js';
import { createReason, Level, nullByDefault, page, partialDate, recordUpdate, recordView, text } from './schemas.js';

const personRef = z.string().min(1).max(100).describe('external id of the person');
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD');
const caseworkLevel = z.enum(CASEWORK_LEVELS).describe('never public; restricted unless every team member should see it');
const id = z.number().int().min(1);

export const FamilyContact = z.object({
  name: z.string().min(1).max(300),
  relation: text(100).default(null),
  phone: text(100).default(null),
  email: text(300).default(null),
  address: text(1000).default(null),
  note: text(2000).default(null),
});

const caseFields = {
  status: z.enum(CASE_STATUSES),
  needs: z.array(z.enum(NEED_KINDS)).max(NEED_KINDS.length),
  family_contacts: z.array(FamilyContact).max(50).describe('restricted whatever the level of the case'),
  summary: text(10000),
  opened_on: partialDate.nullable(),
  confidentiality: caseworkLevel,
};
export const AssistanceCaseView = recordView({
  person_id: z.number().int(), person: z.string(), ...caseFields, status: z.string(), needs: z.array(z.string()), confidentiality: Level,
  family_contacts: caseFields.family_contacts.optional().describe('only for roles cleared for restricted values'),
});
export const AssistanceCaseCreate = z.object({
  person: personRef,
  ...nullByDefault(caseFields),
  status: caseFields.status.default('open'),
  needs: caseFields.needs.default([]),
  family_contacts: caseFields.family_contacts.default([]),
  confidentiality: caseworkLevel.default('restricted'),
  change_reason: createReason,
});
export const AssistanceCaseUpdate = recordUpdate(caseFields);
export const AssistanceCaseListQuery = z.object({ person: personRef.optional(), status: z.enum(CASE_STATUSES).optional(), ...page });

const aidFields = {
  date: partialDate,
  kind: z.enum(NEED_KINDS),
  amount: z.number().min(0).max(1e9).nullable(),
  currency: z.string().regex(/^[A-Za-z]{3}$/, 'an ISO 4217 code such as EUR or BYN').nullable(),
  description: text(5000),
};
export const AidView = recordView({ case_id: z.number().int(), person: z.string(), ...aidFields, kind: z.string(), currency: z.string().nullable() });
export const AidCreate = z.object({ case_id: id, ...nullByDefault(aidFields), change_reason: createReason });
export const AidUpdate = recordUpdate(aidFields);
export const AidListQuery = z.object({ case_id: z.coerce.number().int().min(1).optional(), ...page });

const followUpFields = {
  due: day,
  action: z.string().min(1).max(2000),
  assignee: text(300),
  done_on: day.nullable(),
};
export const FollowUpView = recordView({ case_id: z.number().int(), person: z.string(), ...followUpFields, due: z.string(), done_on: z.string().nullable() });
export const FollowUpCreate = z.object({ case_id: id, ...nullByDefault(followUpFields), change_reason: createReason });
export const FollowUpUpdate = recordUpdate(followUpFields);
export const FollowUpListQuery = z.object({ case_id: z.coerce.number().int().min(1).optional(), due_by: day.optional().describe('due on or before this day'), ...page });
export const RemindersQuery = z.object({ on: day.optional().describe('default today') });

const letterFields = {
  direction: z.enum(LETTER_DIRECTIONS),
  date: partialDate,
  note: text(2000).describe('internal; never public'),
};
export const LetterView = recordView({ person_id: z.number().int(), person: z.string(), ...letterFields, direction: z.string(), logged_by: z.string() });
export const LetterCreate = z.object({ person: personRef, ...nullByDefault(letterFields), change_reason: createReason });
export const LetterUpdate = recordUpdate(letterFields);
export const LetterListQuery = z.object({ person: personRef.optional(), direction: z.enum(LETTER_DIRECTIONS).optional(), ...page });
export const LetterCountsQuery = z.object({ person: personRef });
export const LetterCountsView = z.object({ person: z.string(), sent: z.number().int(), replies: z.number().int() });

export const OfficialLinkInput = z.object({
  entity: z.enum(LINK_ENTITIES),
  entity_id: id.describe('id of the case or event'),
  role: z.enum(OFFICIAL_ROLES).describe('the part the official played in it'),
});
const officialFields = {
  name: z.string().min(1).max(300).describe('as written in court papers (usually Russian): family, given and patronymic names'),
  name_latin: text(300),
  role: z.enum(OFFICIAL_ROLES),
  institution: text(300).describe('the court, prosecutor\u2019s office, investigative body or facility'),
  institution_kind: z.enum(INSTITUTION_KINDS),
  facility: text(200).describe('when the institution is a place of detention in the registry: its name'),
  note: text(5000),
  confidentiality: Level,
  links: z.array(OfficialLinkInput).max(2000).describe('every case and event the official took part in: the list replaces the one stored'),
};
export const OfficialView = recordView({
  ...officialFields, role: z.string(), institution_kind: z.string(), facility_id: z.number().int().nullable(),
  links: z.array(z.object({ entity: z.string(), entity_id: z.number().int(), role: z.string() })).describe('only those the viewer may see'),
});
export const OfficialCreate = z.object({
  ...nullByDefault(officialFields),
  institution_kind: officialFields.institution_kind.default('other'),
  confidentiality: Level.default('internal'),
  links: officialFields.links.default([]),
  change_reason: createReason,
});
export const OfficialUpdate = recordUpdate(officialFields);
export const OfficialListQuery = z.object({ role: z.enum(OFFICIAL_ROLES).optional(), institution: z.string().max(300).optional(), ...page });

const violationFields = {
  type: z.enum(VIOLATION_TYPES),
  date: partialDate.nullable(),
  end_date: partialDate.nullable(),
  facility: text(200).describe('name of the place of detention'),
  case_id: id.nullable(),
  event_id: id.nullable(),
  description: text(20000),
  confidentiality: Level,
  official_ids: z.array(id).max(100).describe('the officials involved'),
  source_ids: z.array(id).max(100).describe('the sources it is known from'),
};
const { official_ids: _officialIds, source_ids: _sourceIds, ...violationViewFields } = violationFields;
export const ViolationView = recordView({
  person_id: z.number().int(), person: z.string(), ...violationViewFields, type: z.string(), facility_id: z.number().int().nullable(),
  case_id: z.number().int().nullable(), event_id: z.number().int().nullable(),
  officials: z.array(z.object({ id: z.number().int(), name: z.string(), role: z.string() })).describe('only those the viewer may see'),
  sources: z.array(z.object({ id: z.number().int(), kind: z.string(), url: z.string().nullable(), title: z.string().nullable(), citation: z.string().nullable() })).describe('only those the viewer may see'),
});
export const ViolationCreate = z.object({
  person: personRef,
  ...nullByDefault(violationFields),
  confidentiality: Level.default('restricted').describe('restricted unless it is safe to share'),
  official_ids: violationFields.official_ids.default([]),
  source_ids: violationFields.source_ids.default([]),
  change_reason: createReason,
});
export const ViolationUpdate = recordUpdate(violationFields);
export const ViolationListQuery = z.object({
  person: personRef.optional(), type: z.enum(VIOLATION_TYPES).optional(), facility: z.string().max(200).optional(),
  from: partialDate.optional(), to: partialDate.optional(), ...page,
});

const healthFields = {
  kind: z.enum(HEALTH_FLAG_KINDS),
  detail: text(10000).describe('restricted whatever the level of the flag'),
  noted_on: partialDate.nullable(),
  resolved_on: partialDate.nullable(),
  confidentiality: caseworkLevel,
};
export const HealthFlagView = recordView({
  person_id: z.number().int(), person: z.string(), ...healthFields, kind: z.string(), confidentiality: Level,
  detail: healthFields.detail.optional().describe('only for roles cleared for restricted values'),
});
export const HealthFlagCreate = z.object({ person: personRef, ...nullByDefault(healthFields), confidentiality: caseworkLevel.default('restricted'), change_reason: createReason });
export const HealthFlagUpdate = recordUpdate(healthFields);
export const HealthFlagListQuery = z.object({ person: personRef.optional(), kind: z.enum(HEALTH_FLAG_KINDS).optional(), ...page });

export const AccountabilityQuery = z.object({
  by: z.enum(['official', 'court', 'facility']),
  format: z.enum(['json', 'csv', 'html']).default('json'),
  rows: z.enum(['groups', 'items']).default('groups').describe('CSV: one row per group, or one per documented item'),
  from: day.optional(),
  to: day.optional(),
});
