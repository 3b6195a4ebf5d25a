/**
 * The netstat line of an IPv4 TCP, UDP or UDP-Lite row written as bytes straight from the decoded line, with no
 * row object and no string: the same text as {@link formatNetstatInetLine} for the plain numeric view (no user, inode,
 * program, timer or namespace column, numeric ports), for a streamed table view where printing a big table must
 * cost less than the kernel's own printing of it.
 * @module
 */
import { swap32 } from '../decode/address.js';
import { decodeDatagramState, decodeTcpState, TCP_STATES } from '../decode/tcp-state.js';
import type { DecodedLine } from '../tables/inet.js';
import type { ByteOrder, InetTableKind } from '../types.js';
import { type NetstatInetLayout, type NetstatOptions, netstatDatagramState, netstatProto } from './netstat.js';

const SPACE = 0x20;
const NL = 0x0a;
const COLON = 0x3a;
const DOT = 0x2e;
const STAR = 0x2a;

/** Kinds whose lines this writer can produce (raw and ICMP rows print other columns as ports and states). */
const KINDS: ReadonlySet<InetTableKind> = new Set(['tcp', 'udp', 'udplite']);

/** The state column's text of every code of one protocol, as netstat prints it. */
function stateTexts(tcp: boolean): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let code = 0; code < 256; code++) {
    const text = tcp ? TCP_STATES[decodeTcpState(code)].netstat : netstatDatagramState(decodeDatagramState(code));
    out.push(Buffer.from(text, 'latin1'));
  }
  return out;
}

let tcpStates: Uint8Array[] | undefined;
let datagramStates: Uint8Array[] | undefined;

/** Longest line this writer produces for a layout: the caller keeps this much room free before each line. */
export function netstatBytesRoom(layout: NetstatInetLayout): number {
  return layout.proto + 1 + 10 + 1 + 10 + 1 + layout.local + 1 + layout.remote + 1 + 11 + 1;
}

/**
 * Whether {@link NetstatLineWriter} prints exactly what {@link formatNetstatInetLine} prints for this kind and view:
 * IPv4 TCP, UDP or UDP-Lite; no namespace, user, program or timer column; no service names (numeric ports).
 */
export function netstatBytesFit(kind: InetTableKind, o: NetstatOptions): boolean {
  const named = !o.numeric && o.services !== undefined && o.services.size > 0;
  return KINDS.has(kind) && !named && !o.extend && !o.programs && !o.timers && o.namespace === undefined;
}

/** Writes the netstat lines of one table's decoded rows (see {@link netstatBytesFit} for when it applies). */
export class NetstatLineWriter {
  readonly #proto: Uint8Array;
  readonly #states: Uint8Array[];
  readonly #little: boolean;
  readonly #local: number;
  readonly #remote: number;

  constructor(kind: InetTableKind, order: ByteOrder, layout: NetstatInetLayout) {
    this.#proto = Buffer.from(netstatProto(kind).padEnd(layout.proto), 'latin1');
    const tcp = kind === 'tcp';
    if (tcp) tcpStates ??= stateTexts(true);
    else datagramStates ??= stateTexts(false);
    this.#states = (tcp ? tcpStates : datagramStates) as Uint8Array[];
    this.#little = order === 'little';
    this.#local = layout.local;
    this.#remote = layout.remote;
  }

  /** Writes the netstat line of `line` and a newline at `pos` in `out` ({@link netstatBytesRoom} free); returns the end. */
  line(line: DecodedLine, out: Uint8Array, pos: number): number {
    out.set(this.#proto, pos);
    let p = pos + this.#proto.length;
    out[p++] = SPACE;
    p = decimalRight(out, p, line.rxQueue, 6);
    out[p++] = SPACE;
    p = decimalRight(out, p, line.txQueue, 6);
    out[p++] = SPACE;
    p = this.#endpoint(out, p, line.localWord(0), line.localPort, this.#local);
    out[p++] = SPACE;
    p = this.#endpoint(out, p, line.remoteWord(0), line.remotePort, this.#remote);
    out[p++] = SPACE;
    const state = this.#states[line.stateCode] as Uint8Array;
    out.set(state, p);
    p += state.length;
    for (let i = state.length; i < 11; i++) out[p++] = SPACE;
    out[p++] = NL;
    return p;
  }

  /** `a.b.c.d:port` (`*` for port 0), padded with spaces to `width`. */
  #endpoint(out: Uint8Array, start: number, word: number, port: number, width: number): number {
    const n = this.#little ? swap32(word) : word;
    let p = decimal(out, start, n >>> 24);
    out[p++] = DOT;
    p = decimal(out, p, (n >>> 16) & 255);
    out[p++] = DOT;
    p = decimal(out, p, (n >>> 8) & 255);
    out[p++] = DOT;
    p = decimal(out, p, n & 255);
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
