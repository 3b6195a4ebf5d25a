/**
 * procnet/node: reading the tables from a live procfs or a saved dump, network namespaces, and the processes
 * that own each socket. All file and process I/O of procnet lives here; the core stays pure.
 * @module
 */
export type { ProcessInfo, SocketOwner } from '../owners/types.js';
export { DEFAULT_READ_LIMITS, type ReadLimits } from './files.js';
export { type HostSettings, pageSizeFromAuxv } from './host-settings.js';
export { readNamespaces, readNamespacesSync } from './namespaces.js';
export type { OwnerScan } from './owners-scan.js';
export { type ReadBoundedFileOptions, readBoundedFileSync } from './read-bounded-file.js';
export {
  COUNTER_FILES,
  type CounterFile,
  type ReadCountersOptions,
  type ReadCountersResult,
  readCounters,
  readCountersSync,
} from './read-counters.js';
export {
  type ReadSocketColumnsOptions,
  type ReadSocketColumnsResult,
  readSocketColumns,
  readSocketColumnsSync,
  type SocketColumns,
} from './read-socket-columns.js';
export { ALL_KINDS, readSockets, readSocketsSync } from './read-sockets.js';
export { type ReadSocketOwnersOptions, readSocketOwners, readSocketOwnersSync } from './socket-owners.js';
export {
  type SocketColumnsEnd,
  type SocketColumnsEvent,
  type StreamSocketColumnsOptions,
  streamSocketColumns,
} from './stream-socket-columns.js';
export { type TakenSample, type TakeSamplesOptions, takeSamples } from './take-samples.js';
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
export {
  SnapshotError,
  type WriteSnapshotOptions,
  type WrittenSnapshot,
  writeSnapshot,
} from './write-snapshot.js';
