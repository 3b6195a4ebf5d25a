/**
 * An inet table fed in chunks, as they are read (or whole, as one chunk): the one way procnet/node turns a table's
 * bytes into rows or columns. The same line loop, checks, filter and `onInvalidRow` as `parseTable`,
 * and, when asked, the read's repeats dropped before anything is made ({@link InetRepeats}).
 * @module
 */
import type { InetColumns } from '../column-types.js';
import type { InetSocket, InetTableKind } from '../types.js';
import { decodedSink, InetLineLoop, rowOf } from './inet.js';
import { InetColumnBuilder } from './inet-columns.js';
import type { InetLineDecoder } from './inet-decode.js';
import type { ParseOptions } from './options.js';
import type { InetRepeats } from './repeats.js';
import { ChunkFeeder } from './stream.js';

/** Takes a table's bytes a chunk at a time (any split), then `end()` once. Parse errors throw as from `parseTable`. */
export interface ChunkSink {
  push(chunk: Uint8Array): void;
  end(): void;
}

/** A {@link ChunkSink} whose accepted lines are collected; `take()` gives those since the last `take()`. */
export interface InetFeed<T> extends ChunkSink {
  take(): T;
}

/** The line loop of one table, each accepted line that is not a repeat handed to `accept`. */
function feeder(
  kind: InetTableKind,
  options: ParseOptions | undefined,
  repeats: InetRepeats | null,
  accept: (r: InetLineDecoder, fast: boolean) => void,
): { feeder: ChunkFeeder; loop: InetLineLoop } {
  const keep = repeats === null ? accept : (r: InetLineDecoder, fast: boolean) => repeats.first(r) && accept(r, fast);
  const loop = new InetLineLoop(kind, options, decodedSink(kind, options, keep));
  return { feeder: new ChunkFeeder(loop), loop };
}

/** An inet table as rows (`parseTable`'s objects). */
export function inetRowsFeed(
  kind: InetTableKind,
  options: ParseOptions | undefined,
  repeats: InetRepeats | null,
): InetFeed<InetSocket[]> {
  let rows: InetSocket[] = [];
  const { feeder: f } = feeder(kind, options, repeats, (r) => {
    rows.push(rowOf(r));
  });
  return {
    push: (chunk) => f.push(chunk),
    end: () => f.end(),
    take() {
      const out = rows;
      rows = [];
      return out;
    },
  };
}

/** An inet table as columns (`parseColumns`' columns); `expectedRows` sizes the first batch. */
export function inetColumnsFeed(
  kind: InetTableKind,
  options: ParseOptions | undefined,
  repeats: InetRepeats | null,
  expectedRows = 1024,
): InetFeed<InetColumns> {
  let builder: InetColumnBuilder | undefined;
  const { feeder: f, loop } = feeder(kind, options, repeats, (r, fast) =>
    (builder as InetColumnBuilder).accept(r, fast),
  );
  builder = new InetColumnBuilder(loop.r, expectedRows);
  return {
    push: (chunk) => f.push(chunk),
    end: () => f.end(),
    take() {
      const out = (builder as InetColumnBuilder).finish();
      builder = new InetColumnBuilder(loop.r, Math.max(16, out.length));
      return out;
    },
  };
}
