/**
 * Confidentiality levels (DOMAIN.md): every stored value is public, internal or restricted.
 * A public value reaches the public only for people whose publication consent is given.
 */
export const LEVELS = ['public', 'internal', 'restricted'] as const;
export type Level = (typeof LEVELS)[number];

const rank: Record<Level, number> = { public: 0, internal: 1, restricted: 2 };

/** The stricter of two levels: a field can make a record more private, never less. */
export function stricter(a: Level, b: Level): Level {
  return rank[a] >= rank[b] ? a : b;
}

export function isLevel(value: string): value is Level {
  return (LEVELS as readonly string[]).includes(value);
}

/** May a reader cleared up to `clearance` see a value at `level`? */
export function allows(clearance: Level, level: Level): boolean {
  return rank[clearance] >= rank[level];
}
