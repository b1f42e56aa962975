/**
 * Custody and recognition status of one person over time, derived from their events (DOMAIN.md,
 * "Event types and custody" and "Counting").
 *
 * Status on day D is the status at the end of D. Events apply in date order, events on the same date in
 * the order they were recorded. The result is a set of half-open day intervals [start, end) per status
 * kind; counting "how many on D" is then counting intervals that contain D, which the store can do
 * with an index instead of replaying every event for every question.
 */
import { EVENT_TYPES, custodyEffect, type EventType } from './event-types.js';
import { comparePartialDates, firstDay } from './partial-date.js';

export const STATUS_KINDS = ['custody', 'political', 'released_political', 'died_in_custody'] as const;
export type StatusKind = (typeof STATUS_KINDS)[number];

export interface CustodyEvent {
  readonly type: EventType;
  /** Partial date, canonical form. */
  readonly date: string;
  /** Recording order: breaks ties between events on the same date. */
  readonly seq: number;
}

export interface StatusInterval {
  readonly kind: StatusKind;
  /** First day (YYYY-MM-DD) the status holds at end of day. */
  readonly start: string;
  /** First day it no longer holds, or null while it still does. */
  readonly end: string | null;
}

export interface Anomaly {
  readonly date: string;
  readonly type: EventType;
  readonly problem: string;
}

export interface PersonTimeline {
  readonly intervals: StatusInterval[];
  /** Event sequences the rules cannot make sense of; they are applied as far as possible and reported. */
  readonly anomalies: Anomaly[];
}

interface State {
  custody: boolean;
  recognized: boolean;
  dead: boolean;
  everPolitical: boolean;
  diedInCustody: boolean;
}

function flags(state: State): Record<StatusKind, boolean> {
  const political = state.custody && state.recognized && !state.dead;
  return {
    custody: state.custody,
    political,
    released_political: state.everPolitical && !state.custody && !state.dead,
    died_in_custody: state.diedInCustody,
  };
}

function apply(state: State, event: CustodyEvent, anomalies: Anomaly[]): void {
  const note = (problem: string) => anomalies.push({ date: event.date, type: event.type, problem });
  if (state.dead) {
    note('event after the person died; ignored for status');
    return;
  }
  switch (event.type) {
    case 'recognized':
      state.recognized = true;
      return;
    case 'recognition_withdrawn':
      if (!state.recognized) note('recognition withdrawn without a recognition before it');
      state.recognized = false;
      return;
    case 'died':
      state.diedInCustody = state.custody;
      state.dead = true;
      state.custody = false;
      return;
  }
  const effect = custodyEffect(event.type);
  if (effect === 'starts') state.custody = true;
  if (effect === 'ends') {
    if (!state.custody) note(`${event.type} while not in custody`);
    state.custody = false;
  }
  if (event.type === 'transferred' && !state.custody) note('transferred while not in custody');
}

export function sortEvents<T extends CustodyEvent>(events: readonly T[]): T[] {
  return [...events].sort((a, b) => comparePartialDates(a.date, b.date) || a.seq - b.seq);
}

/** Derives the status intervals of one person from all of their events (in any order). */
export function personTimeline(events: readonly CustodyEvent[]): PersonTimeline {
  const state: State = { custody: false, recognized: false, dead: false, everPolitical: false, diedInCustody: false };
  const anomalies: Anomaly[] = [];
  const open = new Map<StatusKind, string>();
  const intervals: StatusInterval[] = [];
  const sorted = sortEvents(events);

  for (let i = 0; i < sorted.length; ) {
    const day = firstDay(sorted[i]!.date);
    // Apply every event of the same effective day, then look at the end-of-day state.
    while (i < sorted.length && firstDay(sorted[i]!.date) === day) apply(state, sorted[i++]!, anomalies);
    if (state.custody && state.recognized && !state.dead) state.everPolitical = true;
    const now = flags(state);
    for (const kind of STATUS_KINDS) {
      const since = open.get(kind);
      if (now[kind] && since === undefined) open.set(kind, day);
      if (!now[kind] && since !== undefined) {
        intervals.push({ kind, start: since, end: day });
        open.delete(kind);
      }
    }
  }
  for (const [kind, start] of open) intervals.push({ kind, start, end: null });
  return { intervals, anomalies };
}

export function isEventType(value: string): value is EventType {
  return (EVENT_TYPES as readonly string[]).includes(value);
}
