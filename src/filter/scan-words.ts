/**
 * Filter text → words, as ss's lexer splits them: at blanks, with a backslash escaping the next character.
 * @module
 */

/** One word of a filter, with where it was written. */
export interface FilterWord {
  /** The word with its escapes resolved (`\(` → `(`). */
  value: string;
  /** 0-based offset of its first character in the filter text. */
  start: number;
  /** Offset just after its last character. */
  end: number;
}

/** Space, TAB (what ss splits at) and CR, LF (a filter kept in a file). */
function isBlank(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/**
 * Splits a filter into words. ss splits its arguments at spaces and TABs and lets a backslash escape any character
 * (so `\(` is `(`, `\and` is `and`, and `/tmp/my\ sock` is one word); procnet also splits at line ends.
 */
export function scanWords(text: string): FilterWord[] {
  const words: FilterWord[] = [];
  const length = text.length;
  let pos = 0;
  while (pos < length) {
    while (pos < length && isBlank(text.charCodeAt(pos))) pos++;
    if (pos >= length) break;
    const start = pos;
    let value = '';
    while (pos < length && !isBlank(text.charCodeAt(pos))) {
      if (text.charCodeAt(pos) === 0x5c) {
        pos++;
        if (pos >= length) break;
      }
      value += text[pos];
      pos++;
    }
    words.push({ value, start, end: pos });
  }
  return words;
}
