/**
 * `readSockets` / `readSocketsSync`: every requested table of one network namespace (live or from a dump),
 * optionally with the processes that hold each socket.
 * @module
 */

import { join } from 'node:path';
import { parseSockstat } from '../counters/parse-sockstat.js';
import type { SockstatCounters } from '../counters/types.js';
import { INET_TABLES } from '../tables/inet.js';
import type { TableKind } from '../types.js';
import {
  addRows,
  attachOwners,
  newAccumulator,
  note,
  openTable,
  type ReadLog,
  readRequest,
  type TableJob,
  type TableShape,
  toResult,
} from './assemble.js';
import { driveAsync, driveSync } from './drive.js';
import { checkDump } from './dump-check.js';
import { checkLimits, DEFAULT_READ_LIMITS, type ReadLimits, trustedFile } from './files.js';
import { batch, type IoFailure, type IoPlan, isFailure, type SinkThrew } from './io.js';
import {
  finishOwnerScanFor,
  ownersFromDumpFile,
  type RowOwners,
  type ScanWorkerOption,
  type StartedOwnerScan,
  startOwnerScan,
} from './owners-scan.js';
import { checkUserHz, decideSettings, type ReadSettings } from './settings.js';
import { readNamespaceLink, resolveSource, type TableSource, tableFile, tablePath } from './source.js';
import type { StreamSocketColumnsOptions } from './stream-socket-columns.js';
import type { ReadSocketsOptions, ReadSocketsResult } from './types.js';

/** Every table procnet reads by default: the ten inet tables, then unix. */
export const ALL_KINDS: readonly TableKind[] = Object.freeze([...(Object.keys(INET_TABLES) as TableKind[]), 'unix']);

const DEFAULT_CONCURRENCY = 32;

/**
 * Checks a list option against the values it may hold and returns it without repeats (`undefined`: all of them).
 * `noun` names a value in the error (`table kind`).
 */
export function checkList<T>(values: readonly T[] | undefined, allowed: readonly T[], noun: string): T[] {
  if (values === undefined) return [...allowed];
  const out: T[] = [];
  for (const v of values) {
    if (!allowed.includes(v)) throw new TypeError(`procnet: unknown ${noun} ${JSON.stringify(v)}`);
    if (!out.includes(v)) out.push(v);
  }
  return out;
}

/** Checks `kinds` and returns it without repeats. */
export function checkKinds(kinds: readonly TableKind[] | undefined): TableKind[] {
  return checkList(kinds, ALL_KINDS, 'table kind');
}

export function checkConcurrency(n: number | undefined): number {
  if (n === undefined) return DEFAULT_CONCURRENCY;
  if (!(Number.isSafeInteger(n) && n >= 1)) throw new RangeError('procnet: concurrency must be a positive integer');
  return n;
}

/** Sockets a table must hold (by `sockstat`) before `'auto'` reads it in a worker: below, starting one costs more. */
const TABLE_WORKER_ROWS = 20_000;

/** The sockstat counts that size each inet table: protocol line and keys. */
const SIZE_KEYS: Partial<Record<TableKind, [string, string, readonly string[]]>> = {
  tcp: ['sockstat', 'TCP', ['inuse', 'tw']],
  tcp6: ['sockstat6', 'TCP6', ['inuse']],
  udp: ['sockstat', 'UDP', ['inuse']],
  udp6: ['sockstat6', 'UDP6', ['inuse']],
};

/**
 * Where a read runs its threads: the descriptor scan (`scan`) and the read of each live inet table (`table`), each
 * `true` (in worker threads), `false` (on the calling thread) or `'auto'` (by the machine's open files and the
 * table's size). Not a public option: the readers use {@link AUTO_THREADS}; tests pass others to run each way.
 */
export interface Threads {
  scan: ScanWorkerOption;
  table: boolean | 'auto';
}

export const AUTO_THREADS: Readonly<Threads> = Object.freeze({ scan: 'auto', table: 'auto' });

