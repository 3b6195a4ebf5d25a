/**
 * procnet core: pure parsers for /proc/net socket tables. No `node:` imports, no zod.
 * @module
 */

export * from './analysis/index.js';
export type * from './column-types.js';
export * from './counters/index.js';
export { type AddressOptions, decodeSocketAddress, encodeSocketAddress } from './decode/address.js';
export { type ByteOrderGuess, guessByteOrder } from './decode/byte-order-guess.js';
export { decodeTcpState, TCP_STATES, TcpState, type TcpStateInfo } from './decode/tcp-state.js';
export { decodeTimerKind, NETSTAT_TIMER_LABEL, type TimerKind } from './decode/timer.js';
export {
  decodeUnixPath,
  decodeUnixSocketState,
  decodeUnixSocketType,
  SO_ACCEPTCON,
  UNIX_PATH_MAX,
} from './decode/unix.js';
export {
  isProcNetParseError,
  PROC_NET_ERROR_CODES,
  type ProcNetErrorCode,
  ProcNetParseError,
  type ProcNetParseErrorDetails,
} from './errors.js';
export * from './filter/index.js';
export { escapeTerminal } from './format/escape.js';
export { base64ToBytes, bytesToBase64, socketJsonReplacer } from './format/json.js';
export {
  type FormatOptions,
  formatRow,
  formatTable,
  formatUnixRow,
  TABLE_HEADERS,
  TABLE_PADDING,
  UNIX_HEADER,
} from './format/kernel.js';
export {
  formatNetstatInet,
  formatNetstatUnix,
  type NetstatInetLayout,
  type NetstatOptions,
  type NetstatOwner,
  type NetstatRow,
  netstatAddress,
  netstatInetLayout,
  netstatInetLine,
  programText,
} from './format/netstat.js';
export {
  describeNetstatStatistics,
  formatNetstatStatistics,
  type NetstatStatisticsEntry,
  type NetstatStatisticsInput,
  type NetstatStatisticsOptions,
  type NetstatStatisticsSection,
} from './format/netstat-statistics.js';
export {
  type FdDump,
  type FdDumpEntry,
  type FdDumpProcess,
  fdDumpEntries,
  ownersFromFdDump,
  parseFdDump,
} from './owners/fd-dump.js';
export { buildOwnerIndex, type OwnerIndex, ownerPids, resolveOwners } from './owners/owner-index.js';
export { parseFdLink, parseNamespaceLink } from './owners/proc-link.js';
export type { FdLinkEntry, FdRef, ProcessInfo, SocketOwner } from './owners/types.js';
export type { TableInput } from './scan/bytes.js';
export type { RowFilter } from './tables/filter.js';
export { INET_TABLES } from './tables/inet.js';
export { LazyInetRow, parseTableLazy, plainRow } from './tables/lazy.js';
export type { InvalidRowHandler, ParseOptions } from './tables/options.js';
export { parseColumns, parseColumnsStream } from './tables/parse-columns.js';
export { parseIcmp, parseRaw, parseTable, parseTcp, parseUdp, parseUnix } from './tables/parse-table.js';
export { type ChunkSource, parseTableStream } from './tables/stream.js';
export { summarizeTable, summarizeTableStream, type TableSummary } from './tables/summary.js';
export { isForgedUnixRow, reclaimForgedNames } from './tables/unix-reclaim.js';
export type * from './types.js';
