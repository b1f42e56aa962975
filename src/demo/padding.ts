// The benchmark asks for an exact number of events, usually more per person than a demo history has.
// Extra transfers inside custody periods keep every padded history valid under the custody rules.
import { FACILITIES, MEN_COLONIES, WOMEN_COLONIES } from './facilities.js';
import type { Random } from './random.js';
import { compareEvents, differentFrom, type Subject, type TimelineEvent } from './timeline.js';

/** Places a person can be moved to: not a temporary centre, and not a colony for the other sex. */
function holdingFacilities(excluded: readonly string[]): string[] {
  return FACILITIES.filter((f) => f.type !== 'temporary_detention' && !excluded.includes(f.name)).map((f) => f.name);
}

const HOLDING_FACILITIES: Record<Subject['gender'], readonly string[]> = {
  male: holdingFacilities(WOMEN_COLONIES),
  female: holdingFacilities(MEN_COLONIES),
};

/**
 * Returns `timeline` grown or cut to `target` events (never below one). Cutting keeps the earliest events,
 * and any prefix of a valid history is itself valid.
 */
export function fitTimeline(rng: Random, subject: Subject, timeline: TimelineEvent[], target: number, today: number): TimelineEvent[] {
  if (timeline.length >= target) return timeline.slice(0, Math.max(1, target));
  const periods = custodyPeriods(timeline, today);
  if (periods.length === 0) return timeline;
  const padded = timeline.slice();
  while (padded.length < target) {
    const [from, until] = rng.pick(periods);
    padded.push({ day: from + rng.int(0, Math.max(0, until - from - 1)), phase: 1, type: 'transferred' });
  }
  padded.sort(compareEvents);
  assignTransferFacilities(rng, padded, HOLDING_FACILITIES[subject.gender]);
  return padded;
}

/** [first day, first day no longer held) for each custody period; an open period runs through `today`. */
function custodyPeriods(timeline: readonly TimelineEvent[], today: number): [number, number][] {
  const periods: [number, number][] = [];
  let start: number | undefined;
  for (const e of timeline) {
    if (e.type === 'detained') start = e.day;
    else if (start !== undefined && (e.type === 'released' || e.type === 'expelled' || e.type === 'died')) {
      periods.push([start, e.day]);
      start = undefined;
    }
  }
  if (start !== undefined) periods.push([start, today + 1]);
  return periods;
}

/** Gives new transfers a facility, and re-routes any transfer that would now "move" to where the person is. */
function assignTransferFacilities(rng: Random, sorted: TimelineEvent[], facilities: readonly string[]): void {
  let current = '';
  for (const e of sorted) {
    if (e.type === 'detained') current = e.facility ?? '';
    if (e.type !== 'transferred') continue;
    if (!e.facility || e.facility === current) e.facility = differentFrom(rng, facilities, current);
    current = e.facility;
  }
}
