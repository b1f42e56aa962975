// In-memory name index: phonetic keys → people (inverted index), a bigram index over the key
// vocabulary for typos, and full-name scoring of the few people the query words point to.
//
// Layout is flat (typed arrays, ids instead of objects) because a million people with three
// spellings each must fit in a few hundred megabytes and be searched in milliseconds.

import { foldDiacritics } from './fold.js';
import {
  areDifferentKnownNames, FAMILIAR_NAME_SIMILARITY, fullFormKeysOfGroup, givenNameEquivalence, givenNameGroups,
  westernNameGroups,
} from './given-names.js';
import { fineKeys, splitName, tokenKeys } from './phonetic.js';
import { bestAssignment, type WordRoleMatrix } from './score.js';
import { GENDER_PAIR_SIMILARITY, isGenderPair, keyEvidence, keySimilarity } from './similarity.js';
import { looksLikePatronymic, recordTokens, Role } from './tokens.js';
import type { NameHit, NameRecord, SearchOptions } from './types.js';

/** Growable Int32 column. */
class IntColumn {
  data = new Int32Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  at(index: number): number {
    return this.data[index] ?? 0;
  }
}

// Token entry packing: surface id in the high bits, variant (6 bits) and role (2 bits) below.
const ROLE_BITS = 2;
const VARIANT_BITS = 6;
const MAX_VARIANT = (1 << VARIANT_BITS) - 1;

// Role codes as plain module constants: read in the innermost scoring loop.
const FAMILY: number = Role.family;
const GIVEN: number = Role.given;
const PATRONYMIC: number = Role.patronymic;
const ANY: number = Role.any;

const FUZZY_MIN_SIMILARITY = 0.55;
// Two different names from the given-name table (Галіна / Паліна) are not a typo of each other.
const DIFFERENT_NAME_SIMILARITY = 0.45;
const FUZZY_MAX_KEYS_PER_WORD = 40;
const MAX_QUERY_WORDS = 5;
// Candidates scored in full per query; ties at the cut are kept up to HARD_CAP.
const CANDIDATE_TARGET = 64;
const CANDIDATE_HARD_CAP = 3000;

interface ScoredSlot {
  readonly slot: number;
  readonly id: number;
  readonly score: number;
  /** The variant most of the matched words came from. */
  readonly variant: number;
}

interface WordMatches {
  readonly folded: string;
  readonly fine: readonly string[];
  readonly patronymicLike: boolean;
  /** keyId → similarity as any name part. */
  readonly anyRole: Map<number, number>;
  /** keyId → similarity as a given name (also counts given-name equivalents and familiar forms). */
  readonly givenRole: Map<number, number>;
}

function bigrams(key: string): string[] {
  const padded = `^${key}$`;
  const grams: string[] = [];
  for (let i = 0; i + 2 <= padded.length; i++) grams.push(padded.slice(i, i + 2));
  return grams;
}

export class NameIndex {
  // Key vocabulary.
  private readonly keyIds = new Map<string, number>();
  private readonly keys: string[] = [];
  private readonly keysByBigram = new Map<string, number[]>();
  private postings: number[][] = [];
  // Surface vocabulary (the words as written).
  private readonly surfaceIds = new Map<string, number>();
  private readonly surfaces: string[] = [];
  private readonly surfacesFolded: string[] = [];
  private readonly surfacesFine: string[][] = [];
  // People: slot → tokens [tokenStart[slot], tokenStart[slot + 1]).
  private slotIds = new IntColumn();
  private slotAlive = new Uint8Array(1024);
  private tokenStart = new IntColumn();
  private tokenKey = new IntColumn();
  private tokenPacked = new IntColumn();
  private readonly slotById = new Map<number, number>();
  private deadSlots = 0;
  // Per-query scratch, indexed by slot.
  private accumulated = new Float32Array(0);
  private touchedStamp = new Int32Array(0);
  private wordStamp = new Int32Array(0);
  private stamp = 0;

  constructor() {
    this.tokenStart.push(0);
  }

  get size(): number {
    return this.slotById.size;
  }

