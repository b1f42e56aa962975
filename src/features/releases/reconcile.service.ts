/**
 * Reconciling a published list (a pardon list, a negotiated release list) with the registry: every
 * line gets the person it names, or none. It must not guess: a line is matched only when the best
 * candidate scores as a confident match, clearly ahead of the next one, and agrees with a birth year
 * the line gives. Everything else is left for a person to decide, with the candidates shown.
 */
import { CONFIDENT_MATCH } from '../../names/index.js';
import type { Store } from '../../store/connection.js';
import { runSearch, searchIndex } from '../search/search.service.js';

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

export async function reconcileLines(store: Store, lines: readonly string[]): Promise<ReconcileEntry[]> {
  const indexed = await searchIndex(store, false);
  const birthDates = new Map(
    (await store.db.selectFrom('person').select(['id', 'birth_date']).where('merged_into', 'is', null).execute()).map((row) => [row.id, row.birth_date]),
  );
  const firstLineOf = new Map<string, number>();
  return lines.map((text, index) => {
    const line = index + 1;
    const { name, birthYear } = parseListLine(text);
    const entry: ReconcileEntry = { line, text, external_id: null, score: 0, status: 'empty', reason: null, candidates: [], same_person_as_line: null };
    if (name === '') return entry;
    const hits = runSearch(indexed, name, 5);
    entry.candidates = hits.map((hit) => ({ external_id: hit.external_id, name: hit.name, score: hit.score, birth_date: birthDates.get(hit.id) ?? null }));
    const [best, next] = entry.candidates;
    entry.score = best?.score ?? 0;
    if (!best || best.score < CONFIDENT_MATCH) {
      entry.status = 'unmatched';
      entry.reason = best ? `best candidate scores ${best.score.toFixed(2)}, below the confident-match level ${CONFIDENT_MATCH}` : 'no candidate at all';
      return entry;
    }
    // A birth year in the list settles between namesakes, and rules out a namesake of another age.
    const fitting = birthYear ? entry.candidates.filter((c) => c.score >= CONFIDENT_MATCH && (c.birth_date ?? '').startsWith(birthYear)) : [];
    if (birthYear && fitting.length === 1) return confirm(entry, fitting[0]!, firstLineOf);
    if (birthYear && best.birth_date && !best.birth_date.startsWith(birthYear)) {
      entry.status = 'uncertain';
      entry.reason = `the list gives birth year ${birthYear}, the best candidate was born ${best.birth_date}`;
      return entry;
    }
    if (next && best.score - next.score < MARGIN) {
      entry.status = 'uncertain';
      entry.reason = `${best.external_id} and ${next.external_id} fit almost equally (${best.score.toFixed(2)} / ${next.score.toFixed(2)})`;
      return entry;
    }
    return confirm(entry, best, firstLineOf);
  });
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
