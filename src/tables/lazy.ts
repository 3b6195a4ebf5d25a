/**
 * Lazy rows: `parseTableLazy` checks every row exactly as `parseTable` does, but keeps each row's values in
 * compact typed columns and gives back one small object per row whose fields are read from those columns on
 * access. For agents that poll big tables and read a few fields of each row: no strings and no endpoint objects
 * are made until asked for, and the garbage collector has little to trace.
 * @module
 */
import { ipv4FromWord, ipv6FromWords } from '../decode/address.js';
import { pointerFromWords } from '../decode/pointer.js';
import { decodeDatagramState, decodeTcpState, tcpMiniRecord } from '../decode/tcp-state.js';
import { timerOf } from '../decode/timer.js';
import { type TableInput, toBytes } from '../scan/bytes.js';
import type { Endpoint, InetSocket, InetTableKind, SocketByKind, SocketTimer } from '../types.js';
import { buildRow, type DecodedLine, decodedSink, decoderOf, rowOf, runInetLines, type TableInfo } from './inet.js';
import { type DecodedRow, EMPTY, emptyDecoded, type InetLineDecoder } from './inet-decode.js';
import type { ParseOptions } from './options.js';

const U32 = 0x1_0000_0000;

const isU32 = (v: number): boolean => v >= 0 && v < U32 && Math.floor(v) === v && !Object.is(v, -0);
const isI32 = (v: number): boolean => (v | 0) === v && !Object.is(v, -0);

/**
 * True if every value of `d` fits the compact columns (every row the kernel prints does), its pointer as words
 * among them.
 */
function fits(d: DecodedRow, tcp: boolean): boolean {
  if (tcp) {
    if (d.fields !== 12 && !(isU32(d.rto) && isU32(d.ato) && isU32(d.qp) && isU32(d.cwnd) && isI32(d.last))) {
      return false;
    }
  } else if (d.fields > 12 && !isI32(d.drops)) {
    return false;
  }
  return (
    d.extra === EMPTY &&
    d.inodeText === undefined &&
    d.st < 256 &&
    d.tr < 256 &&
    d.fields < 256 &&
    isU32(d.slot) &&
    isU32(d.tx) &&
    isU32(d.rx) &&
    isU32(d.when) &&
    isU32(d.retr) &&
    isU32(d.uid) &&
    isI32(d.probes) &&
    isU32(d.inode) &&
    isI32(d.ref) &&
    d.ptrDigits !== 0
  );
}

/** The rows of one table, a column per field. */
/** A column's storage. */
type Column = Uint8Array | Uint16Array | Uint32Array | Int32Array;

/**
 * Every column of {@link InetColumns}: its field, its element type, and whether it holds one word per row or, for
 * IPv6 addresses, four.
 */
const COLUMNS: ReadonlyArray<readonly [string, new (n: number) => Column, boolean?]> = [
  ['slot', Uint32Array],
  ['la', Uint32Array, true],
  ['ra', Uint32Array, true],
  ['lport', Uint16Array],
  ['rport', Uint16Array],
  ['st', Uint8Array],
  ['tr', Uint8Array],
  ['fields', Uint8Array],
  ['ptrLen', Uint8Array],
  ['tx', Uint32Array],
  ['rx', Uint32Array],
  ['when', Uint32Array],
  ['retr', Uint32Array],
  ['uid', Uint32Array],
  ['probes', Int32Array],
  ['inode', Uint32Array],
  ['ref', Int32Array],
  ['ptrHi', Uint32Array],
  ['ptrLo', Uint32Array],
  ['rto', Uint32Array],
  ['ato', Uint32Array],
  ['qp', Uint32Array],
  ['cwnd', Uint32Array],
  ['last', Int32Array],
  ['drops', Int32Array],
];

class InetColumns {
  readonly info: TableInfo;
  readonly v6: boolean;
  n = 0;
  declare slot: Uint32Array;
  declare la: Uint32Array;
  declare ra: Uint32Array;
  declare lport: Uint16Array;
  declare rport: Uint16Array;
  declare st: Uint8Array;
  declare tr: Uint8Array;
  declare fields: Uint8Array;
  declare ptrLen: Uint8Array;
  declare tx: Uint32Array;
  declare rx: Uint32Array;
  declare when: Uint32Array;
  declare retr: Uint32Array;
  declare uid: Uint32Array;
  declare probes: Int32Array;
  declare inode: Uint32Array;
  declare ref: Int32Array;
  declare ptrHi: Uint32Array;
  declare ptrLo: Uint32Array;
  declare rto: Uint32Array;
  declare ato: Uint32Array;
  declare qp: Uint32Array;
  declare cwnd: Uint32Array;
  declare last: Int32Array;
  declare drops: Int32Array;

