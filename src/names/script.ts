// Which script a text is written in, judged by its letters only.

export type Script = 'cyrillic' | 'latin' | 'mixed' | 'other';

export function detectScript(text: string): Script {
  let cyrillic = false;
  let latin = false;
  let other = false;
  for (const char of text) {
    if (/\p{Script=Cyrillic}/u.test(char)) cyrillic = true;
    else if (/\p{Script=Latin}/u.test(char)) latin = true;
    else if (/\p{L}/u.test(char)) other = true;
  }
  if (cyrillic && latin) return 'mixed';
  if (cyrillic) return other ? 'mixed' : 'cyrillic';
  if (latin) return other ? 'mixed' : 'latin';
  return 'other';
}
