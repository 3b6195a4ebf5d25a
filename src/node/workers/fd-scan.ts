/**
 * The fd-scan worker: runs {@link scanFdsWith} (the one scan, also run inline by the sync driver) on the pids of its
 * `workerData`, posts the result and ends. Never imported: only run as a worker.
 * @module
 */
import * as fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { type FdScanWorkerData, scanFdsWith } from '../fd-scan.js';

if (parentPort !== null) {
  const job = workerData as FdScanWorkerData;
  parentPort.postMessage(scanFdsWith(fs, job.root, job.pids, job.share));
}
