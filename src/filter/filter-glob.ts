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

/** Longest class name glibc reads (`CHAR_CLASS_MAX_LENGTH`). */
const CLASS_NAME_MAX = 256;

/** A bracket that matched or not (and where the pattern goes on), one glibc refuses outright, or a literal `[`. */
type Bracket = { end: number; matched: boolean } | 'fail' | 'literal';

/** `[.x.]` at `at` (pointing at `[`): glibc in the C locale takes only one-character symbols. */
function readSymbol(pattern: string, at: number): { value: number; end: number } | 'fail' {
  const close = pattern.indexOf('.]', at + 2);
  if (close < 0 || close !== at + 3) return 'fail';
  return { value: pattern.charCodeAt(at + 2), end: close + 2 };
}

/**
 * A class name `[:name:]` at `at` (pointing at `[`): the test, `'fail'` for a name glibc does not know, or
 * `undefined` when the text cannot be a class name (then `[` is an ordinary member).
 */
function readClass(pattern: string, at: number): { test: (c: number) => boolean; end: number } | 'fail' | undefined {
  for (let j = at + 2; j - at - 2 < CLASS_NAME_MAX; j++) {
    const c = pattern.charCodeAt(j);
    if (c === 0x3a && pattern[j + 1] === ']') {
      const test = CLASSES[pattern.slice(at + 2, j)];
      return test === undefined ? 'fail' : { test, end: j + 2 };
    }
    if (!(c >= 0x61 && c < 0x7a)) return undefined;
  }
  return 'fail';
}

/**
 * After a member matched: the index after the closing `]`; `'unterminated'` when there is none (the `[` is then
 * literal), or `'fail'` for a broken `[=x=]` or `[.x.]` inside (glibc matches nothing then).
 */
function skipBracket(pattern: string, i: number): number | 'unterminated' | 'fail' {
  while (i < pattern.length) {
    const c = pattern[i++];
    if (c === '\\') {
      if (i >= pattern.length) return 'unterminated';
      i++;
    } else if (c === '[' && pattern[i] === ':') {
      // Skipped without checking the name, as glibc does.
      let j = i + 1;
      while (j < pattern.length && pattern.charCodeAt(j) >= 0x61 && pattern.charCodeAt(j) < 0x7a) j++;
      if (pattern[j] === ':' && pattern[j + 1] === ']') i = j + 2;
    } else if (c === '[' && pattern[i] === '=') {
      if (i + 1 >= pattern.length || pattern[i + 2] !== '=' || pattern[i + 3] !== ']') return 'fail';
      i += 4;
    } else if (c === '[' && pattern[i] === '.') {
      const close = pattern.indexOf('.]', i + 1);
      if (close < 0) return 'fail';
      i = close + 2;
    } else if (c === ']') {
      return i;
    }
  }
  return 'unterminated';
}

/**
 * A bracket expression at `pattern[p] === '['` against one unit of the name (`raw`, and `c` folded), as glibc's
 * `fnmatch` reads it in the C locale: `!`/`^` negates, a leading `]` is a member, `\x` is x, `a-z` a range (bounds
 * folded), `[:class:]` tests the name's own character, `[.x.]` and `[=x=]` are x itself. A bracket that is not closed
 * is a literal `[`; a range that runs off the end, an unknown class or a broken `[.x.]` matches nothing.
 */
function matchBracket(pattern: string, p: number, c: number, raw: number): Bracket {
  const length = pattern.length;
  let i = p + 1;
  const negate = pattern[i] === '!' || pattern[i] === '^';
  if (negate) i++;
  const done = (matched: boolean): Bracket => {
    if (!matched) return { end: i, matched: negate };
    const end = skipBracket(pattern, i);
    if (end === 'unterminated') return 'literal';
    return end === 'fail' ? 'fail' : { end, matched: !negate };
  };
  let ch = i < length ? pattern.charCodeAt(i++) : -1;
  for (;;) {
    let low: number;
    let symbol = false;
    if (ch === 0x5c) {
      if (i >= length) return 'fail';
      low = fold(pattern.charCodeAt(i++));
    } else if (ch === 0x5b && pattern[i] === ':') {
      const k = readClass(pattern, i - 1);
      if (k === 'fail') return 'fail';
      if (k !== undefined) {
        i = k.end;
        if (k.test(raw)) return done(true);
        ch = i < length ? pattern.charCodeAt(i++) : -1;
        if (ch === 0x5d) return done(false);
        continue;
      }
      low = 0x5b;
    } else if (ch === 0x5b && pattern[i] === '=') {
      if (i + 3 < length + 1 && pattern[i + 2] === '=' && pattern[i + 3] === ']' && i + 1 < length) {
        const value = pattern.charCodeAt(i + 1);
        i += 4;
        if (raw === value) return done(true);
        ch = i < length ? pattern.charCodeAt(i++) : -1;
        if (ch === 0x5d) return done(false);
        continue;
      }
      low = 0x5b;
    } else if (ch === 0x5b && pattern[i] === '.') {
      const sym = readSymbol(pattern, i - 1);
      if (sym === 'fail') return 'fail';
      i = sym.end;
      low = sym.value;
      symbol = true;
    } else if (ch === -1) {
      return 'literal';
    } else {
      low = fold(ch);
    }
    // A member, or the start of a range.
    const range = symbol
      ? pattern[i] === '-' && i + 1 < length
      : pattern[i] === '-' && i + 1 < length && pattern[i + 1] !== ']';
    if (!range && (symbol ? raw === low : c === low)) return done(true);
    ch = i < length ? pattern.charCodeAt(i++) : -1;
    if (ch === 0x2d && pattern[i] !== ']') {
      let high = i < length ? pattern.charCodeAt(i++) : -1;
      if (high === 0x5c) high = i < length ? pattern.charCodeAt(i++) : -1;
      if (high === -1) return 'fail';
      if (high === 0x5b && pattern[i] === '.') {
        const sym = readSymbol(pattern, i - 1);
        if (sym === 'fail') return 'fail';
        i = sym.end;
        high = sym.value;
      } else {
        high = fold(high);
      }
      if (low <= c && c <= high) return done(true);
      ch = i < length ? pattern.charCodeAt(i++) : -1;
    }
    if (ch === 0x5d) return done(false);
  }
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
    const raw = name.charCodeAt(n);
    const c = fold(raw);
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
        const b = matchBracket(pattern, p, c, raw);
        if (b === 'literal') {
          if (c === 0x5b) {
            p++;
            n++;
            continue;
          }
        } else if (b !== 'fail' && b.matched) {
          p = b.end;
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
