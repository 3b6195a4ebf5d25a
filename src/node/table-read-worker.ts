/**
 * Reading a big live table in a worker thread while the main thread parses it. The kernel prints
 * `/proc/net/tcp` about a page per `read()`, and printing 100k sockets costs it as much time as parsing them
 * costs us; a worker reads (kernel time on the second core) and hands over batches of bytes, which the main thread
 * parses as they arrive, so the two overlap instead of adding up.
 * @module
 */
import { Worker } from 'node:worker_threads';

/** What the worker posts: a batch of bytes, the end, or the errno of a failed open or read. */
export type TableReadMessage =
  | { readonly chunk: Uint8Array }
  | { readonly eof: true }
  | { readonly error: string; readonly read: number };

/** The worker's loop: read `path` a page at a time, post a batch every `batch` bytes (the buffer moves, no copy). */
function readLoop(
  fs: typeof import('node:fs'),
  path: string,
  batch: number,
  post: (m: TableReadMessage, transfer?: ArrayBuffer[]) => void,
): void {
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch (e) {
    post({ error: (e as NodeJS.ErrnoException).code ?? 'EIO', read: 0 });
    return;
  }
  let total = 0;
  try {
    for (;;) {
      const buf = new Uint8Array(new ArrayBuffer(batch));
      let len = 0;
      let eof = false;
      while (len < batch) {
        const n = fs.readSync(fd, buf, len, batch - len, null);
        if (n === 0) {
          eof = true;
          break;
        }
        len += n;
      }
      total += len;
      if (len > 0) {
        const chunk = len === batch ? buf : buf.slice(0, len);
        post({ chunk }, [chunk.buffer as ArrayBuffer]);
      }
      if (eof) {
        post({ eof: true });
        return;
      }
    }
  } catch (e) {
    post({ error: (e as NodeJS.ErrnoException).code ?? 'EIO', read: total });
  } finally {
    fs.closeSync(fd);
  }
}

let source: string | undefined;

/** The worker's code: the loop's own text (one copy of the code, no extra file to ship), run once per job. */
function workerSource(): string {
  source ??= [
    "const { parentPort } = require('node:worker_threads');",
    "const fs = require('node:fs');",
    `const readLoop = (${readLoop.toString()});`,
    "parentPort.on('message', (job) => readLoop(fs, job.path, job.batch, (m, t) => parentPort.postMessage(m, t)));",
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
 * Reads `path` in a worker, calling `onChunk` with each batch as it arrives (in order). Resolves with `null` at
 * the end of the file, or with the errno code of a failed open (`read` 0) or read (`read`: bytes before it).
 * A throw from `onChunk` stops the worker and rejects. Rejects too if the worker cannot run. Workers are reused
 * from read to read (at most two kept idle).
 */
export function readInWorker(
  path: string,
  onChunk: (chunk: Uint8Array) => void,
  batch = 256 * 1024,
): Promise<{ error: string; read: number } | null> {
  return new Promise((resolve, reject) => {
    const worker = acquire();
    let settled = false;
    /** `keep`: the worker finished its job cleanly and can take another. */
    const settle = (keep: boolean, f: () => void) => {
      if (settled) return;
      settled = true;
      // Only this read's listeners: removeAllListeners would also drop the ones the Worker keeps for itself.
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      if (keep) release(worker);
      else void worker.terminate();
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
      } else {
        settle(true, () => resolve({ error: m.error, read: m.read }));
      }
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage({ path, batch });
  });
}

/** How many idle readers are kept (for tests). @internal */
export function idleReaders(): number {
  return idle.length;
}
