/**
 * Findings from the kernel's counters: listen queue overflows, retransmissions, UDP receive errors, TCP memory.
 * @module
 */
import { type AnalysisOptions, type ResolvedAnalysisOptions, resolveAnalysisOptions } from './options.js';
import { formatDuration } from './queue-trace.js';
import { makeFinding } from './socket-ref.js';
import type { CounterSample, Finding, Severity } from './types.js';

/** Where each counter the analyses read lives: file, group (`''` for flat snmp6) and kernel name. */
const COUNTERS = {
  listenOverflows: ['netstat', 'TcpExt', 'ListenOverflows'],
  listenDrops: ['netstat', 'TcpExt', 'ListenDrops'],
  memoryPressures: ['netstat', 'TcpExt', 'TCPMemoryPressures'],
  abortOnMemory: ['netstat', 'TcpExt', 'TCPAbortOnMemory'],
  retransSegs: ['snmp', 'Tcp', 'RetransSegs'],
  outSegs: ['snmp', 'Tcp', 'OutSegs'],
  udpRcvbufErrors: ['snmp', 'Udp', 'RcvbufErrors'],
  udpInErrors: ['snmp', 'Udp', 'InErrors'],
  udp6RcvbufErrors: ['snmp6', '', 'Udp6RcvbufErrors'],
  udp6InErrors: ['snmp6', '', 'Udp6InErrors'],
} as const satisfies Record<string, readonly ['snmp' | 'netstat' | 'snmp6', string, string]>;

type CounterName = keyof typeof COUNTERS;

function read(sample: CounterSample | undefined, name: CounterName): bigint | undefined {
  if (sample === undefined) return undefined;
  const [file, group, key] = COUNTERS[name];
  if (file === 'snmp6') {
    const flat = sample.snmp6;
    return flat !== undefined && Object.hasOwn(flat, key) ? flat[key] : undefined;
  }
  const groups = sample[file] as Record<string, Record<string, bigint>> | undefined;
  if (groups === undefined || !Object.hasOwn(groups, group)) return undefined;
  const g = groups[group] as Record<string, bigint>;
  return Object.hasOwn(g, key) ? g[key] : undefined;
}

function num(v: bigint | undefined): number | null {
  return v === undefined ? null : Number(v);
}

function sum(...values: (bigint | undefined)[]): bigint | undefined {
  let total: bigint | undefined;
  for (const v of values) if (v !== undefined) total = (total ?? 0n) + v;
  return total;
}

function max(a: bigint | undefined, b: bigint | undefined): bigint | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a > b ? a : b;
}

