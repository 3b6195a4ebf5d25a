/**
 * The selected tables as a stream, each batch of rows handed over as soon as it is parsed and nothing kept per row:
 * what `--ndjson` and the numeric table view use when neither processes (`-p`) nor namespaces (`--all-namespaces`)
 * are asked for (both need whole tables first). A thin client of procnet/node's `streamSocketColumns`: a big live
 * table is read in a worker there, and the rows a live read repeated are dropped, as `readSockets` drops them.
 * @module
 */
import {
  type ByteOrder,
  deriveRowFilter,
  type InetColumns,
  type InetSocket,
  type InetTableKind,
  type ProcNetParseError,
  type RowFilter,
  type TableKind,
  type UnixSocket,
} from '../index.js';
import { type FoundSocket, type ReadNote, type SocketColumns, streamSocketColumns } from '../node/index.js';
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

/** A streamed read of the command line's source (`--root` / `--pid` / this namespace): its batches, then its report. */
export interface ColumnStream {
  /** The batches of each table, in the order of the kinds asked for. */
  batches: AsyncIterable<SocketColumns>;
  /** Filled in once `batches` is read to its end. */
  readonly report: StreamReport;
}

/**
 * Opens the command line's source for streaming `kinds`, in that order. Tables that are missing or unreadable become
 * notes, rows that do not parse become errors (the read is lenient: the command reports them).
 */
export function openColumnStream(o: CliOptions, kinds: readonly TableKind[]): ColumnStream {
  const report: StreamReport = {
    notes: [],
    errors: [],
    facts: { byteOrder: 'little', byteOrderSource: 'default', netDir: '' },
  };
  const events = streamSocketColumns({
    kinds,
    root: o.root ?? undefined,
    pid: o.pid ?? undefined,
    byteOrder: o.byteOrder ?? undefined,
    userHz: o.userHz ?? undefined,
    onInvalidRow: 'skip',
    filter: rowFilters(o, kinds),
  });
  async function* batches(): AsyncGenerator<SocketColumns, void, undefined> {
    for await (const e of events) {
      if (!('end' in e)) {
        yield e;
        continue;
      }
      report.notes.push(...e.notes);
      report.errors.push(...e.errors);
      report.facts = { byteOrder: e.byteOrder, byteOrderSource: e.byteOrderSource, netDir: e.source.netDir };
    }
  }
  return { batches: batches(), report };
}

/**
 * The ss filter's states and ports per inet kind, for the parser: rows it would reject are never stored (the whole
 * filter is still applied to each row handed over).
 */
function rowFilters(o: CliOptions, kinds: readonly TableKind[]): Partial<Record<InetTableKind, RowFilter>> | undefined {
  const filter = o.filter;
  if (filter === null) return undefined;
  const out: Partial<Record<InetTableKind, RowFilter>> = {};
  for (const kind of kinds) {
    if (kind === 'unix') continue;
    const derived = deriveRowFilter(filter, kind);
    if (derived !== undefined) out[kind] = derived;
  }
  return out;
}

/**
 * Hands the rows of one batch that `keep` accepts to `onRow`, as `readSockets` gives them (`namespace` set, `owners`
 * null), waiting for what `onRow` returns (the output's backpressure).
 */
export async function handRows(
  batch: SocketColumns,
  keep: (s: InetSocket | UnixSocket) => boolean,
  onRow: (s: FoundSocket) => Promise<void> | undefined,
): Promise<void> {
  const { columns, namespace } = batch;
  for (let i = 0; i < columns.length; i++) {
    const row = columns.row(i);
    if (!keep(row)) continue;
    const found = row as FoundSocket;
    found.namespace = namespace;
    found.owners = null;
    const wait = onRow(found);
    if (wait !== undefined) await wait;
  }
}

/** Whether a batch is an inet table's. */
export function isInetBatch(batch: SocketColumns): batch is SocketColumns & { columns: InetColumns } {
  return batch.kind !== 'unix';
}
