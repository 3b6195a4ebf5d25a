/**
 * The one path from a table read to rows or columns: each table is opened with the read's settings
 * ({@link openTable}: its feed, repeats dropped as lines are decoded), read whole or into its feed
 * ({@link readRequest}), then finished ({@link finishTable}); rows are tagged with their namespace and owners (the
 * same two fields on every row, so all rows of a kind keep one shape).
 * @module
 */
import type { InetColumns, UnixColumns } from '../column-types.js';
import { isProcNetParseError, type ProcNetParseError } from '../errors.js';
import type { SocketOwner } from '../owners/types.js';
import type { RowFilter } from '../tables/filter.js';
import type { InvalidRowHandler, ParseOptions } from '../tables/options.js';
import { parseTable } from '../tables/parse-table.js';
import { dropUnixRepeats, InetRepeats } from '../tables/repeats.js';
import { type InetFeed, inetColumnsFeed, inetRowsFeed } from '../tables/table-feed.js';
import { unixColumnsOf } from '../tables/unix-columns.js';
import { reclaimForgedNames } from '../tables/unix-reclaim.js';
import type { ByteOrder, InetSocket, TableKind, UnixSocket } from '../types.js';
import { type FileSpec, failureText } from './files.js';
import { type IoFailure, isFailure, type ReadIntoRequest, type ReadRequest, SinkThrew } from './io.js';
import type { RowOwners } from './owners-scan.js';
import type { FoundSocket, ProcessScanStats, ReadNote, ReadNoteCode, ReadSocketsResult } from './types.js';

/** What every read keeps besides its rows or columns. */
export interface ReadLog {
  notes: ReadNote[];
  errors: ProcNetParseError[];
  duplicatesDropped: number;
}

/** Everything a rows read accumulates before it becomes a result. */
export interface Accumulator extends ReadLog {
  sockets: FoundSocket[];
  /** The unix tables read, kept until owners are known (forged rows then give their text back to a name). */
  unixTables: Array<{ bytes: Uint8Array; rows: UnixSocket[]; path: string }>;
}

export const newAccumulator = (): Accumulator => ({
  sockets: [],
  notes: [],
  errors: [],
  duplicatesDropped: 0,
  unixTables: [],
});

export function note(acc: ReadLog, code: ReadNoteCode, message: string, kind: TableKind | null, path: string | null) {
  acc.notes.push({ code, message, kind, path });
}

/** The parse settings of one read. */
export interface ParseSettings {
  byteOrder: ByteOrder;
  userHz: number;
  onInvalidRow: InvalidRowHandler;
}

const EMPTY_OWNERS: readonly SocketOwner[] = Object.freeze([]);

/**
 * The parse options of one table of a read: its settings, and an `onInvalidRow` that pushes bad rows to `errors`
 * unless the mode is `'throw'`.
 */
export function tableParseOptions(path: string, settings: ParseSettings, errors: ProcNetParseError[]): ParseOptions {
  const onInvalidRow: InvalidRowHandler = settings.onInvalidRow === 'throw' ? 'throw' : (e) => errors.push(e);
  return { byteOrder: settings.byteOrder, userHz: settings.userHz, onInvalidRow, file: path };
}

/** A table on its way through the one reading path: where it is, how it is parsed, and (inet) its feed. */
export interface TableJob {
  kind: TableKind;
  path: string;
  shape: TableShape;
  mode: InvalidRowHandler;
  options: ParseOptions;
  /** Bad rows of a lenient read (`options.onInvalidRow` pushes them here). */
  errors: ProcNetParseError[];
  /** Inet: the repeats the read dropped, and the feed its bytes go into. Unix: `null` (parsed whole). */
  repeats: InetRepeats | null;
  feed: InetFeed<InetSocket[] | InetColumns> | null;
}

/** What a read gives per table: rows (`readSockets`) or columns (`readSocketColumns`). */
export type TableShape = 'rows' | 'columns';

/**
 * Opens one table of a read: its parse options and, for an inet table, its feed (rows or columns, repeats dropped);
 * `filter`: an inet table's `ParseOptions.filter` (rows it rejects are never made).
 */
export function openTable(
  kind: TableKind,
  path: string,
  settings: ParseSettings,
  shape: TableShape,
  filter?: RowFilter,
): TableJob {
  const errors: ProcNetParseError[] = [];
  const options = tableParseOptions(path, settings, errors);
  if (filter !== undefined && kind !== 'unix') options.filter = filter;
  const job: TableJob = { kind, path, shape, mode: settings.onInvalidRow, options, errors, repeats: null, feed: null };
  if (kind !== 'unix') {
    const repeats = new InetRepeats();
    job.repeats = repeats;
    job.feed = shape === 'rows' ? inetRowsFeed(kind, options, repeats) : inetColumnsFeed(kind, options, repeats);
  }
  return job;
}

/**
 * The request that reads a table: into its feed as the bytes arrive, in a worker (`worker`: a big live inet table),
 * else whole.
 */
export function readRequest(job: TableJob, file: FileSpec, worker: boolean): ReadRequest | ReadIntoRequest {
  return worker && job.feed !== null ? { op: 'readInto', file, sink: job.feed, worker: true } : { op: 'read', file };
}

/** A table read and parsed: its rows (with the unix table's bytes, for forged names) or its columns. */
export type ParsedTable =
  | { rows: Array<InetSocket | UnixSocket>; bytes: Uint8Array | null }
  | { columns: InetColumns | UnixColumns };

