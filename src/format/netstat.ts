/**
 * The netstat view: sockets rendered as net-tools `netstat` prints them (always as with -W: addresses are never
 * cut; columns widen instead). Untrusted text is escaped for the terminal.
 * @module
 */
import { TCP_STATES } from '../decode/tcp-state.js';
import { NETSTAT_TIMER_LABEL } from '../decode/timer.js';
import type { DatagramState, Endpoint, InetSocket, InetTableKind, UnixSocket } from '../types.js';
import { escapeTerminal } from './escape.js';

/** An owning process, as far as the netstat view needs it (`comm` is `null` when the process exited before it was read). */
export interface NetstatOwner {
  pid: number;
  comm: string | null;
}

/** A socket with the optional owner list the node layer attaches (`null`: processes were not scanned). */
export type NetstatRow<S> = S & { owners?: readonly NetstatOwner[] | null | undefined };

/** Options of the netstat renderer (the netstat flags they stand for in brackets). */
export interface NetstatOptions {
  /** [-n] Numeric ports and users. Without it, ports are named from `services` and uids from `users`. */
  numeric?: boolean | undefined;
  /** `port/protocol` → service name (from /etc/services); used without `numeric`. */
  services?: ReadonlyMap<string, string> | undefined;
  /** uid → user name; used without `numeric`. */
  users?: ReadonlyMap<number, string> | undefined;
  /** [-e] User and Inode columns. */
  extend?: boolean | undefined;
  /** [-p] PID/Program name column. */
  programs?: boolean | undefined;
  /** [-o] Timer column. */
  timers?: boolean | undefined;
  /** Extra leading column (the network namespace, with --all-namespaces): header and a value per row. */
  namespace?: { header: string; value: (row: InetSocket | UnixSocket) => string } | undefined;
  /**
   * Mark rows the parser flagged as suspicious (unix forged-row evidence) with this text, followed by the reasons.
   * Default `' [suspicious]'`. A function is called for every unix row and returns the whole text to append
   * (`''` for none), so a tool can grade the reasons itself.
   */
  suspiciousMark?: string | ((row: UnixSocket) => string) | undefined;
}

const ADDR_WIDTH = 23;
/** netstat's PID/Program name column (it cuts names to fit; this view widens the column instead). */
const PROGRAM_WIDTH = 20;

function pad(s: string, width: number): string {
  return s.length >= width ? s : s + ' '.repeat(width - s.length);
}
function padLeft(s: string, width: number): string {
  return s.length >= width ? s : ' '.repeat(width - s.length) + s;
}

function portText(port: number, proto: string, o: NetstatOptions): string {
  if (port === 0) return '*';
  if (!o.numeric) {
    const name = o.services?.get(`${port}/${proto}`);
    if (name !== undefined) return name;
  }
  return String(port);
}

/** netstat's `addr:port` (no brackets around IPv6, `*` for port 0). */
export function netstatAddress(e: Endpoint, port: string): string {
  return `${e.address}:${port}`;
}

/** netstat's Proto column: the table name, except UDP-Lite, which netstat spells `udpl` / `udpl6`. */
function netstatProto(kind: InetTableKind): string {
  return kind === 'udplite' ? 'udpl' : kind === 'udplite6' ? 'udpl6' : kind;
}

function protoName(s: InetSocket): string {
  return netstatProto(s.kind);
}

/** netstat's State column for a datagram socket: `ESTABLISHED` when connected, empty when not. */
function netstatDatagramState(state: DatagramState): string {
  return state === 'connected' ? 'ESTABLISHED' : state === 'unconnected' ? '' : 'UNKNOWN';
}

function stateText(s: InetSocket): string {
  if (s.protocol === 'tcp') return TCP_STATES[s.state].netstat;
  if (s.protocol === 'raw') return String(s.stateCode);
  return netstatDatagramState(s.state);
}

function userText(uid: number, o: NetstatOptions): string {
  return (o.numeric ? undefined : o.users?.get(uid)) ?? String(uid);
}

/** netstat's PID/Program name: `pid/comm` of every owner (netstat shows only the first), `-` when none is known. */
export function programText(owners: readonly NetstatOwner[] | null | undefined): string {
  if (!owners || owners.length === 0) return '-';
  return owners.map((p) => (p.comm === null ? String(p.pid) : `${p.pid}/${escapeTerminal(p.comm)}`)).join(',');
}

function timerText(s: InetSocket): string {
  const t = s.timer;
  return `${NETSTAT_TIMER_LABEL[t.kind]} (${(Math.max(t.ms, 0) / 1000).toFixed(2)}/${s.retransmits}/${s.probes})`;
}

/** The widths and header of an "Active Internet connections" table (see {@link layoutNetstatInet}). */
export interface NetstatInetLayout {
  readonly proto: number;
  readonly local: number;
  readonly remote: number;
  readonly program: number;
  readonly header: string;
}

function localText(s: InetSocket, o: NetstatOptions): string {
  const lport = s.protocol === 'raw' ? String(s.ipProtocol) : portText(s.local.port, s.protocol, o);
  return netstatAddress(s.local, lport);
}
function remoteText(s: InetSocket, o: NetstatOptions): string {
  return netstatAddress(s.remote, portText(s.remote.port, s.protocol, o));
}

/**
 * The column widths and the header line for `rows`, in one pass that keeps nothing per row: with
 * {@link formatNetstatInetLine}, a big table is rendered line by line without holding every line (or cell) at once.
 */
