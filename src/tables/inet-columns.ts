/**
 * Inet tables as typed columns: a builder fed decoded lines (by the same line loop, checks, filter and error
 * handling as `parseTable`), and the finished columns, whose `row(i)` builds `parseTable`'s row `i` with the same
 * row builder (`inet.ts`).
 * @module
 */

import type { I32Column, IdentityColumns, InetColumns, U8Column, U32Column } from '../column-types.js';
import { pointerFromWords } from '../decode/pointer.js';
import { tcpMiniRecord } from '../decode/tcp-state.js';
import { latin1 } from '../scan/bytes.js';
import type { AddressFamily, ByteOrder, InetProtocol, InetSocket, InetTableKind } from '../types.js';
import { buildRow, type TableInfo } from './inet.js';
import { type DecodedRow, EMPTY, emptyDecoded, type InetLineDecoder } from './inet-decode.js';

const U32_MAX = 0xffff_ffff;

type Column = Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array;

/** Every typed-array column of `c`, by name (the address columns hold several words per row). */
function columnNames(c: object): string[] {
  return Object.keys(c).filter((k) => ArrayBuffer.isView((c as Record<string, unknown>)[k]));
}

/**
 * Stores `v` at `i` of the column `name` of `c`, widening the column to a Float64Array (its values so far copied)
 * when `v` does not fit it.
 */
function put(c: object, name: string, i: number, v: number): void {
  const cols = c as Record<string, Column>;
  const col = cols[name] as Column;
  col[i] = v;
  if (col[i] === v && !Object.is(v, -0)) return;
  if (col instanceof Float64Array) return; // NaN (a huge inode's placeholder) reads back as NaN !== NaN
  const wide = new Float64Array(col.length);
  for (let k = 0; k < i; k++) wide[k] = col[k] as number;
  wide[i] = v;
  cols[name] = wide;
}

/**
 * Collects decoded lines into columns (call `accept` from a `decodedSink`), then `finish()`. Works across batches
 * of lines: nothing refers back to the input bytes.
 */
export class InetColumnBuilder {
  private readonly tcp: boolean;
  /** The columns being filled (of either kind; the table's protocol says which are there). */
  private readonly c: TcpColumnsOf & DatagramColumnsOf;
  private n = 0;
  private cap: number;
  private readonly inodeText = new Map<number, string>();
  private readonly pointerText = new Map<number, string>();
  private readonly extra = new Map<number, readonly string[]>();

  /** `capacity`: the expected number of rows (the columns grow past it when needed). */
  constructor(info: TableInfo, capacity: number) {
    this.tcp = info.protocol === 'tcp';
    this.cap = Math.max(16, Math.ceil(capacity));
    const sides = { inodeText: this.inodeText, pointerText: this.pointerText, extra: this.extra };
    this.c = (this.tcp
      ? new TcpColumnsOf(info, this.cap, sides)
      : new DatagramColumnsOf(info, this.cap, sides)) as unknown as TcpColumnsOf & DatagramColumnsOf;
  }

  /** Doubles every column. */
  private grow(): void {
    const cols = this.c as unknown as Record<string, Column>;
    for (const name of columnNames(cols)) {
      const old = cols[name] as Column;
      const next = new (old.constructor as new (n: number) => Column)(old.length * 2);
      next.set(old as never);
      cols[name] = next;
    }
    this.cap *= 2;
  }

