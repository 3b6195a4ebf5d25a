/**
 * Streaming, summaries and filters against the whole-input parser on the project's captures.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { InetSocket, InetTableKind, ProcNetParseError, RowFilter } from '../../src/index.js';
import { gen, split } from '../support/chunks.js';
import { lib } from '../support/lib.js';
import { ROOT } from '../support/paths.js';

const CAPTURE = join(
  ROOT,
  'fixtures',
  readdirSync(join(ROOT, 'fixtures')).find((n) => n.startsWith('capture-') && !n.endsWith('-as-big-endian')) as string,
);
const KINDS: InetTableKind[] = ['tcp', 'tcp6', 'udp', 'udp6', 'udplite', 'udplite6', 'raw', 'raw6', 'icmp', 'icmp6'];
const bytesOf = (k: string) => readFileSync(join(CAPTURE, 'net', k));

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** A table with a damaged row, a blank line and a last row cut short (no final newline). */
function damaged(): Uint8Array {
  const text = bytesOf('tcp').toString('latin1').split('\n');
  text[3] = (text[3] as string).replace(' 0A ', ' ZZ ');
  text.splice(5, 0, '');
  return Buffer.from(`${text.join('\n').trimEnd()}\n${(text[2] as string).slice(0, 60)}`, 'latin1');
}

const errorsOf = (list: ProcNetParseError[]) => list.map((e) => [e.code, e.line, e.column, e.offset, e.field]);

describe('parseTableStream', () => {
  test.prop([fc.constantFrom(...KINDS), fc.array(fc.nat(), { maxLength: 40 })], { numRuns: 200 })(
    'gives the same sockets as parseTable for any chunking',
    async (kind, cuts) => {
      const bytes = bytesOf(kind);
      const rows = await collect(lib.parseTableStream(kind, gen(split(bytes, cuts))));
      expect(rows).toEqual(lib.parseTable(kind, bytes));
    },
  );

  test.prop([fc.array(fc.nat(), { maxLength: 40 })], { numRuns: 100 })(
    'reports the same errors at the same positions for any chunking',
    async (cuts) => {
      const bytes = damaged();
      const whole: ProcNetParseError[] = [];
      const streamed: ProcNetParseError[] = [];
      const a = lib.parseTable('tcp', bytes, { onInvalidRow: (e) => whole.push(e) });
      const b = await collect(
        lib.parseTableStream('tcp', gen(split(bytes, cuts)), { onInvalidRow: (e) => streamed.push(e) }),
      );
      expect(b).toEqual(a);
      expect(errorsOf(streamed)).toEqual(errorsOf(whole));
      expect(errorsOf(whole).map((e) => e[0])).toEqual(['BAD_HEX', 'TRUNCATED_ROW']);
    },
  );

  it('reads a Node Readable, a web ReadableStream and string chunks', async () => {
    const bytes = bytesOf('tcp6');
    const expected = lib.parseTable('tcp6', bytes);
    expect(await collect(lib.parseTableStream('tcp6', Readable.from(split(bytes, [100, 2000]))))).toEqual(expected);
    const web = new ReadableStream<Uint8Array>({
      start(c) {
        for (const chunk of split(bytes, [7, 500, 501])) c.enqueue(chunk);
        c.close();
      },
    });
    expect(await collect(lib.parseTableStream('tcp6', web))).toEqual(expected);
    expect(await collect(lib.parseTableStream('tcp6', Readable.from([bytes.toString('latin1')])))).toEqual(expected);
  });

  it('throws the first error in throw mode, as parseTable does', async () => {
    await expect(collect(lib.parseTableStream('tcp', gen([damaged()])))).rejects.toMatchObject({
      code: 'BAD_HEX',
      line: 4,
    });
    await expect(collect(lib.parseTableStream('tcp', gen([])))).rejects.toMatchObject({ code: 'MISSING_HEADER' });
  });
});