export function layoutNetstatInet(
  rows: Iterable<NetstatRow<InetSocket>>,
  options: NetstatOptions = {},
): NetstatInetLayout {
  const o = options;
  // netstat's Proto column is 5 wide (every name fits).
  let pw = 5;
  let lw = ADDR_WIDTH;
  let rw = ADDR_WIDTH;
  let gw = PROGRAM_WIDTH;
  for (const s of rows) {
    pw = Math.max(pw, protoName(s).length);
    lw = Math.max(lw, localText(s, o).length);
    rw = Math.max(rw, remoteText(s, o).length);
    if (o.programs) gw = Math.max(gw, programText(s.owners).length);
  }
  let header = `${o.namespace ? `${pad(o.namespace.header, 10)} ` : ''}${pad('Proto', pw)} Recv-Q Send-Q ${pad('Local Address', lw)} ${pad('Foreign Address', rw)} State      `;
  if (o.extend) header += ' User       Inode     ';
  if (o.programs) header += ` ${pad('PID/Program name', gw)}`;
  if (o.timers) header += ' Timer';
  return { proto: pw, local: lw, remote: rw, program: gw, header };
}

/** One row of the "Active Internet connections" table, laid out by {@link layoutNetstatInet}. */
export function formatNetstatInetLine(
  s: NetstatRow<InetSocket>,
  layout: NetstatInetLayout,
  options: NetstatOptions = {},
): string {
  const o = options;
  let line = o.namespace ? `${pad(o.namespace.value(s), 10)} ` : '';
  line += `${pad(protoName(s), layout.proto)} ${padLeft(String(s.rxQueue), 6)} ${padLeft(String(s.txQueue), 6)} ${pad(localText(s, o), layout.local)} ${pad(remoteText(s, o), layout.remote)} ${pad(stateText(s), 11)}`;
  if (o.extend) line += ` ${pad(userText(s.uid, o), 10)} ${pad(s.inode, 10)}`;
  if (o.programs) line += ` ${pad(programText(s.owners), layout.program)}`;
  if (o.timers) line += ` ${timerText(s)}`;
  return line;
}

/**
 * True when no IPv4 row can widen the address columns under these options: an IPv4 address and its port (or
 * service name) always fit netstat's 23 columns. A layout made from the other rows then holds for every IPv4 row,
 * so IPv4 rows can be rendered as they are read, before the rest of their table is known.
 */
export function ipv4RowsFitLayout(options: NetstatOptions = {}): boolean {
  let port = 5; // 65535
  if (!options.numeric && options.services)
    for (const name of options.services.values()) port = Math.max(port, name.length);
  return '255.255.255.255:'.length + port <= ADDR_WIDTH;
}

/** Header and rows of the "Active Internet connections" table. */
export function formatNetstatInet(rows: readonly NetstatRow<InetSocket>[], options: NetstatOptions = {}): string[] {
  const layout = layoutNetstatInet(rows, options);
  const out = [layout.header];
  for (const s of rows) out.push(formatNetstatInetLine(s, layout, options));
  return out;
}

const UNIX_TYPES: Record<string, string> = {
  stream: 'STREAM',
  dgram: 'DGRAM',
  raw: 'RAW',
  rdm: 'RDM',
  seqpacket: 'SEQPACKET',
  unknown: 'UNKNOWN',
};

function unixState(s: UnixSocket): string {
  switch (s.state) {
    case 'free':
      return 'FREE';
    case 'unconnected':
      return s.listening ? 'LISTENING' : '';
    case 'connecting':
      return 'CONNECTING';
    case 'connected':
      return 'CONNECTED';
    case 'disconnecting':
      return 'DISCONNECTING';
    default:
      return 'UNKNOWN';
  }
}

/** Header and rows of the "Active UNIX domain sockets" table. Paths are escaped, never cut at a space. */
export function formatNetstatUnix(rows: readonly NetstatRow<UnixSocket>[], options: NetstatOptions = {}): string[] {
  const o = options;
  const mark = o.suspiciousMark ?? ' [suspicious]';
  const programs = o.programs ? rows.map((s) => programText(s.owners)) : [];
  let gw = PROGRAM_WIDTH;
  for (const p of programs) gw = Math.max(gw, p.length);
  let header = `${o.namespace ? `${pad(o.namespace.header, 10)} ` : ''}Proto RefCnt Flags       Type       State         I-Node  `;
  if (o.programs) header += ` ${pad('PID/Program name', gw)}`;
  header += ' Path';
  const out = [header];
  for (let i = 0; i < rows.length; i++) {
    const s = rows[i] as NetstatRow<UnixSocket>;
    let line = o.namespace ? `${pad(o.namespace.value(s), 10)} ` : '';
    const flags = s.listening ? '[ ACC ]' : '[ ]';
    line += `unix  ${pad(String(s.refcount), 6)} ${pad(flags, 11)} ${pad(UNIX_TYPES[s.type] ?? 'UNKNOWN', 10)} ${pad(unixState(s), 13)} ${pad(s.inode, 8)}`;
    if (o.programs) line += ` ${pad(programs[i] as string, gw)}`;
    line += ` ${s.path === null ? '' : escapeTerminal(s.path)}`;
    if (typeof mark === 'function') line += mark(s);
    else if (s.suspicious.length > 0) line += `${mark} (${s.suspicious.join(', ')})`;
    out.push(line);
  }
  return out;
}
