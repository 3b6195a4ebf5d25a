/**
 * Inet tables as typed columns: a builder fed decoded lines (by the same line loop, checks, filter and error
 * handling as `parseTable`), and the finished columns, whose `row(i)` builds `parseTable`'s row `i` with the same
 * row builder (`inet-build.ts`).
 * @module
 */

import type {
  DatagramColumns,
  I32Column,
  IdentityColumns,
  InetColumns,
  TcpColumns,
  U8Column,
  U32Column,
} from '../column-types.js';
import { tcpMiniRecord } from '../decode/tcp-state.js';
import { latin1 } from '../scan/bytes.js';
import { lowerHex8 } from '../scan/hex.js';
import type { InetSocket } from '../types.js';
import { type DecodedRow, EMPTY, emptyDecoded } from './decoded-row.js';
import type { InetLineReader } from './inet.js';
import { buildRow, pointerFromWords, type TableInfo } from './inet-build.js';

const U32_MAX = 0xffff_ffff;

type Narrow = Uint8Array | Uint16Array | Uint32Array | Int32Array;
type Column = Narrow | Float64Array;

/** The narrow type of each widening column, by field name (the builder's and the finished columns' names). */
const WIDENING = {
  slot: Uint32Array,
  stateCode: Uint8Array,
  txQueue: Uint32Array,
  rxQueue: Uint32Array,
  timerCode: Uint8Array,
  timerTicks: Uint32Array,
  retransmits: Uint32Array,
  uid: Uint32Array,
  probes: Int32Array,
  inode: Uint32Array,
  refcount: Int32Array,
} as const;
const TCP_WIDENING = {
  rto: Uint32Array,
  ato: Uint32Array,
  quickAckPingpong: Uint32Array,
  cwnd: Uint32Array,
  ssthresh: Int32Array,
} as const;
const DATAGRAM_WIDENING = { drops: Uint32Array } as const;
/** Columns whose values always fit (fixed-width hex fields, codes the builder makes). */
const FIXED = {
  localPort: Uint16Array,
  remotePort: Uint16Array,
  pointerHigh: Uint32Array,
  pointerLow: Uint32Array,
  pointerDigits: Uint8Array,
  fields: Uint8Array,
} as const;

type WideningName = keyof typeof WIDENING | keyof typeof TCP_WIDENING | keyof typeof DATAGRAM_WIDENING;

/** Stores `v` at `i` of the column `name` of `c`, widening the column to a Float64Array when `v` does not fit it. */
function put(c: Record<string, Column>, name: WideningName, i: number, v: number): void {
  let col = c[name] as Column;
  col[i] = v;
  if (col[i] === v && !Object.is(v, -0)) return;
  if (col instanceof Float64Array) return; // NaN (a huge inode's placeholder) reads back as NaN !== NaN
  const wide = new Float64Array(col.length);
  for (let k = 0; k < i; k++) wide[k] = col[k] as number;
  col = wide;
  c[name] = col;
  col[i] = v;
}

/**
 * The pointer span `[s, e)` of `b` as words: true, with the words in `ptrHi`/`ptrLo`, when it is 8 or 16
 * lower-case hex digits (as `%pK` prints); false for any other text.
 */
let ptrHi = 0;
let ptrLo = 0;
function pointerWords(b: Uint8Array, s: number, e: number): boolean {
  const len = e - s;
  if (len === 16) {
    const hi = lowerHex8(b, s);
    const lo = lowerHex8(b, s + 8);
    if (hi < 0 || lo < 0) return false;
    ptrHi = hi;
    ptrLo = lo;
    return true;
  }
  if (len === 8) {
    const lo = lowerHex8(b, s);
    if (lo < 0) return false;
    ptrHi = 0;
    ptrLo = lo;
    return true;
  }
  return false;
}

/**
 * Collects decoded lines into columns (call `accept` from a `decodedSink`), then `finish()`. Works across batches
 * of lines: nothing refers back to the input bytes.
 */
