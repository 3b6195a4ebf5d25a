/**
 * procnet/node: reading the tables from a live procfs or a saved dump, network namespaces, and the processes
 * that own each socket. All file and process I/O of procnet lives here; the core stays pure.
 * @module
 */
export { readNamespaces, readNamespacesSync } from './namespaces.js';
export type { OwnerScan } from './owners-scan.js';
export { ALL_KINDS, readSockets, readSocketsSync } from './read-sockets.js';
export { type ReadSocketOwnersOptions, readSocketOwners, readSocketOwnersSync } from './socket-owners.js';
export type {
  FoundSocket,
  NetNamespace,
  ProcessScanStats,
  ReadNamespacesOptions,
  ReadNamespacesResult,
  ReadNote,
  ReadNoteCode,
  ReadSocketsOptions,
  ReadSocketsResult,
  RowOf,
} from './types.js';
