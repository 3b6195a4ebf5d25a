/**
 * The table-read worker: reads an open table file a batch at a time and posts each batch (the buffer moves, no copy),
 * so the kernel's printing of a big live table runs on another core while the main thread parses (see
 * table-read-worker.ts, which starts it and keeps it for the next read). Never imported: only run as a worker.
 * @module
 */
import * as fs from 'node:fs';
import { parentPort } from 'node:worker_threads';
import {
  ALL_READ,
  type Handoff,
  READY,
  type Ring,
  type TableReadJob,
  type TableReadMessage,
} from '../table-read-protocol.js';

/**
 * The worker's loop: read the open `fd` (from where the other thread stopped, when handed over) a page at a time,
 * post a batch every `batch` bytes (in the next free slot of `ring`, else in a buffer that moves, no copy), and stop
 * once more than `limit` bytes were read. The fd is not closed here: the thread that opened it closes it when the read
 * is over.
 */
function readLoop(
  fd: number,
  batch: number,
  limit: number,
  post: (m: TableReadMessage, transfer?: ArrayBuffer[]) => void,
  handoff: Handoff | undefined,
  ring: Ring,
): void {
  const slots = ring.taken.length;
  const slotBytes = ring.data.byteLength / slots;
  let next = 0;
  let total = 0;
  if (handoff !== undefined) {
    const f = handoff.flag;
    if (Atomics.compareExchange(f, 0, 0, READY) === 0) Atomics.wait(f, 0, READY);
    if (Atomics.load(f, 0) === ALL_READ) {
      post({ eof: true });
      return;
    }
    total = handoff.read[0] as number;
  }
  try {
    for (;;) {
      // At most one byte past the limit: that byte is how a file over it shows.
      const size = Math.min(batch, limit + 1 - total);
      // The first free slot from `next` on (a consumer may hold a slot past its turn, or forget it).
      let slot = -1;
      for (let k = 0; k < slots && slot < 0 && size <= slotBytes; k++) {
        const s = (next + k) % slots;
        if (Atomics.load(ring.taken, s) === 0) slot = s;
      }
      const buf = slot < 0 ? new Uint8Array(new ArrayBuffer(size)) : new Uint8Array(ring.data, slot * slotBytes, size);
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
      if (len > 0 && slot >= 0) {
        Atomics.store(ring.taken, slot, 1);
        next = (slot + 1) % slots;
        post({ slot, length: len });
      } else if (len > 0) {
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

const port = parentPort;
if (port !== null) {
  port.on('message', (job: TableReadJob) =>
    readLoop(job.fd, job.batch, job.limit, (m, t) => port.postMessage(m, t), job.handoff, job.ring),
  );
}
