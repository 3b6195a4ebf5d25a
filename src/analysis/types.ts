/**
 * Public types of the analysis layer: the sockets and samples it reads and the findings it returns.
 * @module
 */
import type { NetstatCounters, Snmp6Counters, SnmpCounters, SockstatCounters } from '../counters/types.js';
import type { Endpoint, InetSocket, InetTableKind, UnixSocket } from '../types.js';
import type { FindingId } from './findings.js';

/**
 * A process holding a socket, as far as the analyses need it. `procnet/node` attaches these (its `SocketOwner` has
 * every field); anything with a `pid` will do.
 */
export interface SocketOwnerInfo {
  pid: number;
  /** `/proc/<pid>/comm`, or `null`/absent when unknown. Untrusted text: escape it before printing to a terminal. */
  comm?: string | null | undefined;
  /** `/proc/<pid>/cmdline` split at NUL bytes. */
  cmdline?: readonly string[] | null | undefined;
  /** Effective uid of the process. */
  uid?: number | null | undefined;
  /** The descriptor number holding the socket. */
  fd?: number | undefined;
}

/**
 * A parsed socket row as the analyses accept it: any inet row (unix rows are accepted and ignored), optionally with
 * the `owners` and `namespace` fields that `procnet/node` adds.
 */
export type AnalysisSocket = (InetSocket | UnixSocket) & {
  /** Processes holding the socket: `[]` when none does (TIME_WAIT, request sockets, orphans), `null`/absent when unknown. */
  owners?: readonly SocketOwnerInfo[] | null | undefined;
  /** Inode of the network namespace the row was read in (`net:[N]`), or `null`/absent. Keeps namespaces apart. */
  namespace?: string | null | undefined;
};

/** The parsed counter files of one moment. Every file is optional. */
export interface CounterSample {
  /** `parseSnmp(/proc/net/snmp)`: `Tcp RetransSegs/OutSegs`, `Udp RcvbufErrors/InErrors`. */
  snmp?: SnmpCounters | undefined;
  /** `parseNetstat(/proc/net/netstat)`: `TcpExt ListenOverflows/ListenDrops/TCPMemoryPressures/TCPAbortOnMemory`. */
  netstat?: NetstatCounters | undefined;
  /** `parseSockstat(/proc/net/sockstat)`: `TCP mem` (pages, host-wide). */
  sockstat?: SockstatCounters | undefined;
  /** `parseSnmp6(/proc/net/snmp6)`: `Udp6RcvbufErrors/Udp6InErrors`. */
  snmp6?: Snmp6Counters | undefined;
}

/** What was read at one moment: the sockets and, optionally, the counter files. */
export interface Sample {
  /** When the sample was taken, in ms since the epoch (`Date.now()`). Only differences matter. */
  time: number;
  /** Every socket row read at that moment (rows of several tables together). */
  sockets: readonly AnalysisSocket[];
  /** The counter files read at the same moment, if any. */
  counters?: CounterSample | undefined;
}

/** How bad a finding is, most severe first. */
export type Severity = 'critical' | 'warning' | 'info';

/** Which way a queue moved over the samples in which it stayed non-zero. */
export type QueueTrend =
  /** Never went down and ended higher than it started. */
  | 'growing'
  /** Never went up and ended lower (but still non-zero). */
  | 'shrinking'
  /** The same value in every sample: nothing moved at all. */
  | 'steady'
  /** Went up and down. */
  | 'fluctuating';

/** What a queue did on one socket over consecutive samples in which it stayed non-zero. */
export interface QueueTrace {
  /** `receive`: `rxQueue` (Recv-Q); `send`: `txQueue` (Send-Q). */
  queue: 'receive' | 'send';
  /**
   * The unit of the values. `bytes` for TCP data (a queued SYN or FIN is not counted), `connections` for a TCP
   * listener's Recv-Q (its accept queue), `memory` for datagram sockets (buffer memory, not payload).
   */
  unit: 'bytes' | 'connections' | 'memory';
  /** Value in the first and the last sample of the run. */
  first: number;
  last: number;
  min: number;
  max: number;
  trend: QueueTrend;
  /** Number of consecutive samples, ending with the last one, in which the queue was non-zero. */
  samples: number;
  /** Time from the first to the last of those samples, in ms: the queue was non-zero at least this long. */
  durationMs: number;
  /** Time of the first of those samples (ms since the epoch). */
  since: number;
}

/** A socket named in a finding: enough to find it again with `ss` or in the parsed rows. */
export interface FindingSocket {
  kind: InetTableKind;
  /** TCP state (`CLOSE_WAIT`, ...) or datagram state (`connected`, `unconnected`). */
  state: string;
  local: Endpoint;
  remote: Endpoint;
  /** Socket inode, `'0'` when no file holds it. */
  inode: string;
  /** `rx_queue` (Recv-Q) in the last sample that had the socket. */
  rxQueue: number;
  /** `tx_queue` (Send-Q) in the last sample that had the socket. */
  txQueue: number;
  /** The network namespace, when the rows carried one. */
  namespace: string | null;
  /** Pids of the processes holding it: `[]` none, `null` unknown (owners were not looked up). */
  pids: readonly number[] | null;
  /** Queue and stuck-connection findings: what the queue did across the samples. */
  trace?: QueueTrace | undefined;
}

/** A process named in a finding. */
export interface FindingProcess {
  pid: number;
  /** Command name, `null` when unknown. Untrusted text: escape it before printing to a terminal. */
  comm: string | null;
  cmdline: readonly string[] | null;
  uid: number | null;
  /** How many of the finding's sockets this process holds. */
  sockets: number;
}

/** Numbers (and a few labels) that back a finding up. Keys are stable per finding id; see `docs/findings/<id>.md`. */
export type FindingEvidence = Record<string, number | string | boolean | null>;

/** One thing worth telling a person about, with the sockets and processes involved. */
export interface Finding {
  /** Stable id (`'close-wait-leak'`); `FINDINGS[id]` has its catalogue entry, `docs/findings/<id>.md` its page. */
  id: FindingId;
  /** How bad this instance is (usually the catalogue's severity; the page of each id says when it is raised or lowered). */
  severity: Severity;
  /** The catalogue title. */
  title: string;
  /** One line about this instance, with its numbers ("14 sockets held by nginx (pid 812) in CLOSE_WAIT"). */
  summary: string;
  /** One sentence on what it means (from the catalogue). */
  explanation: string;
  /** What to check next (from the catalogue). */
  nextStep: string;
  /** The sockets involved (may be empty for counter findings). */
  sockets: FindingSocket[];
  /** The processes holding those sockets, when known. */
  processes: FindingProcess[];
  evidence: FindingEvidence;
}
