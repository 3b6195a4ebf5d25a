/**
 * Reading a big live table in a worker thread while the main thread parses it. The kernel prints
 * `/proc/net/tcp` about a page per `read()`, and printing 100k sockets costs it as much time as parsing them
 * costs us; a worker reads (kernel time on the second core) and hands over batches of bytes, which the main thread
 * parses as they arrive, so the two overlap instead of adding up.
 * @module
 */
import { readSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { closeFile, type FileSpec, type OpenFile, openFile, openFileSync, tooLargeFailure } from './files.js';
import { IoFailure } from './io.js';

/**
 * What the worker posts: a batch of bytes, the end, the errno of a failed read, or `tooLarge` when the file went past
 * its limit (the bytes past it are not posted).
 */
export type TableReadMessage =
  | { readonly chunk: Uint8Array }
  | { readonly eof: true }
  | { readonly error: string; readonly read: number }
  | { readonly tooLarge: true };

/**
 * A read this thread began while the worker started: the open file (shared by every thread of the process, with
 * its position) and a flag in shared memory. The worker sets 1 when it is ready and waits; the reading thread sets
 * 2 ("yours from here") at its next batch boundary, or 3 when it reached the end itself.
 */
export interface Handoff {
  readonly flag: Int32Array;
  /** Bytes this thread read before the worker took over (shared: the worker's count of the limit goes on from it). */
  readonly read: Float64Array;
}

const READY = 1;
const YOURS = 2;
const ALL_READ = 3;

/**
 * The worker's loop: read the open `fd` (from where the other thread stopped, when handed over) a page at a time,
 * post a batch every `batch` bytes (the buffer moves, no copy), and stop once more than `limit` bytes were read. The
 * fd is not closed here: the thread that opened it closes it when the read is over.
 */
function readLoop(
  fs: typeof import('node:fs'),
  fd: number,
  batch: number,
  limit: number,
  post: (m: TableReadMessage, transfer?: ArrayBuffer[]) => void,
  handoff: Handoff | undefined,
): void {
  let total = 0;
  if (handoff !== undefined) {
    const f = handoff.flag;
    // Values inlined: this function runs as text in the worker (READY 1, YOURS 2, ALL_READ 3).
    if (Atomics.compareExchange(f, 0, 0, 1) === 0) Atomics.wait(f, 0, 1);
    if (Atomics.load(f, 0) === 3) {
      post({ eof: true });
      return;
    }
    total = handoff.read[0] as number;
  }
  try {
    for (;;) {
      // At most one byte past the limit: that byte is how a file over it shows.
      const size = Math.min(batch, limit + 1 - total);
      const buf = new Uint8Array(new ArrayBuffer(size));
      let len = 0;
      let eof = false;
      while (len < size) {
        const n = fs.readSync(fd, buf, len, size - len, null);
        if (n === 0) {
          eof = true;
          break;
        }
        len += n;
      }
      total += len;
      if (total > limit) {
        post({ tooLarge: true });
        return;
      }
      if (len > 0) {
        const chunk = len === size ? buf : buf.slice(0, len);
        post({ chunk }, [chunk.buffer as ArrayBuffer]);
      }
      if (eof) {
        post({ eof: true });
        return;
      }
    }
  } catch (e) {
    post({ error: (e as NodeJS.ErrnoException).code ?? 'EIO', read: total });
  }
}

let source: string | undefined;

/** The worker's code: the loop's own text (one copy of the code, no extra file to ship), run once per job. */
function workerSource(): string {
  source ??= [
    "const { parentPort } = require('node:worker_threads');",
    "const fs = require('node:fs');",
    `const readLoop = (${readLoop.toString()});`,
    "parentPort.on('message', (job) => readLoop(fs, job.fd, job.batch, job.limit, (m, t) => parentPort.postMessage(m, t), job.handoff));",
  ].join('\n');
  return source;
}

/**
 * Idle readers kept for the next read: a monitoring agent reads the same tables every few seconds, and starting a
 * worker (a new isolate) costs tens of milliseconds, as much as parsing 20,000 rows. An idle worker is unref'd: it
 * never keeps the process alive.
 */
const idle: Worker[] = [];
const MAX_IDLE = 2;

function acquire(): Worker {
  const w = idle.pop() ?? newWorker();
  w.ref();
  return w;
}

function release(w: Worker): void {
  if (idle.length >= MAX_IDLE) {
    void w.terminate();
    return;
  }
  w.unref();
  idle.push(w);
}

/** A worker that dies while idle is simply not reused. */
function forget(this: Worker): void {
  const i = idle.indexOf(this);
  if (i >= 0) idle.splice(i, 1);
}

function newWorker(): Worker {
  const w = new Worker(workerSource(), { eval: true });
  w.on('exit', forget);
  w.on('error', () => {});
  return w;
}

/**
 * Reads `file` in a worker, calling `onChunk` with each batch as it arrives (in order). The file is opened and checked
 * here (files.ts: a regular file, and for a dump inside it), and read to at most its limit. Resolves with `null` at the
 * end of the file, or with the {@link IoFailure} of a failed open or read, or of a file over its limit. A throw from
 * `onChunk` stops the worker and rejects. Rejects too if the worker cannot run. Workers are reused from read to read
 * (at most two kept idle).
 *
 * `readHereFirst`: this thread opens the file and reads it itself, blocking, until the worker is ready to take over
 * (starting a worker takes tens of milliseconds, in which the kernel would otherwise print nothing), then hands
 * the open file over. For a command line that has nothing else to do meanwhile; never for a library call, whose
 * caller's event loop must not block.
 */
export async function readInWorker(
  spec: FileSpec,
  onChunk: (chunk: Uint8Array) => void,
  batch = 256 * 1024,
  readHereFirst = false,
): Promise<IoFailure | null> {
  const file = readHereFirst ? openFileSync(spec) : await openFile(spec);
  if (file instanceof IoFailure) return file;
  return new Promise((resolve, reject) => {
    const handoff: Handoff | undefined = readHereFirst
      ? { flag: new Int32Array(new SharedArrayBuffer(4)), read: new Float64Array(new SharedArrayBuffer(8)) }
      : undefined;
    let worker: Worker;
    try {
      worker = acquire();
    } catch (e) {
      void closeFile(file);
      reject(e);
      return;
    }
    let settled = false;
    /**
     * `keep`: the worker finished its job cleanly and can take another; else it is stopped, and the file is closed
     * only once it has (a worker still in a read must not find its fd number given to another file).
     */
    const settle = (keep: boolean, f: () => void) => {
      if (settled) return;
      settled = true;
      // Only this read's listeners: removeAllListeners would also drop the ones the Worker keeps for itself.
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      if (keep) {
        release(worker);
        void closeFile(file);
      } else {
        worker.terminate().then(
          () => closeFile(file),
          () => closeFile(file),
        );
      }
      f();
    };
    const onError = (e: Error) => settle(false, () => reject(e));
    const onExit = (code: number) =>
      settle(false, () => reject(new Error(`procnet: the table reader worker exited (${code}) before the end`)));
    const onMessage = (m: TableReadMessage) => {
      if (settled) return;
      if ('chunk' in m) {
        try {
          onChunk(m.chunk);
        } catch (e) {
          settle(false, () => reject(e));
        }
      } else if ('eof' in m) {
        settle(true, () => resolve(null));
      } else if ('tooLarge' in m) {
        settle(true, () => resolve(tooLargeFailure(spec)));
      } else {
        settle(true, () => resolve(new IoFailure(m.error)));
      }
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage({ fd: file.fd, batch, limit: spec.limit, handoff });
    if (handoff !== undefined) {
      const ended = readUntilTakenOver(file, handoff, batch, onChunk);
      // This thread read to the end (or failed, or onChunk threw) before the worker was ready: the worker is not
      // needed, and is stopped rather than kept (its own "end" message must not reach a later read).
      if (ended === null) return;
      if ('thrown' in ended) settle(false, () => reject(ended.thrown));
      else settle(false, () => resolve(ended.failure));
    }
  });
}

/**
 * This thread's part of a handed-over read: batches of a quarter of `batch`, so the worker, once ready, waits at
 * most one of them. Returns `null` when the worker took over (with the count of bytes read so far in `h.read`);
 * else the worker is told the read is over, and this returns the end of the file (`failure` null), the failure of a
 * read or of the limit, or what `onChunk` threw.
 */
function readUntilTakenOver(
  file: OpenFile,
  h: Handoff,
  batch: number,
  onChunk: (chunk: Uint8Array) => void,
): { failure: IoFailure | null } | { thrown: unknown } | null {
  const limit = file.spec.limit;
  let total = 0;
  const over = () => {
    if (Atomics.compareExchange(h.flag, 0, 0, ALL_READ) === READY) {
      Atomics.store(h.flag, 0, ALL_READ);
      Atomics.notify(h.flag, 0);
    }
  };
  for (;;) {
    if (Atomics.load(h.flag, 0) === READY) {
      h.read[0] = total;
      Atomics.store(h.flag, 0, YOURS);
      Atomics.notify(h.flag, 0);
      return null;
    }
    const size = Math.min(Math.max(4096, batch >> 2), limit + 1 - total);
    const buf = new Uint8Array(size);
    let len = 0;
    let eof = false;
    try {
      while (len < size) {
        const n = readSync(file.fd, buf, len, size - len, null);
        if (n === 0) {
          eof = true;
          break;
        }
        len += n;
      }
    } catch (e) {
      over();
      return { failure: new IoFailure((e as NodeJS.ErrnoException).code ?? 'EIO') };
    }
    total += len;
    if (total > limit) {
      over();
      return { failure: tooLargeFailure(file.spec) };
    }
    try {
      if (len > 0) onChunk(len === size ? buf : buf.slice(0, len));
    } catch (thrown) {
      over();
      return { thrown };
    }
    if (eof) {
      over();
      return { failure: null };
    }
  }
}

/** How many idle readers are kept (for tests). @internal */
export function idleReaders(): number {
  return idle.length;
}
