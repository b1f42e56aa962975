/**
 * Reconciling a published list (a pardon list, a negotiated release list) with the registry: every
 * line gets the person it names, or none. It must not guess: a line is matched only when the best
 * candidate scores as a confident match, clearly ahead of the next one, agrees with a birth year the
 * line gives, and is of the gender the line's name forms say (gender-cues.ts). Everything else is
 * left for a person to decide, with the candidates shown.
 */
import { CONFIDENT_MATCH, givenNameEquivalence, tokenKeys } from '../../names/index.js';
import { looksLikePatronymic } from '../../names/tokens.js';
import type { Store } from '../../store/connection.js';
import { runSearch, searchIndex } from '../search/search.service.js';
import { genderCues, type Gender } from './gender-cues.js';

export type ReconcileStatus = 'matched' | 'uncertain' | 'unmatched' | 'empty';

export interface ReconcileCandidate {
  external_id: string;
  name: string;
  score: number;
  birth_date: string | null;
}

export interface ReconcileEntry {
  line: number;
  text: string;
  /** The confidently matched person, or null. */
  external_id: string | null;
  /** The best candidate's score (0 when there is none). */
  score: number;
  status: ReconcileStatus;
  /** Why a line is uncertain or unmatched. */
  reason: string | null;
  candidates: ReconcileCandidate[];
  /** Set when an earlier line was matched to the same person. */
  same_person_as_line: number | null;
}

/** The runner-up must be this far behind for the best candidate to count as the one meant. */
export const MARGIN = 0.05;

/**
 * The name part of a list line: without list numbering ("12. ", "12) ", "- "), without a trailing
 * birth year or note in brackets, and the birth year if one is given ("1985 г.р.", "(1985)", "b. 1985").
 */
export function parseListLine(text: string): { name: string; birthYear: string | null } {
  let name = text.trim().replace(/^(\d{1,4}[.)]|[-–•*])\s*/u, '');
  const year = /(?:^|[\s(,;])((?:19|20)\d{2})(?=\s*(?:г\.?\s*р\.?|гр\.?|р\.|b\.|born)?\s*\)?\s*(?:[,;]|$))/iu.exec(name)?.[1] ?? null;
  name = name
    .replace(/\([^)]*\)/gu, ' ')
    .replace(/,.*$/u, ' ')
    .replace(/\b(?:19|20)\d{2}\b.*$/u, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
  return { name, birthYear: year };
}

interface CandidateFacts {
  birth_date: string | null;
  gender: string;
  /** Every patronymic stored for the person (any language). */
  patronymics: string[];
}

const CHUNK = 500;

/** Birth date, gender and patronymics of the people found, read once for the whole list. */
async function candidateFacts(store: Store, ids: readonly number[]): Promise<Map<number, CandidateFacts>> {
  const facts = new Map<number, CandidateFacts>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    for (const row of await store.db.selectFrom('person').select(['id', 'birth_date', 'gender']).where('id', 'in', chunk).execute()) {
      facts.set(row.id, { birth_date: row.birth_date, gender: row.gender, patronymics: [] });
    }
    const names = await store.db.selectFrom('person_name').select(['person_id', 'patronymic']).where('person_id', 'in', chunk).where('patronymic', 'is not', null).execute();
    for (const row of names) facts.get(row.person_id)?.patronymics.push(row.patronymic!);
  }
  return facts;
}

/** The patronymic of a line in court order ("Family Given Patronymic"), if it has one. */
function listedPatronymic(name: string): string | null {
  const words = name.split(/\s+/u);
  const last = words.at(-1);
  return words.length >= 3 && last && /\p{Script=Cyrillic}/u.test(last) && looksLikePatronymic(last) ? last : null;
}

const PATRONYMIC_SUFFIX = /(?:[оеё]вна|[аеоё]ўна|[іи]чна|[оеёаэ]в[иі]ч|[иі]ч)$/u;

/**
 * Whether two patronymics are one: the same spelling under transliteration, or formed from equivalent
 * forms of the father's name (Уладзіміраўна / Владимировна, Пятровіч / Петрович).
 */
