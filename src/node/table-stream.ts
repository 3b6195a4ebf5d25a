/**
 * One inet table read as a stream of rows, each handed over as soon as its batch of lines is parsed: a big live
 * table from a worker thread (the kernel's printing on the second core; the parse, and whatever the caller does with
 * each row, on this one), anything else in chunks (`fileChunks`; both checked and bounded by files.ts). Repeated rows are dropped before any row is
 * made (a small key per row is all that is kept), so memory stays nearly flat whatever the table's size.
 * @module
 */
import { type DecodedLine, InetLineLoop, lineSink } from '../tables/inet.js';
import type { ParseOptions } from '../tables/options.js';
import { ChunkFeeder } from '../tables/stream.js';
import type { InetSocket, InetTableKind } from '../types.js';
import { DecodedRepeats } from './dedupe.js';
import { type FileSpec, fileChunks, openFile } from './files.js';
import { IoFailure } from './io.js';
import { readInWorker } from './table-read-worker.js';
import { isWorkerMissing } from './worker-file.js';

/**
 * What a streamed table is handed: each decoded line that is not a repeat (valid during the call), and the end of
 * each batch of lines (a promise is waited for before the next batch is parsed: an output's backpressure).
 */
export interface LineConsumer {
  line(line: DecodedLine): void;
  batchEnd(): Promise<void> | undefined;
}

/**
 * Streams the decoded lines of one inet table to `consumer`, dropping rows the read repeated (as `readSockets`
 * does). `worker`: read in a worker thread (a live table); a worker that cannot run falls back to the plain
 * stream. Resolves `null`, or the {@link IoFailure} of a table that could not be opened or read, or went past its
 * limit (the lines before have been handed over). Bad rows go to `options.onInvalidRow` (thrown in `'throw'` mode).
 * `repeats` counts the rows dropped.
 */
export async function streamTableLines(
  file: FileSpec,
  kind: InetTableKind,
  options: ParseOptions,
  consumer: LineConsumer,
  worker: boolean | WorkerRead,
  repeats = new DecodedRepeats(),
): Promise<IoFailure | null> {
  if (worker !== false) {
    const fed = { any: false };
    try {
      return await feedLines(worker === true ? readInWorkerAhead(file) : worker, kind, options, consumer, repeats, fed);
    } catch (e) {
      // The worker could not run (no threads, a resource limit): read without it, unless lines already went out.
      if (fed.any || !(e instanceof WorkerFailed) || isWorkerMissing(e.cause)) {
        throw e instanceof WorkerFailed ? e.cause : e;
      }
    }
  }
  const opened = await openFile(file);
  if (opened instanceof IoFailure) return opened;
  return await feedLines(fileChunks(opened), kind, options, consumer, repeats, { any: false });
}

/**
 * {@link streamTableLines} as rows (`parseTable`'s objects): each batch's rows are handed to `onRow` (a promise is
 * waited for before the next row) before the next batch is parsed, so a waiting `onRow` holds raw chunks, not rows.
 */
export function streamTableRows(
  file: FileSpec,
  kind: InetTableKind,
  options: ParseOptions,
  onRow: (row: InetSocket) => Promise<void> | undefined,
  worker: boolean | WorkerRead,
): Promise<IoFailure | null> {
  let batch: InetSocket[] = [];
  const consumer: LineConsumer = {
    line: (line) => {
      batch.push(line.row());
    },
    batchEnd: () => {
      const rows = batch;
      batch = [];
      return handOver(rows, onRow);
    },
  };
  return streamTableLines(file, kind, options, consumer, worker);
}

async function handOver(rows: InetSocket[], onRow: (row: InetSocket) => Promise<void> | undefined): Promise<void> {
  for (const row of rows) {
    const wait = onRow(row);
    if (wait !== undefined) await wait;
  }
}

/** Parses the chunks one at a time, ending the consumer's batch after each. */
async function feedLines(
  chunks: AsyncIterator<Uint8Array, IoFailure | null | undefined>,
  kind: InetTableKind,
  options: ParseOptions,
  consumer: LineConsumer,
  repeats: DecodedRepeats,
  fed: { any: boolean },
): Promise<IoFailure | null> {
  const loop = new InetLineLoop(
    kind,
    options,
    lineSink(kind, options, (line) => {
      if (repeats.first(line)) consumer.line(line);
    }),
  );
  const feeder = new ChunkFeeder(loop);
  const batchEnd = async () => {
    const wait = consumer.batchEnd();
    if (wait !== undefined) await wait;
  };
  try {
    for (;;) {
      const next = await chunks.next();
      if (next.done) {
        if (next.value) return next.value;
        break;
      }
      fed.any = true;
      feeder.push(next.value);
      await batchEnd();
    }
  } catch (e) {
    await chunks.return?.();
    throw e;
  }
  feeder.end();
  await batchEnd();
  return null;
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
 * worker cannot run. Returning early stops the worker at its next batch. `readHereFirst`: this thread reads,
 * blocking, until the worker is ready (see `readInWorker`): for a command line only.
 */
export function readInWorkerAhead(file: FileSpec, readHereFirst = false): WorkerRead {
  const queue: Uint8Array[] = [];
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
  readInWorker(
    file,
    (chunk) => {
      // A throw here stops the worker: the rows are no longer wanted.
      if (state.stopped) throw new Error('procnet: the table stream was stopped');
      queue.push(chunk);
      wake?.();
    },
    undefined,
    readHereFirst,
  ).then(
    (end) => settle({ end }),
    (failed: unknown) => settle({ failed }),
  );
  return (async function* batches(): WorkerRead {
    try {
      for (;;) {
        let chunk = queue.shift();
        while (chunk !== undefined) {
          yield chunk;
          chunk = queue.shift();
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
    }
  })();
}
