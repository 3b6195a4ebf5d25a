/**
 * Streaming: parse a table from byte chunks as they arrive, yielding sockets as each line completes.
 * Memory is bounded by one chunk plus one partial line, whatever the table's size.
 *
 * The iterator is written by hand rather than as an async generator: a generator costs a resumption and several
 * promises per row, which on a million rows was a third of the parse. Here a row already parsed is handed out
 * with one resolved promise; the source is only awaited when a chunk's rows are used up.
 * @module
 */
import type { InetSocket, InetTableKind, SocketByKind } from '../types.js';
import { InetLineLoop, rowSink } from './inet.js';
import type { ParseOptions } from './options.js';

/** Anything that yields chunks: a Node `Readable`, a web `ReadableStream`, an async generator. */
export type ChunkSource = AsyncIterable<Uint8Array | string> | ReadableStream<Uint8Array>;

const NL = 0x0a;
const encoder = /* @__PURE__ */ new TextEncoder();

/** A copy of `b[s, e)` that the source cannot change later (a Node `Buffer`'s `slice` is a view). */
function copyOf(b: Uint8Array, s: number, e: number): Uint8Array {
  const out = new Uint8Array(e - s);
  out.set(b.subarray(s, e), 0);
  return out;
}

/** Bytes kept of a line too long to keep: the 80 an error excerpt shows, and one to show that more follows. */
const HEAD = 81;

/**
 * Feeds a line loop from chunks: the complete lines of each chunk are handed over in place (no copy of the
 * chunk); only a line split across chunks is copied, joined, and fed on its own. Call `push` per chunk, then
 * `end` once.
 *
 * A split line is kept as its pieces and joined once, when its end arrives, so a line of any length costs time in
 * proportion to its length. A line longer than the loop's `maxLine` is not kept at all: its first bytes stand for
 * it in a `LINE_TOO_LONG` error, and the rest is skipped up to its newline.
 */
export class ChunkFeeder {
  private readonly loop: InetLineLoop;
  /** Copies of the pieces of the partial last line so far, and their total length. */
  private pieces: Uint8Array[] = [];
  private carried = 0;
  /** The partial line went past `maxLine` (its error is reported): bytes are dropped up to its newline. */
  private skipping = false;
  /** Offset in the whole input of the first byte not yet fed. */
  private base = 0;

  constructor(loop: InetLineLoop) {
    this.loop = loop;
  }

  push(chunk: Uint8Array): void {
    const n = chunk.length;
    if (n === 0) return;
    const first = chunk.indexOf(NL);
    if (first < 0) {
      this.carry(chunk, 0, n);
      return;
    }
    let from = 0;
    if (this.carried > 0 || this.skipping) {
      // The line that straddles the boundary: the pieces + this chunk up to its first newline.
      from = first + 1;
      if (this.skipping) {
        this.base += this.carried + from;
        this.pieces = [];
        this.carried = 0;
        this.skipping = false;
      } else {
        const line = this.join(chunk, from);
        this.loop.feed(line, line.length, this.base);
        this.base += line.length;
      }
    }
    const last = chunk.lastIndexOf(NL);
    if (from <= last) {
      const end = last + 1 - from;
      this.loop.feed(from === 0 ? chunk : chunk.subarray(from), end, this.base);
      this.base += end;
    }
    if (last + 1 < n) this.carry(chunk, last + 1, n);
  }

  /** Feeds the unterminated last line, if any, and ends the loop (an input with no line has no header). */
  end(): void {
    if (this.carried > 0 && !this.skipping) {
      const line = this.join(new Uint8Array(0), 0);
      this.loop.feed(line, line.length, this.base);
      this.base += line.length;
    }
    this.pieces = [];
    this.carried = 0;
    this.skipping = false;
    this.loop.end();
  }

  /** Keeps `chunk[s, e)` as the next piece of the partial line, or reports the line once it is too long. */
  private carry(chunk: Uint8Array, s: number, e: number): void {
    const len = e - s;
    if (!this.skipping && this.carried + len <= this.loop.maxLine) {
      this.pieces.push(copyOf(chunk, s, e));
      this.carried += len;
      return;
    }
    const total = this.carried + len;
    if (!this.skipping) {
      // Skipping from here on: the bytes count towards the line's length, nothing more is kept.
      const head = this.join(chunk.subarray(s), Math.min(len, HEAD)).subarray(0, HEAD);
      this.skipping = true;
      this.carried = total;
      this.loop.feedTooLong(head, this.base);
    }
    this.carried = total;
  }

