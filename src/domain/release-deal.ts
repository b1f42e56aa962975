/**
 * Negotiated releases and the sanctions traded for them (DOMAIN.md "Release deal", "Sanction measure").
 * The store has their tables; the workflows (reconciling lists, recording releases) build on these types.
 */
import type { Level } from './confidentiality.js';

/** What happened to a person named in a deal. */
export const DEAL_OUTCOMES = [
  'released',
  /** Asked for by the negotiators, not released. */
  'asked_not_released',
  /** Refused forced expulsion and was taken back to prison. */
  'refused_expulsion',
] as const;
export type DealOutcome = (typeof DEAL_OUTCOMES)[number];

export const DEAL_CONDITIONS = ['forced_expulsion', 'passport_withheld', 'family_reunion_delayed', 'pardon_petition_required', 'other'] as const;
export type DealCondition = (typeof DEAL_CONDITIONS)[number];

export const CONCESSION_ACTIONS = ['eased', 'lifted'] as const;
export type ConcessionAction = (typeof CONCESSION_ACTIONS)[number];

export interface ReleaseDeal {
  id: number;
  slug: string;
  /** Partial date allowed. */
  date: string;
  facilitator: string | null;
  envoy: string | null;
  counterpart: string | null;
  /** ISO 3166-1 alpha-2 codes of the countries people were taken to. */
  destinations: string[];
  conditions: DealCondition[];
  summary: string | null;
  confidentiality: Level;
  version: number;
}

export interface SanctionMeasure {
  id: number;
  /** US, EU, UK, CA, ... */
  issuer: string;
  /** Belavia, potash (Belaruskali), a person, ... */
  target: string;
  description: string | null;
  imposed_on: string | null;
  eased_on: string | null;
  lifted_on: string | null;
  reimposed_on: string | null;
  version: number;
}

export type SanctionState = 'not_imposed' | 'imposed' | 'eased' | 'lifted' | 'reimposed';

/** Where a measure stood on a day (YYYY-MM-DD): the latest of its dated steps on or before it. */
export function sanctionStateOn(measure: Pick<SanctionMeasure, 'imposed_on' | 'eased_on' | 'lifted_on' | 'reimposed_on'>, day: string): SanctionState {
  const steps: [SanctionState, string | null][] = [
    ['imposed', measure.imposed_on],
    ['eased', measure.eased_on],
    ['lifted', measure.lifted_on],
    ['reimposed', measure.reimposed_on],
  ];
  let state: SanctionState = 'not_imposed';
  let latest = '';
  for (const [step, date] of steps) {
    if (date !== null && date <= day && date >= latest) {
      state = step;
      latest = date;
    }
  }
  return state;
}
