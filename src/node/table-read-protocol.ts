/**
 * What the main thread and the table-read worker (workers/table-read.ts) tell each other.
 * @module
 */

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

/** Handoff flag values (see {@link Handoff}). */
export const READY = 1;
export const YOURS = 2;
export const ALL_READ = 3;

/** One read asked of the worker: an fd the main thread opened (and closes), its batch size and limit. */
export interface TableReadJob {
  fd: number;
  batch: number;
  limit: number;
  handoff: Handoff | undefined;
}
