/**
 * ss's filter language over parsed sockets: parse once, match plain rows or columns, push what can be pushed into
 * the table parser. Pure: no `node:` imports.
 * @module
 */
export { deriveRowFilter } from './derive-row-filter.js';
export {
  isSocketFilterError,
  SOCKET_FILTER_ERROR_CODES,
  SocketFilterError,
  type SocketFilterErrorCode,
  type SocketFilterErrorDetails,
} from './filter-error.js';
export { SERVICE_PORTS } from './filter-services.js';
export { formatSocketFilter } from './format-socket-filter.js';
export { parseSocketFilter } from './parse-socket-filter.js';
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
} from './types.js';