export function samePatronymic(a: string, b: string): boolean {
  const keysA = tokenKeys(a);
  const keysB = tokenKeys(b);
  if (keysA.some((key) => keysB.includes(key))) return true;
  const stem = (word: string) => tokenKeys(word.toLowerCase().replace(/['’ʼ]/gu, '').replace(PATRONYMIC_SUFFIX, ''));
  const stemsA = stem(a);
  const stemsB = stem(b);
  return stemsA.some((x) => stemsB.some((y) => x === y || givenNameEquivalence(x, y) > 0));
}

/** Why the line cannot be this person although the name scores high: gender, or another patronymic. */
function contradiction(name: string, facts: CandidateFacts | undefined): string | null {
  if (!facts) return null;
  const gender = genderConflict(genderCues(name), facts.gender);
  if (gender) return gender;
  const patronymic = listedPatronymic(name);
  if (patronymic && facts.patronymics.length > 0 && !facts.patronymics.some((stored) => samePatronymic(patronymic, stored))) {
    return `the list gives the patronymic ${patronymic}, the best candidate has another`;
  }
  return null;
}

export async function reconcileLines(store: Store, lines: readonly string[]): Promise<ReconcileEntry[]> {
  const indexed = await searchIndex(store, false);
  const searched = lines.map((text) => {
    const parsed = parseListLine(text);
    return { text, ...parsed, hits: parsed.name === '' ? [] : runSearch(indexed, parsed.name, 5) };
  });
  const facts = await candidateFacts(store, [...new Set(searched.flatMap((s) => s.hits.map((hit) => hit.id)))]);
  const firstLineOf = new Map<string, number>();
  return searched.map(({ text, name, birthYear, hits }, index) => {
    const entry: ReconcileEntry = { line: index + 1, text, external_id: null, score: 0, status: 'empty', reason: null, candidates: [], same_person_as_line: null };
    if (name === '') return entry;
    entry.candidates = hits.map((hit) => ({ external_id: hit.external_id, name: hit.name, score: hit.score, birth_date: facts.get(hit.id)?.birth_date ?? null }));
    const factsOf = new Map(hits.map((hit) => [hit.external_id, facts.get(hit.id)]));
    const [best, next] = entry.candidates;
    entry.score = best?.score ?? 0;
    if (!best || best.score < CONFIDENT_MATCH) {
      entry.status = 'unmatched';
      entry.reason = best ? `best candidate scores ${best.score.toFixed(2)}, below the confident-match level ${CONFIDENT_MATCH}` : 'no candidate at all';
      return entry;
    }
    const decide = (candidate: ReconcileCandidate) => {
      const why = contradiction(name, factsOf.get(candidate.external_id));
      return why ? uncertain(entry, why) : confirm(entry, candidate, firstLineOf);
    };
    // A birth year in the list settles between namesakes, and rules out a namesake of another age.
    const fitting = birthYear ? entry.candidates.filter((c) => c.score >= CONFIDENT_MATCH && (c.birth_date ?? '').startsWith(birthYear)) : [];
    if (birthYear && fitting.length === 1) return decide(fitting[0]!);
    if (birthYear && best.birth_date && !best.birth_date.startsWith(birthYear)) {
      return uncertain(entry, `the list gives birth year ${birthYear}, the best candidate was born ${best.birth_date}`);
    }
    if (next && best.score - next.score < MARGIN) {
      return uncertain(entry, `${best.external_id} and ${next.external_id} fit almost equally (${best.score.toFixed(2)} / ${next.score.toFixed(2)})`);
    }
    return decide(best);
  });
}

/** Why the line cannot name this person: it names a man and a woman at once, or the other gender. */
function genderConflict(cues: Set<Gender>, candidateGender: string): string | null {
  if (cues.size > 1) return "the line mixes a man's and a woman's name forms";
  const [said] = cues;
  if (!said || (candidateGender !== 'male' && candidateGender !== 'female') || said === candidateGender) return null;
  return `the line names a ${said === 'female' ? 'woman' : 'man'}, the best candidate is ${candidateGender === 'female' ? 'a woman' : 'a man'}`;
}

function uncertain(entry: ReconcileEntry, reason: string): ReconcileEntry {
  entry.status = 'uncertain';
  entry.reason = reason;
  return entry;
}

function confirm(entry: ReconcileEntry, candidate: ReconcileCandidate, firstLineOf: Map<string, number>): ReconcileEntry {
  entry.status = 'matched';
  entry.external_id = candidate.external_id;
  entry.score = candidate.score;
  const earlier = firstLineOf.get(candidate.external_id);
  if (earlier !== undefined) {
    entry.same_person_as_line = earlier;
    entry.reason = `line ${earlier} names the same person`;
  } else {
    firstLineOf.set(candidate.external_id, entry.line);
  }
  return entry;
}

/** Lines of a list file: a final newline does not make an extra (empty) line. */
export function listLines(content: string): string[] {
  const lines = content.replace(/^\uFEFF/u, '').split(/\r?\n/u);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}
