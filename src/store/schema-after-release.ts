/** Tables of life after release (migration 0006_after_release); conventions as in schema.ts. */
import type { Generated } from 'kysely';
import type { Level } from '../domain/confidentiality.js';

export interface AfterReleaseTable {
  id: Generated<number>;
  person_id: number;
  /** The deal the person was freed by, when the record is about that release; null for "in general". */
  deal_id: number | null;
  /** ISO 3166-1 alpha-2 country of residence. */
  country: string | null;
  /** Partial date the person was reunited with their family. */
  reunited_on: string | null;
  /** JSON array of need kinds (domain/after-release.ts). */
  needs: string;
  needs_text: string | null;
  /** yes | no | unknown */
  passport_withheld: string;
  note: string | null;
  /** internal | restricted: never public. */
  confidentiality: Level;
  /** JSON object: field name → level, where a field is stricter than the record. */
  field_levels: string;
  version: number;
  created_at: string;
  updated_at: string;
}
