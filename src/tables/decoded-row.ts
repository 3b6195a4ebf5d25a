/**
 * A line of an inet table decoded into raw kernel values before any object is made, and the fast path that
 * decodes a line printed exactly as the kernel prints it, without tokenizing.
 * @module
 */
import { tcpMiniRecord } from '../decode/tcp-state.js';
import { blankRunEnd, hex2, hex4, hex8, lowerHex8 } from '../scan/hex.js';

const COLON = 0x3a;
const SPACE = 0x20;
const MINUS = 0x2d;
const NL = 0x0a;

/** The shared empty `extra`. */
export const EMPTY: readonly string[] = Object.freeze([]);

/**
 * One decoded line, before any object is made: raw kernel values (addresses as the four `%08X` words as printed,
 * the pointer as a span of the buffer). Filled by `fast()` or `decodeTokens()`; read by `build()`, the summaries
 * and the lazy rows.
 */
export interface DecodedRow {
  slot: number;
  la0: number;
  la1: number;
  la2: number;
  la3: number;
  lport: number;
  ra0: number;
  ra1: number;
  ra2: number;
  ra3: number;
  rport: number;
  st: number;
  tx: number;
  rx: number;
  tr: number;
  when: number;
  retr: number;
  uid: number;
  probes: number;
  /** The inode when it has at most 15 digits (every real one); else 0 and `inodeText` holds it. */
  inode: number;
  inodeText: string | undefined;
  ref: number;
  ptrStart: number;
  ptrEnd: number;
  /**
   * The pointer as words when the fast path decoded the line (8 or 16 lower-case hex digits, as `%pK` prints;
   * `ptrHi` 0 for 8): set by `decodeFast` (the column builder sets them for other lines).
   */
  ptrHi: number;
  ptrLo: number;
  /** Fields on the line: 12 (TCP mini-socket, old datagram), 13 (datagram), 17 (TCP socket), or more. */
  fields: number;
  rto: number;
  ato: number;
  qp: number;
  cwnd: number;
  last: number;
  /** Datagram `drops` (meaningful when `fields > 12`). */
  drops: number;
  extra: readonly string[];
}

/**
 * The starting value of the fields that can hold any u32 (or -0, or up to 15 digits): a double, so the object's
 * fields are double from the start and never change representation (which would deoptimise the decoders).
 */
const U = Number.NaN;

export function emptyDecoded(): DecodedRow {
  return {
    slot: U,
    la0: U,
    la1: U,
    la2: U,
    la3: U,
    lport: 0,
    ra0: U,
    ra1: U,
    ra2: U,
    ra3: U,
    rport: 0,
    st: 0,
    tx: U,
    rx: U,
    tr: 0,
    when: U,
    retr: U,
    uid: U,
    probes: U,
    inode: U,
    inodeText: undefined,
    ref: U,
    ptrStart: 0,
    ptrEnd: 0,
    ptrHi: U,
    ptrLo: U,
    fields: 0,
    rto: U,
    ato: U,
    qp: U,
    cwnd: U,
    last: U,
    drops: U,
    extra: EMPTY,
  };
}

/** Scratch for the tail fields of one line. */
const TAIL = new Float64Array(10);

/**
 * The fast path: decodes the line that starts at `start` into `d`, without tokenizing, when it has exactly the
 * layout the kernel prints (fixed-width hex columns, single spaces, no extra fields, every value in range) and ends
 * with a newline before `limit`. Returns the position of that newline (so the caller needs no search for it), or
 * -1, having decided nothing, for any other line; the caller then finds the line's end, tokenizes it, and the
 * checking decoder decides (and explains). Never throws. Every byte up to the newline is checked, so the newline
 * found is the line's first. `words` is a `DataView` of `b` (made once per buffer by the caller).
 */
