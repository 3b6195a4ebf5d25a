/**
 * A user of `procnet` (the core), compiled by test/consumers/consumers.test.ts against the packed package under every
 * consumer configuration. Narrows rows on `record` and `kind`; each `@ts-expect-error` proves a type is not `any`.
 */
import {
  decodeSocketAddress,
  type InetSocket,
  isProcNetParseError,
  parseColumns,
  parseSocketFilter,
  parseTable,
  TCP_STATES,
  type TcpColumns,
  type TcpRow,
  type UnixSocket,
} from 'procnet';

export function describeTcp(rows: readonly TcpRow[]): string[] {
  return rows.map((row) => {
    switch (row.record) {
      case 'socket':
        return `${row.state} (${TCP_STATES[row.state].ss}) cwnd ${row.cwnd} ssthresh ${row.ssthresh ?? 'slow start'}`;
      case 'timewait':
        // @ts-expect-error: a TIME_WAIT mini-socket has no congestion window.
        return `${row.state} ${row.cwnd}`;
      case 'request':
        return `${row.state} after ${row.retransmits} SYN-ACK retransmits`;
      default: {
        const unreachable: never = row;
        return unreachable;
      }
    }
  });
}

export function describe(socket: InetSocket | UnixSocket): string {
  if (socket.kind === 'unix')
    return `${socket.type} ${socket.path ?? '(unnamed)'} ${socket.pathBytes?.length ?? 0} bytes`;
  const local = `${socket.local.address}:${socket.local.port} (${socket.family})`;
  switch (socket.protocol) {
    case 'tcp':
      return `${local} ${socket.record} ${socket.state}`;
    case 'raw':
      return `${local} IP protocol ${socket.ipProtocol}`;
    case 'udp':
    case 'udplite':
    case 'icmp':
      return `${local} ${socket.state}, drops ${socket.drops ?? 'not counted'}`;
  }
}

export function listeners(tcp: string, unix: Uint8Array): string[] {
  const inet = parseTable('tcp6', tcp, { byteOrder: 'big', onInvalidRow: 'skip' })
    .filter((row) => row.record === 'socket' && row.state === 'LISTEN')
    .map(describe);
  const local = parseTable('unix', unix)
    .filter((row) => row.listening && row.suspicious.length === 0)
    .map(describe);
  return [...inet, ...local, decodeSocketAddress('0100007F:1F90').address];
}

export function parseOrExplain(text: string): TcpRow[] | string {
  try {
    return parseTable('tcp', text);
  } catch (error) {
    if (isProcNetParseError(error))
      return `${error.file ?? 'tcp'}:${error.line}:${error.column} (${error.field}) ${error.code}`;
    throw error;
  }
}

export function backlogs(tcp: Uint8Array): string[] {
  const t: TcpColumns = parseColumns('tcp', tcp);
  const out: string[] = [];
  for (let i = 0; i < t.length; i++) {
    // @ts-expect-error: a column holds numbers.
    const queued: string = t.rxQueue[i];
    if (t.stateCode[i] === 10) out.push(`${t.row(i).local.port} ${queued}`);
  }
  return out;
}

export function matching(text: string, rows: readonly (InetSocket | UnixSocket)[]): number {
  const filter = parseSocketFilter(text);
  return rows.filter((row) => filter.matches(row)).length;
}
