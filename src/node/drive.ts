/**
 * The two drivers of an {@link IoPlan}: synchronous, and asynchronous with a bounded pool. Files are read through
 * files.ts (checked, bounded, in chunks), the one place procnet opens a file.
 * @module
 */
import * as fs from 'node:fs';
import { scanFdsWith } from './fd-scan.js';
import { type FdScanJob, startFdScanWorker } from './fd-scan-worker.js';
import { readFile, readFileSync } from './files.js';
import { type FdScanHandle, IoFailure, type IoPlan, type IoRequest, SinkThrew } from './io.js';
import { pumpTable } from './table-stream.js';
import { isWorkerMissing } from './worker-file.js';

const failure = (e: unknown): IoFailure => new IoFailure((e as NodeJS.ErrnoException)?.code ?? 'EIO');

function runSync(req: IoRequest): unknown {
  try {
    switch (req.op) {
      case 'read':
        return readFileSync(req.file);
      case 'readInto': {
        const bytes = readFileSync(req.file);
        if (bytes instanceof IoFailure) return bytes;
        try {
          req.sink.push(bytes);
        } catch (e) {
          return new SinkThrew(e);
        }
        return null;
      }
      case 'readdir':
        return fs.readdirSync(req.path);
      case 'readlink':
        return fs.readlinkSync(req.path);
      case 'statfs':
        return fs.statfsSync(req.path).type;
      case 'realpath':
        return fs.realpathSync.native(req.path);
      case 'size': {
        const st = fs.lstatSync(req.path);
        return st.isFile() ? st.size : -1;
      }
      case 'stat': {
        const st = fs.statSync(req.path);
        return st.isDirectory() ? 'dir' : st.isFile() ? 'file' : 'other';
      }
      // The sync driver blocks anyway: the scan runs inline when it is finished (never, when the plan no longer needs
      // it).
      case 'startFdScan':
        return { root: req.root, pids: req.pids } satisfies FdScanHandle;
      case 'finishFdScan':
        return scanFdsWith(fs, req.handle.root, req.handle.pids);
    }
  } catch (e) {
    return failure(e);
  }
}

/** Runs a plan to completion, one request at a time. */
export function driveSync<T>(plan: IoPlan<T>): T {
  let step = plan.next();
  while (!step.done) step = plan.next(step.value.map(runSync));
  return step.value;
}

type Done = (result: unknown) => void;

/** The async driver's handle: the worker running the scan, if one was started. */
interface AsyncFdScanHandle extends FdScanHandle {
  job: FdScanJob | null;
}

/** Worker scans started by one plan: stopped when the plan ends without finishing them. */
type Jobs = Set<FdScanJob>;

function runAsync(req: IoRequest, done: Done, jobs: Jobs): void {
  const cb = (err: NodeJS.ErrnoException | null, value?: unknown) => done(err ? failure(err) : value);
  switch (req.op) {
    case 'read':
      readFile(req.file).then(done);
      break;
    case 'readInto':
      pumpTable(req.file, req.sink, req.worker).then(done, (e: unknown) => done(new SinkThrew(e)));
      break;
    case 'readdir':
      fs.readdir(req.path, cb);
      break;
    case 'readlink':
      fs.readlink(req.path, cb);
      break;
    case 'statfs':
      fs.statfs(req.path, (err, st) => done(err ? failure(err) : st.type));
      break;
    case 'realpath':
      fs.realpath.native(req.path, cb);
      break;
    case 'size':
      fs.lstat(req.path, (err, st) => done(err ? failure(err) : st.isFile() ? st.size : -1));
      break;
    case 'stat':
      fs.stat(req.path, (err, st) =>
        done(err ? failure(err) : st.isDirectory() ? 'dir' : st.isFile() ? 'file' : 'other'),
      );
      break;
    case 'startFdScan': {
      let job: FdScanJob | null = null;
      if (req.worker) {
        try {
          job = startFdScanWorker(req.root, req.pids);
          jobs.add(job);
        } catch (e) {
          if (isWorkerMissing(e)) throw e;
          job = null;
        }
      }
      done({ root: req.root, pids: req.pids, job } satisfies AsyncFdScanHandle);
      break;
    }
    case 'finishFdScan': {
      const job = (req.handle as AsyncFdScanHandle).job;
      // A small scan (no worker asked for), or a worker that could not run (no threads, a resource limit): the
      // same scan on this thread.
      const inline = () => done(runSync(req));
      if (job === null) {
        inline();
        break;
      }
      jobs.delete(job);
      job.result.then(done, inline);
      break;
    }
  }
}

/** Runs a batch with at most `limit` requests in flight; results in request order. */
function runBatch(requests: readonly IoRequest[], limit: number, jobs: Jobs): Promise<unknown[]> {
  return new Promise((resolve) => {
    const n = requests.length;
    const out: unknown[] = new Array(n);
    if (n === 0) return resolve(out);
    let next = 0;
    let finished = 0;
    const start = (): void => {
      const i = next++;
      runAsync(
        requests[i] as IoRequest,
        (r) => {
          out[i] = r;
          if (++finished === n) resolve(out);
          else if (next < n) start();
        },
        jobs,
      );
    };
    for (let k = 0; k < Math.min(limit, n); k++) start();
  });
}

/** Runs a plan to completion; each batch with at most `concurrency` requests in flight. */
export async function driveAsync<T>(plan: IoPlan<T>, concurrency: number): Promise<T> {
  const jobs: Jobs = new Set();
  try {
    let step = plan.next();
    while (!step.done) step = plan.next(await runBatch(step.value, concurrency, jobs));
    return step.value;
  } finally {
    for (const job of jobs) job.stop();
  }
}