export class InetColumnBuilder {
  readonly info: TableInfo;
  private readonly tcp: boolean;
  private readonly words: 1 | 4;
  private n = 0;
  private cap: number;
  // One field per column (the hot path stores into them directly); allocated, grown and widened by name.
  declare slot: U32Column;
  declare localAddress: Uint32Array;
  declare localPort: Uint16Array;
  declare remoteAddress: Uint32Array;
  declare remotePort: Uint16Array;
  declare stateCode: U8Column;
  declare txQueue: U32Column;
  declare rxQueue: U32Column;
  declare timerCode: U8Column;
  declare timerTicks: U32Column;
  declare retransmits: U32Column;
  declare uid: U32Column;
  declare probes: I32Column;
  declare inode: U32Column;
  declare refcount: I32Column;
  declare pointerHigh: Uint32Array;
  declare pointerLow: Uint32Array;
  declare pointerDigits: Uint8Array;
  declare fields: Uint8Array;
  declare record: Uint8Array;
  declare rto: U32Column;
  declare ato: U32Column;
  declare quickAckPingpong: U32Column;
  declare cwnd: U32Column;
  declare ssthresh: I32Column;
  declare drops: U32Column;
  private readonly inodeText = new Map<number, string>();
  private readonly pointerText = new Map<number, string>();
  private readonly extra = new Map<number, readonly string[]>();

  /** `capacity`: the expected number of rows (the columns grow past it when needed). */
  constructor(info: TableInfo, capacity: number) {
    this.info = info;
    this.tcp = info.protocol === 'tcp';
    this.words = info.family === 'IPv6' ? 4 : 1;
    const cap = Math.max(16, Math.ceil(capacity));
    this.cap = cap;
    const cols = this.columns();
    for (const [name, Type, per] of this.layout()) cols[name] = new Type(cap * per);
  }

  private columns(): Record<string, Column> {
    return this as unknown as Record<string, Column>;
  }

  /** Every column of this table: its name, its (first) type and its elements per row. */
  private layout(): [string, new (n: number) => Column, number][] {
    const per = (types: Record<string, new (n: number) => Column>, n = 1) =>
      Object.entries(types).map(([name, Type]): [string, new (n: number) => Column, number] => [name, Type, n]);
    return [
      ...per(WIDENING),
      ...per(FIXED),
      ...per({ localAddress: Uint32Array, remoteAddress: Uint32Array }, this.words),
      ...(this.tcp ? per({ ...TCP_WIDENING, record: Uint8Array }) : per(DATAGRAM_WIDENING)),
    ];
  }

  /** Doubles every column. */
  private grow(): void {
    const cols = this.columns();
    for (const [name] of this.layout()) {
      const old = cols[name] as Column;
      const next = new (old.constructor as new (n: number) => Column)(old.length * 2);
      next.set(old as never);
      cols[name] = next;
    }
    this.cap *= 2;
  }

  /** Takes the reader's decoded row; `fast`: it came from the fast path (see `decodedSink`). */
  accept(r: InetLineReader, fast: boolean): void {
    const d = r.d;
    const i = this.n;
    if (i === this.cap) this.grow();
    this.n = i + 1;
    const la = this.localAddress;
    const ra = this.remoteAddress;
    if (this.words === 1) {
      la[i] = d.la0;
      ra[i] = d.ra0;
    } else {
      const j = i * 4;
      la[j] = d.la0;
      la[j + 1] = d.la1;
      la[j + 2] = d.la2;
      la[j + 3] = d.la3;
      ra[j] = d.ra0;
      ra[j + 1] = d.ra1;
      ra[j + 2] = d.ra2;
      ra[j + 3] = d.ra3;
    }
    this.localPort[i] = d.lport;
    this.remotePort[i] = d.rport;
    this.fields[i] = d.fields;
    if (this.tcp) this.record[i] = d.fields === 12 ? (tcpMiniRecord(d.tr, d.st) === 'timewait' ? 1 : 2) : 0;
    // The pointer: words when printed as %pK prints it, else its text on the side.
    if (pointerWords(r.buf, d.ptrStart, d.ptrEnd)) {
      this.pointerHigh[i] = ptrHi;
      this.pointerLow[i] = ptrLo;
      this.pointerDigits[i] = d.ptrEnd - d.ptrStart;
    } else {
      this.pointerText.set(i, latin1(r.buf, d.ptrStart, d.ptrEnd));
    }
    if (fast && this.fitsNarrow(d)) this.putNarrow(i, d);
    else this.putChecked(i, d);
  }