export function decodeFast(
  b: Uint8Array,
  words: DataView,
  start: number,
  limit: number,
  ipv6: boolean,
  tcp: boolean,
  d: DecodedRow,
): number {
  let p = start;
  while (b[p] === SPACE) p++;
  const s0 = p;
  let slot = 0;
  let c = (b[p] as number) - 0x30;
  while (c >= 0 && c <= 9) {
    slot = slot * 10 + c;
    c = (b[++p] as number) - 0x30;
  }
  if (p === s0 || p - s0 > 15 || b[p] !== COLON || b[p + 1] !== SPACE) return -1;
  const A = ipv6 ? 32 : 8;
  const l = p + 2;
  const q = l + A + 6;
  const r = q + A + 6;
  if (
    r + 42 >= limit ||
    b[l + A] !== COLON ||
    b[l + A + 5] !== SPACE ||
    b[q + A] !== COLON ||
    b[q + A + 5] !== SPACE ||
    b[r + 2] !== SPACE ||
    b[r + 11] !== COLON ||
    b[r + 20] !== SPACE ||
    b[r + 23] !== COLON ||
    b[r + 32] !== SPACE ||
    b[r + 41] !== SPACE
  ) {
    return -1;
  }
  const la0 = hex8(b, l);
  const lport = hex4(b, l + A + 1);
  const ra0 = hex8(b, q);
  const rport = hex4(b, q + A + 1);
  const st = hex2(b, r);
  const tx = hex8(b, r + 3);
  const rx = hex8(b, r + 12);
  const tr = hex2(b, r + 21);
  const when = hex8(b, r + 24);
  const retr = hex8(b, r + 33);
  if ((la0 | lport | ra0 | rport | st | tx | rx | tr | when | retr) < 0) {
    // A negative word is either an invalid digit (-1) or a u32 with the top bit set: look again.
    if (la0 === -1 || lport < 0 || ra0 === -1 || rport < 0 || st < 0 || tx === -1 || rx === -1) return -1;
    if (tr < 0 || when === -1 || retr === -1) return -1;
  }
  if (A === 32) {
    const la1 = hex8(b, l + 8);
    const la2 = hex8(b, l + 16);
    const la3 = hex8(b, l + 24);
    const ra1 = hex8(b, q + 8);
    const ra2 = hex8(b, q + 16);
    const ra3 = hex8(b, q + 24);
    if (la1 === -1 || la2 === -1 || la3 === -1 || ra1 === -1 || ra2 === -1 || ra3 === -1) return -1;
    d.la1 = la1 >>> 0;
    d.la2 = la2 >>> 0;
    d.la3 = la3 >>> 0;
    d.ra1 = ra1 >>> 0;
    d.ra2 = ra2 >>> 0;
    d.ra3 = ra3 >>> 0;
  } else {
    d.la1 = 0;
    d.la2 = 0;
    d.la3 = 0;
    d.ra1 = 0;
    d.ra2 = 0;
    d.ra3 = 0;
  }
  // The tail: decimal fields separated by runs of spaces, the pointer (lower-case hex) fifth.
  const tail = TAIL;
  const max = tcp ? 10 : 6;
  let k = 0;
  p = r + 42;
  for (;;) {
    p = blankRunEnd(b, words, p);
    if (b[p] === NL) {
      if (p >= limit) return -1;
      break;
    }
    if (k >= max) return -1;
    if (k === 4) {
      // 16 digits (8 on a 32-bit kernel), then a blank: as words.
      const e16 = b[p + 16];
      const hi = e16 === SPACE || e16 === NL ? lowerHex8(b, p) : -1;
      const lo = hi >= 0 ? lowerHex8(b, p + 8) : -1;
      d.ptrStart = p;
      if (lo >= 0) {
        d.ptrHi = hi;
        d.ptrLo = lo;
        p += 16;
      } else {
        const e8 = b[p + 8];
        const w = e8 === SPACE || e8 === NL ? lowerHex8(b, p) : -1;
        if (w < 0) return -1;
        d.ptrHi = 0;
        d.ptrLo = w;
        p += 8;
      }
      d.ptrEnd = p;
      k++;
      continue;
    }
    const neg = b[p] === MINUS;
    if (neg) p++;
    const s = p;
    let v = 0;
    c = (b[p] as number) - 0x30;
    while (c >= 0 && c <= 9) {
      v = v * 10 + c;
      c = (b[++p] as number) - 0x30;
    }
    if (p === s || p - s > 15 || (b[p] !== NL && b[p] !== SPACE)) return -1;
    // "-0" is no kernel's output: left to the checking decoder, so no value decoded here is -0.
    if (neg && v === 0) return -1;
    tail[k++] = neg ? -v : v;
  }
  const inode = tail[2] as number;
  if (inode < 0) return -1;
  if (tcp) {
    if (k === 10) {
      if ((tail[5] as number) < 0 || (tail[6] as number) < 0 || (tail[7] as number) < 0 || (tail[8] as number) < 0)
        return -1;
      d.rto = tail[5] as number;
      d.ato = tail[6] as number;
      d.qp = tail[7] as number;
      d.cwnd = tail[8] as number;
      d.last = tail[9] as number;
      d.fields = 17;
    } else if (k === 5) {
      if (tcpMiniRecord(tr, st) === null) return -1;
      d.fields = 12;
    } else {
      return -1;
    }
  } else {
    if (k !== 6) return -1;
    d.drops = tail[5] as number;
    d.fields = 13;
  }
  d.slot = slot;
  d.la0 = la0 >>> 0;
  d.lport = lport;
  d.ra0 = ra0 >>> 0;
  d.rport = rport;
  d.st = st;
  d.tx = tx >>> 0;
  d.rx = rx >>> 0;
  d.tr = tr;
  d.when = when >>> 0;
  d.retr = retr >>> 0;
  d.uid = tail[0] as number;
  d.probes = tail[1] as number;
  d.inode = inode;
  d.inodeText = undefined;
  d.ref = tail[3] as number;
  d.extra = EMPTY;
  return p;
}
