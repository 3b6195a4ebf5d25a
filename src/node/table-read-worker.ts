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

/** The worker's code: the loop's own text (one copy of the code, no extra file to ship). */
function workerSource(): string {
  source ??= [
    "const { parentPort, workerData } = require('node:worker_threads');",
    `const readLoop = (${readLoop.toString()});`,
    "readLoop(require('node:fs'), workerData.path, workerData.batch, (m, t) => parentPort.postMessage(m, t));",
  ].join('\n');
  return source;
}

/**
 * Reads `path` in a worker, calling `onChunk` with each batch as it arrives (in order). Resolves with `null` at
 * the end of the file, or with the errno code of a failed open (`read` 0) or read (`read`: bytes before it).
 * A throw from `onChunk` stops the worker and rejects. Rejects too if the worker cannot run.
 */
export function readInWorker(
  path: string,
  onChunk: (chunk: Uint8Array) => void,
  batch = 256 * 1024,
): Promise<{ error: string; read: number } | null> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerSource(), { eval: true, workerData: { path, batch } });
    let settled = false;
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      f();
    };
    worker.on('message', (m: TableReadMessage) => {
      if (settled) return;
      if ('chunk' in m) {
        try {
          onChunk(m.chunk);
        } catch (e) {
          settle(() => reject(e));
        }
      } else if ('eof' in m) {
        settle(() => resolve(null));
      } else {
        settle(() => resolve({ error: m.error, read: m.read }));
      }
    });
    worker.once('error', (e) => settle(() => reject(e)));
    worker.once('exit', (code) =>
      settle(() => reject(new Error(`procnet: the table reader worker exited (${code}) before the end`))),
    );
  });
}
