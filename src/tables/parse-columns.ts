/**
 * `parseColumns(kind, input)`: a whole table as typed columns, and `parseColumnsStream(kind, source)`: a streamed
 * table as batches of columns; both with the checks, errors, options and filter of `parseTable`.
 * @module
 */
import type { ColumnsByKind } from '../column-types.js';
import { type TableInput, toBytes } from '../scan/bytes.js';
import type { InetTableKind, TableKind } from '../types.js';
import { decodedSink, InetLineLoop, type TableInfo } from './inet.js';
import { InetColumnBuilder } from './inet-columns.js';
import type { ParseOptions } from './options.js';
import { ChunkFeeder, ChunkPuller, type ChunkSource } from './stream.js';
import { parseUnixTable } from './unix.js';
import { unixColumnsOf } from './unix-columns.js';

/**
 * A line loop over one inet table whose rows go to `builder()` (the builder of the moment: a stream starts a new one
 * per batch). Also gives the table's info, for the builders.
 */
function columnLoop(
  kind: InetTableKind,
  options: ParseOptions | undefined,
  builder: () => InetColumnBuilder,
): { loop: InetLineLoop; info: TableInfo } {
  const loop = new InetLineLoop(
    kind,
    options,
    decodedSink(kind, options, (r, fast) => builder().accept(r, fast)),
  );
  return { loop, info: loop.r };
}

/**
 * Parses the whole text (or bytes) of one `/proc/net` table, header included, into typed columns: one typed array
 * per kernel column, one element per row (four words per IPv6 address), and `row(i)` for the plain object
 * `parseTable` gives. The same checks, errors, `onInvalidRow` modes, `filter` and `byteOrder` as `parseTable`.
 *
 * ```ts
 * const t = parseColumns('tcp', readFileSync('/proc/net/tcp'));
 * for (let i = 0; i < t.length; i++) if (t.stateCode[i] === 10 && t.rxQueue[i] > 0) console.log(t.row(i));
 * ```
 * Throws `ProcNetParseError` on the first bad row unless `onInvalidRow` is `'skip'` or a function. The columns do
 * not refer to `input`.
 */
export function parseColumns<K extends TableKind>(
  kind: K,
  input: TableInput,
  options?: ParseOptions,
): ColumnsByKind[K] {
  const bytes = toBytes(input);
  if (kind === 'unix') return unixColumnsOf(parseUnixTable(bytes, options)) as ColumnsByKind[K];
  let builder: InetColumnBuilder | undefined;
  const { loop, info } = columnLoop(kind as InetTableKind, options, () => builder as InetColumnBuilder);
  // Kernel lines are 100 bytes or more (tcp: 150, padded): room for every row of a kernel's table.
  builder = new InetColumnBuilder(info, bytes.length / 100);
  loop.feed(bytes, bytes.length, 0);
  loop.end();
  return builder.finish() as ColumnsByKind[K];
}

/**
 * Parses an inet table from a stream of chunks (what `parseTableStream` takes) into batches of columns: one batch
 * per chunk, holding the rows whose lines that chunk completed (a chunk that completes none gives no batch).
 * Memory is one chunk and one batch at a time, whatever the table's size, and each batch stays valid after the next
 * is made. Rows are checked, filtered and reported as by `parseTable`; in `'throw'` mode the rows before the bad one
 * come in a last batch, then the error is thrown. Leaving the loop early releases the source.
 *
 * ```ts
 * let listeners = 0;
 * for await (const t of parseColumnsStream('tcp', createReadStream('dump/net/tcp'))) {
 *   for (let i = 0; i < t.length; i++) if (t.stateCode[i] === 10) listeners++;
 * }
 * ```
 */
export async function* parseColumnsStream<K extends InetTableKind>(
  kind: K,
  source: ChunkSource,
  options?: ParseOptions,
): AsyncGenerator<ColumnsByKind[K], void, undefined> {
  let builder: InetColumnBuilder | undefined;
  const { loop, info } = columnLoop(kind, options, () => builder as InetColumnBuilder);
  const feeder = new ChunkFeeder(loop);
  const chunks = new ChunkPuller(source);
  let ended = false;
  let failed = false;
  try {
    while (!ended) {
      const chunk = await chunks.next();
      builder = new InetColumnBuilder(info, chunk === undefined ? 0 : chunk.length / 100);
      let error: { thrown: unknown } | undefined;
      try {
        if (chunk === undefined) {
          ended = true;
          feeder.end();
        } else {
          feeder.push(chunk);
        }
      } catch (e) {
        error = { thrown: e };
      }
      const columns = builder.finish();
      if (columns.length > 0) yield columns as ColumnsByKind[K];
      if (error !== undefined) {
        failed = true;
        throw error.thrown;
      }
    }
  } finally {
    // A loop left early (break, return, a throw in its body) or a parse error releases the source; an error wins
    // over one from releasing it.
    if (!ended) await chunks.stop(failed);
  }
}
