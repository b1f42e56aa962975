// One fictional person and their events: the unit both the demo generator and the streaming benchmark
// generator are built from, so the two never drift apart.
import { sampleArrestDay, type DemoCalendar } from './calendar.js';
import type { DayFormatter } from './days.js';
import { fitTimeline } from './padding.js';
import { drawSubject, personRow } from './person.js';
import { personRandom } from './random.js';
import { FICTIONAL_NOTE, FICTIONAL_SOURCE_BASE, type EventRow, type PersonRow } from './rows.js';
import { personTimeline, type TimelineEvent } from './timeline.js';

export interface GeneratedPerson {
  person: PersonRow;
  events: EventRow[];
}

export interface PersonOptions {
  seed: number;
  /** 0-based position in the run; with the seed it fixes everything about the person. */
  index: number;
  externalId: string;
  calendar: DemoCalendar;
  days: DayFormatter;
  /** Grow or cut the history to this many events (benchmarks); omitted, the history is as generated. */
  targetEvents?: number;
}

export function generatePerson(options: PersonOptions): GeneratedPerson {
  const { seed, index, externalId, calendar, days } = options;
  const rng = personRandom(seed, index);
  const subject = drawSubject(rng);
  const firstArrest = sampleArrestDay(rng, calendar);
  const person = personRow(rng, externalId, subject, firstArrest, days);
  let timeline = personTimeline(rng, subject, calendar, firstArrest);
  if (options.targetEvents !== undefined) timeline = fitTimeline(rng, subject, timeline, options.targetEvents, calendar.today);
  return { person, events: timeline.map((e) => eventRow(e, externalId, days)) };
}

function eventRow(e: TimelineEvent, externalId: string, days: DayFormatter): EventRow {
  return {
    person_external_id: externalId,
    type: e.type,
    date: days.format(e.day),
    facility: e.facility ?? '',
    articles: e.articles ?? '',
    term_months: e.termMonths === undefined ? '' : String(e.termMonths),
    regime: e.regime ?? '',
    reason: e.reason ?? '',
    country: e.country ?? '',
    organization: e.organization ?? '',
    note: FICTIONAL_NOTE,
    source_url: FICTIONAL_SOURCE_BASE + externalId,
  };
}
