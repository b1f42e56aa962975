/**
 * What changed between two versions of a record, field by field. Snapshots are what the change log
 * keeps (a record's content as JSON); they reach here already redacted to what the viewer may see.
 * Lists of objects (a person's names, a deal's people) are compared item by item: the rows removed and
 * the rows added, so a name whose level changed shows as the old row gone and the new row there.
 */

/** A value as shown: a plain value, or list items already written out. */
export type Shown = string | number | boolean | null | readonly string[];

export interface FieldChange {
  /** The field, with the key inside for objects (`biography.be`). */
  field: string;
  before: Shown;
  after: Shown;
}

type Snapshot = Record<string, unknown>;

const isPlainObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** JSON with object keys sorted, so equal content compares equal whatever order it was written in. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isPlainObject(value)) return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`).join(',')}}`;
  return JSON.stringify(value ?? null);
}

/** A person's name variant written out: parts (and the whole form, when stored besides), then language and level. */
function nameText(name: Record<string, unknown>): string {
  const parts = [name.family, name.given, name.patronymic].filter((part) => typeof part === 'string' && part !== '');
  const full = typeof name.full_name === 'string' && name.full_name !== '' ? name.full_name : null;
  const text = parts.length === 0 ? full ?? '' : full ? `${parts.join(' ')} [${full}]` : parts.join(' ');
  const about = [name.lang, name.romanization, name.confidentiality].filter((part) => typeof part === 'string' && part !== '');
  return about.length > 0 ? `${text} (${about.join(', ')})` : text;
}

function itemText(field: string, item: unknown): string {
  if (field === 'names' && isPlainObject(item)) return nameText(item);
  if (isPlainObject(item)) return Object.entries(item).map(([key, value]) => `${key}: ${value === null ? '—' : String(value)}`).join(', ');
  return String(item);
}

/** The items of `from` not in `to`, counting repeats. */
function missingFrom(from: readonly unknown[], to: readonly unknown[]): unknown[] {
  const left = new Map<string, number>();
  for (const item of to) left.set(canonical(item), (left.get(canonical(item)) ?? 0) + 1);
  return from.filter((item) => {
    const key = canonical(item);
    const n = left.get(key) ?? 0;
    if (n > 0) left.set(key, n - 1);
    return n === 0;
  });
}

function shown(value: unknown): Shown {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map((item) => itemText('', item));
  return canonical(value);
}

function listChange(field: string, before: unknown, after: unknown): FieldChange {
  const from = Array.isArray(before) ? before : [];
  const to = Array.isArray(after) ? after : [];
  const objects = [...from, ...to].some(isPlainObject);
  if (!objects) return { field, before: from.map((item) => itemText(field, item)), after: to.map((item) => itemText(field, item)) };
  const removed = missingFrom(from, to);
  const added = missingFrom(to, from);
  // Same rows in another order: show the whole lists, so the new order is visible.
  if (removed.length === 0 && added.length === 0) return { field, before: from.map((item) => itemText(field, item)), after: to.map((item) => itemText(field, item)) };
  const gone = removed.map((item) => itemText(field, item));
  const come = added.map((item) => itemText(field, item));
  // Rows that differ only in what the short form leaves out are written out whole, so the change shows.
  const same = new Set(gone.filter((text) => come.includes(text)));
  const written = (items: unknown[], texts: string[]) => texts.map((text, i) => (same.has(text) ? `${text} ${canonical(items[i])}` : text));
  return { field, before: written(removed, gone), after: written(added, come) };
}

/** Every field whose value differs between two snapshots (null before: a new record; null after: removed). */
export function diffSnapshots(before: Snapshot | null, after: Snapshot | null): FieldChange[] {
  const keys = [...new Set([...Object.keys(after ?? {}), ...Object.keys(before ?? {})])];
  const changes: FieldChange[] = [];
  for (const key of keys) {
    const from = before?.[key];
    const to = after?.[key];
    if (canonical(from) === canonical(to)) continue;
    if (Array.isArray(from) || Array.isArray(to)) {
      changes.push(listChange(key, from, to));
    } else if (isPlainObject(from) || isPlainObject(to)) {
      const inner = diffSnapshots(isPlainObject(from) ? from : null, isPlainObject(to) ? to : null);
      changes.push(...inner.map((change) => ({ ...change, field: `${key}.${change.field}` })));
    } else {
      changes.push({ field: key, before: shown(from), after: shown(to) });
    }
  }
  return changes;
}
