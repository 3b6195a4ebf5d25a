/**
 * `readCounters` / `readCountersSync`: the counter files of one network namespace (live or from a dump) and the host
 * settings the analyses want, as one `CounterSample` for `diagnose`.
 * @module
 */
import { join } from 'node:path';
import type { CounterSample } from '../analysis/types.js';
import { parseNetstat } from '../counters/parse-netstat.js';
import { parseSnmp } from '../counters/parse-snmp.js';
import { parseSnmp6 } from '../counters/parse-snmp6.js';
import { parseSockstat } from '../counters/parse-sockstat.js';
import type { SockstatCounters } from '../counters/types.js';
import { isProcNetParseError, type ProcNetParseError } from '../errors.js';
import type { InvalidRowHandler } from '../tables/options.js';
import { driveAsync, driveSync } from './drive.js';
import { checkDump } from './dump-check.js';
import { checkLimits, failureText, type ReadLimits } from './files.js';
import { type HostSettings, readHostSettings } from './host-settings.js';
import { batch, type IoFailure, type IoPlan, isFailure } from './io.js';
import { checkList } from './read-sockets.js';
import { readNamespaceLink, resolveSource, sourceFile, type TableSource } from './source.js';
import type { ReadNote } from './types.js';

/** The counter files `readCounters` reads, in the order it reads them. */
export const COUNTER_FILES = Object.freeze(['snmp', 'netstat', 'snmp6', 'sockstat', 'sockstat6'] as const);

/** A counter file of `/proc/net`. */
export type CounterFile = (typeof COUNTER_FILES)[number];

/** Options of `readCounters` and `readCountersSync`. */
export interface ReadCountersOptions {
  /** A mounted procfs (default `/proc`) or a saved dump, as for `readSockets`. */
  root?: string | undefined;
  /** Read `<root>/<pid>/net/*`: the counters of that process's network namespace (counters are per namespace). */
  pid?: number | undefined;
  /** Files to read. Default: all of {@link COUNTER_FILES}. */
  files?: readonly CounterFile[] | undefined;
  /** Also read the host settings (sysctls, page size). Default `true`. */
  settings?: boolean | undefined;
  /**
   * `'throw'` (default): the first bad line throws a `ProcNetParseError` naming the file. `'skip'` or a function: bad
   * lines are dropped and collected in `errors`, and a file that cannot be parsed at all is left out.
   */
  onInvalidRow?: InvalidRowHandler | undefined;
  /** Size limits of the files read, in bytes (`counters`, and `metadata` for a dump's settings); see `ReadLimits`. */
  limits?: Partial<ReadLimits> | undefined;
}

/** What `readCounters` returns. */
export interface ReadCountersResult {
  /**
   * The parsed files, ready for `diagnose` (`Sample.counters`). `sockstat` holds the lines of both `sockstat` and
   * `sockstat6` (`TCP`, `UDP`, …, `TCP6`, `UDP6`, …). A file that is missing is absent (and a note says so).
   */
  counters: CounterSample;
  /** The host settings that could be read: spread them into `diagnose`'s options. `{}` with `settings: false`. */
  settings: HostSettings;
  /** Missing or unreadable files, settings that could not be read and why. */
  notes: ReadNote[];
  /** Lines skipped in lenient mode. */
  errors: ProcNetParseError[];
  /** Where the files were read: `live` for a mounted procfs; `netDir` the folder. */
  source: { live: boolean; netDir: string };
  /** Inode of the network namespace read (live), or `null` (a dump, or unreadable). */
  namespace: string | null;
}

/** The path of a counter file in a source (flat dumps: `proc-net-snmp`). */
export function counterPath(source: TableSource, file: CounterFile): string {
  return source.layout === 'flat' ? join(source.root, `proc-net-${file}`) : join(source.netDir, file);
}

/** The whole read, as a plan of I/O batches. */
export function* readCountersPlan(options: ReadCountersOptions = {}): IoPlan<ReadCountersResult> {
  const files = checkList(options.files, COUNTER_FILES, 'counter file');
  const source = yield* resolveSource(options.root ?? '/proc', options.pid, checkLimits(options.limits));
  const paths = files.map((f) => counterPath(source, f));
  const read = yield* batch(
    paths.map((path) => ({ op: 'read' as const, file: sourceFile(source, path, 'counters', 16384) })),
  );
  const notes: ReadNote[] = yield* checkDump(source);
  const errors: ProcNetParseError[] = [];
  const mode = options.onInvalidRow ?? 'throw';
  const collect = (e: ProcNetParseError): void => {
    errors.push(e);
    if (typeof mode === 'function') mode(e);
  };
  const onInvalidRow: InvalidRowHandler = mode === 'throw' ? 'throw' : collect;
  const counters: CounterSample = {};
  let sockstat: SockstatCounters | undefined;
  files.forEach((file, i) => {
    const bytes = read[i] as Uint8Array | IoFailure;
    const path = paths[i] as string;
    if (isFailure(bytes)) {
      if (bytes.code === 'ENOENT') {
        notes.push({ code: 'COUNTERS_MISSING', message: `${path} does not exist`, kind: null, path });
      } else {
        notes.push({ code: 'COUNTERS_UNREADABLE', message: failureText(path, bytes), kind: null, path });
      }
      return;
    }
    const parse = { onInvalidRow, file: path };
    try {
      if (file === 'snmp') counters.snmp = parseSnmp(bytes, parse);
      else if (file === 'netstat') counters.netstat = parseNetstat(bytes, parse);
      else if (file === 'snmp6') counters.snmp6 = parseSnmp6(bytes, parse);
      else sockstat = Object.assign(sockstat ?? Object.create(null), parseSockstat(bytes, parse));
    } catch (e) {
      if (mode === 'throw' || !isProcNetParseError(e)) throw e;
      collect(e);
    }
  });
  if (sockstat !== undefined) counters.sockstat = sockstat;
  const namespace = yield* readNamespaceLink(source.nsLink);
  const settings = options.settings === false ? {} : yield* readHostSettings(source, options.pid, notes);
  return { counters, settings, notes, errors, source: { live: source.live, netDir: source.netDir }, namespace };
}

/**
 * Reads the counter files of one network namespace (`/proc/net/{snmp,netstat,snmp6,sockstat,sockstat6}`): the
 * reader's own (default), a process's (`pid`), or a dump's (`root`), and the host settings the analyses use
 * (`net.ipv6.bindv6only`, `net.ipv4.ip_local_port_range`, `net.ipv4.tcp_mem`, `net.core.somaxconn`, the page size). Missing files and
 * settings are notes, never exceptions.
 *
 * ```ts
 * const { counters, settings } = await readCounters();
 * const { sockets } = await readSockets({ kinds: ['tcp', 'tcp6'] });
 * diagnose({ time: Date.now(), sockets, counters }, { ...settings });
 * ```
 */
export function readCounters(options?: ReadCountersOptions): Promise<ReadCountersResult> {
  try {
    return driveAsync(readCountersPlan(options), 8);
  } catch (e) {
    return Promise.reject(e);
  }
}

/** {@link readCounters}, blocking. */
export function readCountersSync(options?: ReadCountersOptions): ReadCountersResult {
  return driveSync(readCountersPlan(options));
}
