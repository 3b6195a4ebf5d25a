/**
 * One decimal field → one exact value.
 * @module
 */

const MAX_U64 = 18446744073709551615n;
const MIN_I64 = -9223372036854775808n;
/** Up to 15 digits add up exactly in a double; longer values go through `BigInt`. */
const FAST_DIGITS = 15;

/**
 * Reads `text[start, end)` as `-?[0-9]+` within the 64-bit range (`%lu`, `%llu`, and the signed `%ld` of `Tcp MaxConn`).
 * Returns the value, or a string saying why the text is not one.
 */
export function decodeCounter(text: string, start: number, end: number): bigint | string {
  let i = start;
  const negative = i < end && text.charCodeAt(i) === 45;
  if (negative) i++;
  const digits = end - i;
  if (digits <= 0) return 'expected a decimal number';
  if (digits > 20) return 'out of the 64-bit range';
  let small = 0;
  for (; i < end; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return 'expected a decimal number';
    small = small * 10 + digit;
  }
  if (digits <= FAST_DIGITS) return BigInt(negative ? -small : small);
  const value = BigInt(text.slice(start, end));
  if (value > MAX_U64 || value < MIN_I64) return 'out of the 64-bit range';
  return value;
}

/** True for a kernel-style name: a letter or `_`, then letters, digits or `_` (`Ip6InReceives`, `inuse`, `MPTcpExt`). */
export function isCounterName(text: string, start: number, end: number): boolean {
  if (start >= end) return false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
    if (!letter && (i === start || c < 48 || c > 57)) return false;
  }
  return true;
}
