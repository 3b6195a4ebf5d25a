/**
 * `parseColumns(kind, input)`: a whole table as typed columns, with the checks, errors, options and filter of
 * `parseTable`.
 * @module
 */
import type { ColumnsByKind, InetColumns } from '../column-types.js';
import { type TableInput, toBytes } from '../scan/bytes.js';
import type { InetTableKind, TableKind } from '../types.js';
import { InetLineReader } from './inet.js';
import { InetColumnBuilder } from './inet-columns.js';
import { decodedSink, runInetLines } from './inet-lines.js';
import type { ParseOptions } from './options.js';
import { parseUnixTable } from './unix.js';
import { unixColumnsOf } from './unix-columns.js';

/**
 * The rows of a line loop over one inet table as columns: `sink` for the loop, `finish()` once it has ended. The
 * columns are first sized for `capacity` rows.
 */
export function inetColumnSink(kind: InetTableKind, options: ParseOptions | undefined, capacity: number) {
  const probe = new InetLineReader(new Uint8Array(0), kind, options);
  const info = { kind, protocol: probe.protocol, family: probe.family, order: probe.order, userHz: probe.userHz };
  const builder = new InetColumnBuilder(info, capacity);
  return {
    sink: decodedSink(kind, options, (r, fast) => builder.accept(r, fast)),
    finish: (): InetColumns => builder.finish(),
  };
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
  // Kernel lines are 100 bytes or more (tcp: 150, padded): enough room for every row of a kernel's table.
  const { sink, finish } = inetColumnSink(kind as InetTableKind, options, bytes.length / 100);
  runInetLines(kind as InetTableKind, bytes, options, sink);
  return finish() as ColumnsByKind[K];
}