/** Per kind: read it in a worker? `'auto'` asks the namespace's sockstat files (in `netDir`) how big the tables are. */
export function* tableWorkers(
  netDir: string,
  kinds: readonly TableKind[],
  mode: boolean | 'auto',
  limits: ReadLimits = DEFAULT_READ_LIMITS,
): IoPlan<boolean[]> {
  const inet = kinds.map((k) => k !== 'unix');
  if (mode !== 'auto') return inet.map((i) => i && mode);
  const files = [...new Set(kinds.map((k) => SIZE_KEYS[k]?.[0]).filter((f) => f !== undefined))];
  const texts = yield* batch(
    files.map((f) => ({ op: 'read' as const, file: trustedFile(join(netDir, f), 'counters', limits, 4096) })),
  );
  const counts = new Map<string, SockstatCounters>();
  files.forEach((f, i) => {
    const t = texts[i];
    if (t === undefined || isFailure(t)) return;
    try {
      counts.set(f, parseSockstat(t, { onInvalidRow: 'skip' }));
    } catch {
      // an unreadable sockstat only means no estimate
    }
  });
  return kinds.map((k) => {
    const keys = SIZE_KEYS[k];
    if (keys === undefined) return false;
    const group = counts.get(keys[0])?.[keys[1]];
    let rows = 0;
    for (const key of keys[2]) rows += Number(group?.[key] ?? 0n);
    return rows >= TABLE_WORKER_ROWS;
  });
}

/**
 * The owner scan a read asks for: live `/proc/<pid>/fd` (collecting the scan `started` before the tables were
 * read, or starting one now), or the dump's `fds.json`.
 */
export function* ownersFor(
  acc: ReturnType<typeof newAccumulator>,
  source: TableSource,
  started: StartedOwnerScan | null,
  worker: ScanWorkerOption,
  pids?: number[],
): IoPlan<RowOwners | null> {
  if (source.live) {
    // A started scan that is not collected is stopped by the driver.
    if (!acc.sockets.some((s) => s.inode !== '0')) {
      return { at: () => [], stats: { source: 'live', scanned: 0, denied: 0, vanished: 0, hidepid: null } };
    }
    // No `??` around a yield (see owners-scan.ts).
    const scan = started !== null ? started : yield* startOwnerScan(source.root, pids, worker);
    return yield* finishOwnerScanFor(scan, acc.sockets);
  }
  const scan = yield* ownersFromDumpFile(source, acc.sockets);
  if (scan === null) {
    note(acc, 'FDS_MISSING', `processes: true, but the dump has no fds.json beside ${source.netDir}`, null, null);
  }
  return scan;
}

/** What {@link readSourceTables} gives: the read's settings and each table's job with what its read gave. */
export interface SourceTables {
  settings: ReadSettings;
  tables: Array<{ job: TableJob; read: Uint8Array | IoFailure | SinkThrew | null }>;
  /** The namespace read (`net:[N]` inode), or `null` (a dump, or unreadable). */
  namespace: string | null;
}

/**
 * The tables of one resolved source, read the one way: a live table's settings are known before it is read (this
 * machine's byte order), so a big one is read into its feed in a worker as the kernel prints it; a dump's tables are
 * read whole first, as its byte order may have to be guessed from their rows. The caller finishes each table.
 * `options.filter`: each inet kind's row filter (streamSocketColumns').
 */
