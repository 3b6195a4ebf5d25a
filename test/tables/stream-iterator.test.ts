/**
 * The iterator `parseTableStream` returns: what happens to the source when a loop stops early, errors from
 * either side, calls made without waiting, and chunks whose memory the source reuses.
 */
import { createReadStream, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { ChunkSource, InetSocket, ProcNetParseError } from '../../src/index.js';
import { lib } from '../support/lib.js';
import { ROOT } from '../support/paths.js';

const CAPTURE = join(
  ROOT,
  'fixtures',
  readdirSync(join(ROOT, 'fixtures')).find((n) => n.startsWith('capture-') && !n.endsWith('-as-big-endian')) as string,
);
const TCP = join(CAPTURE, 'net', 'tcp');
const tcp = () => readFileSync(TCP);

/** `bytes` in chunks of `size` bytes. */
function chunked(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

/** An async iterable that records whether it was returned early or ran to its end. */
function tracked(chunks: Uint8Array[]) {
  const state = { returned: false, ended: false, pulled: 0 };
  const source = {
    [Symbol.asyncIterator]() {
      let i = 0;
      return {
        next: async (): Promise<IteratorResult<Uint8Array>> => {
          if (i < chunks.length) {
            state.pulled++;
            return { value: chunks[i++] as Uint8Array, done: false };
          }
          state.ended = true;
          return { value: undefined, done: true };
        },
        return: async (): Promise<IteratorResult<Uint8Array>> => {
          state.returned = true;
          return { value: undefined, done: true };
        },
      };
    },
  };
  return { source, state };
}

/** A table whose 4th line (the 3rd row) has a bad `st`. */
function badRow3(): Uint8Array {
  const lines = tcp().toString('latin1').split('\n');
  lines[3] = (lines[3] as string).replace(/ 0A /, ' ZZ ');
  return Buffer.from(lines.join('\n'), 'latin1');
}

describe('parseTableStream: leaving the loop early', () => {
  it('destroys a Node Readable (a file stream closes its descriptor)', async () => {
    const stream = createReadStream(TCP, { highWaterMark: 256 });
    let n = 0;
    for await (const _ of lib.parseTableStream('tcp', stream)) if (++n === 3) break;
    expect(n).toBe(3);
    expect(stream.destroyed).toBe(true);
  });

  it('returns an async iterable source, and only once', async () => {
    const { source, state } = tracked(chunked(tcp(), 300));
    const it = lib.parseTableStream('tcp', source);
    const first = await it.next();
    expect(first.done).toBe(false);
    expect(await it.return()).toEqual({ value: undefined, done: true });
    expect(state).toMatchObject({ returned: true, ended: false });
    expect(await it.next()).toEqual({ value: undefined, done: true });
    state.returned = false;
    await it.return();
    expect(state.returned).toBe(false);
  });

  it('leaves a source untouched when return() comes before the first next(), as a generator does', async () => {
    const { source, state } = tracked(chunked(tcp(), 300));
    const it = lib.parseTableStream('tcp', source);
    expect(await it.return()).toEqual({ value: undefined, done: true });
    expect(state).toEqual({ returned: false, ended: false, pulled: 0 });
    expect(await it.next()).toEqual({ value: undefined, done: true });
  });

  it('does not return a source that ran to its end', async () => {
    const { source, state } = tracked(chunked(tcp(), 300));
    const rows = [];
    for await (const r of lib.parseTableStream('tcp', source)) rows.push(r);
    expect(rows).toEqual(lib.parseTable('tcp', tcp()));
    expect(state).toMatchObject({ returned: false, ended: true });
  });

  it('cancels a web ReadableStream through its iterator', async () => {
    let cancelled = false;
    const web = new ReadableStream<Uint8Array>({
      start(c) {
        for (const chunk of chunked(tcp(), 500)) c.enqueue(chunk);
      },
      cancel() {
        cancelled = true;
      },
    });
    for await (const _ of lib.parseTableStream('tcp', web)) break;
    expect(cancelled).toBe(true);
  });

  it('releases the lock of a ReadableStream read through a reader (no async iterator), at the end or on break', async () => {
    const make = () =>
      new ReadableStream<Uint8Array>({
        start(c) {
          for (const chunk of chunked(tcp(), 500)) c.enqueue(chunk);
          c.close();
        },
      });
    // Only getReader: as in engines whose ReadableStream is not async-iterable.
    const readerOnly = (web: ReadableStream<Uint8Array>) =>
      ({ getReader: () => web.getReader() }) as unknown as ChunkSource;
    const a = make();
    const rows = [];
    for await (const r of lib.parseTableStream('tcp', readerOnly(a))) rows.push(r);
    expect(rows).toEqual(lib.parseTable('tcp', tcp()));
    expect(a.locked).toBe(false);
    const b = make();
    for await (const _ of lib.parseTableStream('tcp', readerOnly(b))) break;
    expect(b.locked).toBe(false);
  });

  it('returns the source when the loop body throws', async () => {
    const { source, state } = tracked(chunked(tcp(), 300));
    await expect(async () => {
      for await (const _ of lib.parseTableStream('tcp', source)) throw new Error('consumer failed');
    }).rejects.toThrow('consumer failed');
    expect(state.returned).toBe(true);
  });

  it('throw() releases the source and rejects with the given error', async () => {
    const { source, state } = tracked(chunked(tcp(), 300));
    const it = lib.parseTableStream('tcp', source);
    await it.next();
    const e = new Error('stop');
    await expect(it.throw(e)).rejects.toBe(e);
    expect(state.returned).toBe(true);
    expect(await it.next()).toEqual({ value: undefined, done: true });
  });
});

describe('parseTableStream: errors', () => {
  test.prop([fc.integer({ min: 1, max: 400 })], { numRuns: 60 })(
    'in throw mode hands out every row before the bad one, then throws, whatever the chunk size',
    async (size) => {
      const bytes = badRow3();
      const { source, state } = tracked(chunked(bytes, size));
      const rows: InetSocket[] = [];
      let error: unknown;
      try {
        for await (const r of lib.parseTableStream('tcp', source)) rows.push(r);
      } catch (e) {
        error = e;
      }
      expect(error).toMatchObject({ code: 'BAD_HEX', line: 4, field: 'st' });
      expect(rows).toEqual(lib.parseTable('tcp', bytes, { onInvalidRow: 'skip' }).slice(0, 2));
      // The source is released as soon as the error is met, not left open.
      expect(state.returned || state.ended).toBe(true);
    },
  );

  it('passes on an error of the source and does not return it', async () => {
    const { source, state } = tracked([]);
    const failing = {
      [Symbol.asyncIterator]() {
        const inner = source[Symbol.asyncIterator]();
        let calls = 0;
        return {
          next: async () => {
            if (++calls === 1) return { value: tcp().subarray(0, 400), done: false as const };
            throw new Error('disk on fire');
          },
          return: inner.return,
        };
      },
    };
    const rows = [];
    await expect(async () => {
      for await (const r of lib.parseTableStream('tcp', failing)) rows.push(r);
    }).rejects.toThrow('disk on fire');
    expect(rows.length).toBeGreaterThan(0);
    expect(state.returned).toBe(false);
  });

  it('rejects the first next() for an unknown kind, not the call (as a generator function does)', async () => {
    const it = lib.parseTableStream('bogus' as 'tcp', tracked([]).source);
    await expect(it.next()).rejects.toThrow(TypeError);
    expect(await it.next()).toEqual({ value: undefined, done: true });
  });

  it('reports each bad row once with its position when lenient, across a boundary inside the bad field', async () => {
    const bytes = badRow3();
    const at = Buffer.from(bytes).indexOf(' ZZ ') + 2;
    const errors: ProcNetParseError[] = [];
    const rows = [];
    const chunks = [bytes.subarray(0, at), bytes.subarray(at)];
    for await (const r of lib.parseTableStream('tcp', tracked(chunks).source, { onInvalidRow: (e) => errors.push(e) }))
      rows.push(r);
    expect(rows).toEqual(lib.parseTable('tcp', bytes, { onInvalidRow: 'skip' }));
    expect(errors.map((e) => [e.code, e.line, e.offset])).toEqual([['BAD_HEX', 4, at - 1]]);
  });
});

describe('parseTableStream: iterator protocol', () => {
  it('answers next() calls made without waiting, in order', async () => {
    const bytes = tcp();
    const expected = lib.parseTable('tcp', bytes);
    const it = lib.parseTableStream('tcp', tracked(chunked(bytes, 700)).source);
    const results = await Promise.all(Array.from({ length: expected.length + 2 }, () => it.next()));
    expect(results.slice(0, expected.length).map((r) => r.value)).toEqual(expected);
    expect(results.slice(expected.length)).toEqual([
      { value: undefined, done: true },
      { value: undefined, done: true },
    ]);
  });

  it('hands out a row already parsed within one microtask, call after call (no queueing per row)', async () => {
    const bytes = tcp();
    const it = lib.parseTableStream('tcp', tracked([bytes]).source);
    const rows = [(await it.next()).value]; // reads the only chunk: every row is now parsed
    const total = lib.parseTable('tcp', bytes).length;
    expect(total).toBeGreaterThan(3);
    for (let k = 1; k < total; k++) {
      let got = false;
      void it.next().then((r) => {
        rows.push(r.value);
        got = true;
      });
      let ticks = 0;
      while (!got && ticks < 10) {
        await Promise.resolve();
        ticks++;
      }
      expect(ticks).toBe(1);
    }
    expect(rows).toEqual(lib.parseTable('tcp', bytes));
  });

  it('is its own async iterator', () => {
    const it = lib.parseTableStream('tcp', tracked([]).source);
    expect(it[Symbol.asyncIterator]()).toBe(it);
  });

  it('copies a partial line, so a source that reuses its buffer gives the same rows', async () => {
    const bytes = tcp();
    const size = 333;
    const shared = Buffer.alloc(size);
    const reusing = {
      async *[Symbol.asyncIterator]() {
        for (let i = 0; i < bytes.length; i += size) {
          const n = Math.min(size, bytes.length - i);
          shared.set(bytes.subarray(i, i + n));
          yield shared.subarray(0, n);
          shared.fill(0x21); // the producer scribbles over its buffer once the chunk is consumed
        }
      },
    };
    const rows = [];
    for await (const r of lib.parseTableStream('tcp', reusing)) rows.push(r);
    expect(rows).toEqual(lib.parseTable('tcp', bytes));
  });

  it('reads one-byte chunks and a Node Readable of many small Buffers', async () => {
    const bytes = tcp().subarray(0, 2000);
    const cut = bytes.lastIndexOf(0x0a) + 1;
    const head = bytes.subarray(0, cut);
    const expected = lib.parseTable('tcp', head);
    const rows = [];
    for await (const r of lib.parseTableStream('tcp', tracked(chunked(head, 1)).source)) rows.push(r);
    expect(rows).toEqual(expected);
    const fromNode = [];
    for await (const r of lib.parseTableStream('tcp', Readable.from(chunked(head, 37)))) fromNode.push(r);
    expect(fromNode).toEqual(expected);
  });
});

describe('summarizeTableStream: releasing the source', () => {
  it('returns the source when a row fails in throw mode, and not when it ran to its end', async () => {
    const bad = tracked(chunked(badRow3(), 300));
    await expect(lib.summarizeTableStream('tcp', bad.source)).rejects.toMatchObject({ code: 'BAD_HEX' });
    expect(bad.state.returned).toBe(true);
    const good = tracked(chunked(tcp(), 300));
    expect((await lib.summarizeTableStream('tcp', good.source)).sockets).toBe(lib.parseTable('tcp', tcp()).length);
    expect(good.state).toMatchObject({ returned: false, ended: true });
  });
});
