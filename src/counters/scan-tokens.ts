/**
 * One line → the spans of its whitespace-separated tokens, in one pass over char codes.
 * @module
 */

/** Token spans of the last scanned line: token `i` is `text.slice(starts[i], ends[i])`. Arrays are reused. */
export interface TokenSpans {
  count: number;
  starts: number[];
  ends: number[];
}

/** A fresh, empty {@link TokenSpans}. */
export function createTokenSpans(): TokenSpans {
  return { count: 0, starts: [], ends: [] };
}

/** Space, TAB (snmp6 puts one before each value) and CR (a file saved with CRLF line ends) separate tokens. */
function isBlank(code: number): boolean {
  return code === 32 || code === 9 || code === 13;
}

/** Fills `out` with the tokens of `text[from, to)` and returns their count. */
export function scanTokens(text: string, from: number, to: number, out: TokenSpans): number {
  let count = 0;
  let i = from;
  while (i < to) {
    while (i < to && isBlank(text.charCodeAt(i))) i++;
    if (i >= to) break;
    const start = i;
    while (i < to && !isBlank(text.charCodeAt(i))) i++;
    out.starts[count] = start;
    out.ends[count] = i;
    count++;
  }
  out.count = count;
  return count;
}
