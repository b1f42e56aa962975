// Name matching for Vigil: romanisation, phonetic keys, given-name equivalents and a searchable
// index. Pure code: no I/O, no database.

export type { NameHit, NameRecord, NameVariantInput, SearchOptions } from './types.js';
export { NameIndex } from './name-index.js';
export { compareRecords, type RecordComparison } from './compare.js';
export { detectScript, type Script } from './script.js';
export { romanize, SYSTEM_NAMES, type System } from './romanize.js';
export { foldDiacritics } from './fold.js';
export { nameKey, primaryKey, splitName, tokenKeys } from './phonetic.js';
export { keySimilarity } from './similarity.js';
export { givenNameEquivalence } from './given-names.js';

/**
 * Score at or above which a search hit may be taken as the same person without a human check
 * (used when reconciling release lists). Set from the names-dev evaluation: correct matches of
 * every spelling kind mostly score above it; names absent from the index score below it.
 */
export const CONFIDENT_MATCH = 0.8;
