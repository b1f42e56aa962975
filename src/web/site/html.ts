/**
 * HTML built by construction: every interpolated value is escaped unless it is already Html (made by
 * this tag from constant markup). Attribute values must be quoted in the template; the escape covers
 * both quote characters, so a value can never leave its attribute. URLs from the data go through
 * `safeUrl`, so a stored "javascript:" link cannot become a live one.
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type Child = Html | string | number | null | undefined | false | readonly Child[];

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ENTITIES[char]!);
}

function render(child: Child): string {
  if (child === null || child === undefined || child === false) return '';
  if (child instanceof Html) return child.value;
  if (Array.isArray(child)) return child.map(render).join('');
  return escapeHtml(String(child));
}

export function html(strings: TemplateStringsArray, ...values: Child[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new Html(out);
}

/** Joins pieces of markup (each escaped unless already Html). */
export function join(children: readonly Child[], separator: Child = ''): Html {
  const sep = render(separator);
  return new Html(children.map(render).filter((part) => part !== '').join(sep));
}

/** An http(s) or same-site link; anything else (javascript:, data:, ...) becomes no link at all. */
export function safeUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  const trimmed = url.trim();
  if (trimmed.startsWith('/') && !trimmed.startsWith('//')) return trimmed;
  try {
    const parsed = new URL(trimmed);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}
