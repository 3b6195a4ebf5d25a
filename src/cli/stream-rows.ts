/**
 * The selected tables as a stream of rows, each handed over as soon as its line is parsed and nothing kept per row:
 * what `--ndjson` and the numeric table view use when neither processes (`-p`) nor namespaces (`--all-namespaces`)
 * are asked for (both need whole tables first). A big live table is read in a worker thread, so the kernel prints
 * it on one core while this one parses and writes; anything else is read in chunks (files.ts). Rows a live
 * read repeated are dropped, as `readSockets` drops them.
 * @module
 */
import { statSync } from 'node:fs';
import {
  type ByteOrder,
  deriveRowFilter,
  type InetSocket,
  type InetTableKind,
  isProcNetParseError,
  type ParseOptions,
  type ProcNetParseError,
  parseTable,
  type TableKind,
  type UnixSocket,
} from '../index.js';
import { newAccumulator } from '../node/assemble.js';
import { driveSync } from '../node/drive.js';
import { checkDump } from '../node/dump-check.js';
import { type FileSpec, failureText, readFileSync } from '../node/files.js';
import type { FoundSocket, ReadNote } from '../node/index.js';
import { IoFailure } from '../node/io.js';
import { tableWorkers } from '../node/read-sockets.js';
import { decideSettings } from '../node/settings.js';
import { resolveSource, tableFile } from '../node/source.js';
import {
  type LineConsumer,
  readInWorkerAhead,
  streamTableLines,
  streamTableRows,
  type WorkerRead,
} from '../node/table-stream.js';
import type { CliOptions } from './options.js';

/** What a streamed read could not do (for stderr). */
export interface StreamReport {
  notes: ReadNote[];
  errors: ProcNetParseError[];
  /** What the read decided, for the notes: the byte order and where it came from, the tables' folder. */
  facts: {
    byteOrder: ByteOrder;
    byteOrderSource: 'option' | 'host' | 'metadata' | 'guess' | 'default';
    netDir: string;
  };
}

/** A streamed listing of one source (the command line's `--root` / `--pid` / this namespace). */
export interface RowStream {
  readonly report: StreamReport;
  /** Byte order of the machine that printed the tables. */
  readonly byteOrder: ByteOrder;
  /**
   * Hands the rows of `kinds` that `keep` accepts to `onRow`, table by table in order (`onRow` may return a promise
   * to wait for: the output's backpressure). Tables that are missing or unreadable become notes, rows that do not
   * parse become errors; an error from `onRow` stops the stream and is thrown.
   */
  rows(
    kinds: readonly TableKind[],
    keep: (s: InetSocket | UnixSocket) => boolean,
    onRow: (s: FoundSocket) => Promise<void> | undefined,
  ): Promise<void>;
  /**
   * Hands the decoded lines of one inet table to `consumer`, with no row made (see `streamTableLines`); what could
   * not be read becomes notes and errors, as with {@link RowStream.rows}.
   */
  lines(kind: InetTableKind, consumer: LineConsumer): Promise<void>;
  /**
   * Starts reading now, each in a worker, those of `kinds` that are big enough (by sockstat) to be read in one: the
   * kernel prints them while the other tables are read. Their later `rows` or `lines` take the batches read ahead.
   */
  readAhead(kinds: readonly TableKind[]): void;
}

/**
 * The inode of the live network namespace behind a `/proc/<pid>/ns/net` link, as `readSockets` gives it in
 * `namespace` (the inode the link's text `net:[N]` names is the one its target has), or `null` when it cannot be read.
 */
function namespaceInode(nsLink: string): string | null {
  try {
    return statSync(nsLink, { bigint: true }).ino.toString();
  } catch {
    return null;
  }
}

/**
 * Opens the command line's source for streaming, or returns `null` when it cannot be streamed: a dump that does not
 * say its byte order (the guess needs every row; the caller reads it whole instead).
 */
