/**
 * Tables of migration 0005_casework: family assistance cases (with aid given and follow-ups), the
 * letters log, officials and their part in cases and events, violations, health and risk flags.
 * Same conventions as schema.ts: partial dates as canonical text, lists as JSON text.
 */
import type { Generated } from 'kysely';
import type { Level } from '../domain/confidentiality.js';

type Id = Generated<number>;

interface Versioned {
  version: number;
  created_at: string;
  updated_at: string;
}

export interface AssistanceCaseTable extends Versioned {
  id: Id;
  person_id: number;
  /** open | on_hold | closed */
  status: string;
  /** JSON array of need kinds (legal, medical, financial, parcels, other). */
  needs: string;
  /** JSON array of {name, relation, phone, email, address, note}: always restricted. */
  family_contacts: string;
  summary: string | null;
  opened_on: string | null;
  /** internal | restricted (default restricted); never public. */
  confidentiality: Level;
}

export interface AssistanceAidTable extends Versioned {
  id: Id;
  case_id: number;
  date: string;
  /** A need kind. */
  kind: string;
  amount: number | null;
  /** ISO 4217 code, with an amount. */
  currency: string | null;
  description: string | null;
}

export interface FollowUpTable extends Versioned {
  id: Id;
  case_id: number;
  /** YYYY-MM-DD: reminders list the follow-ups due on or before a day and not done. */
  due: string;
  action: string;
  assignee: string | null;
  done_on: string | null;
}

export interface LetterTable extends Versioned {
  id: Id;
  person_id: number;
  /** sent | reply */
  direction: string;
  date: string;
  /** Who logged it (the account's e-mail, or the CLI actor). */
  logged_by: string;
  note: string | null;
}

export interface OfficialTable extends Versioned {
  id: Id;
  /** As written in court papers (usually Russian): family, given and patronymic names. */
  name: string;
  /** Another spelling (Belarusian, Latin), for search and reports. */
  name_latin: string | null;
  /** judge | prosecutor | investigator | facility_head | other */
  role: string;
  institution: string | null;
  /** court | prosecutor_office | investigative_body | facility | other */
  institution_kind: string;
  /** When the institution is a place of detention in the registry. */
  facility_id: number | null;
  note: string | null;
  confidentiality: Level;
}

/** An official's part in a case or an event (entity: case | event), kept with the official's versions. */
export interface OfficialLinkTable {
  official_id: number;
  entity: string;
  entity_id: number;
  /** The role played in it (judge, prosecutor, ...). */
  role: string;
}

export interface ViolationTable extends Versioned {
  id: Id;
  person_id: number;
  type: string;
  date: string | null;
  end_date: string | null;
  facility_id: number | null;
  case_id: number | null;
  event_id: number | null;
  description: string | null;
  confidentiality: Level;
}

/** The officials involved in a violation, kept with the violation's versions. */
export interface ViolationOfficialTable {
  violation_id: number;
  official_id: number;
}

export interface HealthFlagTable extends Versioned {
  id: Id;
  person_id: number;
  /** serious_illness | disability | elderly | other */
  kind: string;
  /** Always restricted, whatever the flag's level. */
  detail: string | null;
  noted_on: string | null;
  resolved_on: string | null;
  /** internal | restricted (default restricted); never public. */
  confidentiality: Level;
}
