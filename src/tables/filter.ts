/**
 * Row filters pushed into the parser: rows that will be thrown away are never built.
 * @module
 */
import { TCP_STATES, type TcpState } from '../decode/tcp-state.js';
import { hexSpan, type Tokens } from '../scan/tokens.js';
import type { DatagramState, InetTableKind } from '../types.js';

/** Which rows to keep. Every given criterion must match; omit one to accept any value. */
export interface RowFilter {
  /** TCP states (`'LISTEN'`, `'ESTABLISHED'`, ...) or datagram states (`'connected'`, `'unconnected'`). */
  states?: readonly (TcpState | DatagramState)[] | undefined;
  /** Rows whose local or remote port is one of these. */
  ports?: readonly number[] | undefined;
  /** Rows whose local port is one of these (for raw tables: the IP protocol number). */
  localPorts?: readonly number[] | undefined;
  /** Rows whose remote port is one of these. */
  remotePorts?: readonly number[] | undefined;
}

/** A filter turned into sets of raw kernel values. */
export interface CompiledFilter {
  states: ReadonlySet<number> | undefined;
  ports: ReadonlySet<number> | undefined;
  localPorts: ReadonlySet<number> | undefined;
  remotePorts: ReadonlySet<number> | undefined;
}

const DATAGRAM_CODES: Record<string, number[]> = { connected: [1], unconnected: [7] };

/** Compiles a filter for one table kind; `undefined` when there is nothing to filter. */
export function compileFilter(kind: InetTableKind, filter: RowFilter | undefined): CompiledFilter | undefined {
  if (filter === undefined) return undefined;
  const { states, ports, localPorts, remotePorts } = filter;
  if (states === undefined && ports === undefined && localPorts === undefined && remotePorts === undefined) {
    return undefined;
  }
  let codes: Set<number> | undefined;
  if (states !== undefined) {
    codes = new Set();
    const tcp = kind === 'tcp' || kind === 'tcp6';
    for (const s of states) {
      if (tcp) {
        const info = TCP_STATES[s as TcpState];
        if (info !== undefined && info.code > 0) codes.add(info.code);
      } else {
        for (const c of DATAGRAM_CODES[s] ?? []) codes.add(c);
      }
    }
    // 'UNKNOWN' / 'unknown' keep every code outside the known ones.
    if (states.includes('UNKNOWN' as TcpState) || states.includes('unknown' as DatagramState)) {
      const known = tcp ? [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] : [1, 7];
      for (let c = 0; c < 256; c++) if (!known.includes(c)) codes.add(c);
    }
  }
  return {
    states: codes,
    ports: ports === undefined ? undefined : new Set(ports),
    localPorts: localPorts === undefined ? undefined : new Set(localPorts),
    remotePorts: remotePorts === undefined ? undefined : new Set(remotePorts),
  };
}

/**
 * The filter test on raw kernel values: `st` and the local and remote ports. -1 stands for a value that could not be
 * read (a line too broken to judge): it passes that criterion, so the checking decoder reports the line.
 */
export function filterAccepts(filter: CompiledFilter, st: number, lp: number, rp: number): boolean {
  if (filter.states !== undefined && st >= 0 && !filter.states.has(st)) return false;
  if (lp < 0 || rp < 0) return true;
  if (filter.localPorts !== undefined && !filter.localPorts.has(lp)) return false;
  if (filter.remotePorts !== undefined && !filter.remotePorts.has(rp)) return false;
  if (filter.ports !== undefined && !filter.ports.has(lp) && !filter.ports.has(rp)) return false;
  return true;
}

/** The hex port after the last ':' of an `ADDRESS:PORT` span `[s, e)`, or -1. */
function portOfSpan(b: Uint8Array, s: number, e: number): number {
  let c = e - 1;
  while (c > s && b[c] !== 0x3a) c--;
  return c > s ? hexSpan(b, c + 1, e) : -1;
}

/**
 * True if a tokenized line can match `filter`, judged from its `st` and port tokens alone, before any field is
 * checked. Lines too broken to judge are accepted, so the checking decoder reports them.
 */
export function tokensAccept(filter: CompiledFilter, b: Uint8Array, t: Tokens): boolean {
  if (t.count < 4) return true;
  const st = hexSpan(b, t.starts[3] as number, t.ends[3] as number);
  const lp = portOfSpan(b, t.starts[1] as number, t.ends[1] as number);
  const rp = portOfSpan(b, t.starts[2] as number, t.ends[2] as number);
  return filterAccepts(filter, st, lp, rp);
}
