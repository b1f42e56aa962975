// One person's custody history as a list of events that obeys the custody rules of DOMAIN.md: custody
// starts with `detained` and ends with `released`, `expelled` or `died`; nothing is released that is not
// held; nothing happens after death; nothing is dated after `today`.
//
// A history is built one custody episode at a time: plan what would happen if nothing interrupted it
// (charge, recognition, trial, colony, end of term), then pick the earliest exit (end of term, a pardon
// batch, a negotiated deal, death), drop whatever the exit pre-empts, and decide whether another episode
// follows (a re-arrest, or being taken back after refusing expulsion).
import { eraOf, type DemoCalendar } from './calendar.js';
import { IN_CUSTODY_ARTICLE, pickCase, pickSentence, type CaseProfile } from './cases.js';
import { addMonths } from './days.js';
import { AKRESTSINA, KGB_SIZO, MEN_COLONIES, PRETRIAL_BY_REGION, PRISONS, WOMEN_COLONIES } from './facilities.js';
import type { Random } from './random.js';
import type { EventType, Regime, Region, ReleaseReason } from './rows.js';

export interface TimelineEvent {
  day: number;
  /** Order among one person's events on the same day: custody starts first, custody ends last. */
  phase: number;
  type: EventType;
  facility?: string;
  articles?: string;
  termMonths?: number;
  regime?: Regime;
  reason?: ReleaseReason;
  country?: string;
  organization?: string;
}

export interface Subject {
  gender: 'male' | 'female';
  region: Region;
}

const PHASE: Record<EventType, number> = {
  detained: 0,
  transferred: 1,
  charged: 2,
  sentenced: 3,
  recognized: 4,
  recognition_withdrawn: 5,
  released: 7,
  expelled: 8,
  died: 9,
};

export const RECOGNISING_ORGANIZATION = 'Viasna';

/** About two deaths per thousand custody-years, which gives "a few" deaths in the 1,500-person demo. */
const DEATH_RATE_PER_DAY = 0.002 / 365;
const MAX_EPISODES = 4;

interface Plan {
  start: number;
  /** What would happen if no exit cut the episode short; any order. */
  events: TimelineEvent[];
  /** Pardons and deals only reach people already sentenced; Infinity until then. */
  sentencedOn: number;
  termEnd: number;
  early?: { day: number; reason: 'acquitted' | 'non_custodial' };
}

type Exit =
  | { kind: 'ongoing' }
  | { kind: 'released'; day: number; reason: ReleaseReason }
  | { kind: 'expelled'; day: number; country: 'LT' | 'UA' }
  | { kind: 'refused'; day: number }
  | { kind: 'died'; day: number };

type ClosedExit = Exclude<Exit, { kind: 'ongoing' }>;

function event(day: number, type: EventType, fields: Omit<TimelineEvent, 'day' | 'phase' | 'type'> = {}): TimelineEvent {
  return { day, phase: PHASE[type], type, ...fields };
}

export function compareEvents(a: TimelineEvent, b: TimelineEvent): number {
  return a.day - b.day || a.phase - b.phase;
}

export function personTimeline(rng: Random, subject: Subject, calendar: DemoCalendar, firstArrest: number): TimelineEvent[] {
  const timeline: TimelineEvent[] = [];
  let plan: Plan | undefined = planNewEpisode(rng, subject, firstArrest, false);
  for (let episode = 0; plan && episode < MAX_EPISODES; episode++) {
    const exit = chooseExit(rng, plan, calendar);
    timeline.push(...closeEpisode(plan, exit, calendar.today));
    plan = exit.kind === 'ongoing' ? undefined : nextEpisode(rng, subject, calendar, plan, exit);
  }
  maybeWithdrawRecognition(rng, timeline, calendar.today);
  return timeline.sort(compareEvents);
}

