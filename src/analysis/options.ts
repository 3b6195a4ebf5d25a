/**
 * Every threshold and host setting of the analyses, in one options object with documented defaults.
 * @module
 */

/**
 * Options of every analysis function. Each one reads the fields it needs; all are optional. The defaults are in
 * {@link DEFAULT_ANALYSIS_OPTIONS} and explained in `docs/findings/README.md`.
 */
export interface AnalysisOptions {
  // Host settings: pass the values of the host the rows came from (procnet/node reads them from /proc/sys).

  /**
   * `net.ipv6.bindv6only`. `/proc` does not show whether an IPv6 socket is v6-only, so a `::` listener is assumed to
   * accept IPv4 too (through IPv4-mapped addresses) unless this is `true`. Default `false` (the kernel's default).
   */
  bindv6only?: boolean | undefined;
  /** `net.ipv4.ip_local_port_range` as `[from, to]`, both included. Default `[32768, 60999]` (the kernel's default). */
  localPortRange?: readonly [number, number] | undefined;
  /**
   * `net.ipv4.tcp_mem` as `[min, pressure, max]`, in pages. Without it, TCP memory is judged from the
   * `TCPMemoryPressures` counter alone. Default `null` (unknown).
   */
  tcpMem?: readonly [number, number, number] | null | undefined;
  /** Page size of that host in bytes, to report `TCP mem` in bytes too. Default 4096. */
  pageSize?: number | undefined;

  // Queues (analyzeQueues).

  /** A queue must stay non-zero over at least this many ms (first to last sample) to be reported. Default 1000. */
  queueMinDurationMs?: number | undefined;
  /** ... and in at least this many consecutive samples (at least 2). Default 2. */
  queueMinSamples?: number | undefined;
  /** A queue that stays non-zero this long (ms) is critical. Default 30 000. */
  queueCriticalMs?: number | undefined;

  // States (analyzeStates).

  /** CLOSE_WAIT sockets of one process (or one service) from which it is a warning. Default 10. */
  closeWaitWarning?: number | undefined;
  /** ... and critical. Default 100. */
  closeWaitCritical?: number | undefined;
  /** A CLOSE_WAIT socket seen this long (ms) across samples is a warning however few there are. Default 30 000. */
  closeWaitPersistMs?: number | undefined;
  /** SYN_RECV request sockets on one listener from which it is a warning. Default 100. */
  synRecvWarning?: number | undefined;
  /** ... and critical. Default 1000. */
  synRecvCritical?: number | undefined;
  /**
   * Share of the local port range held by TIME_WAIT sockets towards one destination from which it is a warning.
   * Default 0.5.
   */
  timeWaitWarningRatio?: number | undefined;
  /** ... and critical. Default 0.8. */
  timeWaitCriticalRatio?: number | undefined;
  /** Orphaned FIN_WAIT2 sockets (per namespace) from which it is a warning. Default 100. */
  orphanFinWait2Warning?: number | undefined;
  /** ... and critical. Default 1000. */
  orphanFinWait2Critical?: number | undefined;
  /** A FIN_WAIT1, CLOSING or LAST_ACK connection that does not move for this long (ms) is stuck. Default 5000. */
  stuckClosingMs?: number | undefined;

  // Counters (analyzeCounters).

  /** Listen overflows or drops per second from which it is critical (any is a warning). Default 1. */
  listenOverflowCriticalPerSecond?: number | undefined;
  /** RetransSegs / OutSegs from which it is a warning. Default 0.02 (2 %). */
  retransWarningRatio?: number | undefined;
  /** ... and critical. Default 0.1 (10 %). */
  retransCriticalRatio?: number | undefined;
  /** Fewer segments sent than this in the interval: no retransmission verdict (too few to judge). Default 1000. */
  retransMinSegments?: number | undefined;
  /** UDP receive errors per second from which it is critical (any is a warning). Default 100. */
  udpErrorsCriticalPerSecond?: number | undefined;
}

/** {@link AnalysisOptions} with every default filled in. */
export type ResolvedAnalysisOptions = {
  readonly [K in keyof AnalysisOptions]-?: Exclude<AnalysisOptions[K], undefined>;
};