  /** Adds a person, replacing any earlier record with the same id. */
  add(record: NameRecord): void {
    this.remove(record.id);
    const slot = this.slotIds.length;
    this.slotIds.push(record.id);
    this.ensureSlotCapacity(slot + 1);
    this.slotAlive[slot] = 1;
    const postedKeys = new Set<number>();
    const seen = new Set<string>();
    for (const token of recordTokens(record.names)) {
      const surfaceId = this.internSurface(token.surface, token.folded);
      const variant = Math.min(token.variant, MAX_VARIANT);
      for (const key of token.keys) {
        const keyId = this.internKey(key);
        const packed = (surfaceId << (ROLE_BITS + VARIANT_BITS)) | (variant << ROLE_BITS) | token.role;
        const identity = `${keyId}:${packed}`;
        if (seen.has(identity)) continue;
        seen.add(identity);
        this.tokenKey.push(keyId);
        this.tokenPacked.push(packed);
        postedKeys.add(keyId);
      }
    }
    this.tokenStart.push(this.tokenKey.length);
    for (const keyId of postedKeys) this.postings[keyId]?.push(slot);
    this.slotById.set(record.id, slot);
  }

  remove(id: number): void {
    const slot = this.slotById.get(id);
    if (slot === undefined) return;
    this.slotById.delete(id);
    this.slotAlive[slot] = 0;
    this.deadSlots += 1;
    // Postings skip dead slots; rebuild them once the garbage outweighs the live entries.
    if (this.deadSlots > 1000 && this.deadSlots > this.slotById.size) this.compactPostings();
  }

  search(query: string, options: SearchOptions = {}): NameHit[] {
    const limit = options.limit ?? 10;
    const minScore = options.minScore ?? 0;
    const words = splitName(query)
      .filter((word) => [...word].length > 1)
      .slice(0, MAX_QUERY_WORDS);
    if (words.length === 0 || limit <= 0) return [];
    const matches = words.map((word) => this.matchWord(word));
    const candidates = this.collectCandidates(matches);
    const scored: ScoredSlot[] = [];
    for (const slot of candidates) {
      const result = this.scoreSlot(slot, matches);
      if (result.score >= minScore) scored.push(result);
    }
    scored.sort((a, b) => b.score - a.score || a.id - b.id);
    // The matched spelling is rebuilt only for the hits returned.
    return scored.slice(0, limit).map((r) => ({ id: r.id, score: r.score, matched: this.variantText(r.slot, r.variant) }));
  }

  // ---- vocabulary -------------------------------------------------------------------------

  private internKey(key: string): number {
    const existing = this.keyIds.get(key);
    if (existing !== undefined) return existing;
    const id = this.keys.length;
    this.keys.push(key);
    this.keyIds.set(key, id);
    this.postings.push([]);
    for (const gram of new Set(bigrams(key))) {
      const list = this.keysByBigram.get(gram);
      if (list) list.push(id);
      else this.keysByBigram.set(gram, [id]);
    }
    return id;
  }

  private internSurface(surface: string, folded: string): number {
    const existing = this.surfaceIds.get(surface);
    if (existing !== undefined) return existing;
    const id = this.surfaces.length;
    this.surfaces.push(surface);
    this.surfacesFolded.push(folded);
    this.surfacesFine.push(fineKeys(surface));
    this.surfaceIds.set(surface, id);
    return id;
  }

  /** Vocabulary keys within typo distance of `key`, with the evidence each gives (keyEvidence). */
  private fuzzyKeys(key: string): Array<[number, number]> {
    const grams = [...new Set(bigrams(key))];
    const shared = new Map<number, number>();
    for (const gram of grams) {
      for (const id of this.keysByBigram.get(gram) ?? []) shared.set(id, (shared.get(id) ?? 0) + 1);
    }
    // Each edit destroys at most two bigrams; allow about two edits.
    const needed = Math.max(1, grams.length - 4);
    const found: Array<[number, number]> = [];
    for (const [id, count] of shared) {
      if (count < needed) continue;
      const candidate = this.keys[id] ?? '';
      if (Math.abs(candidate.length - key.length) > 3) continue;
      if (keySimilarity(key, candidate) >= FUZZY_MIN_SIMILARITY) found.push([id, keyEvidence(key, candidate)]);
    }
    found.sort((a, b) => b[1] - a[1]);
    return found.slice(0, FUZZY_MAX_KEYS_PER_WORD);
  }

  private matchWord(word: string): WordMatches {
    const anyRole = new Map<number, number>();
    const givenRole = new Map<number, number>();
    const keys = tokenKeys(word);
    for (const key of keys) {
      for (const [id, evidence] of this.fuzzyKeys(key)) raise(anyRole, id, evidence);
      const exact = this.keyIds.get(key);
      if (exact !== undefined) raise(anyRole, exact, 1);
    }
    this.capNearMisses(keys, anyRole);
    const western = westernNameGroups(word);
    if (western.length > 0) {
      // "Eugene" as a given name means Евгений and nothing that merely sounds like it.
      for (const group of western) this.raiseGroup(givenRole, group, () => FAMILIAR_NAME_SIMILARITY);
    } else {
      for (const [id, sim] of anyRole) {
        const differentName = keys.every((key) => areDifferentKnownNames(key, this.keys[id] ?? ''));
        raise(givenRole, id, differentName ? Math.min(sim, DIFFERENT_NAME_SIMILARITY) : sim);
      }
      for (const key of keys) {
        for (const group of givenNameGroups(key)) {
          this.raiseGroup(givenRole, group, (equivalent) => givenNameEquivalence(key, equivalent));
        }
      }
    }
    return { folded: foldDiacritics(word), fine: fineKeys(word), patronymicLike: looksLikePatronymic(word), anyRole, givenRole };
  }

