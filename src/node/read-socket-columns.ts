/**
 * `readSocketColumns` / `readSocketColumnsSync`: the tables of one network namespace (live or from a dump) as
 * `parseColumns`' typed columns, one result per table, read along the same path as `readSockets`' rows.
 * @module
 */
import type { ColumnsByKind } from '../column-types.js';
import type { SocketOwner } from '../owners/types.js';
import type { TableKind } from '../types.js';
import { finishTable, type ReadLog } from './assemble.js';
import { type ColumnOwners, finishColumnOwners, NO_OWNERS, startColumnOwners } from './column-owners.js';
import { driveAsync, driveSync } from './drive.js';
import { checkDump } from './dump-check.js';
import { checkLimits } from './files.js';
import type { IoPlan } from './io.js';
import { AUTO_THREADS, checkConcurrency, checkKinds, readSourceTables, type Threads } from './read-sockets.js';
import { checkUserHz, type ReadSettings } from './settings.js';
import { resolveSource, type TableSource } from './source.js';
import type { ReadSocketsOptions, ReadSocketsResult } from './types.js';

/**
 * Options of `readSocketColumns`: those of `readSockets`. With `processes: true` the owners come as a map by inode
 * (the result's `owners`) instead of on each row.
 */
export type ReadSocketColumnsOptions<K extends TableKind = TableKind> = ReadSocketsOptions<K>;

/** One table of a columnar read: its kind, the namespace it was read in, and its columns. */
export type SocketColumns<K extends TableKind = TableKind> = {
  [P in K]: {
    kind: P;
    /** Inode of the network namespace (`net:[N]`), or `null` (a dump, or unreadable). */
    namespace: string | null;
    /** `parseColumns(kind, …)`'s columns, with the rows a live read repeated dropped. */
    columns: ColumnsByKind[P];
  };
}[K];

/** What `readSocketColumns` returns: `readSockets`' result with columns per table instead of rows. */
export interface ReadSocketColumnsResult<K extends TableKind = TableKind>
  extends Omit<ReadSocketsResult<K>, 'sockets'> {
  /** The tables read, in the order of `kinds`; a missing or unreadable table is a note instead. */
  tables: SocketColumns<K>[];
  /**
   * With `processes: true`: every socket inode a process holds (decimal text, as a row's `inode`; `String(inode[i])`
   * of a column) → its owners, sorted by pid then fd, as a row's `owners`. A socket of the tables that is not in it has
   * no known owner (see `processes` for the processes the scan could not read). It may hold sockets of other tables
   * and namespaces too. `null` without `processes: true`, or for a dump without `fds.json` (an `FDS_MISSING` note).
   */
  owners: ReadonlyMap<string, readonly SocketOwner[]> | null;
}

/** The whole columnar read, as a plan of I/O batches. */
export function* readSocketColumnsPlan(
  options: ReadSocketColumnsOptions = {},
  threads: Readonly<Threads> = AUTO_THREADS,
): IoPlan<ReadSocketColumnsResult> {
  const kinds = checkKinds(options.kinds);
  checkUserHz(options.userHz);
  const log: ReadLog = { notes: [], errors: [], duplicatesDropped: 0 };
  const source = yield* resolveSource(options.root ?? '/proc', options.pid, checkLimits(options.limits));
  log.notes.push(...(yield* checkDump(source)));
  // The descriptor scan does not depend on the tables: in a worker it runs while they are read and parsed.
  const started = options.processes === true ? yield* startColumnOwners(source, threads.scan) : null;
  const read = yield* readSourceTables(log, source, kinds, options, 'columns', threads);
  const tables: SocketColumns[] = [];
  for (const { job, read: bytes } of read.tables) {
    const parsed = finishTable(log, job, bytes);
    if (parsed !== null && 'columns' in parsed) {
      tables.push({ kind: job.kind, namespace: read.namespace, columns: parsed.columns } as SocketColumns);
    }
  }
  const owners = options.processes === true ? yield* finishColumnOwners(log, source, started) : NO_OWNERS;
  return { tables, ...columnsReadFacts(log, read.settings, source, owners) };
}

/** A columnar read's result besides its tables: what it logged and what it decided. */
export function columnsReadFacts(
  log: ReadLog,
  settings: ReadSettings,
  source: TableSource,
  owners: ColumnOwners,
): Omit<ReadSocketColumnsResult, 'tables'> {
  return {
    owners: owners.owners,
    processes: owners.processes,
    notes: log.notes,
    errors: log.errors,
    duplicatesDropped: log.duplicatesDropped,
    byteOrder: settings.byteOrder,
    byteOrderSource: settings.byteOrderSource,
    userHz: settings.userHz,
    source: { live: source.live, netDir: source.netDir },
  };
}

/**
 * Reads the socket tables of one network namespace as typed columns: `readSockets` without a row object per socket,
 * for big tables and for readers that look at a few fields of every socket (counting, aggregating). The same options,
 * notes, limits, errors and repeats dropped as `readSockets`; `columns.row(i)` is the plain row `readSockets` gives
 * (without `namespace` and `owners`), and with `processes: true` the owners are the result's `owners` map, by inode.
 *
 * ```ts
 * const { tables } = await readSocketColumns({ kinds: ['tcp', 'tcp6'] });
 * let listening = 0;
 * for (const { columns } of tables) for (let i = 0; i < columns.length; i++) if (columns.stateCode[i] === 10) listening++;
 * ```
 */
export function readSocketColumns<K extends TableKind = TableKind>(
  options?: ReadSocketColumnsOptions<K>,
): Promise<ReadSocketColumnsResult<K>> {
  try {
    const concurrency = checkConcurrency(options?.concurrency);
    return driveAsync(readSocketColumnsPlan(options), concurrency) as Promise<ReadSocketColumnsResult<K>>;
  } catch (e) {
    return Promise.reject(e);
  }
}

/** {@link readSocketColumns}, blocking. */
export function readSocketColumnsSync<K extends TableKind = TableKind>(
  options?: ReadSocketColumnsOptions<K>,
): ReadSocketColumnsResult<K> {
  checkConcurrency(options?.concurrency);
  return driveSync(readSocketColumnsPlan(options)) as ReadSocketColumnsResult<K>;
}