function mib(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MiB`;
}

interface Window {
  /** Change per counter (the value itself when since boot); undefined when a sample lacks it. */
  delta: (name: CounterName) => bigint | undefined;
  /** Seconds between the samples, `null` since boot. */
  seconds: number | null;
  /** `in 10 s` or `since the counters started`. */
  when: string;
  /** The severity of an event seen in this window: as given in an interval, `info` since boot. */
  level: (severity: Severity) => Severity;
}

function intervalWindow(before: CounterSample, after: CounterSample, seconds: number): Window {
  return {
    delta: (name) => {
      const a = read(after, name);
      const b = read(before, name);
      return a === undefined || b === undefined ? undefined : a - b;
    },
    seconds,
    when: `in ${formatDuration(seconds * 1000)}`,
    level: (severity) => severity,
  };
}

function sinceBootWindow(after: CounterSample): Window {
  return {
    delta: (name) => read(after, name),
    seconds: null,
    when: 'since the counters started (boot or namespace creation)',
    level: () => 'info',
  };
}

function plus(w: Window, v: bigint): string {
  return w.seconds === null ? String(v) : `+${v}`;
}

function perSecond(w: Window, v: bigint): number | null {
  return w.seconds === null ? null : Number(v) / w.seconds;
}

function listenOverflow(w: Window, o: ResolvedAnalysisOptions): Finding | undefined {
  const overflows = w.delta('listenOverflows');
  const drops = w.delta('listenDrops');
  const worst = max(overflows, drops);
  if (worst === undefined || worst <= 0n) return undefined;
  const rate = perSecond(w, worst);
  const severity = rate !== null && rate >= o.listenOverflowCriticalPerSecond ? 'critical' : 'warning';
  const parts = [
    overflows !== undefined ? `ListenOverflows ${plus(w, overflows)}` : undefined,
    drops !== undefined ? `ListenDrops ${plus(w, drops)}` : undefined,
  ].filter((p) => p !== undefined);
  return makeFinding(
    'listen-overflow',
    w.level(severity),
    `${parts.join(', ')} ${w.when}${rate !== null ? ` (${rate.toFixed(2)} per second)` : ''}: connections were dropped at full listen queues.`,
    [],
    [],
    { listenOverflows: num(overflows), listenDrops: num(drops), seconds: w.seconds, perSecond: rate },
  );
}

function retransmissions(w: Window, o: ResolvedAnalysisOptions): Finding | undefined {
  const retrans = w.delta('retransSegs');
  const out = w.delta('outSegs');
  if (retrans === undefined || out === undefined || out <= 0n || Number(out) < o.retransMinSegments) return undefined;
  const ratio = Number(retrans) / Number(out);
  const severity =
    ratio >= o.retransCriticalRatio ? 'critical' : ratio >= o.retransWarningRatio ? 'warning' : undefined;
  if (severity === undefined) return undefined;
  return makeFinding(
    'tcp-retransmissions',
    w.level(severity),
    `${(ratio * 100).toFixed(1)} % of the TCP segments sent were retransmissions (RetransSegs ${plus(w, retrans)} of OutSegs ${plus(w, out)} ${w.when}).`,
    [],
    [],
    { retransSegs: Number(retrans), outSegs: Number(out), ratio, seconds: w.seconds, perSecond: perSecond(w, retrans) },
  );
}

function udpErrors(w: Window, o: ResolvedAnalysisOptions): Finding | undefined {
  const rcvbuf = w.delta('udpRcvbufErrors');
  const inErrors = w.delta('udpInErrors');
  const rcvbuf6 = w.delta('udp6RcvbufErrors');
  const inErrors6 = w.delta('udp6InErrors');
  // InErrors counts receive-buffer errors too; take the larger of the two per family.
  const total = sum(max(rcvbuf, inErrors), max(rcvbuf6, inErrors6));
  if (total === undefined || total <= 0n) return undefined;
  const rate = perSecond(w, total);
  const severity = rate !== null && rate >= o.udpErrorsCriticalPerSecond ? 'critical' : 'warning';
  const parts = [
    rcvbuf !== undefined ? `Udp RcvbufErrors ${plus(w, rcvbuf)}` : undefined,
    inErrors !== undefined ? `InErrors ${plus(w, inErrors)}` : undefined,
    rcvbuf6 !== undefined && (rcvbuf6 > 0n || (inErrors6 ?? 0n) > 0n)
      ? `Udp6RcvbufErrors ${plus(w, rcvbuf6)}`
      : undefined,
    inErrors6 !== undefined && (inErrors6 > 0n || (rcvbuf6 ?? 0n) > 0n)
      ? `Udp6InErrors ${plus(w, inErrors6)}`
      : undefined,
  ].filter((p) => p !== undefined);
  return makeFinding(
    'udp-receive-errors',
    w.level(severity),
    `${parts.join(', ')} ${w.when}${rate !== null ? ` (${rate.toFixed(2)} per second)` : ''}: UDP datagrams were dropped on receive.`,
    [],
    [],
    {
      udpRcvbufErrors: num(rcvbuf),
      udpInErrors: num(inErrors),
      udp6RcvbufErrors: num(rcvbuf6),
      udp6InErrors: num(inErrors6),
      errors: Number(total),
      seconds: w.seconds,
      perSecond: rate,
    },
  );
}

function tcpMemory(w: Window, after: CounterSample, o: ResolvedAnalysisOptions): Finding | undefined {
  const pages = after.sockstat?.TCP?.mem;
  const pressures = w.delta('memoryPressures');
  const aborts = w.delta('abortOnMemory');
  const reasons: string[] = [];
  let severity: Severity | undefined;
  const raise = (s: Severity) => {
    if (severity === undefined || s === 'critical' || (s === 'warning' && severity === 'info')) severity = s;
  };
  const memPages = pages === undefined ? null : Number(pages);
  if (memPages !== null && o.tcpMem !== null) {
    const [, pressure, limit] = o.tcpMem;
    if (memPages >= limit) {
      raise('critical');
      reasons.push(
        `TCP memory ${memPages} pages (${mib(memPages * o.pageSize)}) reached the net.ipv4.tcp_mem maximum of ${limit} pages`,
      );
    } else if (memPages >= pressure) {
      raise('warning');
      reasons.push(
        `TCP memory ${memPages} pages (${mib(memPages * o.pageSize)}) is above the net.ipv4.tcp_mem pressure threshold of ${pressure} pages`,
      );
    }
  }
  if (pressures !== undefined && pressures > 0n) {
    raise(w.level('warning'));
    reasons.push(`TCPMemoryPressures ${plus(w, pressures)} ${w.when}`);
  }
  if (aborts !== undefined && aborts > 0n) {
    raise(w.level('critical'));
    reasons.push(`TCPAbortOnMemory ${plus(w, aborts)} ${w.when}`);
  }
  if (severity === undefined) return undefined;
  return makeFinding('tcp-memory-pressure', severity, `${reasons.join('; ')}.`, [], [], {
    tcpMemPages: memPages,
    tcpMemBytes: memPages === null ? null : memPages * o.pageSize,
    tcpMemPressure: o.tcpMem === null ? null : o.tcpMem[1],
    tcpMemMax: o.tcpMem === null ? null : o.tcpMem[2],
    memoryPressures: num(pressures),
    abortOnMemory: num(aborts),
    seconds: w.seconds,
  });
}

/**
 * Findings from the counter files of two samples taken `seconds` apart (`before` may be `null`: then the totals since
 * the counters started are judged, and events become `info`, since they may be old):
 * - `listen-overflow`: TcpExt ListenOverflows or ListenDrops grew (critical from `listenOverflowCriticalPerSecond`);
 * - `tcp-retransmissions`: Tcp RetransSegs / OutSegs from `retransWarningRatio`/`retransCriticalRatio`, once at least
 *   `retransMinSegments` were sent;
 * - `udp-receive-errors`: Udp (and Udp6) RcvbufErrors or InErrors grew (critical from `udpErrorsCriticalPerSecond`);
 * - `tcp-memory-pressure`: sockstat `TCP mem` at or above the pressure (warning) or maximum (critical) of `tcpMem`,
 *   TcpExt TCPMemoryPressures grew (warning) or TCPAbortOnMemory grew (critical);
 * - `counters-reset` (info): a counter went backwards; the later sample is then judged on its own.
 * A file missing from either sample skips the checks that need it.
 *
 * @throws {RangeError} when `before` is given and `seconds` is not a positive finite number, or for a bad option.
 */
export function analyzeCounters(
  before: CounterSample | null | undefined,
  after: CounterSample,
  seconds?: number | null,
  options?: AnalysisOptions,
): Finding[] {
  const o = resolveAnalysisOptions(options);
  const out: Finding[] = [];
  let w: Window;
  if (before == null) {
    w = sinceBootWindow(after);
  } else {
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0) {
      throw new RangeError(`procnet: seconds must be a positive finite number, got ${String(seconds)}`);
    }
    const resets: string[] = [];
    for (const name of Object.keys(COUNTERS) as CounterName[]) {
      const a = read(after, name);
      const b = read(before, name);
      if (a !== undefined && b !== undefined && a < b) {
        const [, group, key] = COUNTERS[name];
        resets.push(group === '' ? key : `${group} ${key}`);
      }
    }
    if (resets.length > 0) {
      out.push(
        makeFinding(
          'counters-reset',
          'info',
          `${resets.join(', ')} went backwards between the samples; the later sample is judged on its own.`,
          [],
          [],
          { counters: resets.join(', '), seconds },
        ),
      );
      w = sinceBootWindow(after);
    } else {
      w = intervalWindow(before, after, seconds);
    }
  }
  const checks: (Finding | undefined)[] = [
    listenOverflow(w, o),
    retransmissions(w, o),
    udpErrors(w, o),
    tcpMemory(w, after, o),
  ];
  for (const f of checks) if (f !== undefined) out.push(f);
  return out;
}
