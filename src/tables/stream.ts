/**
 * Streaming: parse a table from byte chunks as they arrive, yielding sockets as each line completes.
 * Memory is bounded by one chunk plus one partial line, whatever the table's size.
 * @module
 */
import type { InetSocket, InetTableKind, SocketByKind } from '../types.js';
import { InetLineReader } from './inet.js';
import { InetLineLoop, type InetLineSink, rowSink } from './inet-lines.js';
import type { ParseOptions } from './options.js';

/** Anything that yields chunks: a Node `Readable`, a web `ReadableStream`, an async generator. */
export type ChunkSource = AsyncIterable<Uint8Array | string> | ReadableStream<Uint8Array>;

const encoder = /* @__PURE__ */ new TextEncoder();

async function* chunksOf(source: ChunkSource): AsyncGenerator<Uint8Array> {
  if (typeof (source as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    for await (const c of source as AsyncIterable<Uint8Array | string>) {
      yield typeof c === 'string' ? encoder.encode(c) : c;
    }
    return;
  }
  const reader = (source as ReadableStream<Uint8Array>).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/**
 * Feeds a line loop from chunks: each batch of complete lines is handed over at once; the partial last line is
 * carried into the next chunk. Calls `flush` after every batch so the caller can yield what the sink collected.
 */
export async function* feedChunks(
  source: ChunkSource,
  loop: InetLineLoop,
  flush: () => Iterable<unknown> | undefined,
): AsyncGenerator<unknown> {
  let carry: Uint8Array | undefined;
  let base = 0;
  for await (const chunk of chunksOf(source)) {
    if (chunk.length === 0) continue;
    const last = chunk.lastIndexOf(0x0a);
    if (last < 0) {
      carry = carry === undefined ? chunk.slice() : concat(carry, chunk, chunk.length);
      continue;
    }
    const bytes = carry === undefined ? chunk : concat(carry, chunk, chunk.length);
    const end = (carry?.length ?? 0) + last + 1;
    loop.feed(bytes, end, base);
    base += end;
    carry = end < bytes.length ? bytes.slice(end) : undefined;
    const out = flush();
    if (out) yield* out;
  }
  if (carry !== undefined) {
    loop.feed(carry, carry.length, base);
    const out = flush();
    if (out) yield* out;
  }
  loop.end();
}

function concat(a: Uint8Array, b: Uint8Array, bLen: number): Uint8Array {
  const out = new Uint8Array(a.length + bLen);
  out.set(a, 0);
  out.set(b.subarray(0, bLen), a.length);
  return out;
}

/**
 * Parses a table from a stream of chunks, yielding each socket as soon as its line is complete. Lines split at
 * any chunk boundary are handled exactly; errors carry the same positions as with `parseTable`.
 *
 * ```ts
 * for await (const s of parseTableStream('tcp', createReadStream('dump/net/tcp'))) { ... }
 * ```
 */
export async function* parseTableStream<K extends InetTableKind>(
  kind: K,
  source: ChunkSource,
  options?: ParseOptions,
): AsyncGenerator<SocketByKind[K], void, undefined> {
  const r = new InetLineReader(new Uint8Array(0), kind, options);
  let batch: InetSocket[] = [];
  const sink: InetLineSink = rowSink(kind, options, (row) => batch.push(row));
  const loop = new InetLineLoop(r, options?.onInvalidRow ?? 'throw', sink);
  yield* feedChunks(source, loop, () => {
    const out = batch;
    batch = [];
    return out;
  }) as AsyncGenerator<SocketByKind[K]>;
}
