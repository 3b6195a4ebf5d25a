/**
 * `readSocketOwners`: the descriptor scan on its own (an lsof for sockets), for tools that already have rows.
 * @module
 */
import { driveAsync, driveSync } from './drive.js';
import type { IoPlan } from './io.js';
import { type OwnerScan, type ScanWorkerOption, scanOwners } from './owners-scan.js';
import { checkConcurrency } from './read-sockets.js';

/** Options of {@link readSocketOwners}. */
export interface ReadSocketOwnersOptions {
  /** A mounted procfs. Default `/proc`. */
  root?: string | undefined;
  /** Only these socket inodes (decimal strings, as in the tables); default every socket any process holds. */
  inodes?: Iterable<string> | undefined;
  /** Most file-system requests in flight at once. Default 32. */
  concurrency?: number | undefined;
}

/** The scan as a plan; `worker` as `Threads.scan` (tests run it each way). */
export function* socketOwnersPlan(
  options: ReadSocketOwnersOptions,
  worker: ScanWorkerOption = 'auto',
): IoPlan<OwnerScan> {
  const root = (options.root ?? '/proc').replace(/(.)\/+$/, '$1');
  return yield* scanOwners(root, options.inodes === undefined ? undefined : new Set(options.inodes), undefined, worker);
}

/**
 * Maps socket inodes to every process holding them by scanning `/proc/<pid>/fd`. Processes that cannot be read
 * are counted in `stats` (`denied`, `vanished`), never thrown.
 */
export function readSocketOwners(options: ReadSocketOwnersOptions = {}): Promise<OwnerScan> {
  try {
    return driveAsync(socketOwnersPlan(options), checkConcurrency(options.concurrency));
  } catch (e) {
    return Promise.reject(e);
  }
}

/** {@link readSocketOwners}, blocking. */
export function readSocketOwnersSync(options: ReadSocketOwnersOptions = {}): OwnerScan {
  checkConcurrency(options.concurrency);
  return driveSync(socketOwnersPlan(options));
}
