/**
 * TCP states (`include/net/tcp_states.h`), their netstat and ss names and what they mean.
 * @module
 */

/** The kernel's 11 TCP states plus `UNKNOWN` for any other code (the raw code stays in `stateCode`). */
export const TcpState = {
  ESTABLISHED: 'ESTABLISHED',
  SYN_SENT: 'SYN_SENT',
  SYN_RECV: 'SYN_RECV',
  FIN_WAIT1: 'FIN_WAIT1',
  FIN_WAIT2: 'FIN_WAIT2',
  TIME_WAIT: 'TIME_WAIT',
  CLOSE: 'CLOSE',
  CLOSE_WAIT: 'CLOSE_WAIT',
  LAST_ACK: 'LAST_ACK',
  LISTEN: 'LISTEN',
  CLOSING: 'CLOSING',
  UNKNOWN: 'UNKNOWN',
} as const;

/** One of the names in {@link TcpState}. */
export type TcpState = (typeof TcpState)[keyof typeof TcpState];

/** What each state is called by the tools and what it means. */
export interface TcpStateInfo {
  /** The kernel's code (`st` column); -1 for UNKNOWN. */
  code: number;
  /** net-tools `netstat` name. */
  netstat: string;
  /** iproute2 `ss` name. */
  ss: string;
  /** Which side of a connection passes through this state. */
  side: 'active opener' | 'passive opener' | 'either' | 'active closer' | 'passive closer' | 'none';
  /** One line on what it means. */
  description: string;
}

/** State → netstat name, ss name, side and description. */
export const TCP_STATES: Readonly<Record<TcpState, TcpStateInfo>> = {
  ESTABLISHED: {
    code: 1,
    netstat: 'ESTABLISHED',
    ss: 'ESTAB',
    side: 'either',
    description: 'The connection is open and data flows both ways.',
  },
  SYN_SENT: {
    code: 2,
    netstat: 'SYN_SENT',
    ss: 'SYN-SENT',
    side: 'active opener',
    description: 'connect() sent a SYN and waits for the SYN-ACK; Send-Q is 1 for the unacknowledged SYN.',
  },
  SYN_RECV: {
    code: 3,
    netstat: 'SYN_RECV',
    ss: 'SYN-RECV',
    side: 'passive opener',
    description:
      'A listener got a SYN and answered SYN-ACK; it waits for the final ACK (a request socket in the SYN queue).',
  },
  FIN_WAIT1: {
    code: 4,
    netstat: 'FIN_WAIT1',
    ss: 'FIN-WAIT-1',
    side: 'active closer',
    description: 'This side closed and sent (or queued behind unsent data) its FIN, not yet acknowledged.',
  },
  FIN_WAIT2: {
    code: 5,
    netstat: 'FIN_WAIT2',
    ss: 'FIN-WAIT-2',
    side: 'active closer',
    description: 'Our FIN was acknowledged; waiting for the peer to close its side.',
  },
  TIME_WAIT: {
    code: 6,
    netstat: 'TIME_WAIT',
    ss: 'TIME-WAIT',
    side: 'active closer',
    description: 'Both sides closed; the side that closed first waits out late segments (60 s on Linux).',
  },
  CLOSE: {
    code: 7,
    netstat: 'CLOSE',
    ss: 'UNCONN',
    side: 'none',
    description: 'Closed (never listed for TCP; for datagram sockets the code means "unconnected").',
  },
  CLOSE_WAIT: {
    code: 8,
    netstat: 'CLOSE_WAIT',
    ss: 'CLOSE-WAIT',
    side: 'passive closer',
    description: 'The peer closed; the application has not closed its socket yet (Recv-Q counts the FIN as 1).',
  },
  LAST_ACK: {
    code: 9,
    netstat: 'LAST_ACK',
    ss: 'LAST-ACK',
    side: 'passive closer',
    description: 'The peer closed first, then we closed; waiting for the ACK of our FIN.',
  },
  LISTEN: {
    code: 10,
    netstat: 'LISTEN',
    ss: 'LISTEN',
    side: 'passive opener',
    description: 'Waiting for connections; Recv-Q is the number waiting to be accepted.',
  },
  CLOSING: {
    code: 11,
    netstat: 'CLOSING',
    ss: 'CLOSING',
    side: 'active closer',
    description: 'Both sides sent a FIN at the same time; waiting for the ACK of ours.',
  },
  UNKNOWN: {
    code: -1,
    netstat: 'UNKNOWN',
    ss: 'UNKNOWN',
    side: 'none',
    description: 'A code this version of procnet does not know (the raw value is in stateCode).',
  },
};

const BY_CODE: readonly TcpState[] = [
  'UNKNOWN',
  'ESTABLISHED',
  'SYN_SENT',
  'SYN_RECV',
  'FIN_WAIT1',
  'FIN_WAIT2',
  'TIME_WAIT',
  'CLOSE',
  'CLOSE_WAIT',
  'LAST_ACK',
  'LISTEN',
  'CLOSING',
];

/** The state for a kernel `st` code; `UNKNOWN` for anything the kernel's enum does not list. Never throws. */
export function decodeTcpState(code: number): TcpState {
  return code >= 1 && code <= 11 ? (BY_CODE[code] as TcpState) : 'UNKNOWN';
}

/**
 * What a 12-field TCP row is, from its `tr` and `st` codes: a TIME_WAIT mini-socket (`tr` 3, or an orphaned
 * FIN_WAIT2 / TIME_WAIT `st` without `tr` 1), a request socket (`tr` 1, or `st` 3 SYN_RECV), or `null`: no
 * 12-field row is anything else.
 */
export function tcpMiniRecord(tr: number, st: number): 'timewait' | 'request' | null {
  if (tr === 3 || (tr !== 1 && (st === 6 || st === 5))) return 'timewait';
  if (tr === 1 || st === 3) return 'request';
  return null;
}

/** A datagram table's `st`: 1 connected, 7 unconnected (bound or not), anything else unknown. */
export function decodeDatagramState(code: number): 'connected' | 'unconnected' | 'unknown' {
  return code === 1 ? 'connected' : code === 7 ? 'unconnected' : 'unknown';
}
