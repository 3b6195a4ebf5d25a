/**
 * Row filters pushed into the parser: rows that will be thrown away are never built.
 * @module
 */
import { TCP_STATES, type TcpState } from '../decode/tcp-state.js';
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
