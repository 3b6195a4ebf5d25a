/**
 * `streamSocketColumns`: the tables of one network namespace (live or from a dump) as batches of `parseColumns`'
 * typed columns, each handed over as soon as its chunk of the table is parsed, read along the same path as
 * `readSocketColumns`.
 * @module
 */
import type { InetColumns, UnixColumns } from '../column-types.js';
import type { RowFilter } from '../tables/filter.js';
import type { InetTableKind, TableKind } from '../types.js';
import { finishTable, openTable, type ReadLog } from './assemble.js';
import { finishColumnOwners, NO_OWNERS, startColumnOwners } from './column-owners.js';
import { driveAsync } from './drive.js';
import { checkDump } from './dump-check.js';
import { checkLimits } from './files.js';
import { type IoFailure, type IoPlan, request, SinkThrew } from './io.js';
import {
  columnsReadFacts,
  type ReadSocketColumnsOptions,
  type ReadSocketColumnsResult,
  type SocketColumns,
} from './read-socket-columns.js';
import {
  AUTO_THREADS,
  checkConcurrency,
  checkKinds,
  readSourceTables,
  type Threads,
  tableWorkers,
} from './read-sockets.js';
import { checkUserHz, decideSettings, type ReadSettings } from './settings.js';
import { readNamespaceLink, resolveSource, type TableSource, tableFile, tablePath } from './source.js';
import { readInWorkerAhead, tableChunks, type WorkerRead } from './table-stream.js';

/**
 * Options of `streamSocketColumns`: those of `readSocketColumns` (with `processes: true`, the owners map is on the end
 * event), and a row filter per inet kind.
 */
export interface StreamSocketColumnsOptions<K extends TableKind = TableKind> extends ReadSocketColumnsOptions<K> {
  /**
   * A row filter per inet table kind, applied as each table is parsed (`ParseOptions.filter`; for example
   * `deriveRowFilter(socketFilter, kind)`): rows it rejects are never stored in a batch. Unix tables are not filtered.
   */
  filter?: { readonly [P in InetTableKind]?: RowFilter | undefined } | undefined;
}

/**
 * What `streamSocketColumns` yields last, once every table is read: `readSocketColumns`' result without its tables
 * (the notes, errors, repeats dropped and the read's facts), marked `end: true`.
 */
export interface SocketColumnsEnd extends Omit<ReadSocketColumnsResult, 'tables'> {
  end: true;
}

/** What `streamSocketColumns` yields: a batch of one table's columns, then the end of the read. */
export type SocketColumnsEvent<K extends TableKind = TableKind> = SocketColumns<K> | SocketColumnsEnd;

/**
 * The read's settings when they are known before any table is read: a live source's (this machine's), or a dump's
 * that states its byte order (the option, or its metadata); `null` for a dump whose byte order must be guessed from
 * its tables' rows (nothing is logged then: the whole read decides again, with the tables).
 */
function* streamSettings(
  log: ReadLog,
  source: TableSource,
  options: StreamSocketColumnsOptions,
): IoPlan<ReadSettings | null> {
  if (source.live) return yield* decideSettings(log, source, options, []);
  const scratch: ReadLog = { notes: [], errors: [], duplicatesDropped: 0 };
  const settings = yield* decideSettings(scratch, source, options, []);
  if (settings.byteOrderSource === 'default') return null;
  log.notes.push(...scratch.notes);
  return settings;
}

/** A batch to yield, or none (an empty slice). */
function batchOf(kind: TableKind, namespace: string | null, columns: InetColumns | UnixColumns): SocketColumns[] {
  return columns.length === 0 ? [] : [{ kind, namespace, columns } as SocketColumns];
}