function planNewEpisode(rng: Random, subject: Subject, start: number, repeat: boolean): Plan {
  const profile = pickCase(rng, eraOf(start));
  const articles = profile.articles.join(';');
  let facility = firstFacility(rng, subject, profile);
  const events = [event(start, 'detained', { facility })];
  if (facility === AKRESTSINA) {
    facility = rng.pick(PRETRIAL_BY_REGION[subject.region]);
    events.push(event(start + rng.int(2, 10), 'transferred', { facility }));
  }
  events.push(event(start + rng.int(1, 20), 'charged', { articles }));
  if (rng.chance(0.85)) events.push(event(start + rng.int(14, 56), 'recognized', { organization: RECOGNISING_ORGANIZATION }));

  const trialDay = start + rng.int(45, 330);
  if (rng.chance(0.005)) return { start, events, sentencedOn: Infinity, termEnd: Infinity, early: { day: trialDay, reason: 'acquitted' } };
  const sentence = pickSentence(rng, profile, repeat);
  events.push(event(trialDay, 'sentenced', { ...sentence }));
  if (sentence.regime === 'restricted_freedom') {
    // "Home chemistry": convicted but not held, so custody ends on the day of the verdict.
    return { start, events, sentencedOn: trialDay, termEnd: Infinity, early: { day: trialDay, reason: 'non_custodial' } };
  }
  // Pre-trial detention counts towards the term; a term shorter than the trial means release at the verdict.
  const termEnd = Math.max(addMonths(start, sentence.termMonths), trialDay);
  const plan: Plan = { start, events, sentencedOn: trialDay, termEnd };
  planServing(rng, subject, plan, facility, sentence.regime, trialDay + rng.int(20, 70));
  return plan;
}

/** After the verdict: the colony or prison, sometimes a later move, sometimes a new sentence under 411. */
function planServing(rng: Random, subject: Subject, plan: Plan, from: string, regime: Regime, arrival: number): void {
  if (arrival >= plan.termEnd) return;
  let facility = placement(rng, subject, regime, from);
  plan.events.push(event(arrival, 'transferred', { facility }));
  if (plan.termEnd - arrival > 400 && rng.chance(0.05)) {
    planDisobedienceCase(rng, plan, facility, arrival + rng.int(90, 400));
  } else if (rng.chance(0.2)) {
    const moved = arrival + rng.int(60, 700);
    facility = placement(rng, subject, regime, facility);
    if (moved < plan.termEnd) plan.events.push(event(moved, 'transferred', { facility }));
  }
}

/** Article 411 (disobeying the colony administration) adds a term and usually a move to a prison. */
function planDisobedienceCase(rng: Random, plan: Plan, from: string, chargedOn: number): void {
  const verdict = chargedOn + rng.int(30, 90);
  const termMonths = rng.pick([6, 12, 12, 12, 18, 24]);
  plan.termEnd = addMonths(plan.termEnd, termMonths);
  plan.events.push(event(chargedOn, 'charged', { articles: IN_CUSTODY_ARTICLE }));
  plan.events.push(event(verdict, 'sentenced', { articles: IN_CUSTODY_ARTICLE, termMonths, regime: 'prison' }));
  const moved = verdict + rng.int(10, 40);
  if (moved < plan.termEnd) plan.events.push(event(moved, 'transferred', { facility: differentFrom(rng, PRISONS, from) }));
}

/** Someone who refused expulsion is taken back and serves the rest of the original term. */
function planResumedEpisode(rng: Random, start: number, previous: Plan): Plan {
  const facility = rng.pick(PRISONS);
  const termEnd = Math.max(previous.termEnd, start + 30);
  return { start, events: [event(start, 'detained', { facility })], sentencedOn: previous.sentencedOn, termEnd };
}

function firstFacility(rng: Random, subject: Subject, profile: CaseProfile): string {
  if (profile.kgb && rng.chance(0.8)) return KGB_SIZO;
  const fromMinsk = subject.region === 'Minsk city' || subject.region === 'Minsk region';
  if (fromMinsk && rng.chance(0.35)) return AKRESTSINA;
  return rng.pick(PRETRIAL_BY_REGION[subject.region]);
}

function placement(rng: Random, subject: Subject, regime: Regime, current: string): string {
  if (regime === 'prison') return differentFrom(rng, PRISONS, current);
  return differentFrom(rng, subject.gender === 'female' ? WOMEN_COLONIES : MEN_COLONIES, current);
}