  /** Takes the reader's decoded row; `fast`: it came from the fast path (see `decodedSink`). */
  accept(r: InetLineDecoder, fast: boolean): void {
    const d = r.d;
    const i = this.n;
    if (i === this.cap) this.grow();
    this.n = i + 1;
    const c = this.c;
    const la = c.localAddress;
    const ra = c.remoteAddress;
    if (c.addressWords === 1) {
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
    c.localPort[i] = d.lport;
    c.remotePort[i] = d.rport;
    c.fields[i] = d.fields;
    // The pointer: words when printed as %pK prints it (the fast path has read them), else its text on the side.
    if (d.ptrDigits !== 0) {
      c.pointerHigh[i] = d.ptrHi;
      c.pointerLow[i] = d.ptrLo;
      c.pointerDigits[i] = d.ptrDigits;
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
    const c = this.c;
    c.slot[i] = d.slot;
    c.stateCode[i] = d.st;
    c.txQueue[i] = d.tx;
    c.rxQueue[i] = d.rx;
    c.timerCode[i] = d.tr;
    c.timerTicks[i] = d.when;
    c.retransmits[i] = d.retr;
    c.uid[i] = d.uid;
    c.probes[i] = d.probes;
    c.inode[i] = d.inode;
    c.refcount[i] = d.ref;
    if (this.tcp) {
      if (d.fields === 12) {
        c.record[i] = tcpMiniRecord(d.tr, d.st) === 'timewait' ? 1 : 2;
        return;
      }
      c.rto[i] = d.rto;
      c.ato[i] = d.ato;
      c.quickAckPingpong[i] = d.qp;
      c.cwnd[i] = d.cwnd;
      c.ssthresh[i] = d.last;
    } else if (d.fields !== 12) {
      c.drops[i] = d.drops;
    }
  }

  /** Any decoded row: each value checked against its column, which is widened when the value does not fit. */
  private putChecked(i: number, d: DecodedRow): void {
    const c = this.c;
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
    if (d.extra !== EMPTY && d.extra.length > 0) this.extra.set(i, d.extra);
    if (d.fields === 12) {
      if (this.tcp) c.record[i] = tcpMiniRecord(d.tr, d.st) === 'timewait' ? 1 : 2;
      return;
    }
    if (this.tcp) {
      put(c, 'rto', i, d.rto);
      put(c, 'ato', i, d.ato);
      put(c, 'quickAckPingpong', i, d.qp);
      put(c, 'cwnd', i, d.cwnd);
      put(c, 'ssthresh', i, d.last);
    } else {
      put(c, 'drops', i, d.drops);
    }
  }

  /** The columns of the rows taken so far (cut to their length: take no more rows after this). */
  finish(): InetColumns {
    const c = this.c;
    const cols = c as unknown as Record<string, Column>;
    for (const name of columnNames(c)) {
      const col = cols[name] as Column;
      cols[name] = col.subarray(0, (col.length / this.cap) * this.n);
    }
    c.length = this.n;
    return c as unknown as InetColumns;
  }
}

/** Maps kept beside the columns (see {@link InetColumns}). */
interface SideMaps {
  inodeText: ReadonlyMap<number, string>;
  pointerText: ReadonlyMap<number, string>;
  extra: ReadonlyMap<number, readonly string[]>;
}

/**
 * The columns of an inet table (see {@link InetColumns}): every field a named own property (assigned here, so
 * the object keeps fast properties), `row(i)` building `parseTable`'s row with the same row builder.
 */
abstract class InetColumnsOf {
  readonly #info: TableInfo;
  readonly #d: DecodedRow = emptyDecoded();
  kind: InetTableKind;
  protocol: InetProtocol;
  family: AddressFamily;
  byteOrder: ByteOrder;
  userHz: number;
  length = 0;
  addressWords: 1 | 4;
  slot: U32Column;
  localAddress: Uint32Array;
  localPort: Uint16Array;
  remoteAddress: Uint32Array;
  remotePort: Uint16Array;
  stateCode: U8Column;
  txQueue: U32Column;
  rxQueue: U32Column;
  timerCode: U8Column;
  timerTicks: U32Column;
  retransmits: U32Column;
  uid: U32Column;
  probes: I32Column;
  inode: U32Column;
  refcount: I32Column;
  pointerHigh: Uint32Array;
  pointerLow: Uint32Array;
  pointerDigits: Uint8Array;
  fields: Uint8Array;
  inodeText: ReadonlyMap<number, string>;
  pointerText: ReadonlyMap<number, string>;
  extra: ReadonlyMap<number, readonly string[]>;

  /** Columns for `cap` rows, in the narrow types (see `put` for widening). */
  constructor(info: TableInfo, cap: number, sides: SideMaps) {
    this.#info = info;
    this.kind = info.kind;
    this.protocol = info.protocol;
    this.family = info.family;
    this.byteOrder = info.order;
    this.userHz = info.userHz;
    this.addressWords = info.family === 'IPv6' ? 4 : 1;
    this.slot = new Uint32Array(cap);
    this.localAddress = new Uint32Array(cap * this.addressWords);
    this.localPort = new Uint16Array(cap);
    this.remoteAddress = new Uint32Array(cap * this.addressWords);
    this.remotePort = new Uint16Array(cap);
    this.stateCode = new Uint8Array(cap);
    this.txQueue = new Uint32Array(cap);
    this.rxQueue = new Uint32Array(cap);
    this.timerCode = new Uint8Array(cap);
    this.timerTicks = new Uint32Array(cap);
    this.retransmits = new Uint32Array(cap);
    this.uid = new Uint32Array(cap);
    this.probes = new Int32Array(cap);
    this.inode = new Uint32Array(cap);
    this.refcount = new Int32Array(cap);
    this.pointerHigh = new Uint32Array(cap);
    this.pointerLow = new Uint32Array(cap);
    this.pointerDigits = new Uint8Array(cap);
    this.fields = new Uint8Array(cap);
    this.inodeText = sides.inodeText;
    this.pointerText = sides.pointerText;
    this.extra = sides.extra;
  }

  row(i: number): InetSocket {
    checkRowIndex(i, this.length);
    const d = this.#d;
    const w = this.addressWords;
    const j = i * w;
    d.la0 = this.localAddress[j] as number;
    d.ra0 = this.remoteAddress[j] as number;
    if (w === 4) {
      d.la1 = this.localAddress[j + 1] as number;
      d.la2 = this.localAddress[j + 2] as number;
      d.la3 = this.localAddress[j + 3] as number;
      d.ra1 = this.remoteAddress[j + 1] as number;
      d.ra2 = this.remoteAddress[j + 2] as number;
      d.ra3 = this.remoteAddress[j + 3] as number;
    }
    d.slot = this.slot[i] as number;
    d.lport = this.localPort[i] as number;
    d.rport = this.remotePort[i] as number;
    d.st = this.stateCode[i] as number;
    d.tx = this.txQueue[i] as number;
    d.rx = this.rxQueue[i] as number;
    d.tr = this.timerCode[i] as number;
    d.when = this.timerTicks[i] as number;
    d.retr = this.retransmits[i] as number;
    d.uid = this.uid[i] as number;
    d.probes = this.probes[i] as number;
    d.inode = this.inode[i] as number;
    d.inodeText = Number.isNaN(d.inode) ? this.inodeText.get(i) : undefined;
    d.ref = this.refcount[i] as number;
    d.fields = this.fields[i] as number;
    d.extra = this.extra.get(i) ?? EMPTY;
    this.loadTail(i, d);
    return buildRow(d, pointerOf(this, i), this.#info);
  }

  /** Loads the table kind's own columns of row `i` into `d`. */
  protected abstract loadTail(i: number, d: DecodedRow): void;

  *[Symbol.iterator](): IterableIterator<InetSocket> {
    for (let i = 0; i < this.length; i++) yield this.row(i);
  }
}

/** {@link TcpColumns}: the record kind and columns 13-17. */
class TcpColumnsOf extends InetColumnsOf {
  record: Uint8Array;
  rto: U32Column;
  ato: U32Column;
  quickAckPingpong: U32Column;
  cwnd: U32Column;
  ssthresh: I32Column;

  constructor(info: TableInfo, cap: number, sides: SideMaps) {
    super(info, cap, sides);
    this.record = new Uint8Array(cap);
    this.rto = new Uint32Array(cap);
    this.ato = new Uint32Array(cap);
    this.quickAckPingpong = new Uint32Array(cap);
    this.cwnd = new Uint32Array(cap);
    this.ssthresh = new Int32Array(cap);
  }

  protected loadTail(i: number, d: DecodedRow): void {
    d.rto = this.rto[i] as number;
    d.ato = this.ato[i] as number;
    d.qp = this.quickAckPingpong[i] as number;
    d.cwnd = this.cwnd[i] as number;
    d.last = this.ssthresh[i] as number;
  }
}

/** {@link DatagramColumns}: `drops`. */
class DatagramColumnsOf extends InetColumnsOf {
  drops: U32Column;

  constructor(info: TableInfo, cap: number, sides: SideMaps) {
    super(info, cap, sides);
    this.drops = new Uint32Array(cap);
  }

  protected loadTail(i: number, d: DecodedRow): void {
    d.drops = this.drops[i] as number;
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
