/**
 * Fixed-width hex fields read in place, two digits per table lookup: the primitives of the inet fast path
 * (`tables/inet-decode.ts`) and of the unix columns' pointer words (`tables/unix-columns.ts`).
 * @module
 */
import { hexDigit } from './tokens.js';

/** The value of two hex digits by their two bytes (`first << 8 | second`), or -1. */
const HEX_PAIR = /* @__PURE__ */ (() => {
  const t = new Int16Array(65536).fill(-1);
  for (let x = 0; x < 256; x++) {
    const hi = hexDigit(x);
    if (hi < 0) continue;
    for (let y = 0; y < 256; y++) {
      const lo = hexDigit(y);
      if (lo >= 0) t[(x << 8) | y] = (hi << 4) | lo;
    }
  }
  return t;
})();

/** As {@link HEX_PAIR}, lower-case digits only (as `%x` and `%p` print them); -1 for anything else. */
const LOWER_PAIR = /* @__PURE__ */ (() => {
  const t = new Int16Array(65536).fill(-1);
  const digits = '0123456789abcdef';
  for (let x = 0; x < 16; x++) {
    for (let y = 0; y < 16; y++) t[(digits.charCodeAt(x) << 8) | digits.charCodeAt(y)] = (x << 4) | y;
  }
  return t;
})();

/**
 * Eight hex digits at `p` as an int32 (a word with the top bit set comes back negative: `>>> 0` it), or exactly
 * -1 when a digit is not hex. The one ambiguous value, FFFFFFFF, is returned as the positive u32.
 */
export function hex8(b: Uint8Array, p: number): number {
  const h0 = HEX_PAIR[((b[p] as number) << 8) | (b[p + 1] as number)] as number;
  const h1 = HEX_PAIR[((b[p + 2] as number) << 8) | (b[p + 3] as number)] as number;
  const h2 = HEX_PAIR[((b[p + 4] as number) << 8) | (b[p + 5] as number)] as number;
  const h3 = HEX_PAIR[((b[p + 6] as number) << 8) | (b[p + 7] as number)] as number;
  if ((h0 | h1 | h2 | h3) < 0) return -1;
  const v = (h0 << 24) | (h1 << 16) | (h2 << 8) | h3;
  return v === -1 ? 0xffffffff : v;
}

/** Four hex digits at `p`, or a negative number. */
export function hex4(b: Uint8Array, p: number): number {
  const h0 = HEX_PAIR[((b[p] as number) << 8) | (b[p + 1] as number)] as number;
  const h1 = HEX_PAIR[((b[p + 2] as number) << 8) | (b[p + 3] as number)] as number;
  if ((h0 | h1) < 0) return -1;
  return (h0 << 8) | h1;
}

/** Two hex digits at `p`, or a negative number. */
export function hex2(b: Uint8Array, p: number): number {
  return HEX_PAIR[((b[p] as number) << 8) | (b[p + 1] as number)] as number;
}

/** Eight lower-case hex digits at `p` as a u32, or -1 when one is not a digit or lower-case `a`-`f`. */
export function lowerHex8(b: Uint8Array, p: number): number {
  const h0 = LOWER_PAIR[((b[p] as number) << 8) | (b[p + 1] as number)] as number;
  const h1 = LOWER_PAIR[((b[p + 2] as number) << 8) | (b[p + 3] as number)] as number;
  const h2 = LOWER_PAIR[((b[p + 4] as number) << 8) | (b[p + 5] as number)] as number;
  const h3 = LOWER_PAIR[((b[p + 6] as number) << 8) | (b[p + 7] as number)] as number;
  if ((h0 | h1 | h2 | h3) < 0) return -1;
  return ((h0 << 24) | (h1 << 16) | (h2 << 8) | h3) >>> 0;
}

const SPACE = 0x20;
const SPACES = 0x20202020;

/**
 * The first position at or after `p` that is not a space: four bytes at a time through `words` (a view of `b`; the
 * first non-space of a word is its lowest non-zero lane after XOR with four spaces), bytewise in the last three.
 */
export function blankRunEnd(b: Uint8Array, words: DataView, p: number): number {
  const last = b.length - 4;
  while (p <= last) {
    const x = words.getInt32(p, true) ^ SPACES;
    if (x !== 0) return p + ((31 - Math.clz32(x & -x)) >> 3);
    p += 4;
  }
  while (b[p] === SPACE) p++;
  return p;
}