/** A transfer always goes somewhere else; every list passed here holds at least two distinct names. */
export function differentFrom(rng: Random, names: readonly string[], current: string): string {
  for (;;) {
    const name = rng.pick(names);
    if (name !== current) return name;
  }
}

function chooseExit(rng: Random, plan: Plan, calendar: DemoCalendar): Exit {
  let best: ClosedExit = plan.early
    ? { kind: 'released', day: plan.early.day, reason: plan.early.reason }
    : { kind: 'released', day: plan.termEnd, reason: 'end_of_term' };
  const eligibleAfter = Math.max(plan.start, plan.sentencedOn);
  for (const batch of calendar.pardons) {
    if (batch.day <= eligibleAfter || batch.day >= best.day) continue;
    if (rng.chance(batch.probability)) {
      best = { kind: 'released', day: batch.day, reason: 'pardon' };
      break;
    }
  }
  for (const deal of calendar.deals) {
    if (deal.day <= eligibleAfter || deal.day >= best.day) continue;
    if (rng.chance(deal.probability)) {
      best = dealExit(rng.weighted(deal.outcomes, deal.weights), deal.day);
      break;
    }
  }
  const deathDay = plan.start + Math.floor(-Math.log(1 - rng.next()) / DEATH_RATE_PER_DAY);
  if (deathDay < best.day) best = { kind: 'died', day: deathDay };
  return best.day > calendar.today ? { kind: 'ongoing' } : best;
}

function dealExit(outcome: 'expelled_LT' | 'expelled_UA' | 'released' | 'refused', day: number): ClosedExit {
  switch (outcome) {
    case 'expelled_LT':
      return { kind: 'expelled', day, country: 'LT' };
    case 'expelled_UA':
      return { kind: 'expelled', day, country: 'UA' };
    case 'released':
      return { kind: 'released', day, reason: 'negotiated' };
    case 'refused':
      return { kind: 'refused', day };
  }
}

/** Keeps what happened before the exit and appends the exit itself. */
function closeEpisode(plan: Plan, exit: Exit, today: number): TimelineEvent[] {
  const endDay = exit.kind === 'ongoing' ? Infinity : exit.day;
  const kept = plan.events
    .filter((e) => e.day <= today && (e.day < endDay || (e.day === endDay && e.phase < PHASE.released)))
    .sort(compareEvents);
  switch (exit.kind) {
    case 'ongoing':
      break;
    case 'released':
      kept.push(event(exit.day, 'released', { reason: exit.reason }));
      break;
    case 'expelled':
      kept.push(event(exit.day, 'expelled', { reason: 'negotiated', country: exit.country }));
      break;
    case 'refused':
      kept.push(event(exit.day, 'released', { reason: 'negotiated' }));
      break;
    case 'died':
      kept.push(event(exit.day, 'died', { facility: lastFacility(kept) }));
      break;
  }
  return kept;
}

function lastFacility(sorted: readonly TimelineEvent[]): string | undefined {
  for (let i = sorted.length - 1; i >= 0; i--) {
    const facility = sorted[i]?.facility;
    if (facility) return facility;
  }
  return undefined;
}

function nextEpisode(rng: Random, subject: Subject, calendar: DemoCalendar, plan: Plan, exit: ClosedExit): Plan | undefined {
  if (exit.kind === 'refused') {
    const back = exit.day + rng.int(1, 3);
    return back <= calendar.today ? planResumedEpisode(rng, back, plan) : undefined;
  }
  if (exit.kind !== 'released' || !rng.chance(0.04)) return undefined;
  const rearrest = exit.day + rng.int(60, 900);
  return rearrest <= calendar.today ? planNewEpisode(rng, subject, rearrest, true) : undefined;
}

/** Rarely an organisation withdraws a recognition (for example after new facts about the case). */
function maybeWithdrawRecognition(rng: Random, timeline: TimelineEvent[], today: number): void {
  const recognition = timeline.find((e) => e.type === 'recognized');
  if (!recognition || !rng.chance(0.006)) return;
  const day = recognition.day + rng.int(60, 700);
  const death = timeline.find((e) => e.type === 'died');
  if (day > today || (death && day >= death.day)) return;
  timeline.push(event(day, 'recognition_withdrawn', { organization: RECOGNISING_ORGANIZATION }));
}
