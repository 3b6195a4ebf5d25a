/**
 * The kernel pointer column (`%pK`: the inet `pointer`, the unix `Num`) as text: from the words the fast path and the
 * columns keep, or from the bytes as printed.
 * @module
 */
import { latin1 } from '../scan/bytes.js';
import { hexDigit } from '../scan/tokens.js';

const ZERO_POINTER_16 = '0000000000000000';
const ZERO_POINTER_8 = '00000000';

/** Char codes of the lower-case hex digits. */
const HEX_CODES = /* @__PURE__ */ new Uint8Array([...'0123456789abcdef'].map((c) => c.charCodeAt(0)));

/** The char code of the hex digit of `w` at bit `shift`. */
function nibble(w: number, shift: number): number {
  return HEX_CODES[(w >>> shift) & 15] as number;
}

/**
 * The text of an 8- or 16-digit lowercase pointer given as words (`hi` unused for 8 digits): one flat string made in
 * one call (two `toString(16)` and a concatenation cost several times as much).
 */
export function pointerFromWords(hi: number, lo: number, len: number): string {
  if (len === 16) {
    if (hi === 0 && lo === 0) return ZERO_POINTER_16;
    return String.fromCharCode(
      nibble(hi, 28),
      nibble(hi, 24),
      nibble(hi, 20),
      nibble(hi, 16),
      nibble(hi, 12),
      nibble(hi, 8),
      nibble(hi, 4),
      nibble(hi, 0),
      nibble(lo, 28),
      nibble(lo, 24),
      nibble(lo, 20),
      nibble(lo, 16),
      nibble(lo, 12),
      nibble(lo, 8),
      nibble(lo, 4),
      nibble(lo, 0),
    );
  }
  // 8 digits (a 32-bit kernel): rare enough to be the 16-digit text's second half.
  return lo === 0 ? ZERO_POINTER_8 : pointerFromWords(0, lo, 16).slice(8);
}

/** The pointer text of `b[s, e)`; all-zero pointers (kptr_restrict) share one string. */
export function pointerText(b: Uint8Array, s: number, e: number): string {
  const len = e - s;
  if (len === 16 && b[s] === 0x30 && b[s + 15] === 0x30 && isZeros(b, s, e)) return ZERO_POINTER_16;
  if (len === 8 && b[s] === 0x30 && isZeros(b, s, e)) return ZERO_POINTER_8;
  return latin1(b, s, e);
}

function isZeros(b: Uint8Array, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if (b[i] !== 0x30) return false;
  return true;
}

/** 8 or 16 hex digits, or the early-boot `(ptrval)` placeholder (any number of `_` around `ptrval`) of that width. */
export function isPointerText(b: Uint8Array, s: number, e: number): boolean {
  const len = e - s;
  if (len !== 8 && len !== 16) return false;
  if (b[s] === 0x28) return b[e - 1] === 0x29 && latin1(b, s, e).replaceAll('_', '') === '(ptrval)';
  for (let p = s; p < e; p++) if (hexDigit(b[p] as number) < 0) return false;
  return true;
}
