/**
 * `parseTable(kind, input)`: the one entry point over every table parser.
 * @module
 */
import { type TableInput, toBytes } from '../scan/bytes.js';
import type { InetTableKind, SocketByKind, TableKind } from '../types.js';
import { parseInetTable } from './inet.js';
import type { ParseOptions } from './options.js';
import { parseUnixTable } from './unix.js';

/**
 * Parses the whole text (or bytes) of one `/proc/net` table, header included, into typed sockets.
 *
 * ```ts
 * const rows = parseTable('tcp', readFileSync('/proc/net/tcp'));
 * ```
 * Throws `ProcNetParseError` on the first bad row unless `onInvalidRow` is `'skip'` or a function.
 *
 * For `'unix'`, pass the file's bytes (`readFileSync('/proc/net/unix')`): paths are bytes and come back exact in
 * `pathBytes`. A string is UTF-8 encoded first, so bytes that were not UTF-8 are already lost (as U+FFFD) if the file
 * was decoded as UTF-8 to make it. A unix table never fails because of what a socket name contains; rows a name could
 * have forged are marked in `suspicious` (docs/unix.md).
 */
export function parseTable<K extends TableKind>(kind: K, input: TableInput, options?: ParseOptions): SocketByKind[K][] {
  const bytes = toBytes(input);
  if (kind === 'unix') return parseUnixTable(bytes, options) as SocketByKind[K][];
  return parseInetTable(kind as Exclude<K, 'unix'> & InetTableKind, bytes, options);
}
