/**
 * Runs {@link scanFdsWith} in a worker thread, so a large descriptor scan (one blocking `readlink` per descriptor,
 * mostly kernel time) proceeds on the second core while the main thread reads and parses the tables.
 * @module
 */
import { Worker } from 'node:worker_threads';
import { type RawFdScan, scanFdsWith } from './fd-scan.js';

/** A scan running in a worker: its result, and a way to stop it when the result is no longer needed. */
export interface FdScanJob {
  readonly result: Promise<RawFdScan>;
  stop(): void;
}

let source: string | undefined;

/** The worker's code: the scan function's own text, so the same code runs in both places (no extra file to ship). */
function workerSource(): string {
  source ??= [
    "const { parentPort, workerData } = require('node:worker_threads');",
    `const scan = (${scanFdsWith.toString()});`,
    "parentPort.postMessage(scan(require('node:fs'), workerData.root, workerData.pids));",
  ].join('\n');
  return source;
}

/** Starts the scan of `<root>/<pid>/fd` in a worker. The promise rejects if the worker cannot run it. */
export function startFdScanWorker(root: string, pids: readonly number[] | null): FdScanJob {
  let worker: Worker | undefined;
  const result = new Promise<RawFdScan>((resolve, reject) => {
    worker = new Worker(workerSource(), { eval: true, workerData: { root, pids } });
    worker.once('message', (raw: RawFdScan) => {
      resolve(raw);
      void worker?.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`procnet: the descriptor scan worker exited (${code})`)));
  });
  // A failure is read (or ignored, after stop) by the driver; never an unhandled rejection.
  result.catch(() => {});
  return {
    result,
    stop() {
      void worker?.terminate();
    },
  };
}