  /** The pieces and `chunk[0, end)` as one line. */
  private join(chunk: Uint8Array, end: number): Uint8Array {
    const out = new Uint8Array(this.carried + end);
    let at = 0;
    for (const p of this.pieces) {
      out.set(p, at);
      at += p.length;
    }
    out.set(chunk.subarray(0, end), at);
    this.pieces = [];
    this.carried = 0;
    return out;
  }
}

/**
 * Chunks pulled from a source one at a time, as bytes. Stopping early releases the source the way `for await`
 * does when its body exits: an async iterable gets `return()` (a Node `Readable` is destroyed); a web
 * `ReadableStream` read through a reader gets its lock released.
 */
export class ChunkPuller {
  private readonly source: ChunkSource;
  private it: AsyncIterator<Uint8Array | string> | undefined;
  private reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  /** The source ended or failed: nothing to release any more. */
  private settled = false;

  constructor(source: ChunkSource) {
    this.source = source;
  }

  /** The next chunk, or `undefined` at the end of the source. */
  async next(): Promise<Uint8Array | undefined> {
    if (this.settled) return undefined;
    let step: IteratorResult<Uint8Array | string>;
    try {
      if (this.it === undefined && this.reader === undefined) this.open();
      step = this.it !== undefined ? await this.it.next() : await (this.reader as ReadableStreamDefaultReader).read();
    } catch (e) {
      // A source that failed is not returned (as with `for await`), but a reader's lock is released.
      this.settle();
      throw e;
    }
    if (step.done === true) {
      this.settle();
      return undefined;
    }
    const c = step.value;
    return typeof c === 'string' ? encoder.encode(c) : c;
  }

  /**
   * Releases the source before its end. Errors from the source's `return()` are thrown unless `quiet` (when the
   * stop is itself caused by an error, which wins).
   */
  async stop(quiet: boolean): Promise<void> {
    if (this.settled) return;
    const it = this.it;
    this.settle();
    if (it === undefined || typeof it.return !== 'function') return;
    if (!quiet) {
      await it.return();
      return;
    }
    try {
      await it.return();
    } catch {
      // the error that made us stop is the one to report
    }
  }

  private open(): void {
    const source = this.source;
    if (typeof (source as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
      this.it = (source as AsyncIterable<Uint8Array | string>)[Symbol.asyncIterator]();
    } else {
      this.reader = (source as ReadableStream<Uint8Array>).getReader();
    }
  }

  private settle(): void {
    this.settled = true;
    const reader = this.reader;
    this.reader = undefined;
    this.it = undefined;
    reader?.releaseLock();
  }
}

const NO_ERROR: unique symbol = Symbol('no error');

/** `%AsyncIteratorPrototype%`: gives the stream `Symbol.asyncDispose` wherever the engine defines it. */
const ASYNC_ITERATOR_PROTOTYPE: object = /* @__PURE__ */ Object.getPrototypeOf(
  /* @__PURE__ */ Object.getPrototypeOf(async function* () {}).prototype,
);

/**
 * The iterator `parseTableStream` returns: an `AsyncGenerator` in behaviour (calls are answered in order,
 * `return()` and `throw()` release the source, a finished stream stays finished), without generator machinery
 * on the per-row path.
 */
class RowStream<T> implements AsyncGenerator<T, void, undefined> {
  /**
   * Puts `%AsyncIteratorPrototype%` under the class's prototype, once, on the first stream made (at module load it
   * would be a side effect that keeps the stream in every bundle of the package).
   */
  static linked = false;

  private readonly kind: InetTableKind;
  private readonly options: ParseOptions | undefined;
  private readonly source: ChunkSource;
  private puller: ChunkPuller | undefined;
  private feeder: ChunkFeeder | undefined;
  /** Rows parsed and not yet handed out: `rows[at..]`. */
  private readonly rows: T[] = [];
  private at = 0;
  /** An error met while parsing, thrown once the rows before it have been handed out. */
  private error: unknown = NO_ERROR;
  private finished = false;
  /** Calls taken by {@link queue} and not yet finished: while there are any, later calls queue behind them. */
  private pending = 0;
  /** The last queued call's promise. */
  private tail: Promise<unknown> | undefined;

