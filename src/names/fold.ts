// Folding for plain comparison: case and diacritics removed, so "Łukaševič", "LUKASEVIC" and
// "lukasevic" compare equal. This is spelling-level equality only; phonetic.ts does the rest.

// Letters that Unicode does not decompose into base letter + mark.
const UNDECOMPOSABLE: Readonly<Record<string, string>> = {
  ł: 'l', đ: 'd', ø: 'o', ß: 'ss', æ: 'ae', œ: 'oe', ı: 'i', ħ: 'h',
};

// й and ў are letters of their own in Belarusian and Russian, not и/у with an accent.
const KEEP_CYRILLIC = new Set(['й', 'ў']);

/** Lower-cases, removes diacritics (ё → е, č → c, ł → l) and drops apostrophes and hyphens' marks. */
export function foldDiacritics(text: string): string {
  let out = '';
  for (const char of text.toLowerCase()) {
    if (KEEP_CYRILLIC.has(char)) {
      out += char;
      continue;
    }
    const base = UNDECOMPOSABLE[char] ?? char.normalize('NFD').replace(/\p{M}/gu, '');
    out += base;
  }
  return out.replace(/['’ʼʹʺ`]/gu, '').normalize('NFC');
}
