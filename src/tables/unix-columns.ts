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
  const refcount = new Uint32Array(n);
  const protocol = new Uint32Array(n);
  const flags = new Uint32Array(n);
  const typeCode = new Uint16Array(n);
  const stateCode = new Uint8Array(n);
  let inode: U32Column = new Uint32Array(n);
  const pointerHigh = new Uint32Array(n);
  const pointerLow = new Uint32Array(n);
  const pointerDigits = new Uint8Array(n);
  const pathStart = new Int32Array(n).fill(-1);
  const pathEnd = new Int32Array(n);
  const suspicious = new Uint8Array(n);
  const line = new Uint32Array(n);
  const inodeText = new Map<number, string>();
  const pointerText = new Map<number, string>();
  const words = new Uint32Array(2);
  // The parser copies every path into one buffer and gives each row a view of it: that buffer is the store.
  let paths: Uint8Array = new Uint8Array(0);
  for (let i = 0; i < n; i++) {
    const r = rows[i] as UnixSocket;
    refcount[i] = r.refcount;
    protocol[i] = r.protocol;
    flags[i] = r.flags;
    typeCode[i] = r.typeCode;
    stateCode[i] = r.stateCode;
    const value = Number(r.inode);
    if (value > Number.MAX_SAFE_INTEGER) inodeText.set(i, r.inode);
    if (value > 0xffff_ffff && inode instanceof Uint32Array) inode = Float64Array.from(inode);
    inode[i] = value > Number.MAX_SAFE_INTEGER ? Number.NaN : value;
    if (pointerWords(r.pointer, words)) {
      pointerHigh[i] = words[0] as number;
      pointerLow[i] = words[1] as number;
      pointerDigits[i] = r.pointer.length;
    } else {
      pointerText.set(i, r.pointer);
    }
    const bytes = r.pathBytes;
    if (bytes !== null) {
      if (paths.buffer !== bytes.buffer) paths = new Uint8Array(bytes.buffer);
      pathStart[i] = bytes.byteOffset;
      pathEnd[i] = bytes.byteOffset + bytes.length;
    }
    let bits = 0;
    for (const s of r.suspicious) bits |= 1 << SUSPICIONS.indexOf(s);
    suspicious[i] = bits;
    line[i] = r.line;
  }
  return new UnixColumnsOf({
    length: n,
    refcount,
    protocol,
    flags,
    typeCode,
    stateCode,
    inode,
    pointerHigh,
    pointerLow,
    pointerDigits,
    pathStart,
    pathEnd,
    paths,
    suspicious,
    line,
    inodeText,
    pointerText,
  }) as unknown as UnixColumns;
}

type UnixParts = Omit<UnixColumns, 'kind' | 'row' | typeof Symbol.iterator>;

/** The finished columns: own fields as {@link UnixColumns} describes them, and `row(i)`. */
class UnixColumnsOf {
  constructor(parts: UnixParts) {
    Object.assign(this, { kind: 'unix' }, parts);
  }

  row(i: number): UnixSocket {
    const t = this as unknown as UnixColumns;
    checkRowIndex(i, t.length);
    const flags = t.flags[i] as number;
    const typeCode = t.typeCode[i] as number;
    const stateCode = t.stateCode[i] as number;
    const inode = t.inode[i] as number;
    const start = t.pathStart[i] as number;
    // A copy of the path's bytes, as the parser's rows hold their own (in one buffer per table there).
    const pathBytes = start < 0 ? null : t.paths.slice(start, t.pathEnd[i] as number);
    return {
      kind: 'unix',
      pointer: pointerOf(t, i),
      refcount: t.refcount[i] as number,
      protocol: t.protocol[i] as number,
      flags,
      listening: (flags & SO_ACCEPTCON) !== 0,
      type: decodeUnixSocketType(typeCode),
      typeCode,
      state: decodeUnixSocketState(stateCode),
      stateCode,
      inode: Number.isNaN(inode) ? (t.inodeText.get(i) as string) : String(inode),
      path: pathBytes === null ? null : decodeUnixPath(pathBytes),
      pathBytes,
      abstract: pathBytes !== null && pathBytes[0] === 0x40,
      suspicious: SUSPICION_SETS[t.suspicious[i] as number] as readonly UnixSuspicion[],
      line: t.line[i] as number,
    };
  }

  *[Symbol.iterator](): IterableIterator<UnixSocket> {
    const n = (this as unknown as UnixColumns).length;
    for (let i = 0; i < n; i++) yield this.row(i);
  }
}
