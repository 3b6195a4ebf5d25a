/**
 * Where procnet's worker threads' code is: real modules built beside the entries (tsup builds
 * `src/node/workers/*.ts` to `dist/workers/*.js`), found by URL relative to this module. A bundler that moves
 * procnet/node must copy them too: a missing module is an error, never a silent fallback to other code.
 * @module
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The worker modules: `table-read` (a big live table read in a loop) and `fd-scan` (the `/proc/<pid>/fd` pass). */
export type WorkerName = 'table-read' | 'fd-scan';

/** The `code` of the error thrown when a worker module is not where it should be. */
export const WORKER_MISSING = 'PROCNET_WORKER_MISSING';

const found = new Set<WorkerName>();

/** The URL of a worker module, beside the built module that holds this function; throws if it is not there. */
export function workerFile(name: WorkerName): URL {
  const url = new URL(`./workers/${name}.js`, import.meta.url);
  if (!found.has(name)) {
    if (!existsSync(fileURLToPath(url))) {
      throw Object.assign(
        new Error(
          `procnet: the worker module ${url.href} is missing (a bundler that moves procnet/node must copy its workers/ folder)`,
        ),
        { code: WORKER_MISSING },
      );
    }
    found.add(name);
  }
  return url;
}

/** Whether `e` is the error of a missing worker module (which no fallback may hide). */
export const isWorkerMissing = (e: unknown): boolean => (e as { code?: unknown } | null)?.code === WORKER_MISSING;