  constructor(info: TableInfo, capacity: number) {
    this.info = info;
    this.v6 = info.family === 'IPv6';
    const c = Math.max(16, capacity);
    const cols = this as unknown as Record<string, Column>;
    for (const [name, Type, wide] of COLUMNS) cols[name] = new Type(wide === true && this.v6 ? c * 4 : c);
  }

  /** Doubles every column. */
  private grow(): void {
    const cols = this as unknown as Record<string, Column>;
    for (const [name, Type] of COLUMNS) {
      const old = cols[name] as Column;
      const next = new Type(old.length * 2);
      next.set(old);
      cols[name] = next;
    }
  }

  /** Appends a decoded row just checked by `fits`; returns its index. */
  push(d: DecodedRow): number {
    const i = this.n;
    if (i === this.slot.length) this.grow();
    this.n = i + 1;
    this.slot[i] = d.slot;
    if (this.v6) {
      const j = i * 4;
      this.la[j] = d.la0;
      this.la[j + 1] = d.la1;
      this.la[j + 2] = d.la2;
      this.la[j + 3] = d.la3;
      this.ra[j] = d.ra0;
      this.ra[j + 1] = d.ra1;
      this.ra[j + 2] = d.ra2;
      this.ra[j + 3] = d.ra3;
    } else {
      this.la[i] = d.la0;
      this.ra[i] = d.ra0;
    }
    this.lport[i] = d.lport;
    this.rport[i] = d.rport;
    this.st[i] = d.st;
    this.tr[i] = d.tr;
    this.fields[i] = d.fields;
    this.ptrHi[i] = d.ptrHi;
    this.ptrLo[i] = d.ptrLo;
    this.ptrLen[i] = d.ptrDigits;
    this.tx[i] = d.tx;
    this.rx[i] = d.rx;
    this.when[i] = d.when;
    this.retr[i] = d.retr;
    this.uid[i] = d.uid;
    this.probes[i] = d.probes;
    this.inode[i] = d.inode;
    this.ref[i] = d.ref;
    this.rto[i] = d.rto;
    this.ato[i] = d.ato;
    this.qp[i] = d.qp;
    this.cwnd[i] = d.cwnd;
    this.last[i] = d.last;
    this.drops[i] = d.drops;
    return i;
  }

  /** Row `i` back as a decoded row (but its pointer: see `pointer`). */
  load(i: number, d: DecodedRow): DecodedRow {
    d.slot = this.slot[i] as number;
    const j = this.v6 ? i * 4 : i;
    d.la0 = this.la[j] as number;
    d.ra0 = this.ra[j] as number;
    if (this.v6) {
      d.la1 = this.la[j + 1] as number;
      d.la2 = this.la[j + 2] as number;
      d.la3 = this.la[j + 3] as number;
      d.ra1 = this.ra[j + 1] as number;
      d.ra2 = this.ra[j + 2] as number;
      d.ra3 = this.ra[j + 3] as number;
    }
    d.lport = this.lport[i] as number;
    d.rport = this.rport[i] as number;
    d.st = this.st[i] as number;
    d.tr = this.tr[i] as number;
    d.fields = this.fields[i] as number;
    d.tx = this.tx[i] as number;
    d.rx = this.rx[i] as number;
    d.when = this.when[i] as number;
    d.retr = this.retr[i] as number;
    d.uid = this.uid[i] as number;
    d.probes = this.probes[i] as number;
    d.inode = this.inode[i] as number;
    d.inodeText = undefined;
    d.ref = this.ref[i] as number;
    d.rto = this.rto[i] as number;
    d.ato = this.ato[i] as number;
    d.qp = this.qp[i] as number;
    d.cwnd = this.cwnd[i] as number;
    d.last = this.last[i] as number;
    d.drops = this.drops[i] as number;
    d.extra = EMPTY;
    return d;
  }

