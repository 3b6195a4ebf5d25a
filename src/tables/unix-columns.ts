/**
 * `/proc/net/unix` as typed columns, made from the rows of the unix parser (`unix.ts`): one reading of the table,
 * its path folding and its forged-row marks, in one place. The paths stay in the one buffer the parser copies them
 * into.
 * @module
 */
import type { U32Column, UnixColumns } from '../column-types.js';
import { decodeUnixPath, decodeUnixSocketState, decodeUnixSocketType, SO_ACCEPTCON } from '../decode/unix.js';
import { lowerHex8 } from '../scan/hex.js';
import type { UnixSocket, UnixSuspicion } from '../types.js';
import { checkRowIndex, pointerOf } from './inet-columns.js';

/** Each suspicion's bit in the `suspicious` column, in the order a row lists them. */
const SUSPICIONS: readonly UnixSuspicion[] = ['after-newline-path', 'duplicate-inode', 'no-owner'];

/** The frozen `suspicious` array of each bit set (rows share them, as the parser's rows share the common ones). */
const SUSPICION_SETS: readonly (readonly UnixSuspicion[])[] = /* @__PURE__ */ Array.from({ length: 8 }, (_, bits) =>
  Object.freeze(SUSPICIONS.filter((_, k) => (bits & (1 << k)) !== 0)),
);

const TEXT_ENCODER = /* @__PURE__ */ new TextEncoder();

/** The `Num` text as words: true (words in `words`) for 8 or 16 lower-case hex digits. */
function pointerWords(text: string, words: Uint32Array): boolean {
  const len = text.length;
  if (len !== 16 && len !== 8) return false;
  const b = TEXT_ENCODER.encode(text);
  const hi = len === 16 ? lowerHex8(b, 0) : 0;
  const lo = lowerHex8(b, len - 8);
  if (hi < 0 || lo < 0) return false;
  words[0] = hi;
  words[1] = lo;
  return true;
}

/** The columns of parsed unix rows. */
export function unixColumnsOf(rows: readonly UnixSocket[]): UnixColumns {
  const n = rows.length;
  const c = new UnixColumnsOf(n);
  const words = new Uint32Array(2);
  for (let i = 0; i < n; i++) {
    const r = rows[i] as UnixSocket;
    c.refcount[i] = r.refcount;
    c.protocol[i] = r.protocol;
    c.flags[i] = r.flags;
    c.typeCode[i] = r.typeCode;
    c.stateCode[i] = r.stateCode;
    const value = Number(r.inode);
    if (value > Number.MAX_SAFE_INTEGER) c.inodeText.set(i, r.inode);
    if (value > 0xffff_ffff && c.inode instanceof Uint32Array) c.inode = Float64Array.from(c.inode);
    c.inode[i] = value > Number.MAX_SAFE_INTEGER ? Number.NaN : value;
    if (pointerWords(r.pointer, words)) {
      c.pointerHigh[i] = words[0] as number;
      c.pointerLow[i] = words[1] as number;
      c.pointerDigits[i] = r.pointer.length;
    } else {
      c.pointerText.set(i, r.pointer);
    }
    // The parser copies every path into one buffer and gives each row a view of it: that buffer is the store.
    const bytes = r.pathBytes;
    if (bytes !== null) {
      if (c.paths.buffer !== bytes.buffer) c.paths = new Uint8Array(bytes.buffer);
      c.pathStart[i] = bytes.byteOffset;
      c.pathEnd[i] = bytes.byteOffset + bytes.length;
    }
    let bits = 0;
    for (const s of r.suspicious) bits |= 1 << SUSPICIONS.indexOf(s);
    c.suspicious[i] = bits;
    c.line[i] = r.line;
  }
  return c;
}

/** {@link UnixColumns}: every field a named own property, and `row(i)`. */
class UnixColumnsOf implements UnixColumns {
  readonly kind = 'unix';
  readonly length: number;
  readonly refcount: Uint32Array;
  readonly protocol: Uint32Array;
  readonly flags: Uint32Array;
  readonly typeCode: Uint16Array;
  readonly stateCode: Uint8Array;
  inode: U32Column;
  readonly pointerHigh: Uint32Array;
  readonly pointerLow: Uint32Array;
  readonly pointerDigits: Uint8Array;
  readonly pathStart: Int32Array;
  readonly pathEnd: Int32Array;
  paths: Uint8Array = new Uint8Array(0);
  readonly suspicious: Uint8Array;
  readonly line: Uint32Array;
  readonly inodeText = new Map<number, string>();
  readonly pointerText = new Map<number, string>();

  /** Columns for `n` rows, to be filled. */
  constructor(n: number) {
    this.length = n;
    this.refcount = new Uint32Array(n);
    this.protocol = new Uint32Array(n);
    this.flags = new Uint32Array(n);
    this.typeCode = new Uint16Array(n);
    this.stateCode = new Uint8Array(n);
    this.inode = new Uint32Array(n);
    this.pointerHigh = new Uint32Array(n);
    this.pointerLow = new Uint32Array(n);
    this.pointerDigits = new Uint8Array(n);
    this.pathStart = new Int32Array(n).fill(-1);
    this.pathEnd = new Int32Array(n);
    this.suspicious = new Uint8Array(n);
    this.line = new Uint32Array(n);
  }

  row(i: number): UnixSocket {
    checkRowIndex(i, this.length);
    const flags = this.flags[i] as number;
    const typeCode = this.typeCode[i] as number;
    const stateCode = this.stateCode[i] as number;
    const inode = this.inode[i] as number;
    const start = this.pathStart[i] as number;
    // A copy of the path's bytes, as the parser's rows hold their own (in one buffer per table there).
    const pathBytes = start < 0 ? null : this.paths.slice(start, this.pathEnd[i] as number);
    return {
      kind: 'unix',
      pointer: pointerOf(this, i),
      refcount: this.refcount[i] as number,
      protocol: this.protocol[i] as number,
      flags,
      listening: (flags & SO_ACCEPTCON) !== 0,
      type: decodeUnixSocketType(typeCode),
      typeCode,
      state: decodeUnixSocketState(stateCode),
      stateCode,
      inode: Number.isNaN(inode) ? (this.inodeText.get(i) as string) : String(inode),
      path: pathBytes === null ? null : decodeUnixPath(pathBytes),
      pathBytes,
      abstract: pathBytes !== null && pathBytes[0] === 0x40,
      suspicious: SUSPICION_SETS[this.suspicious[i] as number] as readonly UnixSuspicion[],
      line: this.line[i] as number,
    };
  }

  *[Symbol.iterator](): IterableIterator<UnixSocket> {
    for (let i = 0; i < this.length; i++) yield this.row(i);
  }
}