  /**
   * True when the fast path's values fit the narrow columns as they are. The fast path only gives values in the
   * hex fields' printed widths (all fit) and never -0; the decimal fields are checked here.
   */
  private fitsNarrow(d: DecodedRow): boolean {
    if (!(d.slot <= U32_MAX && d.uid >>> 0 === d.uid && (d.probes | 0) === d.probes && d.inode <= U32_MAX)) {
      return false;
    }
    if ((d.ref | 0) !== d.ref) return false;
    if (this.tcp) {
      if (d.fields === 12) return true;
      return d.rto <= U32_MAX && d.ato <= U32_MAX && d.qp <= U32_MAX && d.cwnd <= U32_MAX && (d.last | 0) === d.last;
    }
    return d.fields === 12 || d.drops >>> 0 === d.drops;
  }

  /** A row whose values fit (`fitsNarrow`); a column widened by an earlier row takes them as well. */
  private putNarrow(i: number, d: DecodedRow): void {
    this.slot[i] = d.slot;
    this.stateCode[i] = d.st;
    this.txQueue[i] = d.tx;
    this.rxQueue[i] = d.rx;
    this.timerCode[i] = d.tr;
    this.timerTicks[i] = d.when;
    this.retransmits[i] = d.retr;
    this.uid[i] = d.uid;
    this.probes[i] = d.probes;
    this.inode[i] = d.inode;
    this.refcount[i] = d.ref;
    if (this.tcp) {
      const full = d.fields !== 12;
      this.rto[i] = full ? d.rto : 0;
      this.ato[i] = full ? d.ato : 0;
      this.quickAckPingpong[i] = full ? d.qp : 0;
      this.cwnd[i] = full ? d.cwnd : 0;
      this.ssthresh[i] = full ? d.last : 0;
    } else {
      this.drops[i] = d.fields === 12 ? 0 : d.drops;
    }
  }

  /** Any decoded row: each value checked against its column, which is widened when the value does not fit. */
  private putChecked(i: number, d: DecodedRow): void {
    const c = this.columns();
    put(c, 'slot', i, d.slot);
    put(c, 'stateCode', i, d.st);
    put(c, 'txQueue', i, d.tx);
    put(c, 'rxQueue', i, d.rx);
    put(c, 'timerCode', i, d.tr);
    put(c, 'timerTicks', i, d.when);
    put(c, 'retransmits', i, d.retr);
    put(c, 'uid', i, d.uid);
    put(c, 'probes', i, d.probes);
    put(c, 'refcount', i, d.ref);
    let inode = d.inode;
    if (d.inodeText !== undefined) {
      inode = Number(d.inodeText);
      if (inode > Number.MAX_SAFE_INTEGER) {
        inode = Number.NaN;
        this.inodeText.set(i, d.inodeText);
      }
    }
    put(c, 'inode', i, inode);
    if (this.tcp) {
      const full = d.fields !== 12;
      put(c, 'rto', i, full ? d.rto : 0);
      put(c, 'ato', i, full ? d.ato : 0);
      put(c, 'quickAckPingpong', i, full ? d.qp : 0);
      put(c, 'cwnd', i, full ? d.cwnd : 0);
      put(c, 'ssthresh', i, full ? d.last : 0);
    } else {
      put(c, 'drops', i, d.fields === 12 ? 0 : d.drops);
    }
    if (d.extra !== EMPTY && d.extra.length > 0) this.extra.set(i, d.extra);
  }

