// Public shapes of the name-matching engine.

/** One way of writing a person's name. Parts may be missing; `full` is for names not split into parts. */
export interface NameVariantInput {
  family?: string | null;
  given?: string | null;
  patronymic?: string | null;
  /** 'be' | 'ru' | 'en' | 'pl' | ... — informative only: the script and spelling are detected. */
  lang?: string | null;
  /** A whole name such as "Given Family" when its parts are not known. */
  full?: string | null;
}

export interface NameRecord {
  id: number;
  names: NameVariantInput[];
  /** YYYY, YYYY-MM or YYYY-MM-DD. */
  birthDate?: string | null;
  region?: string | null;
}

export interface NameHit {
  id: number;
  /** 0..1; 1 only when every word matches a stored spelling exactly. */
  score: number;
  /** The stored variant that matched, as written. */
  matched: string;
}

export interface SearchOptions {
  /** Most hits to return (default 10). */
  limit?: number;
  /** Leave out hits scoring below this (default 0). */
  minScore?: number;
}