/** {@link streamSocketColumns}, with where the tables are read (a worker or not) passed in: for tests. @internal */
export async function* streamSocketColumnsWith(
  options: StreamSocketColumnsOptions = {},
  threads: Readonly<Threads> = AUTO_THREADS,
): AsyncGenerator<SocketColumnsEvent, void, undefined> {
  const kinds = checkKinds(options.kinds);
  checkUserHz(options.userHz);
  const concurrency = checkConcurrency(options.concurrency);
  const drive = <T>(plan: IoPlan<T>) => driveAsync(plan, concurrency);
  const log: ReadLog = { notes: [], errors: [], duplicatesDropped: 0 };
  const source = await drive(resolveSource(options.root ?? '/proc', options.pid, checkLimits(options.limits)));
  log.notes.push(...(await drive(checkDump(source))));
  const settings = await drive(streamSettings(log, source, options));
  // The owners (`processes: true`) are found while the tables are read: a live scan of every process's descriptors
  // (in a worker on a machine with many), or the dump's fds.json; the end event carries them.
  // Its notes join the read's at the end, where readSocketColumns puts them.
  const ownerLog: ReadLog = { notes: [], errors: [], duplicatesDropped: 0 };
  const found =
    options.processes === true
      ? drive(
          (function* () {
            return yield* finishColumnOwners(ownerLog, source, yield* startColumnOwners(source, threads.scan));
          })(),
        )
      : Promise.resolve(NO_OWNERS);
  // A stream stopped early leaves the scan to finish on its own: its failure then is nobody's to see.
  found.catch(() => {});
  const owners = async () => {
    const o = await found;
    log.notes.push(...ownerLog.notes);
    return o;
  };
  if (settings === null) {
    // A dump's byte order is guessed from every table's rows: its tables are read whole, as readSocketColumns reads
    // them, and each is one batch.
    const read = await drive(readSourceTables(log, source, kinds, options, 'columns', threads));
    for (const { job, read: bytes } of read.tables) {
      const parsed = finishTable(log, job, bytes);
      if (parsed !== null && 'columns' in parsed) yield* batchOf(job.kind, read.namespace, parsed.columns);
    }
    yield { end: true, ...columnsReadFacts(log, read.settings, source, await owners()) };
    return;
  }
  // The settings are known before any table is read, so each table is parsed as it is read, and its batches handed
  // over as they are parsed; a big live one is read in a worker as readSocketColumns reads it.
  const workers = source.live
    ? await drive(tableWorkers(source.netDir, kinds, threads.table, source.limits))
    : kinds.map(() => false);
  const namespace = await drive(readNamespaceLink(source.nsLink));
  // Every big table starts printing now, while the tables before it are read and handed over: this thread reads it
  // (asynchronously: the kernel prints on libuv's thread pool) until its worker has started, then the worker reads
  // the rest. Without that, nothing is printed for the tens of milliseconds a worker takes to start.
  const ahead: Array<WorkerRead | null> = kinds.map((kind, i) =>
    workers[i] === true ? readInWorkerAhead(tableFile(source, kind), true) : null,
  );
  try {
    yield* readTables(log, source, kinds, settings, namespace, ahead, options.filter, drive);
  } finally {
    // A stream stopped early (or a table that threw) stops the reads started ahead.
    await Promise.all(ahead.map((read) => read?.return(null)));
  }
  yield { end: true, ...columnsReadFacts(log, settings, source, await owners()) };
}

/**
 * Reads each table in turn into its columns feed (with its kind's `filter`), yielding its batches; `ahead[i]`: the
 * worker reading table `i`.
 */
async function* readTables(
  log: ReadLog,
  source: TableSource,
  kinds: readonly TableKind[],
  settings: ReadSettings,
  namespace: string | null,
  ahead: ReadonlyArray<WorkerRead | null>,
  filter: StreamSocketColumnsOptions['filter'],
  drive: <T>(plan: IoPlan<T>) => Promise<T>,
): AsyncGenerator<SocketColumns, void, undefined> {
  for (const [i, kind] of kinds.entries()) {
    const job = openTable(
      kind,
      tablePath(source, kind),
      settings,
      'columns',
      kind === 'unix' ? undefined : filter?.[kind],
    );
    const feed = job.feed;
    let end: Uint8Array | IoFailure | SinkThrew | null;
    if (feed === null) {
      end = await drive(request({ op: 'read', file: tableFile(source, kind) }));
    } else {
      const chunks = tableChunks(tableFile(source, kind), ahead[i] ?? false);
      try {
        for (;;) {
          const next = await chunks.next();
          if (next.done) {
            end = next.value;
            break;
          }
          try {
            feed.push(next.value);
          } catch (e) {
            end = new SinkThrew(e);
            break;
          }
          yield* batchOf(kind, namespace, feed.take() as InetColumns);
        }
      } finally {
        await chunks.return(null);
      }
    }
    const parsed = finishTable(log, job, end);
    if (parsed !== null && 'columns' in parsed) yield* batchOf(kind, namespace, parsed.columns);
  }
}

/**
 * Reads the socket tables of one network namespace as a stream of typed columns: `readSocketColumns` without holding
 * a whole table, for big tables read by a process that must stay small, or that writes as it reads. Yields batches
 * (`{ kind, namespace, columns }`, `columns` being `parseColumns`' columns for a slice of the table, in table order),
 * then one `{ end: true, notes, errors, … }`. The same options, notes, limits, errors and repeats dropped as
 * `readSocketColumns`: the batches' rows, in order, are `readSocketColumns`' rows. A live table is parsed as it is
 * read (a big one read in a worker thread, started with the stream: it prints while the tables before it are handed
 * over), and so is a dump's that states its byte order (the option, or its metadata); a dump that does not has its
 * tables read whole first, as its byte order is guessed from their rows. A table that fails part way (past its limit,
 * an I/O error) keeps the batches already given and is a `TABLE_UNREADABLE` note; in a lenient `onInvalidRow` mode, a
 * table's bad rows reach `errors` (and the handler) once the table is read. With `processes: true` the descriptor scan
 * runs while the tables are read and the end event's `owners` maps each held socket's inode to its owners (a stream
 * stopped early lets a started scan finish in the background, unseen).
 *
 * ```ts
 * let listening = 0;
 * for await (const batch of streamSocketColumns({ kinds: ['tcp', 'tcp6'] })) {
 *   if ('end' in batch) console.error(batch.notes);
 *   else for (let i = 0; i < batch.columns.length; i++) if (batch.columns.stateCode[i] === 10) listening++;
 * }
 * ```
 */
export function streamSocketColumns<K extends TableKind = TableKind>(
  options?: StreamSocketColumnsOptions<K>,
): AsyncGenerator<SocketColumnsEvent<K>, void, undefined> {
  return streamSocketColumnsWith(options) as AsyncGenerator<SocketColumnsEvent<K>, void, undefined>;
}