function collectError(log: ReadLog, mode: InvalidRowHandler, e: ProcNetParseError): void {
  log.errors.push(e);
  if (typeof mode === 'function') mode(e);
}

/**
 * Finishes one table: parses what was read whole (or ends what its feed was given), collects the bad rows, counts the
 * repeats dropped, and gives its rows or columns; `null` when there are none to give (a missing or unreadable table
 * is a note; in a lenient mode a table whose header is wrong is an error in `errors`). Throws the parse error in
 * `'throw'` mode, and anything else that is not a parse error.
 */
export function finishTable(
  log: ReadLog,
  job: TableJob,
  read: Uint8Array | IoFailure | SinkThrew | null,
): ParsedTable | null {
  if (isFailure(read)) {
    const code = read.code === 'ENOENT' ? 'TABLE_MISSING' : 'TABLE_UNREADABLE';
    note(log, code, failureText(job.path, read), job.kind, job.path);
    return null;
  }
  let parsed: ParsedTable | null = null;
  let dropped = 0;
  let thrown: unknown;
  try {
    if (read instanceof SinkThrew) throw read.thrown;
    if (job.feed === null) {
      const bytes = read as Uint8Array;
      const rows = parseTable('unix', bytes, job.options);
      dropped = dropUnixRepeats(rows);
      parsed = job.shape === 'rows' ? { rows, bytes } : { columns: unixColumnsOf(rows) };
    } else {
      if (read !== null) job.feed.push(read);
      job.feed.end();
      const taken = job.feed.take();
      dropped = (job.repeats as InetRepeats).dropped;
      parsed = job.shape === 'rows' ? { rows: taken as InetSocket[], bytes: null } : { columns: taken as InetColumns };
    }
  } catch (e) {
    thrown = e;
  }
  for (const e of job.errors) collectError(log, job.mode, e);
  if (thrown !== undefined) {
    if (job.mode === 'throw' || !isProcNetParseError(thrown)) throw thrown;
    collectError(log, job.mode, thrown);
    return null;
  }
  log.duplicatesDropped += dropped;
  return parsed;
}

/** Adds a table's rows to a rows read, each tagged with its namespace (owners come later). */
export function addRows(
  acc: Accumulator,
  job: TableJob,
  read: Uint8Array | IoFailure | SinkThrew | null,
  namespace: string | null,
): void {
  const parsed = finishTable(acc, job, read);
  if (parsed === null || !('rows' in parsed)) return;
  if (parsed.bytes !== null)
    acc.unixTables.push({ bytes: parsed.bytes, rows: parsed.rows as UnixSocket[], path: job.path });
  for (const row of parsed.rows) {
    const s = row as FoundSocket;
    s.namespace = namespace;
    s.owners = null;
    acc.sockets.push(s);
  }
}

/**
 * Sets `owners` on every row of `acc.sockets` from a scan's owners of each row. A live, complete scan (nothing
 * denied, nothing hidden) is evidence: a unix row the parser already doubted whose inode no process holds also gets
 * the `'no-owner'` reason.
 */
export function attachOwners(acc: Accumulator, scan: RowOwners): void {
  const { stats } = scan;
  const complete = stats.source === 'live' && stats.denied === 0 && stats.hidepid === null;
  for (let i = 0; i < acc.sockets.length; i++) {
    const s = acc.sockets[i] as FoundSocket;
    const found = scan.at(i);
    const list = found.length === 0 ? EMPTY_OWNERS : found;
    s.owners = list;
    if (complete && s.kind === 'unix' && list.length === 0 && s.inode !== '0' && s.suspicious.length > 0) {
      if (!s.suspicious.includes('no-owner')) s.suspicious = [...s.suspicious, 'no-owner'];
    }
  }
  for (const t of acc.unixTables) {
    const folded = reclaimForgedNames(t.bytes, t.rows);
    if (folded > 0) {
      note(
        acc,
        'FORGED_UNIX_ROWS',
        `${folded} row(s) of ${t.path} are text planted through a socket name (no process holds their inode): the name is whole again and the rows stay marked`,
        'unix',
        t.path,
      );
    }
  }
  noteScanStats(acc, stats);
}

/** The notes of an owner scan that could not see every process (`PROCESSES_INCOMPLETE`, `PROCESSES_HIDDEN`). */
export function noteScanStats(log: ReadLog, stats: ProcessScanStats): void {
  if (stats.denied > 0) {
    note(
      log,
      'PROCESSES_INCOMPLETE',
      `${stats.denied} of ${stats.scanned + stats.denied} processes could not be read (not all processes could be identified; run as root to see them)`,
      null,
      null,
    );
  }
  if (stats.hidepid !== null) {
    note(
      log,
      'PROCESSES_HIDDEN',
      `procfs is mounted with hidepid=${stats.hidepid}: other users' processes are invisible and their sockets show no owner`,
      null,
      null,
    );
  }
}

/** The result object, with every field present. */
export function toResult(
  acc: Accumulator,
  rest: Omit<ReadSocketsResult, 'sockets' | 'notes' | 'errors' | 'duplicatesDropped'>,
): ReadSocketsResult {
  return {
    sockets: acc.sockets,
    notes: acc.notes,
    errors: acc.errors,
    duplicatesDropped: acc.duplicatesDropped,
    byteOrder: rest.byteOrder,
    byteOrderSource: rest.byteOrderSource,
    userHz: rest.userHz,
    source: rest.source,
    processes: rest.processes,
  };
}
