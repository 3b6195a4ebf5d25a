/**
 * Reading a big live table in a worker thread while the main thread parses it. The kernel prints
 * `/proc/net/tcp` about a page per `read()`, and printing 100k sockets costs it as much time as parsing them
 * costs us; a worker reads (kernel time on the second core) and hands over batches of bytes, which the main thread
 * parses as they arrive, so the two overlap instead of adding up.
 * @module
 */
import { read } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { closeFile, type FileSpec, type OpenFile, openFile, tooLargeFailure } from './files.js';
import { IoFailure } from './io.js';
import {
  ALL_READ,
  type Handoff,
  READY,
  RING_SLOTS,
  type Ring,
  type TableReadJob,
  type TableReadMessage,
  YOURS,
} from './table-read-protocol.js';
import { workerFile } from './worker-file.js';

/**
 * Idle readers kept for the next read: a monitoring agent reads the same tables every few seconds, and starting a
 * worker (a new isolate) costs tens of milliseconds, as much as parsing 20,000 rows. An idle worker is unref'd: it
 * never keeps the process alive.
 */
const idle: Worker[] = [];

/** Bytes per batch a worker posts (and per slot of its ring). */
const BATCH = 256 * 1024;
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

/** Each worker's {@link Ring}, made with it and used by every read it does. */
const rings = new WeakMap<Worker, Ring>();

function newWorker(): Worker {
  const w = new Worker(workerFile('table-read'));
  rings.set(w, {
    data: new SharedArrayBuffer(RING_SLOTS * BATCH),
    taken: new Int32Array(new SharedArrayBuffer(4 * RING_SLOTS)),
  });
  w.on('exit', forget);
  w.on('error', () => {});
  return w;
}

/**
 * Reads `file` in a worker, calling `onChunk` with each batch as it arrives (in order). A batch in a slot of the
 * worker's {@link Ring} comes with `done`, to be called once its bytes are no longer needed (the slot is then free for
 * the worker again; until then the worker reads into buffers of its own); a batch in a buffer of its own comes with
 * `null`. The file is opened and checked
 * here (files.ts: a regular file, and for a dump inside it), and read to at most its limit. Resolves with `null` at the
 * end of the file, or with the {@link IoFailure} of a failed open or read, or of a file over its limit. A throw from
 * `onChunk` stops the worker and rejects. Rejects too if the worker cannot run. Workers are reused from read to read
 * (at most two kept idle).
 *
 * `readHereFirst`: this thread starts the read itself until the worker is ready to take over (starting a worker
 * takes tens of milliseconds, in which the kernel would otherwise print nothing), then hands the open file over.
 * This thread's reads are asynchronous (the kernel prints on libuv's thread pool): the event loop never blocks, and
 * the first batches can be parsed while the worker starts.
 */
export async function readInWorker(
  spec: FileSpec,
  onChunk: (chunk: Uint8Array, done: (() => void) | null) => void,
  batch = BATCH,
  readHereFirst = false,
): Promise<IoFailure | null> {
  const file = await openFile(spec);
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
    /** What the file's close waits for besides the worker: this thread's reads, when it reads first. */
    let closeAfter: Promise<unknown> = Promise.resolve();
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
      const close = () => closeAfter.then(() => closeFile(file));
      if (keep) {
        release(worker);
        void close();
      } else {
        worker.terminate().then(close, close);
      }
      f();
    };
    const onError = (e: Error) => settle(false, () => reject(e));
    const onExit = (code: number) =>
      settle(false, () => reject(new Error(`procnet: the table reader worker exited (${code}) before the end`)));
    const onMessage = (m: TableReadMessage) => {
      if ('slot' in m) {
        const taken = ring.taken;
        const slot = m.slot;
        const done = () => {
          Atomics.store(taken, slot, 0);
        };
        if (settled) done();
        else {
          try {
            onChunk(new Uint8Array(ring.data, slot * slotBytes, m.length), done);
          } catch (e) {
            done();
            settle(false, () => reject(e));
          }
        }
        return;
      }
      if (settled) return;
      if ('chunk' in m) {
        try {
          onChunk(m.chunk, null);
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
    const ring = rings.get(worker) as Ring;
    const slotBytes = ring.data.byteLength / ring.taken.length;
    worker.postMessage({ fd: file.fd, batch, limit: spec.limit, handoff, ring } satisfies TableReadJob);
    if (handoff !== undefined) {
      // The file is closed only once this thread's reads are over (a read in flight must not find its fd number
      // given to another file): `here` holds the close back.
      const here = readUntilTakenOver(file, handoff, batch, onChunk, () => settled);
      closeAfter = here;
      void here.then((ended) => {
        // This thread read to the end (or failed, or onChunk threw) before the worker was ready: the worker is not
        // needed, and is stopped rather than kept (its own "end" message must not reach a later read).
        if (ended === null) return;
        if ('thrown' in ended) settle(false, () => reject(ended.thrown));
        else settle(false, () => resolve(ended.failure));
      });
    }
  });
}

/**
 * This thread's part of a handed-over read: asynchronous reads of a quarter of `batch`, so the worker, once ready,
 * waits at most one of them. Stops when `stopped()` (the read was settled elsewhere: the worker failed). Resolves
 * `null` when the worker took over (with the count of bytes read so far in `h.read`); else the worker is told the
 * read is over, and this resolves the end of the file (`failure` null), the failure of a read or of the limit, or
 * what `onChunk` threw. Never rejects.
 */
async function readUntilTakenOver(
  file: OpenFile,
  h: Handoff,
  batch: number,
  onChunk: (chunk: Uint8Array, done: null) => void,
  stopped: () => boolean,
): Promise<{ failure: IoFailure | null } | { thrown: unknown } | null> {
  const limit = file.spec.limit;
  let total = 0;
  const over = () => {
    if (Atomics.compareExchange(h.flag, 0, 0, ALL_READ) === READY) {
      Atomics.store(h.flag, 0, ALL_READ);
      Atomics.notify(h.flag, 0);
    }
  };
  for (;;) {
    if (stopped()) {
      over();
      return { failure: null };
    }
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
        const n = await readAt(file.fd, buf, len);
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
      if (len > 0 && !stopped()) onChunk(len === size ? buf : buf.slice(0, len), null);
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

/** One asynchronous `read` into `buf` from `offset`, at the file's position: the count of bytes read. */
function readAt(fd: number, buf: Uint8Array, offset: number): Promise<number> {
  return new Promise((resolve, reject) => {
    read(fd, buf, offset, buf.length - offset, null, (e, n) => (e === null ? resolve(n) : reject(e)));
  });
}

/** How many idle readers are kept (for tests). @internal */
export function idleReaders(): number {
  return idle.length;
}
