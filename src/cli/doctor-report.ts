/**
 * What `procnet doctor` found, as one object: printed as text or as JSON, and the exit code derived from it.
 * @module
 */
import {
  type AnalysisOptions,
  DEFAULT_ANALYSIS_OPTIONS,
  diagnose,
  type Finding,
  type Listener,
  type ResolvedAnalysisOptions,
  type Severity,
  summarizeListeners,
} from '../analysis/index.js';
import type { ProcessScanStats, ReadNote, TakenSample } from '../node/index.js';

/** The report of one run (`--json` prints it as it is). */
export interface DoctorReport {
  /** Where the tables were read, and which network namespace. */
  source: { live: boolean; netDir: string; pid: number | null; namespace: string | null };
  /** When the first sample was taken (ISO 8601). */
  startedAt: string;
  /** Samples taken, and the time from the first to the last, in ms. */
  samples: number;
  durationMs: number;
  /** Sockets in the last sample (every table read). */
  sockets: number;
  /** The owner scan's counts of the last sample, `null` with `--no-processes` or when owners could not be mapped. */
  processes: ProcessScanStats | null;
  /** The host settings the analyses used: read from the host (or dump), else their defaults, or set with `--set`. */
  settings: Pick<ResolvedAnalysisOptions, 'bindv6only' | 'localPortRange' | 'tcpMem' | 'pageSize'>;
  /** How many findings of each severity. */
  counts: Record<Severity, number>;
  /** Every finding, most severe first (`diagnose`). */
  findings: Finding[];
  /** Every listening TCP socket and bound, unconnected UDP socket of the last sample, with who can reach it. */
  listeners: Listener[];
  /** What the reads had to say (missing files, unknown settings, incomplete owner scans), each once. */
  notes: ReadNote[];
  /** Rows and counter lines that could not be parsed and were skipped, over all samples. */
  skipped: number;
  /** The exit code: 0 nothing worse than info, 1 a warning or critical finding. */
  exitCode: 0 | 1;
}

/** 1 when any finding is a warning or critical: the health-check answer. */
export function exitCodeOf(findings: readonly { severity: Severity }[]): 0 | 1 {
  return findings.some((f) => f.severity !== 'info') ? 1 : 0;
}

/**
 * Runs the analyses on the samples and gathers the report. Host settings come from the last sample that has them;
 * `options` (from `--set`) win over them.
 */
export function buildDoctorReport(
  samples: readonly TakenSample[],
  options: AnalysisOptions,
  context: { pid: number | null; dropNotes?: readonly string[] },
): DoctorReport {
  const last = samples[samples.length - 1];
  if (last === undefined) throw new Error('procnet: no sample was taken');
  const withSettings = [...samples].reverse().find((s) => Object.keys(s.settings).length > 0);
  const merged: AnalysisOptions = { ...withSettings?.settings, ...options };
  // diagnose checks the options (it throws on a bad one) before the settings are reported with their defaults.
  const findings = diagnose(samples, merged);
  const d = DEFAULT_ANALYSIS_OPTIONS;
  const counts: Record<Severity, number> = { critical: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  // Each note once, in the order the reads gave them; a scan's counts (PROCESSES_*) only as the last sample had them.
  const seen = new Set<string>();
  const chunks: ReadNote[][] = [];
  for (let i = samples.length - 1; i >= 0; i--) {
    const chunk: ReadNote[] = [];
    for (const n of (samples[i] as TakenSample).notes) {
      const key = n.code.startsWith('PROCESSES_') ? n.code : `${n.code}\n${n.message}`;
      if (seen.has(key) || context.dropNotes?.includes(n.code)) continue;
      seen.add(key);
      chunk.push(n);
    }
    chunks.unshift(chunk);
  }
  const notes = chunks.flat();
  const first = samples[0] as TakenSample;
  return {
    source: { live: last.source.live, netDir: last.source.netDir, pid: context.pid, namespace: last.namespace },
    startedAt: new Date(first.time).toISOString(),
    samples: samples.length,
    durationMs: last.time - first.time,
    sockets: last.sockets.length,
    processes: last.processes,
    settings: {
      bindv6only: merged.bindv6only ?? d.bindv6only,
      localPortRange: merged.localPortRange ?? d.localPortRange,
      tcpMem: merged.tcpMem ?? d.tcpMem,
      pageSize: merged.pageSize ?? d.pageSize,
    },
    counts,
    findings,
    listeners: summarizeListeners(last.sockets, merged).listeners,
    notes,
    skipped: samples.reduce((n, s) => n + s.errors.length, 0),
    exitCode: exitCodeOf(findings),
  };
}