/** The defaults of every option. */
export const DEFAULT_ANALYSIS_OPTIONS: ResolvedAnalysisOptions = Object.freeze({
  bindv6only: false,
  localPortRange: [32768, 60999] as const,
  tcpMem: null,
  pageSize: 4096,
  queueMinDurationMs: 1000,
  queueMinSamples: 2,
  queueCriticalMs: 30_000,
  closeWaitWarning: 10,
  closeWaitCritical: 100,
  closeWaitPersistMs: 30_000,
  synRecvWarning: 100,
  synRecvCritical: 1000,
  timeWaitWarningRatio: 0.5,
  timeWaitCriticalRatio: 0.8,
  orphanFinWait2Warning: 100,
  orphanFinWait2Critical: 1000,
  stuckClosingMs: 5000,
  listenOverflowCriticalPerSecond: 1,
  retransWarningRatio: 0.02,
  retransCriticalRatio: 0.1,
  retransMinSegments: 1000,
  udpErrorsCriticalPerSecond: 100,
});

const NON_NEGATIVE: readonly (keyof AnalysisOptions)[] = [
  'queueMinDurationMs',
  'queueCriticalMs',
  'closeWaitPersistMs',
  'stuckClosingMs',
  'listenOverflowCriticalPerSecond',
  'retransWarningRatio',
  'retransCriticalRatio',
  'retransMinSegments',
  'udpErrorsCriticalPerSecond',
  'timeWaitWarningRatio',
  'timeWaitCriticalRatio',
];

const COUNTS: readonly (keyof AnalysisOptions)[] = [
  'closeWaitWarning',
  'closeWaitCritical',
  'synRecvWarning',
  'synRecvCritical',
  'orphanFinWait2Warning',
  'orphanFinWait2Critical',
];

function fail(name: string, value: unknown, want: string): never {
  throw new RangeError(`procnet: option ${name} must be ${want}, got ${String(value)}`);
}

/**
 * Fills in the defaults and checks every value.
 *
 * @throws {RangeError} for a value of the wrong kind (a negative threshold, a port range outside 1–65535 or reversed,
 * a `tcpMem` that is not three ascending numbers).
 */
export function resolveAnalysisOptions(options?: AnalysisOptions): ResolvedAnalysisOptions {
  const o: Record<string, unknown> = { ...DEFAULT_ANALYSIS_OPTIONS };
  if (options !== undefined) {
    for (const [key, value] of Object.entries(options)) if (value !== undefined) o[key] = value;
  }
  for (const key of NON_NEGATIVE) {
    const v = o[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) fail(key, v, 'a finite number >= 0');
  }
  for (const key of COUNTS) {
    const v = o[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) fail(key, v, 'an integer >= 1');
  }
  const minSamples = o.queueMinSamples;
  if (typeof minSamples !== 'number' || !Number.isInteger(minSamples) || minSamples < 2) {
    fail('queueMinSamples', minSamples, 'an integer >= 2');
  }
  if (typeof o.bindv6only !== 'boolean') fail('bindv6only', o.bindv6only, 'a boolean');
  const range = o.localPortRange as readonly number[] | undefined;
  if (
    !Array.isArray(range) ||
    range.length !== 2 ||
    !range.every((p) => Number.isInteger(p) && p >= 1 && p <= 65535) ||
    (range[0] as number) > (range[1] as number)
  ) {
    fail('localPortRange', range, '[from, to] with 1 <= from <= to <= 65535');
  }
  const mem = o.tcpMem as readonly number[] | null;
  if (
    mem !== null &&
    (!Array.isArray(mem) ||
      mem.length !== 3 ||
      !mem.every((p) => Number.isFinite(p) && p >= 0) ||
      (mem[0] as number) > (mem[1] as number) ||
      (mem[1] as number) > (mem[2] as number))
  ) {
    fail('tcpMem', mem, '[min, pressure, max] in pages, ascending');
  }
  const page = o.pageSize;
  if (typeof page !== 'number' || !Number.isSafeInteger(page) || page < 1) fail('pageSize', page, 'a positive integer');
  return o as ResolvedAnalysisOptions;
}
