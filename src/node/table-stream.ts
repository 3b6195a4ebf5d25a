/**
 * One inet table read as a stream of rows, each handed over as soon as its batch of lines is parsed: a big live
 * table from a worker thread (the kernel's printing on the second core; the parse, and whatever the caller does with
 * each row, on this one), anything else in chunks (`fileChunks`; both checked and bounded by files.ts). Repeated rows are dropped before any row is
 * made (a small key per row is all that is kept), so memory stays nearly flat whatever the table's size.
 * @module
 */
import type { ParseOptions } from '../tables/options.js';
import { InetRepeats } from '../tables/repeats.js';
import { type ChunkSink, inetRowsFeed } from '../tables/table-feed.js';
import type { InetSocket, InetTableKind } from '../types.js';
import { type FileSpec, fileChunks, openFile } from './files.js';
import { IoFailure } from './io.js';
import { readInWorker } from './table-read-worker.js';
import { isWorkerMissing } from './worker-file.js';

/**
 * One table's chunks, as they are read. `worker` is the thread strategy: `true` reads in a worker thread (a big live
 * table: the kernel prints it on another core while this one parses), a {@link WorkerRead} already started gives its
 * batches, `false` reads here in chunks (`fileChunks`; both checked and bounded by files.ts). A worker that cannot run
 * falls back to reading here, unless chunks already went out or its module is missing. Returns `null`, or the
 * {@link IoFailure} of a table that could not be opened or read, or went past its limit (after the chunks before it).
 * Returning early stops the read (and the worker).
 */
export async function* tableChunks(
  file: FileSpec,
  worker: boolean | WorkerRead,
): AsyncGenerator<Uint8Array, IoFailure | null, undefined> {
  if (worker !== false) {
    const chunks = worker === true ? readInWorkerAhead(file) : worker;
    let any = false;
    try {
      for (;;) {
        const next = await chunks.next();
        if (next.done) return next.value ?? null;
        any = true;
        yield next.value;
      }
    } catch (e) {
      // The worker could not run (no threads, a resource limit): read without it, unless chunks already went out.
      if (any || !(e instanceof WorkerFailed) || isWorkerMissing(e.cause)) {
        throw e instanceof WorkerFailed ? e.cause : e;
      }
    } finally {
      await chunks.return(null);
    }
  }
  const opened = await openFile(file);
  if (opened instanceof IoFailure) return opened;
  return yield* fileChunks(opened);
}

/**
 * Reads one table a chunk at a time into `sink` (the parsing strategy: see tables/table-feed.ts), waiting for
 * `afterChunk` between chunks; `worker` as in {@link tableChunks}. Resolves `null`, or the {@link IoFailure} of a
 * table that could not be opened or read, or went past its limit (the chunks before have been pushed); rejects with
 * what `sink.push` threw. Does not call `sink.end()`.
 */
export async function pumpTable(
  file: FileSpec,
  sink: Pick<ChunkSink, 'push'>,
  worker: boolean | WorkerRead,
  afterChunk: () => Promise<void> | undefined = () => undefined,
): Promise<IoFailure | null> {
  const chunks = tableChunks(file, worker);
  try {
    for (;;) {
      const next = await chunks.next();
      if (next.done) return next.value;
      sink.push(next.value);
      const wait = afterChunk();
      if (wait !== undefined) await wait;
    }
  } catch (e) {
    await chunks.return(null);
    throw e;
  }
}

/**
 * {@link pumpTable} into a rows feed: each batch's rows are handed to `onRow` (a promise is waited for before the
 * next row) before the next batch is parsed, so a waiting `onRow` holds raw chunks, not rows.
 */
export async function streamTableRows(
  file: FileSpec,
  kind: InetTableKind,
  options: ParseOptions,
  onRow: (row: InetSocket) => Promise<void> | undefined,
  worker: boolean | WorkerRead,
): Promise<IoFailure | null> {
  const feed = inetRowsFeed(kind, options, new InetRepeats());
  const failed = await pumpTable(file, feed, worker, () => handOver(feed.take(), onRow));
  if (failed !== null) return failed;
  feed.end();
  await handOver(feed.take(), onRow);
  return null;
}

async function handOver(rows: InetSocket[], onRow: (row: InetSocket) => Promise<void> | undefined): Promise<void> {
  for (const row of rows) {
    const wait = onRow(row);
    if (wait !== undefined) await wait;
  }
}

/** The worker could not run; `cause` is why. */
class WorkerFailed extends Error {
  constructor(cause: unknown) {
    super('procnet: the table reader worker failed', { cause });
  }
}

/** A table being read in a worker, started by {@link readInWorkerAhead}: its batches, as they come. */
export type WorkerRead = AsyncGenerator<Uint8Array, IoFailure | null, undefined>;

/**
 * Starts reading `file` in a worker now, before its parse is asked for: the kernel can print a big table while
 * other work goes on (reading the other tables, starting the output). The batches are queued until they are
 * taken; the iterator ends with the read's {@link IoFailure} or `null`, and throws {@link WorkerFailed} when the
 * worker cannot run. Returning early (even before the first batch) stops the worker at its next batch.
 * `readHereFirst`: this thread reads (asynchronously) until the worker is ready (see `readInWorker`). A batch is only
 * valid until the next one is asked for (it may be in a slot of the worker's ring, which is then reused).
 */
export function readInWorkerAhead(file: FileSpec, readHereFirst = false): WorkerRead {
  /** Batches not yet taken, each with what frees its ring slot (`null`: a buffer of its own). */
  const queue: Array<{ chunk: Uint8Array; done: (() => void) | null }> = [];
  let wake: (() => void) | null = null;
  /** How the read ended, once it has (a holder: set from callbacks). */
  const state: { ended: { end: IoFailure | null } | { failed: unknown } | null; stopped: boolean } = {
    ended: null,
    stopped: false,
  };
  const settle = (ended: (typeof state)['ended']) => {
    state.ended = ended;
    wake?.();
  };
  /** Frees the slots of the batches never taken. */
  const drop = () => {
    for (const q of queue) q.done?.();
    queue.length = 0;
  };
  readInWorker(
    file,
    (chunk, done) => {
      // A throw here stops the worker: the rows are no longer wanted.
      if (state.stopped) throw new Error('procnet: the table stream was stopped');
      queue.push({ chunk, done });
      wake?.();
    },
    undefined,
    readHereFirst,
  ).then(
    (end) => settle({ end }),
    (failed: unknown) => settle({ failed }),
  );
  const batches = (async function* batches(): WorkerRead {
    try {
      for (;;) {
        let next = queue.shift();
        while (next !== undefined) {
          // The taker is done with a batch when it asks for the next one (or stops): its slot is free again then.
          try {
            yield next.chunk;
          } finally {
            next.done?.();
          }
          next = queue.shift();
        }
        const ended = state.ended;
        if (ended !== null) {
          if ('failed' in ended) throw new WorkerFailed(ended.failed);
          return ended.end;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = null;
      }
    } finally {
      state.stopped = true;
      drop();
    }
  })();
  // Returning before the first batch was asked for never enters the generator (its `finally` does not run): stop the
  // worker here too.
  const returnBatches = batches.return.bind(batches);
  batches.return = (value) => {
    state.stopped = true;
    drop();
    return returnBatches(value);
  };
  return batches;
}
