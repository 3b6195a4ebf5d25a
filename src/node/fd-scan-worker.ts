/**
 * Runs {@link scanFdsWith} in worker threads, so a large descriptor scan (one blocking `readlink` per descriptor,
 * mostly kernel time) proceeds on other cores while the main thread reads and parses the tables. With two workers
 * they share the process list, taking its pids one at a time from a counter in shared memory.
 * @module
 */
import { readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { type FdScanWorkerData, mergeFdScans, type RawFdScan } from './fd-scan.js';
import { pidsOf } from './owners-scan.js';
import { workerFile } from './worker-file.js';

/** A scan running in a worker: its result, and a way to stop it when the result is no longer needed. */
export interface FdScanJob {
  readonly result: Promise<RawFdScan>;
  stop(): void;
}

/** How many workers share a scan: two where there are two cores or more (the scan is kernel time per link). */
export function fdScanWorkerCount(): number {
  return availableParallelism() >= 2 ? 2 : 1;
}

/**
 * Starts the scan of `<root>/<pid>/fd` in `count` workers (default {@link fdScanWorkerCount}) that share the pids
 * (listed here first when `pids` is `null`, so every worker has the same list). The promise rejects if a worker
 * cannot run its part.
 */
export function startFdScanWorker(
  root: string,
  pids: readonly number[] | null,
  count = fdScanWorkerCount(),
): FdScanJob {
  let list = pids;
  if (count > 1 && list === null) {
    try {
      list = pidsOf(readdirSync(root));
    } catch {
      count = 1; // one worker lists the root itself and reports why it could not
    }
  }
  const file = workerFile('fd-scan');
  const share = count > 1 ? new Int32Array(new SharedArrayBuffer(4)) : undefined;
  const workers: Worker[] = [];
  const parts: Promise<RawFdScan>[] = [];
  for (let w = 0; w < count; w++) {
    parts.push(
      new Promise<RawFdScan>((resolve, reject) => {
        const worker = new Worker(file, {
          workerData: { root, pids: list, share } satisfies FdScanWorkerData,
        });
        workers.push(worker);
        worker.once('message', (raw: RawFdScan) => {
          resolve(raw);
          void worker.terminate();
        });
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`procnet: the descriptor scan worker exited (${code})`)));
      }),
    );
  }
  const result = count === 1 ? (parts[0] as Promise<RawFdScan>) : Promise.all(parts).then(mergeFdScans);
  // A failure is read (or ignored, after stop) by the driver; never an unhandled rejection.
  result.catch(() => {});
  for (const p of parts) p.catch(() => {});
  return {
    result,
    stop() {
      for (const w of workers) void w.terminate();
    },
  };
}
