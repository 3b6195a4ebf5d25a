/**
 * From table bytes to the result's rows: parse with the read's settings, drop repeats, tag every row with its
 * namespace and owners (the same two fields on every row, so all rows of a kind keep one shape).
 * @module
 */
import { isProcNetParseError, type ProcNetParseError } from '../errors.js';
import type { SocketOwner } from '../owners/types.js';
import { parseTableLazy } from '../tables/lazy.js';
import type { InvalidRowHandler, ParseOptions } from '../tables/options.js';
import { parseTable } from '../tables/parse-table.js';
import { reclaimForgedNames } from '../tables/unix-reclaim.js';
import type { ByteOrder, InetSocket, TableKind, UnixSocket } from '../types.js';
import { dedupeTable } from './dedupe.js';
import { failureText } from './files.js';
import { type IoFailure, isFailure, type ParsedTable } from './io.js';
import type { OwnerScan, RowOwners } from './owners-scan.js';
import type { FoundSocket, ReadNote, ReadNoteCode, ReadSocketsResult } from './types.js';

/** Everything a read accumulates before it becomes a result. */
export interface Accumulator {
  sockets: FoundSocket[];
  notes: ReadNote[];
  errors: ProcNetParseError[];
  duplicatesDropped: number;
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

export function note(
  acc: Accumulator,
  code: ReadNoteCode,
  message: string,
  kind: TableKind | null,
  path: string | null,
) {
  acc.notes.push({ code, message, kind, path });
}

/** The parse settings of one read. */
export interface ParseSettings {
  byteOrder: ByteOrder;
  userHz: number;
  onInvalidRow: InvalidRowHandler;
  /** Inet rows as lazy rows (`parseTableLazy`). */
  lazy?: boolean | undefined;
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

function collectError(acc: Accumulator, mode: InvalidRowHandler, e: ProcNetParseError): void {
  acc.errors.push(e);
  if (typeof mode === 'function') mode(e);
}

/**
 * Adds one table read into the accumulator: its bytes (parsed here), the rows a `readParse` request already
 * parsed (with `tableParseOptions`), or the failure reading it. A missing table is a note; in lenient mode a table
 * whose header is wrong is an error in `errors`, not a throw.
 */
export function addTable(
  acc: Accumulator,
  kind: TableKind,
  path: string,
  read: Uint8Array | IoFailure | ParsedTable,
  settings: ParseSettings,
  namespace: string | null,
): void {
  if (isFailure(read)) {
    note(acc, read.code === 'ENOENT' ? 'TABLE_MISSING' : 'TABLE_UNREADABLE', failureText(path, read), kind, path);
    return;
  }
  const mode = settings.onInvalidRow;
  let rows: Array<InetSocket | UnixSocket>;
  let thrown: unknown;
  let errors: readonly ProcNetParseError[];
  /** Repeats already dropped during the parse (a table read in a worker), else `undefined`. */
  let dropped: number | undefined;
  if (read instanceof Uint8Array) {
    const found: ProcNetParseError[] = [];
    errors = found;
    try {
      const options = tableParseOptions(path, settings, found);
      rows =
        settings.lazy === true && kind !== 'unix'
          ? parseTableLazy(kind, read, options)
          : parseTable(kind, read, options);
    } catch (e) {
      rows = [];
      thrown = e;
    }
  } else {
    rows = read.rows;
    thrown = read.thrown;
    errors = read.errors;
    dropped = read.duplicatesDropped;
  }
  for (const e of errors) collectError(acc, mode, e);
  if (thrown !== undefined) {
    if (mode === 'throw' || !isProcNetParseError(thrown)) throw thrown;
    collectError(acc, mode, thrown);
    return;
  }
  acc.duplicatesDropped += dropped ?? dedupeTable(rows);
  if (kind === 'unix') acc.unixTables.push({ bytes: read as Uint8Array, rows: rows as UnixSocket[], path });
  for (const row of rows) {
    const s = row as FoundSocket;
    s.namespace = namespace;
    s.owners = null;
    acc.sockets.push(s);
  }
}

/** Non-zero socket inodes of the rows: the sockets an owner scan has to find. */
export function wantedInodes(sockets: readonly FoundSocket[]): Set<string> {
  const wanted = new Set<string>();
  for (const s of sockets) if (s.inode !== '0') wanted.add(s.inode);
  return wanted;
}

/** The owners of a dump's `fds.json` (by inode) as each row's owners. */
export function ownersByRow(scan: OwnerScan, sockets: readonly FoundSocket[]): RowOwners {
  return { stats: scan.stats, at: (i) => scan.owners.get((sockets[i] as FoundSocket).inode) };
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
    const list = s.inode === '0' ? EMPTY_OWNERS : (scan.at(i) ?? EMPTY_OWNERS);
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
  if (stats.denied > 0) {
    note(
      acc,
      'PROCESSES_INCOMPLETE',
      `${stats.denied} of ${stats.scanned + stats.denied} processes could not be read (not all processes could be identified; run as root to see them)`,
      null,
      null,
    );
  }
  if (stats.hidepid !== null) {
    note(
      acc,
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
