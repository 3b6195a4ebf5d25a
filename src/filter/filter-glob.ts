/**
 * Unix socket name patterns: `fnmatch(pattern, name, FNM_CASEFOLD)`, as ss matches `src unix:/run/*.sock`.
 * @module
 */

/** ASCII lower case of one UTF-16 unit (the C locale folds ASCII only). */
function fold(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
}

const CLASSES: Readonly<Record<string, (c: number) => boolean>> = {
  alnum: (c) => (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a),
  alpha: (c) => (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a,
  blank: (c) => c === 0x20 || c === 0x09,
  cntrl: (c) => c < 0x20 || c === 0x7f,
  digit: (c) => c >= 0x30 && c <= 0x39,
  graph: (c) => c > 0x20 && c < 0x7f,
  lower: (c) => c >= 0x61 && c <= 0x7a,
  print: (c) => c >= 0x20 && c < 0x7f,
  punct: (c) => c > 0x20 && c < 0x7f && !((c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a)),
  space: (c) => c === 0x20 || (c >= 0x09 && c <= 0x0d),
  upper: (c) => c >= 0x41 && c <= 0x5a,
  xdigit: (c) => (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66),
};

/**
 * Matches a bracket expression starting at `pattern[p] === '['` against the (folded) unit `c`. Returns the index
 * after the closing `]` and whether `c` matched, or `undefined` when the bracket is not closed (then `[` is literal).
 */
function matchBracket(pattern: string, p: number, c: number): { end: number; matched: boolean } | undefined {
  let i = p + 1;
  const negate = pattern[i] === '!' || pattern[i] === '^';
  if (negate) i++;
  let matched = false;
  let first = true;
  while (i < pattern.length) {
    if (pattern[i] === ']' && !first) return { end: i + 1, matched: matched !== negate };
    first = false;
    if (pattern[i] === '[' && pattern[i + 1] === ':') {
      const close = pattern.indexOf(':]', i + 2);
      const test = close < 0 ? undefined : CLASSES[pattern.slice(i + 2, close)];
      if (test !== undefined) {
        // Folding: an upper-case name matches [:lower:] and the reverse, as glibc does under FNM_CASEFOLD.
        if (test(c) || (c >= 0x61 && c <= 0x7a && test(c - 0x20))) matched = true;
        i = close + 2;
        continue;
      }
    }
    let low = pattern.charCodeAt(i);
    if (low === 0x5c && i + 1 < pattern.length) low = pattern.charCodeAt(++i);
    i++;
    let high = low;
    if (pattern[i] === '-' && i + 1 < pattern.length && pattern[i + 1] !== ']') {
      high = pattern.charCodeAt(i + 1);
      i += 2;
      if (high === 0x5c && i < pattern.length) high = pattern.charCodeAt(i++);
    }
    if (fold(low) <= c && c <= fold(high)) matched = true;
  }
  return undefined;
}

/**
 * Whether `name` matches the shell pattern, as glibc's `fnmatch(pattern, name, FNM_CASEFOLD)`: `*` is any run of
 * characters (`/` and newlines included), `?` one character, `[a-z]`, `[!…]`, `[[:digit:]]` sets, `\x` a literal x,
 * ASCII letters in either case. Linear backtracking: a hostile name cannot make it slow.
 */
export function matchGlob(pattern: string, name: string): boolean {
  let p = 0;
  let n = 0;
  let starP = -1;
  let starN = 0;
  while (n < name.length) {
    const c = fold(name.charCodeAt(n));
    if (p < pattern.length) {
      const pc = pattern[p];
      if (pc === '*') {
        starP = ++p;
        starN = n;
        continue;
      }
      if (pc === '?') {
        p++;
        n++;
        continue;
      }
      if (pc === '[') {
        const b = matchBracket(pattern, p, c);
        if (b !== undefined) {
          if (b.matched) {
            p = b.end;
            n++;
            continue;
          }
        } else if (c === 0x5b) {
          p++;
          n++;
          continue;
        }
      } else {
        let lit = pattern.charCodeAt(p);
        let width = 1;
        if (lit === 0x5c) {
          // A lone backslash at the end of the pattern matches nothing (glibc).
          lit = p + 1 < pattern.length ? pattern.charCodeAt(p + 1) : -1;
          width = 2;
        }
        if (fold(lit) === c) {
          p += width;
          n++;
          continue;
        }
      }
    }
    if (starP < 0) return false;
    p = starP;
    n = ++starN;
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}
