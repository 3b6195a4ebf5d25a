/**
 * The row objects: one object literal per record kind, so every row of a kind has the same shape.
 * @module
 */
import { ipv4FromWord, ipv6FromWords } from '../decode/address.js';
import { decodeDatagramState, decodeTcpState, tcpMiniRecord } from '../decode/tcp-state.js';
import { timerOf } from '../decode/timer.js';
import { latin1 } from '../scan/bytes.js';
import type {
  AddressFamily,
  ByteOrder,
  DatagramState,
  Endpoint,
  InetProtocol,
  InetSocket,
  InetTableKind,
  TcpRequestSocket,
  TcpTimeWaitSocket,
} from '../types.js';
import { type DecodedRow, EMPTY } from './decoded-row.js';

/** What `buildRow` needs to know of the table. */
export interface TableInfo {
  readonly kind: InetTableKind;
  readonly protocol: InetProtocol;
  readonly family: AddressFamily;
  readonly order: ByteOrder;
  readonly userHz: number;
}

const ZERO_POINTER_16 = '0000000000000000';
const ZERO_POINTER_8 = '00000000';

/** The row object of a decoded line, with its pointer text (see `pointerText`). */
export function buildRow(d: DecodedRow, pointer: string, table: TableInfo): InetSocket {
  const family = table.family;
  const order = table.order;
  let localAddress: string;
  let remoteAddress: string;
  if (family === 'IPv4') {
    localAddress = ipv4FromWord(d.la0, order);
    remoteAddress = ipv4FromWord(d.ra0, order);
  } else {
    localAddress = ipv6FromWords(d.la0, d.la1, d.la2, d.la3, order);
    remoteAddress = ipv6FromWords(d.ra0, d.ra1, d.ra2, d.ra3, order);
  }
  const remote: Endpoint = { address: remoteAddress, port: d.rport, family };
  const timer = timerOf(d.tr, d.when, table.userHz);
  const inode = d.inodeText ?? (d.inode < 10 ? (DIGITS[d.inode] as string) : String(d.inode));
  const slot = d.slot;
  const stateCode = d.st;
  const txQueue = d.tx;
  const rxQueue = d.rx;
  const retransmits = d.retr;
  const uid = d.uid;
  const probes = d.probes;
  const refcount = d.ref;
  if (table.protocol === 'tcp') {
    const kind = table.kind as 'tcp' | 'tcp6';
    const state = decodeTcpState(stateCode);
    const local: Endpoint = { address: localAddress, port: d.lport, family };
    if (d.fields === 12) {
      return {
        kind,
        protocol: 'tcp',
        family,
        record: tcpMiniRecord(d.tr, stateCode) ?? 'request',
        slot,
        local,
        remote,
        state,
        stateCode,
        txQueue,
        rxQueue,
        timer,
        retransmits,
        uid,
        probes,
        inode,
        refcount,
        pointer,
        extra: EMPTY,
      } as TcpTimeWaitSocket | TcpRequestSocket;
    }
    const listening = stateCode === 10;
    const hz = table.userHz;
    const qp = d.qp;
    const last = d.last;
    return {
      kind,
      protocol: 'tcp',
      family,
      record: 'socket',
      slot,
      local,
      remote,
      state,
      stateCode,
      txQueue,
      rxQueue,
      timer,
      retransmits,
      uid,
      probes,
      inode,
      refcount,
      pointer,
      extra: d.extra,
      rtoMs: (d.rto * 1000) / hz,
      atoMs: (d.ato * 1000) / hz,
      quickAck: qp >>> 1,
      pingpong: (qp & 1) === 1,
      cwnd: d.cwnd,
      ssthresh: listening || last < 0 ? null : last,
      fastOpenQueueLimit: listening ? last : null,
    };
  }
  const drops = d.fields > 12 ? d.drops : null;
  const state: DatagramState = decodeDatagramState(stateCode);
  const extra = d.extra;
  if (table.protocol === 'raw') {
    return {
      kind: table.kind as 'raw' | 'raw6',
      protocol: 'raw',
      family,
      slot,
      local: { address: localAddress, port: 0, family },
      remote,
      state,
      stateCode,
      txQueue,
      rxQueue,
      timer,
      retransmits,
      uid,
      probes,
      inode,
      refcount,
      pointer,
      extra,
      drops,
      ipProtocol: d.lport,
    };
  }
  return {
    kind: table.kind as 'udp',
    protocol: table.protocol as 'udp',
    family,
    slot,
    local: { address: localAddress, port: d.lport, family },
    remote,
    state,
    stateCode,
    txQueue,
    rxQueue,
    timer,
    retransmits,
    uid,
    probes,
    inode,
    refcount,
    pointer,
    extra,
    drops,
  };
}

const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** Char codes of the lower-case hex digits. */
const HEX_CODES = /* @__PURE__ */ new Uint8Array([...'0123456789abcdef'].map((c) => c.charCodeAt(0)));

/** The char code of the hex digit of `w` at bit `shift`. */
function nibble(w: number, shift: number): number {
  return HEX_CODES[(w >>> shift) & 15] as number;
}

/**
 * The text of an 8- or 16-digit lowercase pointer given as words (`hi` unused for 8 digits): one flat string made in
 * one call (two `toString(16)` and a concatenation cost several times as much).
 */
export function pointerFromWords(hi: number, lo: number, len: number): string {
  if (len === 16) {
    if (hi === 0 && lo === 0) return ZERO_POINTER_16;
    return String.fromCharCode(
      nibble(hi, 28),
      nibble(hi, 24),
      nibble(hi, 20),
      nibble(hi, 16),
      nibble(hi, 12),
      nibble(hi, 8),
      nibble(hi, 4),
      nibble(hi, 0),
      nibble(lo, 28),
      nibble(lo, 24),
      nibble(lo, 20),
      nibble(lo, 16),
      nibble(lo, 12),
      nibble(lo, 8),
      nibble(lo, 4),
      nibble(lo, 0),
    );
  }
  // 8 digits (a 32-bit kernel): rare enough to be the 16-digit text's second half.
  return lo === 0 ? ZERO_POINTER_8 : pointerFromWords(0, lo, 16).slice(8);
}

/** The pointer text; all-zero pointers (kptr_restrict) share one string. */
export function pointerText(b: Uint8Array, s: number, e: number): string {
  const len = e - s;
  if (len === 16 && b[s] === 0x30 && b[s + 15] === 0x30 && isZeros(b, s, e)) return ZERO_POINTER_16;
  if (len === 8 && b[s] === 0x30 && isZeros(b, s, e)) return ZERO_POINTER_8;
  return latin1(b, s, e);
}

function isZeros(b: Uint8Array, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if (b[i] !== 0x30) return false;
  return true;
}
