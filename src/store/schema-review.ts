/** Tables of the review queue (migration 0007_review); conventions as in schema.ts. */
import type { Generated } from 'kysely';

/**
 * A change a member may only propose (a volunteer): held here, outside the registry, until an editor or
 * admin approves it (then it is applied through the normal services in the approver's name) or rejects it.
 */
export interface ProposalTable {
  id: Generated<number>;
  /** What kind of record: person (event later). */
  entity: string;
  /** The record changed; null when the proposal creates a new one. */
  entity_id: number | null;
  /** JSON of the proposed content (for a person: PersonData with the names the proposer could see). */
  data: string;
  /** The record's version the proposal was made against; null for a new record. */
  base_version: number | null;
  reason: string;
  proposed_by: string;
  /** The proposer's role then: decides which of the record's values they could not see (kept as they are). */
  proposed_role: string;
  proposed_at: string;
  /** pending | approved | rejected */
  status: string;
  decided_by: string | null;
  decided_at: string | null;
  decision_reason: string | null;
  /** The record the approval created or changed. */
  result_id: number | null;
}