  private raiseGroup(map: Map<number, number>, group: number, similarity: (key: string) => number): void {
    for (const equivalent of fullFormKeysOfGroup(group)) {
      const id = this.keyIds.get(equivalent);
      if (id !== undefined) raise(map, id, similarity(equivalent));
    }
  }

  // A word read several ways (Latin readings) must not escape the gender cap through another
  // reading: if any reading is the other-gender form of a stored key, that key stays capped.
  private capNearMisses(keys: readonly string[], sims: Map<number, number>): void {
    for (const [id, sim] of sims) {
      if (sim === 1) continue;
      const stored = this.keys[id] ?? '';
      if (keys.some((key) => isGenderPair(key, stored))) sims.set(id, Math.min(sim, GENDER_PAIR_SIMILARITY * GENDER_PAIR_SIMILARITY));
    }
  }

  // ---- candidates ---------------------------------------------------------------------------

  private ensureSlotCapacity(slots: number): void {
    if (slots <= this.slotAlive.length) return;
    const bigger = new Uint8Array(Math.max(slots, this.slotAlive.length * 2));
    bigger.set(this.slotAlive);
    this.slotAlive = bigger;
  }

  private ensureScratch(): void {
    const slots = this.slotIds.length;
    if (this.accumulated.length >= slots) return;
    const capacity = Math.max(slots, this.accumulated.length * 2, 1024);
    this.accumulated = new Float32Array(capacity);
    this.touchedStamp = new Int32Array(capacity);
    this.wordStamp = new Int32Array(capacity);
    this.stamp = 0;
  }

  private nextStamp(): number {
    if (this.stamp > 2_000_000_000) {
      this.touchedStamp.fill(0);
      this.wordStamp.fill(0);
      this.stamp = 0;
    }
    this.stamp += 1;
    return this.stamp;
  }

  /**
   * Adds up, per person, the best similarity of each query word to any of their keys, touching
   * each posting once, and keeps the people with the highest totals for full scoring.
   */
  private collectCandidates(matches: readonly WordMatches[]): number[] {
    this.ensureScratch();
    const queryStamp = this.nextStamp();
    const touched: number[] = [];
    for (const match of matches) {
      const wordStamp = this.nextStamp();
      const best = new Map(match.anyRole);
      for (const [id, sim] of match.givenRole) raise(best, id, sim);
      const ranked = [...best].sort((a, b) => b[1] - a[1]);
      for (const [keyId, sim] of ranked) {
        for (const slot of this.postings[keyId] ?? []) {
          if (this.slotAlive[slot] !== 1 || this.wordStamp[slot] === wordStamp) continue;
          this.wordStamp[slot] = wordStamp;
          if (this.touchedStamp[slot] !== queryStamp) {
            this.touchedStamp[slot] = queryStamp;
            this.accumulated[slot] = 0;
            touched.push(slot);
          }
          this.accumulated[slot] = (this.accumulated[slot] ?? 0) + sim;
        }
      }
    }
    return this.topByAccumulated(touched, matches.length);
  }

  // Histogram selection: O(touched) instead of sorting tens of thousands of people.
  private topByAccumulated(touched: number[], maxTotal: number): number[] {
    if (touched.length <= CANDIDATE_TARGET) return touched;
    const bins = 256;
    const counts = new Int32Array(bins);
    const binOf = (slot: number): number => Math.min(bins - 1, Math.floor(((this.accumulated[slot] ?? 0) / maxTotal) * (bins - 1)));
    for (const slot of touched) {
      const bin = binOf(slot);
      counts[bin] = (counts[bin] ?? 0) + 1;
    }
    let cut = bins - 1;
    let kept = counts[cut] ?? 0;
    while (cut > 0 && kept < CANDIDATE_TARGET) {
      cut -= 1;
      kept += counts[cut] ?? 0;
    }
    const selected: number[] = [];
    for (const slot of touched) {
      if (binOf(slot) >= cut) selected.push(slot);
      if (selected.length >= CANDIDATE_HARD_CAP) break;
    }
    return selected;
  }

