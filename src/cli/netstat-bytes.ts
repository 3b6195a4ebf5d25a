/**
 * The netstat line of an IPv4 TCP row written as bytes straight from a batch of its columns (procnet/node's
 * `streamSocketColumns`), with no row object and no string: the same text as procnet/netstat's `formatNetstatInetLine` for the plain numeric view (no
 * user, inode, program, timer or namespace column, numeric ports), for the streamed table view (`procnet -tan`),
 * where printing a big table must cost little beside the kernel's own printing of it. Other tables are printed
 * from rows by the renderer.
 * @module
 */
import { decodeTcpState, type InetColumns, TCP_STATES } from '../index.js';
// entry: procnet/netstat
import type { NetstatInetLayout, NetstatOptions } from '../netstat.js';

const SPACE = 0x20;
const NL = 0x0a;
const COLON = 0x3a;
const DOT = 0x2e;
const STAR = 0x2a;

/** The Proto column's text: netstat prints the table's name, `tcp`. */
const PROTO = 'tcp';

/** The State column's text of every code, as netstat prints it (`TCP_STATES`' `netstat` names). */
let stateTexts: Uint8Array[] | undefined;

function tcpStateTexts(): Uint8Array[] {
  stateTexts ??= Array.from({ length: 256 }, (_, code) =>
    Buffer.from(TCP_STATES[decodeTcpState(code)].netstat, 'latin1'),
  );
  return stateTexts;
}

/** Longest line this writer produces for a layout: the caller keeps this much room free before each line. */
export function netstatBytesRoom(layout: NetstatInetLayout): number {
  return layout.proto + 1 + 10 + 1 + 10 + 1 + layout.local + 1 + layout.remote + 1 + 11 + 1;
}

/**
 * Whether {@link NetstatLineWriter} prints exactly what `formatNetstatInetLine` prints for this table and view: the
 * IPv4 TCP table; no namespace, user, program or timer column; no service names (numeric ports).
 */
export function netstatBytesFit(kind: string, o: NetstatOptions): boolean {
  const named = !o.numeric && o.services !== undefined && o.services.size > 0;
  return kind === 'tcp' && !named && !o.extend && !o.programs && !o.timers && o.namespace === undefined;
}

/** Writes the netstat lines of the IPv4 TCP table's rows from its columns (see {@link netstatBytesFit} for when it applies). */
export class NetstatLineWriter {
  readonly #proto: Uint8Array;
  readonly #states: Uint8Array[];
  readonly #little: boolean;
  readonly #local: number;
  readonly #remote: number;

  /** `littleEndian`: the table was printed by a little-endian machine (the words' byte order). */
  constructor(littleEndian: boolean, layout: NetstatInetLayout) {
    this.#proto = Buffer.from(PROTO.padEnd(layout.proto), 'latin1');
    this.#states = tcpStateTexts();
    this.#little = littleEndian;
    this.#local = layout.local;
    this.#remote = layout.remote;
  }

  /**
   * Writes the netstat line of row `i` of `c` (an IPv4 table's columns, printed in this writer's byte order) and a
   * newline at `pos` in `out` ({@link netstatBytesRoom} free); returns the end.
   */
  line(c: InetColumns, i: number, out: Uint8Array, pos: number): number {
    out.set(this.#proto, pos);
    let p = pos + this.#proto.length;
    out[p++] = SPACE;
    p = decimalRight(out, p, c.rxQueue[i] as number, 6);
    out[p++] = SPACE;
    p = decimalRight(out, p, c.txQueue[i] as number, 6);
    out[p++] = SPACE;
    p = this.#endpoint(out, p, c.localAddress[i] as number, c.localPort[i] as number, this.#local);
    out[p++] = SPACE;
    p = this.#endpoint(out, p, c.remoteAddress[i] as number, c.remotePort[i] as number, this.#remote);
    out[p++] = SPACE;
    const state = this.#states[c.stateCode[i] as number] as Uint8Array;
    out.set(state, p);
    p += state.length;
    for (let i = state.length; i < 11; i++) out[p++] = SPACE;
    out[p++] = NL;
    return p;
  }

  /**
   * `a.b.c.d:port` (`*` for port 0), padded with spaces to `width`. The word holds the address in network order as
   * the printing machine stored it: on a little-endian one its lowest byte is the first octet.
   */
  #endpoint(out: Uint8Array, start: number, word: number, port: number, width: number): number {
    const shift = this.#little ? 0 : 24;
    const step = this.#little ? 8 : -8;
    let p = start;
    for (let i = 0, s = shift; i < 4; i++, s += step) {
      if (i > 0) out[p++] = DOT;
      p = decimal(out, p, (word >>> s) & 255);
    }
    out[p++] = COLON;
    if (port === 0) out[p++] = STAR;
    else p = decimal(out, p, port);
    const end = start + width;
    while (p < end) out[p++] = SPACE;
    return p;
  }
}

/** Digits of a non-negative integer below 2^53. */
function digits(v: number): number {
  let n = 1;
  while (v >= 10) {
    v = Math.floor(v / 10);
    n++;
  }
  return n;
}

/** `v` in decimal at `p`; returns the end. */
function decimal(out: Uint8Array, p: number, v: number): number {
  const end = p + digits(v);
  let q = end;
  do {
    const next = Math.floor(v / 10);
    out[--q] = 0x30 + (v - next * 10);
    v = next;
  } while (v > 0);
  return end;
}

/** `v` in decimal, right-aligned in `width` columns (wider when it has more digits); returns the end. */
function decimalRight(out: Uint8Array, p: number, v: number, width: number): number {
  const n = digits(v);
  for (let i = n; i < width; i++) out[p++] = SPACE;
  return decimal(out, p, v);
}