export function* readSourceTables(
  log: ReadLog,
  source: TableSource,
  kinds: readonly TableKind[],
  options: ReadSocketsOptions & Pick<StreamSocketColumnsOptions, 'filter'>,
  shape: TableShape,
  threads: Readonly<Threads> = AUTO_THREADS,
): IoPlan<SourceTables> {
  const filter = (kind: TableKind) => (kind === 'unix' ? undefined : options.filter?.[kind]);
  let settings: ReadSettings;
  let tables: SourceTables['tables'];
  if (source.live) {
    settings = yield* decideSettings(log, source, options, []);
    const s = settings;
    const workers = yield* tableWorkers(source.netDir, kinds, threads.table, source.limits);
    const jobs = kinds.map((kind) => openTable(kind, tablePath(source, kind), s, shape, filter(kind)));
    const reads = yield* batch(
      jobs.map((job, i) => readRequest(job, tableFile(source, job.kind), workers[i] === true)),
    );
    tables = jobs.map((job, i) => ({ job, read: reads[i] as Uint8Array | IoFailure | SinkThrew | null }));
  } else {
    const bytes = yield* batch(kinds.map((kind) => ({ op: 'read' as const, file: tableFile(source, kind) })));
    const read = kinds.map((kind, i) => ({ kind, bytes: bytes[i] as Uint8Array | IoFailure }));
    settings = yield* decideSettings(log, source, options, read);
    const s = settings;
    tables = read.map((r) => ({
      job: openTable(r.kind, tablePath(source, r.kind), s, shape, filter(r.kind)),
      read: r.bytes,
    }));
  }
  const namespace = yield* readNamespaceLink(source.nsLink);
  return { settings, tables, namespace };
}

/** The whole read, as a plan of I/O batches. */
export function* readSocketsPlan(
  options: ReadSocketsOptions = {},
  threads: Readonly<Threads> = AUTO_THREADS,
): IoPlan<ReadSocketsResult> {
  const kinds = checkKinds(options.kinds);
  checkUserHz(options.userHz);
  const worker = threads.scan;
  const acc = newAccumulator();
  const root = options.root ?? '/proc';
  const source = yield* resolveSource(root, options.pid, checkLimits(options.limits));
  acc.notes.push(...(yield* checkDump(source)));
  // The descriptor scan does not depend on the tables: in a worker it runs while they are read and parsed.
  const started =
    options.processes === true && source.live ? yield* startOwnerScan(source.root, undefined, worker) : null;
  const { settings, tables, namespace } = yield* readSourceTables(acc, source, kinds, options, 'rows', threads);
  for (const t of tables) addRows(acc, t.job, t.read, namespace);
  let processes: ReadSocketsResult['processes'] = null;
  if (options.processes === true) {
    const scan = yield* ownersFor(acc, source, started, worker);
    if (scan !== null) {
      attachOwners(acc, scan);
      processes = scan.stats;
    }
  }
  return toResult(acc, {
    byteOrder: settings.byteOrder,
    byteOrderSource: settings.byteOrderSource,
    userHz: settings.userHz,
    source: { live: source.live, netDir: source.netDir },
    processes,
  });
}

/**
 * Reads the socket tables of one network namespace: the reader's own (default), a process's (`pid`), or a
 * saved dump's (`root`). Missing tables are notes, never exceptions; parse errors throw unless `onInvalidRow`
 * is lenient. With `processes: true`, every socket gets the processes that hold it.
 *
 * ```ts
 * const { sockets, notes } = await readSockets({ kinds: ['tcp', 'tcp6'], processes: true });
 * for (const s of sockets) if (s.protocol === 'tcp' && s.state === 'LISTEN') console.log(s.local, s.owners);
 * ```
 */
export function readSockets<K extends TableKind = TableKind>(
  options?: ReadSocketsOptions<K>,
): Promise<ReadSocketsResult<K>> {
  try {
    const concurrency = checkConcurrency(options?.concurrency);
    return driveAsync(readSocketsPlan(options), concurrency) as Promise<ReadSocketsResult<K>>;
  } catch (e) {
    return Promise.reject(e);
  }
}

/** {@link readSockets}, blocking: for tools that need an answer without an event loop turn. */
export function readSocketsSync<K extends TableKind = TableKind>(
  options?: ReadSocketsOptions<K>,
): ReadSocketsResult<K> {
  checkConcurrency(options?.concurrency);
  return driveSync(readSocketsPlan(options)) as ReadSocketsResult<K>;
}