function expectedSummary(kind: InetTableKind, rows: InetSocket[]) {
  const byState: Record<string, number> = {};
  for (const r of rows) byState[r.state] = (byState[r.state] ?? 0) + 1;
  const tcp = rows.filter((r) => r.protocol === 'tcp');
  return {
    kind,
    sockets: rows.length,
    byState,
    byRecord: {
      socket: tcp.filter((r) => r.record === 'socket').length,
      timewait: tcp.filter((r) => r.record === 'timewait').length,
      request: tcp.filter((r) => r.record === 'request').length,
    },
    listeners: rows.filter((r) => (r.protocol === 'tcp' ? r.state === 'LISTEN' : r.state === 'unconnected')).length,
    rxQueue: {
      total: rows.reduce((a, r) => a + r.rxQueue, 0),
      nonZero: rows.filter((r) => r.rxQueue > 0).length,
      max: Math.max(0, ...rows.map((r) => r.rxQueue)),
    },
    txQueue: {
      total: rows.reduce((a, r) => a + r.txQueue, 0),
      nonZero: rows.filter((r) => r.txQueue > 0).length,
      max: Math.max(0, ...rows.map((r) => r.txQueue)),
    },
    drops: rows.reduce((a, r) => a + (r.protocol === 'tcp' ? 0 : (r.drops ?? 0)), 0),
    invalid: 0,
  };
}

describe('summarizeTable', () => {
  it('counts what parseTable would build, for every table of the capture', () => {
    for (const kind of KINDS) {
      const rows = lib.parseTable(kind, bytesOf(kind)) as InetSocket[];
      expect(lib.summarizeTable(kind, bytesOf(kind)), kind).toEqual(expectedSummary(kind, rows));
    }
    const tcp = lib.summarizeTable('tcp', bytesOf('tcp'));
    expect(tcp.byState.LISTEN).toBeGreaterThan(0);
    expect(tcp.byRecord.timewait).toBeGreaterThan(0);
    expect(lib.summarizeTable('udp', bytesOf('udp')).drops).toBeGreaterThan(100);
  });

  it('streams to the same summary, and counts bad rows like parseTable reports them', async () => {
    const bytes = damaged();
    const errors: ProcNetParseError[] = [];
    const whole = lib.summarizeTable('tcp', bytes, { onInvalidRow: (e) => errors.push(e) });
    expect(whole.invalid).toBe(2);
    expect(errors.map((e) => e.code)).toEqual(['BAD_HEX', 'TRUNCATED_ROW']);
    const rows = lib.parseTable('tcp', bytes, { onInvalidRow: 'skip' });
    expect({ ...whole, invalid: 0 }).toEqual(expectedSummary('tcp', rows));
    expect(await lib.summarizeTableStream('tcp', gen(split(bytes, [3, 999, 1500])), { onInvalidRow: 'skip' })).toEqual(
      whole,
    );
  });
});

const filterArb: fc.Arbitrary<RowFilter> = fc.record(
  {
    states: fc.subarray([
      'LISTEN',
      'ESTABLISHED',
      'TIME_WAIT',
      'SYN_RECV',
      'CLOSE_WAIT',
      'FIN_WAIT2',
      'connected',
      'unconnected',
    ] as const),
    ports: fc.array(fc.integer({ min: 40000, max: 40200 }), { maxLength: 5 }),
    localPorts: fc.array(fc.integer({ min: 40000, max: 40200 }), { maxLength: 5 }),
    remotePorts: fc.array(fc.integer({ min: 0, max: 40200 }), { maxLength: 3 }),
  },
  { requiredKeys: [] },
) as fc.Arbitrary<RowFilter>;

function matches(r: InetSocket, f: RowFilter): boolean {
  const lp = r.protocol === 'raw' ? r.ipProtocol : r.local.port;
  if (f.states && !(f.states as string[]).includes(r.state)) return false;
  if (f.localPorts && !f.localPorts.includes(lp)) return false;
  if (f.remotePorts && !f.remotePorts.includes(r.remote.port)) return false;
  if (f.ports && !f.ports.includes(lp) && !f.ports.includes(r.remote.port)) return false;
  return true;
}

describe('filters pushed into the parser', () => {
  test.prop([fc.constantFrom(...KINDS), filterArb], { numRuns: 300 })(
    'keep exactly the rows a filter over the full result keeps',
    (kind, filter) => {
      const all = lib.parseTable(kind, bytesOf(kind)) as InetSocket[];
      expect(lib.parseTable(kind, bytesOf(kind), { filter })).toEqual(all.filter((r) => matches(r, filter)));
      expect(lib.summarizeTable(kind, bytesOf(kind), { filter }).sockets).toBe(
        all.filter((r) => matches(r, filter)).length,
      );
    },
  );

  it('finds who listens on a port without building the other rows', () => {
    const rows = lib.parseTable('tcp', bytesOf('tcp'), { filter: { states: ['LISTEN'], localPorts: [40001] } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ state: 'LISTEN', local: { port: 40001 } });
  });
});
