/**
 * Summaries without materialising rows: counts by state, queue totals, listeners and drops in one pass over
 * the bytes. For an agent that polls every second and needs numbers, not objects.
 * @module
 */
import { decodeTcpState } from '../decode/tcp-state.js';
import { ProcNetParseError } from '../errors.js';
import { type TableInput, toBytes } from '../scan/bytes.js';
import { decSpan, hexSpan } from '../scan/tokens.js';
import type { InetTableKind } from '../types.js';
import { compileFilter } from './filter.js';
import { INET_TABLES, InetLineReader } from './inet.js';
import { InetLineLoop, type InetLineSink } from './inet-lines.js';
import { type ParseOptions, reportInvalid } from './options.js';
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

const DGRAM_STATE = (code: number) => (code === 1 ? 'connected' : code === 7 ? 'unconnected' : 'unknown');

/** The per-line counting: reads only `st`, the queues, `tr` and `drops`; no object per row. */
function summarySink(kind: InetTableKind, options: ParseOptions | undefined, sum: TableSummary): InetLineSink {
  const handler = options?.onInvalidRow ?? 'throw';
  const filter = compileFilter(kind, options?.filter);
  const tcp = INET_TABLES[kind].protocol === 'tcp';
  const states = sum.byState;
  const COLON = 0x3a;
  return (r) => {
    if (filter !== undefined && !r.accepts(filter)) return;
    const t = r.t;
    const b = r.buf;
    const n = t.count;
    let bad = n < 12 || (tcp ? n !== 12 && n < 17 : false);
    let st = -1;
    let tx = -1;
    let rx = -1;
    let tr = -1;
    if (!bad) {
      st = hexSpan(b, t.starts[3] as number, t.ends[3] as number);
      const qs = t.starts[4] as number;
      const qe = t.ends[4] as number;
      const tq = qs + 8;
      if (tq < qe && b[tq] === COLON) {
        tx = hexSpan(b, qs, tq);
        rx = hexSpan(b, tq + 1, qe);
      }
      const ts = t.starts[5] as number;
      tr = b[ts + 2] === COLON ? hexSpan(b, ts, ts + 2) : -1;
      bad = st < 0 || tx < 0 || rx < 0 || tr < 0;
      // A 12-field TCP row is only valid as TIME_WAIT or a request socket (as in the full parser).
      if (tcp && n === 12 && tr !== 3 && tr !== 1 && st !== 3 && st !== 5 && st !== 6) bad = true;
    }
    if (bad) {
      // Same verdict and error as the full parser: let it explain.
      try {
        r.row();
      } catch (e) {
        if (!(e instanceof ProcNetParseError)) throw e;
        sum.invalid++;
        reportInvalid(handler, r.unterminated ? r.truncated(e) : e);
        return;
      }
    }
    sum.sockets++;
    const name = tcp ? decodeTcpState(st) : DGRAM_STATE(st);
    states[name] = (states[name] ?? 0) + 1;
    if (tcp) {
      if (n >= 17) sum.byRecord.socket++;
      else if (tr === 3 || (tr !== 1 && (st === 6 || st === 5))) sum.byRecord.timewait++;
      else sum.byRecord.request++;
      if (st === 10) sum.listeners++;
    } else {
      if (st === 7) sum.listeners++;
      if (n > 12) {
        const d = decSpan(b, t.starts[12] as number, t.ends[12] as number);
        if (d > 0) sum.drops += d;
      }
    }
    const rq = sum.rxQueue;
    rq.total += rx;
    if (rx > 0) rq.nonZero++;
    if (rx > rq.max) rq.max = rx;
    const tq = sum.txQueue;
    tq.total += tx;
    if (tx > 0) tq.nonZero++;
    if (tx > tq.max) tq.max = tx;
  };
}

/**
 * Counts one table's sockets by state, with queue totals, listeners and drops, without building socket objects.
 * Accepts the same options as `parseTable` (`filter` included); bad rows go to `onInvalidRow` and are counted
 * in `invalid`.
 */
export function summarizeTable(kind: InetTableKind, input: TableInput, options?: ParseOptions): TableSummary {
  const bytes = toBytes(input);
  const sum = emptySummary(kind);
  const loop = new InetLineLoop(
    new InetLineReader(bytes, kind, options),
    options?.onInvalidRow ?? 'throw',
    summarySink(kind, options, sum),
  );
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
  const loop = new InetLineLoop(
    new InetLineReader(new Uint8Array(0), kind, options),
    options?.onInvalidRow ?? 'throw',
    summarySink(kind, options, sum),
  );
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
