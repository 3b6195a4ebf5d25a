/**
 * What the main thread and the table-read worker (workers/table-read.ts) tell each other.
 * @module
 */

/**
 * What the worker posts: a batch of bytes (in a {@link Ring} slot, or in a buffer of its own that moves when every slot
 * is taken), the end, the errno of a failed read, or `tooLarge` when the file went past its limit (the bytes past it are
 * not posted).
 */
export type TableReadMessage =
  | { readonly chunk: Uint8Array }
  | { readonly slot: number; readonly length: number }
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

/** Handoff flag values (see {@link Handoff}). */
export const READY = 1;
export const YOURS = 2;
export const ALL_READ = 3;

/**
 * Shared buffers the worker reads batches into, so a table's bytes need no new buffer per batch (a 15 MB table was 60
 * buffers per read, garbage until the next collection: tens of MB of a polling agent's memory). Slot `i` is bytes
 * `[i * n, (i + 1) * n)` of `data` (n: its length over the slots' count); `taken[i]` is 1 from the worker's post of it until the main thread is done
 * with its bytes and stores 0. The worker never waits for a slot: when every slot is taken (or a batch is bigger than a
 * slot) it reads into a buffer of its own, as without a ring.
 */
export interface Ring {
  readonly data: SharedArrayBuffer;
  readonly taken: Int32Array;
}

/** Slots of a {@link Ring}. */
export const RING_SLOTS = 8;

/** One read asked of the worker: an fd the main thread opened (and closes), its batch size and limit. */
export interface TableReadJob {
  fd: number;
  batch: number;
  limit: number;
  handoff: Handoff | undefined;
  ring: Ring;
}