  constructor(kind: InetTableKind, source: ChunkSource, options: ParseOptions | undefined) {
    if (!RowStream.linked) {
      Object.setPrototypeOf(RowStream.prototype, ASYNC_ITERATOR_PROTOTYPE);
      RowStream.linked = true;
    }
    this.kind = kind;
    this.source = source;
    this.options = options;
  }

  next(): Promise<IteratorResult<T, void>> {
    if (this.pending === 0 && this.at < this.rows.length) {
      const value = this.rows[this.at++] as T;
      return Promise.resolve({ value, done: false });
    }
    return this.queue(() => this.pull());
  }

  return(value?: void | PromiseLike<void>): Promise<IteratorResult<T, void>> {
    return this.queue(async () => {
      await this.close(false);
      return { value: (await value) as undefined, done: true };
    });
  }

  throw(e: unknown): Promise<IteratorResult<T, void>> {
    return this.queue(async () => {
      await this.close(true);
      throw e;
    });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /**
   * Runs `op` after every queued call before it has finished. `pending` drops back to 0 before the last promise
   * settles, so the caller's next `next()` takes the fast path again.
   */
  private queue(op: () => Promise<IteratorResult<T, void>>): Promise<IteratorResult<T, void>> {
    const run = async (): Promise<IteratorResult<T, void>> => {
      try {
        return await op();
      } finally {
        this.pending--;
      }
    };
    const p = this.pending++ === 0 ? run() : (this.tail as Promise<unknown>).then(run, run);
    this.tail = p;
    return p;
  }

  /** The next row, reading chunks until one completes a row, the source ends, or parsing fails. */
  private async pull(): Promise<IteratorResult<T, void>> {
    for (;;) {
      if (this.at < this.rows.length) return { value: this.rows[this.at++] as T, done: false };
      if (this.error !== NO_ERROR) {
        const e = this.error;
        this.error = NO_ERROR;
        this.finished = true;
        throw e;
      }
      if (this.finished) return { value: undefined, done: true };
      this.rows.length = 0;
      this.at = 0;
      let chunk: Uint8Array | undefined;
      let puller = this.puller;
      try {
        puller ??= this.start();
        chunk = await puller.next();
      } catch (e) {
        this.finished = true;
        throw e;
      }
      try {
        if (chunk === undefined) {
          this.finished = true;
          (this.feeder as ChunkFeeder).end();
        } else {
          (this.feeder as ChunkFeeder).push(chunk);
        }
      } catch (e) {
        // Hand out the rows before the bad one first, then throw; the source is released now.
        this.error = e;
        this.finished = true;
        await puller.stop(true);
      }
    }
  }

  /** Set up on the first pull, as a generator's body would run: a bad kind or option rejects the first `next`. */
  private start(): ChunkPuller {
    const kind = this.kind;
    const options = this.options;
    const rows = this.rows as unknown as InetSocket[];
    const loop = new InetLineLoop(
      kind,
      options,
      rowSink(kind, options, (row) => rows.push(row)),
    );
    this.feeder = new ChunkFeeder(loop);
    this.puller = new ChunkPuller(this.source);
    return this.puller;
  }

  /** Ends the stream early: rows not yet handed out and a pending error are dropped. */
  private async close(quiet: boolean): Promise<void> {
    this.rows.length = 0;
    this.at = 0;
    this.error = NO_ERROR;
    if (this.finished) return;
    this.finished = true;
    await this.puller?.stop(quiet);
  }
}

/**
 * Parses a table from a stream of chunks, yielding each socket as soon as its line is complete. Lines split at
 * any chunk boundary are handled exactly; errors carry the same positions as with `parseTable`. In `'throw'`
 * mode every row before the bad one is yielded, then the error is thrown.
 *
 * Leaving the loop early (`break`, `return`, a throw in its body) releases the source: an async iterable is
 * returned (a Node `Readable` is destroyed), a web `ReadableStream` is cancelled by its own iterator, or, where
 * it has none, its reader's lock is released.
 *
 * ```ts
 * for await (const s of parseTableStream('tcp', createReadStream('dump/net/tcp'))) { ... }
 * ```
 */
export function parseTableStream<K extends InetTableKind>(
  kind: K,
  source: ChunkSource,
  options?: ParseOptions,
): AsyncGenerator<SocketByKind[K], void, undefined> {
  return new RowStream<SocketByKind[K]>(kind, source, options);
}