export function openRowStream(o: CliOptions): RowStream | null {
  const source = driveSync(resolveSource(o.root ?? '/proc', o.pid ?? undefined));
  const acc = newAccumulator();
  const settings = driveSync(
    decideSettings(acc, source, { byteOrder: o.byteOrder ?? undefined, userHz: o.userHz ?? undefined }, []),
  );
  if (!source.live && settings.byteOrderSource === 'default') return null;
  const report: StreamReport = {
    notes: [...driveSync(checkDump(source)), ...acc.notes],
    errors: [],
    facts: { byteOrder: settings.byteOrder, byteOrderSource: settings.byteOrderSource, netDir: source.netDir },
  };
  let namespace: string | null = null;
  // Only a live source has the link (a dump's namespace is not known).
  if (source.nsLink !== null) namespace = namespaceInode(source.nsLink);
  const onInvalidRow = (e: ProcNetParseError) => {
    report.errors.push(e);
  };
  const tableFailed = (kind: TableKind, path: string, failure: IoFailure) => {
    const code = failure.code === 'ENOENT' ? 'TABLE_MISSING' : 'TABLE_UNREADABLE';
    report.notes.push({ code, message: failureText(path, failure), kind, path });
  };
  /** Live tables big enough (by sockstat) are read in a worker, as readSockets reads them. */
  const useWorkers = (kinds: readonly TableKind[]): Set<TableKind> => {
    if (!source.live || kinds.length === 0) return new Set();
    const use = driveSync(tableWorkers(source.netDir, kinds, 'auto'));
    return new Set(kinds.filter((_, i) => use[i] === true));
  };
  const ahead = new Map<TableKind, WorkerRead>();
  /** Reads each table with `read`, turning a table that could not be read into a note or an error. */
  const each = async (
    kinds: readonly TableKind[],
    read: (
      kind: TableKind,
      file: FileSpec,
      options: ParseOptions,
      worker: boolean | WorkerRead,
    ) => Promise<IoFailure | null>,
  ) => {
    const workers = useWorkers(kinds.filter((k) => !ahead.has(k)));
    for (const kind of kinds) {
      const file = tableFile(source, kind);
      // The filter's states and ports go into the parser: rows it would reject are never made.
      const filter = o.filter === null || kind === 'unix' ? undefined : deriveRowFilter(o.filter, kind);
      const options = { byteOrder: settings.byteOrder, userHz: settings.userHz, onInvalidRow, file: file.path, filter };
      const worker = ahead.get(kind) ?? workers.has(kind);
      ahead.delete(kind);
      try {
        const failed = await read(kind, file, options, worker);
        if (failed !== null) tableFailed(kind, file.path, failed);
      } catch (e) {
        if (!isProcNetParseError(e)) throw e;
        report.errors.push(e); // a header that is not this table's: the table is skipped, as readSockets does
      }
    }
  };
  return {
    report,
    byteOrder: settings.byteOrder,
    rows: (kinds, keep, onRow) =>
      each(kinds, async (kind, file, options, worker) => {
        const emit = (row: InetSocket | UnixSocket): Promise<void> | undefined => {
          if (!keep(row)) return undefined;
          const found = row as FoundSocket;
          found.namespace = namespace;
          found.owners = null;
          return onRow(found);
        };
        if (kind !== 'unix') return streamTableRows(file, kind, options, emit, worker);
        const bytes = readFileSync(file);
        if (bytes instanceof IoFailure) return bytes;
        for (const row of parseTable('unix', bytes, options)) await emit(row);
        return null;
      }),
    readAhead(kinds) {
      for (const kind of useWorkers(kinds.filter((k) => !ahead.has(k)))) {
        // This thread reads until the worker is ready: it has nothing else to do meanwhile.
        ahead.set(kind, readInWorkerAhead(tableFile(source, kind), true));
      }
    },
    lines: (kind, consumer) =>
      each([kind], (_, file, options, worker) => streamTableLines(file, kind, options, consumer, worker)),
  };
}
