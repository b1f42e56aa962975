/**
 * Table types for Kysely. Column conventions, the same on SQLite and PostgreSQL so queries need no
 * dialect branches: ids are integers, timestamps are ISO 8601 text (UTC), partial dates are canonical
 * text (see domain/partial-date.ts), flags are 0/1 integers, structured values are JSON text.
 */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { Level } from '../domain/confidentiality.js';
import type { SanctionMeasure } from '../domain/release-deal.js';
import type { AfterReleaseTable } from './schema-after-release.js';
import type { ProposalTable } from './schema-review.js';
import type { StoredFileTable } from './schema-files.js';
import type { AssistanceAidTable, AssistanceCaseTable, FollowUpTable, HealthFlagTable, LetterTable, OfficialLinkTable, OfficialTable, ViolationOfficialTable, ViolationTable } from './schema-casework.js';

type Id = Generated<number>;

export interface PersonTable {
  id: Id;
  external_id: string;
  birth_date: string | null;
  gender: string;
  region: string | null;
  occupation: string | null;
  /** JSON array of strings. */
  tags: string;
  /** JSON object: language code → text. */
  biography: string;
  photo_source_id: number | null;
  /** Publication consent: 1 = may be shown publicly. */
  publish: number;
  confidentiality: Level;
  /** JSON object: field name → level, where a field differs from the record's level. */
  field_levels: string;
  /** Set when a documenter decided this record is a duplicate of another; the record itself is kept. */
  merged_into: number | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface PersonNameTable {
  id: Id;
  person_id: number;
  position: number;
  family: string | null;
  given: string | null;
  patronymic: string | null;
  /** A whole name as written when its parts are not known (e.g. "Maryia Kalesnikava"). */
  full_name: string | null;
  lang: string | null;
  script: string | null;
  romanization: string | null;
  confidentiality: Level;
}

export interface FacilityTable {
  id: Id;
  name: string;
  type: string;
  address: string | null;
  region: string | null;
  lat: number | null;
  lon: number | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface LegalCaseTable {
  id: Id;
  person_id: number;
  case_number: string | null;
  /** JSON array of article numbers. */
  articles: string;
  court: string | null;
  judge: string | null;
  prosecutor: string | null;
  verdict_date: string | null;
  term_months: number | null;
  regime: string | null;
  note: string | null;
  confidentiality: Level;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface EventTable {
  /** Also the recording order that breaks ties between events on one date. */
  id: Id;
  person_id: number;
  type: string;
  date: string;
  facility_id: number | null;
  case_id: number | null;
  deal_id: number | null;
  articles: string;
  term_months: number | null;
  regime: string | null;
  reason: string | null;
  country: string | null;
  organization: string | null;
  note: string | null;
  confidentiality: Level;
  /** Hash of the imported row that created the event: importing the same row again finds it. */
  import_key: string | null;
  /** The import that created the event; its change-log "create" entry is derived from the batch. */
  import_batch_id: number | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface SourceTable {
  id: Id;
  kind: string;
  url: string | null;
  title: string | null;
  citation: string | null;
  sha256: string | null;
  media_type: string | null;
  size_bytes: number | null;
  published_date: string | null;
  reliability: string | null;
  confidentiality: Level;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface EventSourceTable {
  event_id: number;
  source_id: number;
}

export interface ReleaseDealTable {
  id: Id;
  slug: string;
  date: string;
  facilitator: string | null;
  envoy: string | null;
  counterpart: string | null;
  /** JSON array of ISO country codes. */
  destinations: string;
  /** JSON array of condition codes (forced_expulsion, passport_withheld, ...). */
  conditions: string;
  summary: string | null;
  confidentiality: Level;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface DealPersonTable {
  deal_id: number;
  person_id: number;
  /** released | asked_not_released | refused_expulsion */
  outcome: string;
  note: string | null;
}

/** The domain's sanction measure, with the row bookkeeping. */
export type SanctionMeasureTable = Omit<SanctionMeasure, 'id'> & { id: Id; created_at: string; updated_at: string };

export interface DealConcessionTable {
  deal_id: number;
  measure_id: number;
  /** eased | lifted */
  action: string;
}

export interface SourceLinkTable {
  source_id: number;
  entity: string;
  entity_id: number;
}

export interface ChangeLogTable {
  id: Id;
  entity: string;
  entity_id: number;
  version: number;
  action: string;
  actor: string;
  at: string;
  reason: string | null;
  /** JSON of the record before the change (null on create). */
  before: string | null;
  /** JSON of the record after the change (null on delete). */
  after: string | null;
}

export interface ImportBatchTable {
  id: Id;
  kind: string;
  file_name: string;
  sha256: string;
  actor: string;
  started_at: string;
  finished_at: string;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
}

export interface StatusIntervalTable {
  person_id: number;
  kind: string;
  start_day: string;
  end_day: ColumnType<string | null, string | null, string | null>;
}

/**
 * Derived from status_interval (0008): how much each kind's count changes at the end of a day (+1 per
 * interval starting that day, -1 per interval ending). The count on D is the sum up to D, whatever the
 * number of people; kept in step by rebuildStatus.
 */
export interface StatusCountChangeTable {
  kind: string;
  day: string;
  change: number;
}

export interface DuplicateDecisionTable {
  /** The pair, smaller id first. */
  person_low: number;
  person_high: number;
  /** same | not_same */
  decision: string;
  actor: string;
  at: string;
  reason: string;
}

export interface AppUserTable {
  id: Generated<number>;
  email: string;
  display_name: string | null;
  role: string;
  password_hash: string | null;
  totp_secret: string | null;
  totp_last_step: number | null;
  status: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface SetupTokenTable {
  id: Generated<number>;
  user_id: number;
  token_hash: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface SessionTable {
  id_hash: string;
  user_id: number;
  csrf_token: string;
  mfa_done: number;
  challenge: string | null;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiTokenTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  role: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface WebauthnCredentialTable {
  id: Generated<number>;
  user_id: number;
  credential_id: string;
  public_key: string;
  counter: number;
  transports: string;
  name: string | null;
  created_at: string;
  last_used_at: string | null;
}

export interface SigninFailureTable {
  id: Generated<number>;
  key: string;
  at: string;
}

export interface AuditLogTable {
  seq: number;
  at: string;
  actor: string;
  action: string;
  entity: string | null;
  entity_id: string | null;
  ip: string | null;
  detail: string;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

export interface DB {
  app_user: AppUserTable;
  setup_token: SetupTokenTable;
  session: SessionTable;
  api_token: ApiTokenTable;
  webauthn_credential: WebauthnCredentialTable;
  signin_failure: SigninFailureTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  duplicate_decision: DuplicateDecisionTable;
  person: PersonTable;
  person_name: PersonNameTable;
  facility: FacilityTable;
  legal_case: LegalCaseTable;
  event: EventTable;
  source: SourceTable;
  stored_file: StoredFileTable;
  event_source: EventSourceTable;
  source_link: SourceLinkTable;
  release_deal: ReleaseDealTable;
  deal_person: DealPersonTable;
  sanction_measure: SanctionMeasureTable;
  deal_concession: DealConcessionTable;
  after_release: AfterReleaseTable;
  assistance_case: AssistanceCaseTable;
  assistance_aid: AssistanceAidTable;
  follow_up: FollowUpTable;
  letter: LetterTable;
  official: OfficialTable;
  official_link: OfficialLinkTable;
  violation: ViolationTable;
  violation_official: ViolationOfficialTable;
  health_flag: HealthFlagTable;
  change_log: ChangeLogTable;
  proposal: ProposalTable;
  import_batch: ImportBatchTable;
  status_interval: StatusIntervalTable;
  status_count_change: StatusCountChangeTable;
}

export type PersonRow = Selectable<PersonTable>;
export type NewPerson = Insertable<PersonTable>;
export type PersonUpdate = Updateable<PersonTable>;
export type PersonNameRow = Selectable<PersonNameTable>;
export type NewPersonName = Insertable<PersonNameTable>;
export type EventRow = Selectable<EventTable>;
export type NewEvent = Insertable<EventTable>;
export type FacilityRow = Selectable<FacilityTable>;
