/**
 * The owners of a columnar read (`processes: true`): a map from socket inode to the processes holding it, from the
 * one descriptor scan (live) or the dump's `fds.json`, for columns that have no row to hang owners on.
 * @module
 */
import type { SocketOwner } from '../owners/types.js';
import { note, noteScanStats, type ReadLog } from './assemble.js';
import type { IoPlan } from './io.js';
import {
  finishOwnerScan,
  ownerMapFromDumpFile,
  type ScanWorkerOption,
  type StartedOwnerScan,
  startOwnerScan,
} from './owners-scan.js';
import type { TableSource } from './source.js';
import type { ProcessScanStats } from './types.js';

/** What a columnar read says of owners: `null` fields without `processes: true` (or a dump without `fds.json`). */
export interface ColumnOwners {
  owners: ReadonlyMap<string, readonly SocketOwner[]> | null;
  processes: ProcessScanStats | null;
}

export const NO_OWNERS: ColumnOwners = Object.freeze({ owners: null, processes: null });

/** Starts a live source's descriptor scan (it runs while the tables are read); `null` for a dump. */
export function* startColumnOwners(source: TableSource, worker: ScanWorkerOption): IoPlan<StartedOwnerScan | null> {
  return source.live ? yield* startOwnerScan(source.root, undefined, worker) : null;
}

/**
 * Collects the scan `started` (live), or reads the dump's `fds.json` (an `FDS_MISSING` note when it has none), and
 * notes the processes the scan could not see.
 */
export function* finishColumnOwners(
  log: ReadLog,
  source: TableSource,
  started: StartedOwnerScan | null,
): IoPlan<ColumnOwners> {
  const scan = started !== null ? yield* finishOwnerScan(started, undefined) : yield* ownerMapFromDumpFile(source);
  if (scan === null) {
    note(log, 'FDS_MISSING', `processes: true, but the dump has no fds.json beside ${source.netDir}`, null, null);
    return NO_OWNERS;
  }
  noteScanStats(log, scan.stats);
  return { owners: scan.owners, processes: scan.stats };
}
