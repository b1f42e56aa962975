// The fictional 2025 negotiated-release deals as deal records: who each deal freed (read off the generated
// events, so the deals and the custody histories never disagree), who refused expulsion and was taken
// back, who was asked for and kept, and the made-up sanction measures eased or lifted in return.
// Deterministic: the same events, seed and `today` give the same deals.
import type { ConcessionAction, DealCondition } from '../domain/release-deal.js';
import { DEAL_DATES } from './calendar.js';
import { parseIsoDay } from './days.js';
import { Random } from './random.js';
import type { EventRow } from './rows.js';

export interface DemoSanction {
  key: string;
  issuer: string;
  target: string;
  description: string;
  imposed_on: string;
  eased_on: string | null;
  lifted_on: string | null;
}

export interface DemoDeal {
  slug: string;
  date: string;
  facilitator: string;
  envoy: string;
  counterpart: string;
  destinations: string[];
  conditions: DealCondition[];
  summary: string;
  concessions: { sanction: string; action: ConcessionAction }[];
  /** External ids: freed and left in the country. */
  released: string[];
  /** Country → external ids expelled there. */
  expelled: Record<string, string[]>;
  /** Freed on the day, refused to leave and were taken back (their events stay as generated). */
  refused: string[];
  asked_not_released: string[];
}

export interface DemoDeals {
  sanctions: DemoSanction[];
  deals: DemoDeal[];
  /** The generated release and expulsion rows the deals record themselves (with the deal attached). */
  dealEvents: Set<EventRow>;
}

const NOT_REAL = 'None of these people exist.';
const MEASURE_NOTE = 'FICTIONAL demo measure; it describes no real sanction.';

const DEFINITIONS: readonly { conditions: DealCondition[]; concessions: [string, ConcessionAction][]; asked: number; summary: string }[] = [
  {
    conditions: ['forced_expulsion', 'passport_withheld'], concessions: [['aviation-parts', 'eased']], asked: 2,
    summary: `FICTIONAL demo deal, loosely modelled on June 2025: after a visit by a US envoy a small group was freed and driven across the border. ${NOT_REAL}`,
  },
  {
    conditions: ['forced_expulsion', 'passport_withheld'], concessions: [['airline', 'lifted']], asked: 4,
    summary: `FICTIONAL demo deal, loosely modelled on September 2025: a larger group freed as sanctions on the national airline were lifted; most were taken to Lithuania, and some who refused to leave were taken back to prison. ${NOT_REAL}`,
  },
  {
    conditions: ['forced_expulsion', 'passport_withheld', 'family_reunion_delayed'], concessions: [['potash', 'lifted'], ['aviation-parts', 'lifted']], asked: 6,
    summary: `FICTIONAL demo deal, loosely modelled on December 2025: the largest group, freed as sanctions on potash exports were lifted; most were taken to Ukraine. ${NOT_REAL}`,
  },
];

function sanctions(dates: readonly (string | undefined)[], today: string): DemoSanction[] {
  const [june, september, december] = dates;
  const measure = (key: string, target: string, imposed_on: string, eased_on: string | undefined, lifted_on: string | undefined): DemoSanction =>
    ({ key, issuer: 'US', target, description: MEASURE_NOTE, imposed_on, eased_on: eased_on ?? null, lifted_on: lifted_on ?? null });
  return [
    measure('aviation-parts', 'civil aviation spare parts', '2021-08-09', june, december),
    measure('airline', 'national airline', '2021-08-09', undefined, september),
    measure('potash', 'potash exports', '2021-12-02', undefined, december),
  ].filter((s) => s.imposed_on <= today);
}

function byPerson(events: readonly EventRow[]): Map<string, EventRow[]> {
  const map = new Map<string, EventRow[]>();
  for (const event of events) {
    const list = map.get(event.person_external_id) ?? [];
    list.push(event);
    map.set(event.person_external_id, list);
  }
  return map;
}

const ENDS_CUSTODY = new Set(['released', 'expelled', 'died']);

/** Held on the day and never released after it: the people negotiators asked for in vain. */
function stillHeldSince(events: readonly EventRow[], date: string): boolean {
  let held = false;
  for (const event of events) {
    if (event.date > date) {
      if (ENDS_CUSTODY.has(event.type)) return false;
      continue;
    }
    if (event.type === 'detained') held = true;
    else if (ENDS_CUSTODY.has(event.type)) held = false;
  }
  return held;
}

/** A few of the candidates, chosen by the seed. */
function pick(rng: Random, candidates: readonly string[], n: number): string[] {
  const pool = [...candidates];
  const chosen: string[] = [];
  while (chosen.length < n && pool.length) chosen.push(pool.splice(Math.floor(rng.next() * pool.length), 1)[0]!);
  return chosen.sort();
}

export function demoDeals(events: readonly EventRow[], seed: number, today: string): DemoDeals {
  const people = byPerson(events);
  const dates = DEAL_DATES.map((date) => (date <= today ? date : undefined));
  const dealEvents = new Set<EventRow>();
  const asked = new Set<string>();
  const deals: DemoDeal[] = [];
  DEAL_DATES.forEach((date, index) => {
    if (date > today) return;
    const definition = DEFINITIONS[index]!;
    const deal: DemoDeal = {
      slug: `demo-${date}`, date, facilitator: 'United States', envoy: 'US special envoy (fictional)', counterpart: 'Belarusian authorities',
      destinations: [], conditions: definition.conditions, summary: definition.summary,
      concessions: definition.concessions.map(([sanction, action]) => ({ sanction, action })),
      released: [], expelled: {}, refused: [], asked_not_released: [],
    };
    for (const [id, list] of people) {
      list.forEach((event, i) => {
        if (event.date !== date || event.reason !== 'negotiated') return;
        if (event.type === 'expelled') {
          (deal.expelled[event.country] ??= []).push(id);
          dealEvents.add(event);
        } else if (event.type === 'released') {
          const next = list[i + 1];
          // Someone who refused expulsion is detained again within days (see timeline.ts).
          const takenBack = next?.type === 'detained' && parseIsoDay(next.date) - parseIsoDay(date) <= 3;
          if (takenBack) deal.refused.push(id);
          else {
            deal.released.push(id);
            dealEvents.add(event);
          }
        }
      });
    }
    deal.destinations = Object.keys(deal.expelled).sort();
    const candidates = [...people].filter(([id, list]) => !asked.has(id) && stillHeldSince(list, date)).map(([id]) => id);
    deal.asked_not_released = pick(new Random(seed + index + 1), candidates, definition.asked);
    for (const id of deal.asked_not_released) asked.add(id);
    deals.push(deal);
  });
  return { sanctions: sanctions(dates, today), deals, dealEvents };
}