  // ---- scoring ------------------------------------------------------------------------------

  private scoreSlot(slot: number, matches: readonly WordMatches[]): ScoredSlot {
    const words = matches.length;
    const matrix: WordRoleMatrix = { words, sims: new Float64Array(words * 3), exact: new Uint8Array(words * 3) };
    const sourceVariant = new Int8Array(words * 3).fill(-1);
    let hasFamily = false;
    let hasGiven = false;
    let hasPatronymic = false;
    const end = this.tokenStart.at(slot + 1);
    for (let t = this.tokenStart.at(slot); t < end; t++) {
      const keyId = this.tokenKey.at(t);
      const packed = this.tokenPacked.at(t);
      const role = packed & 3;
      hasFamily ||= role === FAMILY || role === ANY;
      hasGiven ||= role === GIVEN || role === ANY;
      hasPatronymic ||= role === PATRONYMIC;
      for (let word = 0; word < words; word++) {
        const match = matches[word] as WordMatches;
        // A word of unknown role (a one-word `full` name) may be the family or the given name.
        if (role !== GIVEN) this.recordCell(matrix, sourceVariant, word, role === ANY ? FAMILY : role, match.anyRole.get(keyId), packed, match);
        if (role === GIVEN || role === ANY) this.recordCell(matrix, sourceVariant, word, GIVEN, match.givenRole.get(keyId), packed, match);
      }
    }
    const patronymicLike = matches.map((m) => m.patronymicLike);
    const assignment = bestAssignment(matrix, { hasFamily, hasGiven, hasPatronymic }, patronymicLike);
    const variant = this.dominantVariant(assignment.roles, sourceVariant);
    return { slot, id: this.slotIds.at(slot), score: roundScore(assignment.score), variant };
  }

  private recordCell(
    matrix: WordRoleMatrix, sourceVariant: Int8Array, word: number, role: number, sim: number | undefined, packed: number, match: WordMatches,
  ): void {
    if (sim === undefined || sim <= 0) return;
    const cell = word * 3 + role;
    if (sim > (matrix.sims[cell] ?? 0)) {
      matrix.sims[cell] = sim;
      sourceVariant[cell] = (packed >> ROLE_BITS) & MAX_VARIANT;
    }
    if ((matrix.exact[cell] ?? 0) < 2) {
      matrix.exact[cell] = Math.max(matrix.exact[cell] ?? 0, this.spellingAgreement(packed >>> (ROLE_BITS + VARIANT_BITS), match));
    }
  }

  /** 2 when spelled identically (ignoring case and diacritics), 1 when the fine keys agree. */
  private spellingAgreement(surfaceId: number, match: WordMatches): number {
    if (this.surfacesFolded[surfaceId] === match.folded) return 2;
    const fine = this.surfacesFine[surfaceId] ?? [];
    return fine.some((key) => match.fine.includes(key)) ? 1 : 0;
  }

  private dominantVariant(roles: readonly number[], sourceVariant: Int8Array): number {
    const votes = new Map<number, number>();
    roles.forEach((role, word) => {
      if (role < 0) return;
      const variant = sourceVariant[word * 3 + role] ?? -1;
      // The family name decides ties: it is the most telling part of the spelling.
      if (variant >= 0) votes.set(variant, (votes.get(variant) ?? 0) + (role === 0 ? 1.5 : 1));
    });
    let best = 0;
    let bestVotes = -1;
    for (const [variant, count] of votes) {
      if (count > bestVotes) {
        best = variant;
        bestVotes = count;
      }
    }
    return best;
  }

  private variantText(slot: number, variant: number): string {
    const words: string[] = [];
    let lastSurface = -1;
    for (let t = this.tokenStart.at(slot); t < this.tokenStart.at(slot + 1); t++) {
      const packed = this.tokenPacked.at(t);
      if (((packed >> ROLE_BITS) & MAX_VARIANT) !== variant) continue;
      const surface = packed >>> (ROLE_BITS + VARIANT_BITS);
      if (surface !== lastSurface) words.push(this.surfaces[surface] ?? '');
      lastSurface = surface;
    }
    return words.join(' ');
  }

  private compactPostings(): void {
    this.postings = this.postings.map((list) => list.filter((slot) => this.slotAlive[slot] === 1));
    this.deadSlots = 0;
  }
}

function raise(map: Map<number, number>, id: number, sim: number): void {
  if (sim > (map.get(id) ?? 0)) map.set(id, sim);
}

function roundScore(score: number): number {
  return Math.round(score * 10000) / 10000;
}
