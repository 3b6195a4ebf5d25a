/**
 * Options of the metrics collector: what to read (as the `procnet/node` readers), how many series to allow, which
 * extras to add.
 * @module
 */
import { type AnalysisOptions, resolveAnalysisOptions } from '../analysis/options.js';
import type { ReadSocketsOptions } from '../node/index.js';

/** Options of `collectMetrics`, `createMetricsCollector` and `registerPromClientMetrics`. */
export interface MetricsOptions
  extends Pick<ReadSocketsOptions, 'kinds' | 'root' | 'pid' | 'byteOrder' | 'userHz' | 'processes' | 'concurrency'> {
  /**
   * Read every network namespace that has a process (`readNamespaces`; a live procfs only) and add a `namespace`
   * label (the namespace inode) to every family but the scrape's own. Default `false`: one namespace, no such label.
   */
  allNamespaces?: boolean | undefined;
  /** Most `procnet_listen_queue` series per namespace; the other listeners are summed into `address="other"`. Default 100. */
  maxListeners?: number | undefined;
  /** Most ports in `procnet_service_connections` per namespace; the other ports are summed into `port="other"`. Default 100. */
  maxPorts?: number | undefined;
  /** Most process names in `procnet_process_sockets` per namespace; the others are summed into `process="other"`. Default 50. */
  maxProcesses?: number | undefined;
  /**
   * Write `procnet_remote_connections` for the this many busiest remote addresses per table (the rest summed into
   * `address="other"`). Default 0: remote endpoints never become labels.
   */
  remoteAddresses?: number | undefined;
  /** Also write every counter of snmp, netstat and snmp6 (`procnet_mib`, `procnet_mib_value`). Default `false`. */
  allCounters?: boolean | undefined;
  /** Run the analyses and write `procnet_finding`. Default `true`. */
  findings?: boolean | undefined;
  /** Thresholds of the analyses (the host settings read are applied first). */
  analysis?: AnalysisOptions | undefined;
  /**
   * Called with each problem a scrape met (a row skipped, a file that could not be read, a read that failed). The
   * scrape still returns every metric it could make, with the problem counted in `procnet_scrape_errors`.
   */
  onError?: ((error: Error) => void) | undefined;
}

/** The defaults of the limits. */
export const DEFAULT_LIMITS = Object.freeze({ maxListeners: 100, maxPorts: 100, maxProcesses: 50, remoteAddresses: 0 });

/** Options with the defaults filled in and checked. */
export interface ResolvedMetricsOptions extends MetricsOptions {
  maxListeners: number;
  maxPorts: number;
  maxProcesses: number;
  remoteAddresses: number;
  allNamespaces: boolean;
  allCounters: boolean;
  findings: boolean;
  processes: boolean;
}

/**
 * Fills in the defaults and checks what can be checked before a read.
 *
 * @throws {RangeError} for a limit that is not a whole number ≥ 0, `allNamespaces` with `pid`, or a bad analysis option.
 */
export function resolveMetricsOptions(options: MetricsOptions = {}): ResolvedMetricsOptions {
  const limits: Record<keyof typeof DEFAULT_LIMITS, number> = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(DEFAULT_LIMITS) as (keyof typeof DEFAULT_LIMITS)[]) {
    const v = options[key];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
      throw new RangeError(`procnet: option ${key} must be a whole number >= 0, got ${String(v)}`);
    }
    limits[key] = v;
  }
  if (options.allNamespaces === true && options.pid !== undefined) {
    throw new RangeError('procnet: allNamespaces and pid cannot be used together');
  }
  resolveAnalysisOptions(options.analysis);
  return {
    ...options,
    ...limits,
    allNamespaces: options.allNamespaces === true,
    allCounters: options.allCounters === true,
    findings: options.findings !== false,
    processes: options.processes === true,
  };
}
