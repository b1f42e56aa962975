// The fictional history every demo person lives through: when arrests happen, and the dates on which
// pardon batches and negotiated releases take people out of custody. Modelled on the shape of 2020–2025
// (a mass wave after the August 2020 election, steady arrests since, pardons from mid-2024, US-brokered
// releases in 2025), but the per-person outcomes are invented.
import { parseIsoDay } from './days.js';
import type { Random } from './random.js';

/** A few pre-election arrests (bloggers, would-be candidates) come before the August 2020 wave. */
export const FIRST_ARREST = parseIsoDay('2020-05-01');
const ELECTION_DAY = parseIsoDay('2020-08-09');

export interface PardonBatch {
  day: number;
  /** Chance that a sentenced person in custody on that day is on the list. */
  probability: number;
}

export type DealOutcome = 'expelled_LT' | 'expelled_UA' | 'released' | 'refused';

export interface ReleaseDeal {
  day: number;
  probability: number;
  outcomes: readonly DealOutcome[];
  weights: readonly number[];
}

const DEAL_OUTCOMES: readonly DealOutcome[] = ['expelled_LT', 'expelled_UA', 'released', 'refused'];

/** The three 2025 deals; most went to Lithuania in June and September, most to Ukraine in December. */
export const DEAL_DATES = ['2025-06-21', '2025-09-11', '2025-12-13'] as const;

const DEALS: readonly ReleaseDeal[] = [
  { day: parseIsoDay('2025-06-21'), probability: 0.02, outcomes: DEAL_OUTCOMES, weights: [80, 10, 10, 0] },
  { day: parseIsoDay('2025-09-11'), probability: 0.07, outcomes: DEAL_OUTCOMES, weights: [76, 4, 8, 12] },
  { day: parseIsoDay('2025-12-13'), probability: 0.16, outcomes: DEAL_OUTCOMES, weights: [12, 74, 9, 5] },
];

function pardon(date: string, probability: number): PardonBatch {
  return { day: parseIsoDay(date), probability };
}

const PARDONS: readonly PardonBatch[] = [
  pardon('2023-05-09', 0.02),
  pardon('2024-07-03', 0.025),
  pardon('2024-08-13', 0.035),
  pardon('2024-09-04', 0.035),
  pardon('2024-09-16', 0.045),
  pardon('2024-11-18', 0.035),
  pardon('2024-12-23', 0.03),
  pardon('2025-01-20', 0.025),
  pardon('2025-03-08', 0.03),
  pardon('2025-05-09', 0.02),
  pardon('2026-03-08', 0.03),
  pardon('2026-07-03', 0.03),
];

export interface DemoCalendar {
  today: number;
  pardons: readonly PardonBatch[];
  deals: readonly ReleaseDeal[];
  /** Cumulative arrest weight per day from FIRST_ARREST to today, for sampling arrest dates. */
  arrestCdf: Float64Array;
}

export function createCalendar(today: number): DemoCalendar {
  if (today < ELECTION_DAY) throw new RangeError('today must be on or after 2020-08-09: the demo starts with the 2020 election');
  const days = today - FIRST_ARREST + 1;
  const arrestCdf = new Float64Array(days);
  let total = 0;
  for (let i = 0; i < days; i++) {
    total += arrestWeight(FIRST_ARREST + i);
    arrestCdf[i] = total;
  }
  return {
    today,
    pardons: PARDONS.filter((pardon) => pardon.day <= today),
    deals: DEALS.filter((deal) => deal.day <= today),
    arrestCdf,
  };
}

export function sampleArrestDay(rng: Random, calendar: DemoCalendar): number {
  const cdf = calendar.arrestCdf;
  const target = rng.next() * (cdf[cdf.length - 1] ?? 0);
  let low = 0;
  let high = cdf.length - 1;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((cdf[mid] ?? 0) <= target) low = mid + 1;
    else high = mid;
  }
  return FIRST_ARREST + low;
}

/** Relative arrests per day: the 2020–2021 wave, the 2022 anti-war arrests, then a steady stream. */
function arrestWeight(day: number): number {
  const date = new Date(day * 86_400_000);
  const month = date.getUTCFullYear() * 12 + date.getUTCMonth();
  const at = (year: number, monthOfYear: number): number => year * 12 + monthOfYear - 1;
  if (day < ELECTION_DAY) return 0.4;
  if (month <= at(2020, 8)) return 9;
  if (month <= at(2020, 12)) return 6;
  if (month <= at(2021, 6)) return 7;
  if (month <= at(2021, 12)) return 5;
  if (month <= at(2022, 4)) return 4.5;
  if (month <= at(2022, 12)) return 3.5;
  if (month <= at(2023, 12)) return 2.6;
  return 2.2;
}

export type Era = 'wave' | 'crackdown' | 'steady';

const CRACKDOWN = parseIsoDay('2021-07-01');
const STEADY = parseIsoDay('2023-01-01');

export function eraOf(day: number): Era {
  if (day < CRACKDOWN) return 'wave';
  return day < STEADY ? 'crackdown' : 'steady';
}
