/**
 * Input normalisation: every parser works on bytes, so paths and offsets are exact.
 * @module
 */

/** What every parse function accepts: the text of a whole file, or its bytes (a Node Buffer is a Uint8Array). */
export type TableInput = string | Uint8Array;

const encoder = /* @__PURE__ */ new TextEncoder();

/** The input as bytes (strings are UTF-8 encoded, so unix paths typed as text come back byte-exact). */
export function toBytes(input: TableInput): Uint8Array {
  return typeof input === 'string' ? encoder.encode(input) : input;
}

type Latin1Slice = (this: Uint8Array, start: number, end: number) => string;
// Node's Buffer has a native latin1 slice; use it when present (the core imports nothing from node:).
const nativeLatin1: Latin1Slice | undefined = (globalThis as { Buffer?: { prototype: { latin1Slice?: Latin1Slice } } })
  .Buffer?.prototype.latin1Slice;

/** Bytes `[start, end)` as a string, one char per byte (exact for the ASCII columns of /proc/net). */
export function latin1(buf: Uint8Array, start: number, end: number): string {
  if (nativeLatin1 !== undefined) return nativeLatin1.call(buf, start, end);
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(buf[i] as number);
  return s;
}

/** Printable form of some bytes for an error message: at most 80 chars, control and non-ASCII bytes escaped. */
export function excerpt(buf: Uint8Array, start: number, end: number): string {
  const stop = Math.min(end, start + 80);
  let s = '';
  for (let i = start; i < stop; i++) {
    const c = buf[i] as number;
    if (c === 0x5c) s += '\\\\';
    else if (c >= 0x20 && c < 0x7f) s += String.fromCharCode(c);
    else if (c === 0x0a) s += '\\n';
    else if (c === 0x09) s += '\\t';
    else s += `\\x${c.toString(16).padStart(2, '0')}`;
  }
  return stop < end ? `${s}…` : s;
}
