/**
 * Summaries without materialising rows: counts by state, queue totals, listeners and drops in one pass over
 * the bytes. For an agent that polls every second and needs numbers, not objects.
 * @module
 */
import { decodeDatagramState, decodeTcpState, tcpMiniRecord } from '../decode/tcp-state.js';
import { type TableInput, toBytes } from '../scan/bytes.js';
import type { InetTableKind } from '../types.js';
import { decodedSink, INET_TABLES, InetLineLoop, type InetLineSink } from './inet.js';
import type { InetLineDecoder } from './inet-decode.js';
import type { ParseOptions } from './options.js';
import { ChunkFeeder, ChunkPuller, type ChunkSource } from './stream.js';

/** Totals of one table. */
export interface TableSummary {
  kind: InetTableKind;
  /** Rows counted (after the filter). */
  sockets: number;
  /** Rows by state: TCP state names, or `connected` / `unconnected` / `unknown` for datagram tables. */
  byState: Record<string, number>;
  /** TCP rows by record kind: full sockets, TIME_WAIT mini-sockets, request sockets. */
  byRecord: { socket: number; timewait: number; request: number };
  /** TCP LISTEN sockets, or unconnected (bound) datagram sockets. */
  listeners: number;
  /** Sum of `rx_queue` (Recv-Q) and the number of rows where it is non-zero. */
  rxQueue: { total: number; nonZero: number; max: number };
  /** Sum of `tx_queue` (Send-Q) and the number of rows where it is non-zero. */
  txQueue: { total: number; nonZero: number; max: number };
  /** Sum of `drops` (datagram tables; 0 for TCP). */
  drops: number;
  /** Rows that did not parse (reported to `onInvalidRow`, like `parseTable`). */
  invalid: number;
}

function emptySummary(kind: InetTableKind): TableSummary {
  return {
    kind,
    sockets: 0,
    byState: {},
    byRecord: { socket: 0, timewait: 0, request: 0 },
    listeners: 0,
    rxQueue: { total: 0, nonZero: 0, max: 0 },
    txQueue: { total: 0, nonZero: 0, max: 0 },
    drops: 0,
    invalid: 0,
  };
}

/** The per-line counting: the row is decoded (and checked) as `parseTable` does, but no object is made. */
function summarySink(kind: InetTableKind, options: ParseOptions | undefined, sum: TableSummary): InetLineSink {
  const tcp = INET_TABLES[kind].protocol === 'tcp';
  const states = sum.byState;
  const byRecord = sum.byRecord;
  const rq = sum.rxQueue;
  const tq = sum.txQueue;
  const accept = (r: InetLineDecoder): void => {
    const d = r.d;
    const st = d.st;
    sum.sockets++;
    const name = tcp ? decodeTcpState(st) : decodeDatagramState(st);
    states[name] = (states[name] ?? 0) + 1;
    if (tcp) {
      if (d.fields >= 17) byRecord.socket++;
      else if (tcpMiniRecord(d.tr, st) === 'timewait') byRecord.timewait++;
      else byRecord.request++;
      if (st === 10) sum.listeners++;
    } else {
      if (st === 7) sum.listeners++;
      if (d.fields > 12 && d.drops > 0) sum.drops += d.drops;
    }
    const rx = d.rx;
    rq.total += rx;
    if (rx > 0) rq.nonZero++;
    if (rx > rq.max) rq.max = rx;
    const tx = d.tx;
    tq.total += tx;
    if (tx > 0) tq.nonZero++;
    if (tx > tq.max) tq.max = tx;
  };
  return decodedSink(kind, options, accept, () => {
    sum.invalid++;
  });
}

/**
 * Counts one table's sockets by state, with queue totals, listeners and drops, without building socket objects.
 * Accepts the same options as `parseTable` (`filter` included); bad rows go to `onInvalidRow` and are counted
 * in `invalid`.
 */
export function summarizeTable(kind: InetTableKind, input: TableInput, options?: ParseOptions): TableSummary {
  const bytes = toBytes(input);
  const sum = emptySummary(kind);
  const loop = new InetLineLoop(kind, options, summarySink(kind, options, sum));
  loop.feed(bytes, bytes.length, 0);
  loop.end();
  return sum;
}

/** {@link summarizeTable} over a stream of chunks, in bounded memory. */
export async function summarizeTableStream(
  kind: InetTableKind,
  source: ChunkSource,
  options?: ParseOptions,
): Promise<TableSummary> {
  const sum = emptySummary(kind);
  const loop = new InetLineLoop(kind, options, summarySink(kind, options, sum));
  const feeder = new ChunkFeeder(loop);
  const chunks = new ChunkPuller(source);
  try {
    for (let c = await chunks.next(); c !== undefined; c = await chunks.next()) feeder.push(c);
    feeder.end();
  } catch (e) {
    await chunks.stop(true); // a parse error releases the source; a failed source has nothing to release
    throw e;
  }
  return sum;
}
