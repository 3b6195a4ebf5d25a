/**
 * Writing to stdout in batches with backpressure, and a closed pipe (`procnet … | head`) as a normal way to stop:
 * the write that meets EPIPE throws {@link PipeClosed}, which the command turns into exit code 0 without a message.
 * @module
 */

/** The reader went away (EPIPE, or the stream was destroyed): stop producing output. */
export class PipeClosed extends Error {
  override readonly name = 'PipeClosed';
  constructor() {
    super('output closed');
  }
}

export const isPipeClosed = (e: unknown): e is PipeClosed => e instanceof PipeClosed;

/** Text is handed to the stream in pieces of about this size: one system call per piece, not per row. */
const BATCH = 16 * 1024;

/** A batching writer over a stream. Call {@link Output.flush} at the end of every listing. */
export class Output {
  readonly #stream: NodeJS.WritableStream;
  #pending = '';
  #closed = false;
  #error: Error | null = null;

  constructor(stream: NodeJS.WritableStream) {
    this.#stream = stream;
    stream.on('error', (e: NodeJS.ErrnoException) => {
      this.#closed = true;
      if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_DESTROYED') this.#error = e;
    });
    stream.on('close', () => {
      this.#closed = true;
    });
  }

  /** True once the reader has gone. */
  get closed(): boolean {
    return this.#closed;
  }

  #check(): void {
    if (this.#error !== null) throw this.#error;
    if (this.#closed) throw new PipeClosed();
  }

  /** Queues text; hands a full batch to the stream (waiting for `drain` if it asks). Throws {@link PipeClosed}. */
  async write(text: string): Promise<void> {
    this.#check();
    this.#pending += text;
    if (this.#pending.length >= BATCH) await this.#push();
  }

  /**
   * {@link Output.write} without a promise per call: queues text and returns a promise only when a full batch
   * must be handed to the stream (await it then). For the many lines of one listing.
   */
  append(text: string): Promise<void> | undefined {
    this.#check();
    this.#pending += text;
    return this.#pending.length >= BATCH ? this.#push() : undefined;
  }

  /** Hands everything queued to the stream and waits until the stream has taken it (or the reader has gone). */
  async flush(): Promise<void> {
    this.#check();
    await this.#push();
  }

  /**
   * Hands bytes (lines already rendered as bytes) to the stream after the text queued before them, waiting as
   * {@link Output.flush} does. Throws {@link PipeClosed}.
   */
  writeBytes(bytes: Uint8Array): Promise<void> {
    this.#check();
    const text = this.#pending;
    this.#pending = '';
    if (text !== '') this.#stream.write(text);
    return this.#send(bytes);
  }

  async #push(): Promise<void> {
    const text = this.#pending;
    this.#pending = '';
    if (text !== '') await this.#send(text);
  }

  async #send(chunk: string | Uint8Array): Promise<void> {
    if (!this.#stream.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          this.#stream.off('drain', done);
          this.#stream.off('close', done);
          this.#stream.off('error', done);
          resolve();
        };
        this.#stream.on('drain', done);
        this.#stream.on('close', done);
        this.#stream.on('error', done);
      });
    }
    // An EPIPE is reported on a later tick; give it the chance to arrive before the next batch.
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.#check();
  }
}
