/**
 * Field spans of one line: the start and end offset of each blank-separated token, found in one pass.
 * Decoders then read each span in place (no substring, no split, no regex).
 * @module
 */

import { latin1 } from './bytes.js';

/** Tokens kept per line; a line with more is reported by the table parser. */
export const MAX_TOKENS = 48;

/** Reusable span storage for one line. */
export interface Tokens {
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  /** Tokens found (may exceed MAX_TOKENS; only the first MAX_TOKENS spans are stored). */
  count: number;
}

export function createTokens(): Tokens {
  return { starts: new Int32Array(MAX_TOKENS), ends: new Int32Array(MAX_TOKENS), count: 0 };
}

/** 1 for the bytes that separate fields: space, tab, and `\r` (of a CRLF-converted dump). */
const BLANK = /* @__PURE__ */ (() => {
  const t = new Uint8Array(256);
  t[0x20] = 1;
  t[0x09] = 1;
  t[0x0d] = 1;
  return t;
})();

/** Hex digit values by byte, -1 for every other byte. */
const HEX = /* @__PURE__ */ (() => {
  const t = new Int8Array(256).fill(-1);
  for (let i = 0; i < 10; i++) t[0x30 + i] = i;
  for (let i = 0; i < 6; i++) {
    t[0x41 + i] = 10 + i;
    t[0x61 + i] = 10 + i;
  }
  return t;
})();

/** Splits `[start, end)` on runs of spaces and tabs (some saved samples indent with tabs; `\r` is a blank too). */
export function tokenize(b: Uint8Array, start: number, end: number, t: Tokens): number {
  const starts = t.starts;
  const ends = t.ends;
  let n = 0;
  let p = start;
  while (p < end) {
    if (BLANK[b[p] as number] === 1) {
      p++;
      continue;
    }
    const s = p;
    do p++;
    while (p < end && BLANK[b[p] as number] === 0);
    if (n < MAX_TOKENS) {
      starts[n] = s;
      ends[n] = p;
    }
    n++;
  }
  t.count = n;
  return n;
}

/** Value of a hex digit char code, or -1. */
export function hexDigit(c: number): number {
  return HEX[c & 255] as number;
}

/** Unsigned hex in `[s, e)`; -1 when empty, not hex, or over 13 digits (beyond exact doubles). */
export function hexSpan(b: Uint8Array, s: number, e: number): number {
  if (e <= s || e - s > 13) return -1;
  let v = 0;
  for (let i = s; i < e; i++) {
    const d = HEX[b[i] as number] as number;
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

/** Decimal in `[s, e)` with an optional leading '-'; NaN when empty, not decimal, or over 15 digits. */
export function decSpan(b: Uint8Array, s: number, e: number): number {
  let i = s;
  let neg = false;
  if (b[i] === 0x2d) {
    neg = true;
    i++;
  }
  if (e <= i || e - i > 15) return Number.NaN;
  let v = 0;
  for (; i < e; i++) {
    const c = (b[i] as number) - 0x30;
    if (c < 0 || c > 9) return Number.NaN;
    v = v * 10 + c;
  }
  return neg ? -v : v;
}

/**
 * Hex in `[s, e)` of up to 16 digits as a signed 64-bit value (two's complement, as `%016llX` prints a negative
 * number), rounded to the nearest double; NaN when empty, longer, or not hex.
 */
export function hexSpan64(b: Uint8Array, s: number, e: number): number {
  if (e <= s || e - s > 16) return Number.NaN;
  let text = '0x';
  for (let i = s; i < e; i++) {
    const c = b[i] as number;
    if (HEX[c] === -1) return Number.NaN;
    text += String.fromCharCode(c);
  }
  return Number(BigInt.asIntN(64, BigInt(text)));
}

/** The decimal digits in `[s, e)` as text without leading zeros (exact at any length), or null when not all digits. */
export function decimalText(b: Uint8Array, s: number, e: number): string | null {
  if (e <= s) return null;
  for (let i = s; i < e; i++) {
    const c = b[i] as number;
    if (c < 0x30 || c > 0x39) return null;
  }
  while (s < e - 1 && b[s] === 0x30) s++;
  return latin1(b, s, e);
}
