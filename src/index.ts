/**
 * procnet, the core: the `/proc/net` socket tables parsed into rows, columns, streams and summaries, their
 * addresses, states, errors and kernel text, and ss's filter language over them. Pure: no `node:` imports, no zod.
 * Counters, analysis and the netstat view have entries of their own (`procnet/counters`, `procnet/analysis`,
 * `procnet/netstat`); file and process I/O is `procnet/node`. Every export is listed in docs/api.md.
 * @module
 */

export type * from './column-types.js';
export { type AddressOptions, decodeSocketAddress, encodeSocketAddress } from './decode/address.js';
export { type ByteOrderGuess, guessByteOrder } from './decode/byte-order-guess.js';
export { decodeTcpState, TCP_STATES, type TcpState, type TcpStateInfo } from './decode/tcp-state.js';
export { decodeTimerKind, type TimerKind } from './decode/timer.js';
export {
  isProcNetParseError,
  PROC_NET_ERROR_CODES,
  type ProcNetErrorCode,
  ProcNetParseError,
  type ProcNetParseErrorDetails,
} from './errors.js';
export { deriveRowFilter } from './filter/derive-row-filter.js';
export {
  isSocketFilterError,
  SOCKET_FILTER_ERROR_CODES,
  SocketFilterError,
  type SocketFilterErrorCode,
  type SocketFilterErrorDetails,
} from './filter/filter-error.js';
export { formatSocketFilter } from './filter/format-socket-filter.js';
export { parseSocketFilter } from './filter/parse-socket-filter.js';
export type {
  InetHostPattern,
  PortOperator,
  SocketFilter,
  SocketFilterAnd,
  SocketFilterAutobound,
  SocketFilterExpression,
  SocketFilterFamily,
  SocketFilterHost,
  SocketFilterNot,
  SocketFilterOptions,
  SocketFilterOr,
  SocketFilterPort,
  SocketFilterSide,
  SocketFilterSource,
  UnixHostPattern,
} from './filter/types.js';
export { socketJsonReplacer } from './format/json.js';
export { type FormatOptions, formatRow, formatTable, TABLE_HEADERS, TABLE_PADDING } from './format/kernel.js';
export type { TableInput } from './scan/bytes.js';
export type { RowFilter } from './tables/filter.js';
export { INET_TABLES } from './tables/inet.js';
export type { InvalidRowHandler, ParseOptions } from './tables/options.js';
export { parseColumns, parseColumnsStream } from './tables/parse-columns.js';
export { parseTable } from './tables/parse-table.js';
export { type ChunkSource, parseTableStream } from './tables/stream.js';
export { summarizeTable, summarizeTableStream, type TableSummary } from './tables/summary.js';
export type * from './types.js';