  /** The columns of the rows taken so far (views of the builder's storage: take no more rows after this). */
  finish(): InetColumns {
    const n = this.n;
    const info = this.info;
    const cols = this.columns();
    const fields: Record<string, unknown> = {
      kind: info.kind,
      protocol: info.protocol,
      family: info.family,
      byteOrder: info.order,
      userHz: info.userHz,
      length: n,
      addressWords: this.words,
    };
    for (const [name, , per] of this.layout()) fields[name] = (cols[name] as Column).subarray(0, n * per);
    fields.inodeText = this.inodeText;
    fields.pointerText = this.pointerText;
    fields.extra = this.extra;
    return new InetColumnsOf(info, fields) as unknown as InetColumns;
  }
}

/**
 * The finished columns: own fields as {@link InetColumns} describes them (the builder's layout names them), and
 * `row(i)` building `parseTable`'s row with the same row builder.
 */
class InetColumnsOf {
  readonly #info: TableInfo;
  readonly #d: DecodedRow = emptyDecoded();

  constructor(info: TableInfo, fields: Record<string, unknown>) {
    this.#info = info;
    Object.assign(this, fields);
  }

  row(i: number): InetSocket {
    const t = this as unknown as InetColumns;
    checkRowIndex(i, t.length);
    const d = this.#d;
    const w = t.addressWords;
    const j = i * w;
    d.la0 = t.localAddress[j] as number;
    d.ra0 = t.remoteAddress[j] as number;
    if (w === 4) {
      d.la1 = t.localAddress[j + 1] as number;
      d.la2 = t.localAddress[j + 2] as number;
      d.la3 = t.localAddress[j + 3] as number;
      d.ra1 = t.remoteAddress[j + 1] as number;
      d.ra2 = t.remoteAddress[j + 2] as number;
      d.ra3 = t.remoteAddress[j + 3] as number;
    }
    d.slot = t.slot[i] as number;
    d.lport = t.localPort[i] as number;
    d.rport = t.remotePort[i] as number;
    d.st = t.stateCode[i] as number;
    d.tx = t.txQueue[i] as number;
    d.rx = t.rxQueue[i] as number;
    d.tr = t.timerCode[i] as number;
    d.when = t.timerTicks[i] as number;
    d.retr = t.retransmits[i] as number;
    d.uid = t.uid[i] as number;
    d.probes = t.probes[i] as number;
    d.inode = t.inode[i] as number;
    d.inodeText = Number.isNaN(d.inode) ? t.inodeText.get(i) : undefined;
    d.ref = t.refcount[i] as number;
    d.fields = t.fields[i] as number;
    d.extra = t.extra.get(i) ?? EMPTY;
    if (t.protocol === 'tcp') {
      d.rto = t.rto[i] as number;
      d.ato = t.ato[i] as number;
      d.qp = t.quickAckPingpong[i] as number;
      d.cwnd = t.cwnd[i] as number;
      d.last = t.ssthresh[i] as number;
    } else {
      d.drops = t.drops[i] as number;
    }
    return buildRow(d, pointerOf(t, i), this.#info);
  }

  *[Symbol.iterator](): IterableIterator<InetSocket> {
    const n = (this as unknown as InetColumns).length;
    for (let i = 0; i < n; i++) yield this.row(i);
  }
}

/** Throws the `RangeError` of `row(i)` for an index outside `[0, length)`. */
export function checkRowIndex(i: number, length: number): void {
  if (!(Number.isInteger(i) && i >= 0 && i < length)) {
    throw new RangeError(`procnet: row ${i} is outside the table's ${length} rows`);
  }
}

/** The pointer text of row `i`: from its words, or as printed (`pointerText`). */
export function pointerOf(t: IdentityColumns, i: number): string {
  const digits = t.pointerDigits[i] as number;
  if (digits === 0) return t.pointerText.get(i) as string;
  return pointerFromWords(t.pointerHigh[i] as number, t.pointerLow[i] as number, digits);
}