  pointer(i: number): string {
    return pointerFromWords(this.ptrHi[i] as number, this.ptrLo[i] as number, this.ptrLen[i] as number);
  }

  address(i: number, local: boolean): string {
    const a = local ? this.la : this.ra;
    const order = this.info.order;
    if (!this.v6) return ipv4FromWord(a[i] as number, order);
    const j = i * 4;
    return ipv6FromWords(a[j] as number, a[j + 1] as number, a[j + 2] as number, a[j + 3] as number, order);
  }
}

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * One row of `parseTableLazy`: every field of the row's socket type, read from the table's columns on access.
 * Fields are getters, not own properties: use `toJSON()` (which `JSON.stringify` calls) for a plain object equal
 * to what `parseTable` gives; `Object.keys`, spread and `structuredClone` see no fields. `local`, `remote`,
 * `timer`, `inode` and `pointer` are made on each access.
 */
export class LazyInetRow {
  readonly #c: InetColumns;
  readonly #i: number;

  /** @internal */
  constructor(c: InetColumns, i: number) {
    this.#c = c;
    this.#i = i;
  }

  get kind(): InetTableKind {
    return this.#c.info.kind;
  }
  get protocol(): InetSocket['protocol'] {
    return this.#c.info.protocol;
  }
  get family(): InetSocket['family'] {
    return this.#c.info.family;
  }
  /** TCP only: `'socket'`, `'timewait'` or `'request'`. */
  get record(): 'socket' | 'timewait' | 'request' | undefined {
    const c = this.#c;
    if (c.info.protocol !== 'tcp') return undefined;
    const i = this.#i;
    if ((c.fields[i] as number) !== 12) return 'socket';
    return tcpMiniRecord(c.tr[i] as number, c.st[i] as number) ?? 'request';
  }
  get slot(): number {
    return this.#c.slot[this.#i] as number;
  }
  get local(): Endpoint {
    const c = this.#c;
    const port = c.info.protocol === 'raw' ? 0 : (c.lport[this.#i] as number);
    return { address: c.address(this.#i, true), port, family: c.info.family };
  }
  get remote(): Endpoint {
    const c = this.#c;
    return { address: c.address(this.#i, false), port: c.rport[this.#i] as number, family: c.info.family };
  }
  get state(): string {
    const st = this.#c.st[this.#i] as number;
    return this.#c.info.protocol === 'tcp' ? decodeTcpState(st) : decodeDatagramState(st);
  }
  get stateCode(): number {
    return this.#c.st[this.#i] as number;
  }
  get txQueue(): number {
    return this.#c.tx[this.#i] as number;
  }
  get rxQueue(): number {
    return this.#c.rx[this.#i] as number;
  }
  get timer(): SocketTimer {
    const c = this.#c;
    return timerOf(c.tr[this.#i] as number, c.when[this.#i] as number, c.info.userHz);
  }
  get retransmits(): number {
    return this.#c.retr[this.#i] as number;
  }
  get uid(): number {
    return this.#c.uid[this.#i] as number;
  }
  get probes(): number {
    return this.#c.probes[this.#i] as number;
  }
  get inode(): string {
    return String(this.#c.inode[this.#i]);
  }
  get refcount(): number {
    return this.#c.ref[this.#i] as number;
  }
  get pointer(): string {
    return this.#c.pointer(this.#i);
  }
  get extra(): readonly string[] {
    return EMPTY;
  }
  /** Full TCP sockets only (as the fields after it). */
  get rtoMs(): number | undefined {
    return this.#full() ? ((this.#c.rto[this.#i] as number) * 1000) / this.#c.info.userHz : undefined;
  }
  get atoMs(): number | undefined {
    return this.#full() ? ((this.#c.ato[this.#i] as number) * 1000) / this.#c.info.userHz : undefined;
  }
  get quickAck(): number | undefined {
    return this.#full() ? (this.#c.qp[this.#i] as number) >>> 1 : undefined;
  }
  get pingpong(): boolean | undefined {
    return this.#full() ? ((this.#c.qp[this.#i] as number) & 1) === 1 : undefined;
  }
  get cwnd(): number | undefined {
    return this.#full() ? (this.#c.cwnd[this.#i] as number) : undefined;
  }
  get ssthresh(): number | null | undefined {
    if (!this.#full()) return undefined;
    const last = this.#c.last[this.#i] as number;
    return (this.#c.st[this.#i] as number) === 10 || last < 0 ? null : last;
  }
  get fastOpenQueueLimit(): number | null | undefined {
    if (!this.#full()) return undefined;
    return (this.#c.st[this.#i] as number) === 10 ? (this.#c.last[this.#i] as number) : null;
  }
  /** Datagram tables only: `drops`, or `null` on kernels that do not print it. */
  get drops(): number | null | undefined {
    const c = this.#c;
    if (c.info.protocol === 'tcp') return undefined;
    return (c.fields[this.#i] as number) > 12 ? (c.drops[this.#i] as number) : null;
  }
  /** Raw tables only: the IP protocol (printed in the local port's place). */
  get ipProtocol(): number | undefined {
    return this.#c.info.protocol === 'raw' ? (this.#c.lport[this.#i] as number) : undefined;
  }

  /**
   * The row as the plain object `parseTable` gives (the same fields, in the same order), followed by any field set
   * on the row itself (`readSockets` sets `namespace` and `owners`).
   */
  toJSON(): InetSocket {
    const c = this.#c;
    const plain = buildRow(c.load(this.#i, emptyDecoded()), c.pointer(this.#i), c.info) as unknown as Record<
      string,
      unknown
    >;
    for (const key of Object.keys(this)) plain[key] = (this as unknown as Record<string, unknown>)[key];
    return plain as unknown as InetSocket;
  }

  [INSPECT](): InetSocket {
    return this.toJSON();
  }

  #full(): boolean {
    return this.#c.info.protocol === 'tcp' && (this.#c.fields[this.#i] as number) !== 12;
  }
}

/**
 * Collects lazy rows from a line loop (`decodedSink`): each decoded row goes into the columns, or, if it does not
 * fit them, becomes the plain row. Works across chunks: nothing refers back to the input bytes.
 */
export class LazyRows {
  readonly rows: InetSocket[] = [];
  #cols: InetColumns | undefined;
  readonly #capacity: number;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** Takes the decoder's decoded row (call from a `decodedSink`). */
  accept(r: InetLineDecoder): void {
    const d = r.d;
    if (!fits(d, r.protocol === 'tcp')) {
      this.rows.push(rowOf(r));
      return;
    }
    let c = this.#cols;
    if (c === undefined) {
      const info = { kind: r.kind, protocol: r.protocol, family: r.family, order: r.order, userHz: r.userHz };
      c = new InetColumns(info, this.#capacity);
      this.#cols = c;
    }
    this.rows.push(new LazyInetRow(c, c.push(d)) as unknown as InetSocket);
  }

  /** Takes a line handed out by a `lineSink` (procnet/node's streamed reads). */
  acceptLine(line: DecodedLine): void {
    this.accept(decoderOf(line));
  }
}

/**
 * Parses one inet table like `parseTable` (the same checks, errors, options and filter) into lazy rows: each row
 * is a {@link LazyInetRow} reading its fields from compact columns on access, or, for the rare row whose values
 * do not fit the columns (an extra field, an inode over 32 bits, a negative uid, an upper-case pointer), the plain
 * object `parseTable` gives. The rows do not keep `input` alive.
 *
 * ```ts
 * const rows = parseTableLazy('tcp', readFileSync('/proc/net/tcp'));
 * const backlog = rows.filter((r) => r.stateCode === 10 && r.rxQueue > 0).map(plainRow);
 * ```
 */
export function parseTableLazy<K extends InetTableKind>(
  kind: K,
  input: TableInput,
  options?: ParseOptions,
): SocketByKind[K][] {
  const bytes = toBytes(input);
  const sink = new LazyRows(Math.ceil(bytes.length / 120));
  runInetLines(
    kind,
    bytes,
    options,
    decodedSink(kind, options, (r) => sink.accept(r)),
  );
  return sink.rows as SocketByKind[K][];
}

/** A row of `parseTableLazy` as a plain object (own enumerable fields), equal to what `parseTable` gives. */
export function plainRow<T extends InetSocket>(row: T): T {
  return row instanceof LazyInetRow ? (row.toJSON() as T) : row;
}
