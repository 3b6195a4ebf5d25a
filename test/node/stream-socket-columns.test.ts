/**
 * `streamSocketColumns`: the batches' rows, in order, are `readSockets`' rows (without `namespace` and `owners` on the
 * columns, which the batch carries), with the same notes, errors and repeats dropped: on the fixture dumps (both byte
 * orders), on a hostile table read leniently and strictly, and live in namespaces this test creates, with a small
 * table read here and in a worker, and a table big enough (by sockstat) for `'auto'` to read it in a worker.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ReadSocketsResult,
  SocketColumnsEnd,
  SocketColumnsEvent,
  StreamSocketColumnsOptions,
} from '../../src/node/index.js';
import { streamSocketColumnsWith } from '../../src/node/stream-socket-columns.js';
import { CAN_UNSHARE, type Load, startLoad } from '../cli/helpers.js';
import { closeAll, startSocketsInNetNamespace } from '../support/live.js';
import { nodeLib } from '../support/node-lib.js';
import { CORPUS, ROOT } from '../support/paths.js';

const tmp = mkdtempSync(join(tmpdir(), 'procnet-stream-columns-'));
afterAll(async () => {
  await closeAll();
  rmSync(tmp, { recursive: true, force: true });
});

interface Streamed {
  rows: unknown[];
  batches: number;
  end: SocketColumnsEnd;
}

/** Reads a whole stream: the batches' rows as `readSockets` tags them, how many batches, and the end. */
async function collect(events: AsyncIterable<SocketColumnsEvent>): Promise<Streamed> {
  const rows: unknown[] = [];
  let batches = 0;
  let end: SocketColumnsEnd | undefined;
  for await (const e of events) {
    expect(end).toBeUndefined(); // the end comes last
    if ('end' in e) {
      end = e;
      continue;
    }
    expect(e.columns.length).toBeGreaterThan(0); // no empty batch
    batches++;
    for (let i = 0; i < e.columns.length; i++) rows.push({ ...e.columns.row(i), namespace: e.namespace, owners: null });
  }
  if (end === undefined) throw new Error('the stream gave no end');
  return { rows, batches, end };
}

const stream = (options: StreamSocketColumnsOptions) => collect(nodeLib.streamSocketColumns(options));

/** The stream and readSockets agree: rows, notes, errors, repeats and the read's facts. */
function expectSame(streamed: Streamed, rows: ReadSocketsResult): void {
  const { end } = streamed;
  expect(streamed.rows).toEqual(rows.sockets);
  expect(end.notes).toEqual(rows.notes);
  expect(end.errors.map((e) => e.message)).toEqual(rows.errors.map((e) => e.message));
  expect(end.duplicatesDropped).toBe(rows.duplicatesDropped);
  expect([end.byteOrder, end.byteOrderSource, end.userHz, end.source]).toEqual([
    rows.byteOrder,
    rows.byteOrderSource,
    rows.userHz,
    rows.source,
  ]);
}

describe('streamSocketColumns on dumps', () => {
  for (const name of [
    'capture-2026-11-linux-6.18.44-fc-v782-x86_64',
    'capture-2026-11-linux-6.18.44-fc-v782-x86_64-as-big-endian',
  ]) {
    it(`gives readSockets' rows, table by table (${name})`, async () => {
      const root = join(ROOT, 'fixtures', name);
      const rows = await nodeLib.readSockets({ root });
      expect(rows.sockets.length).toBeGreaterThan(50);
      expectSame(await stream({ root }), rows);
    });
  }

  it('skips and reports the same bad rows leniently, and throws the same error strictly', async () => {
    const root = join(tmp, 'hostile');
    mkdirSync(join(root, 'net'), { recursive: true });
    writeFileSync(join(root, 'net/tcp'), readFileSync(`${CORPUS}treadmill/proc.net.tcp.data`));
    const options = { root, kinds: ['tcp' as const], byteOrder: 'little' as const };
    const seen: string[] = [];
    const rows = await nodeLib.readSockets({ ...options, onInvalidRow: 'skip' });
    const streamed = await stream({ ...options, onInvalidRow: (e) => void seen.push(e.message) });
    expect(rows.errors.length).toBeGreaterThan(0);
    expectSame(streamed, rows);
    expect(seen).toEqual(rows.errors.map((e) => e.message));
    const strict = await nodeLib.readSockets(options).catch((e: Error) => e.message);
    expect(strict).toMatch(/tcp/);
    await expect(stream(options)).rejects.toThrow(strict as string);
  });

  it("applies each inet kind's row filter as it parses: readSockets' rows that the filter keeps", async () => {
    for (const name of [
      'capture-2026-11-linux-6.18.44-fc-v782-x86_64',
      'capture-2026-11-linux-6.18.44-fc-v782-x86_64-as-big-endian',
    ]) {
      const root = join(ROOT, 'fixtures', name);
      const rows = await nodeLib.readSockets({ root });
      const keep = (s: ReadSocketsResult['sockets'][number]) =>
        (s.kind !== 'tcp' || s.state === 'LISTEN') && (s.kind !== 'udp' || s.local.port === 53);
      const kept = rows.sockets.filter(keep);
      // The filter must drop rows of both kinds, and keep some, for this to show anything.
      expect(rows.sockets.filter((s) => s.kind === 'tcp' && !keep(s)).length).toBeGreaterThan(0);
      expect(kept.filter((s) => s.kind === 'tcp').length).toBeGreaterThan(0);
      const filter = { tcp: { states: ['LISTEN' as const] }, udp: { localPorts: [53] } };
      expectSame(await stream({ root, filter }), { ...rows, sockets: kept });
    }
  });

  it('says a missing table in a note, and rejects a root that is not there', async () => {
    const root = join(tmp, 'only-tcp');
    mkdirSync(join(root, 'net'), { recursive: true });
    writeFileSync(
      join(root, 'net/tcp'),
      readFileSync(join(ROOT, 'fixtures', 'capture-2026-11-linux-6.18.44-fc-v782-x86_64', 'net', 'tcp')),
    );
    const rows = await nodeLib.readSockets({ root, kinds: ['tcp', 'udplite'] });
    expect(rows.notes.map((n) => n.code)).toContain('TABLE_MISSING');
    expectSame(await stream({ root, kinds: ['tcp', 'udplite'] }), rows);
    await expect(stream({ root: join(tmp, 'none') })).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(stream({ root, kinds: ['tpc' as 'tcp'] })).rejects.toThrow(/unknown table kind/);
  });
});

describe.skipIf(!CAN_UNSHARE)('streamSocketColumns live, in namespaces of its own (unshare -n)', () => {
  let child: ChildProcess;

  beforeAll(async () => {
    child = await startSocketsInNetNamespace('procnet-stream-columns-test');
  });

  it("gives readSockets' rows, with the tables read here and in a worker", async () => {
    const pid = child.pid as number;
    const rows = await nodeLib.readSockets({ pid });
    expect(rows.sockets.filter((s) => s.kind === 'tcp' || s.kind === 'tcp6')).toHaveLength(2 * 41);
    expect(rows.sockets[0]?.namespace).toMatch(/^\d+$/);
    expectSame(await stream({ pid }), rows);
    for (const table of [true, false]) {
      expectSame(await collect(streamSocketColumnsWith({ pid }, { scan: 'auto', table })), rows);
    }
  });

  it('stops reading when the caller stops', async () => {
    const pid = child.pid as number;
    const events = nodeLib.streamSocketColumns({ pid, kinds: ['tcp', 'tcp6'] });
    const first = await events.next();
    expect(first.done).toBe(false);
    expect(first.value).toMatchObject({ kind: 'tcp' });
    await events.return(undefined);
    expect(await events.next()).toEqual({ done: true, value: undefined });
  });
});

describe.skipIf(!CAN_UNSHARE)('streamSocketColumns on a live table big enough for a worker', () => {
  const CONNECTIONS = 11_000;
  let load: Load | undefined;
  let pid = 0;

  beforeAll(async () => {
    // 22 000+ tcp rows: over the 20 000 (by sockstat) at which 'auto' reads a table in a worker.
    load = await startLoad(CONNECTIONS);
    pid = load.pid;
  }, 90_000);

  afterAll(() => load?.stop());

  it("gives readSockets' rows in several batches", async () => {
    const rows = await nodeLib.readSockets({ pid, kinds: ['tcp'] });
    expect(rows.sockets.length).toBeGreaterThanOrEqual(2 * CONNECTIONS);
    const streamed = await stream({ pid, kinds: ['tcp'] });
    expect(streamed.batches).toBeGreaterThan(1);
    // Two reads of a live table agree on which sockets there are; counters such as refcount move between them.
    const who = (list: readonly unknown[]) =>
      list.map((r) => {
        const { kind, local, remote, state, inode, uid, namespace } = r as Record<string, unknown>;
        return { kind, local, remote, state, inode, uid, namespace };
      });
    expect(who(streamed.rows)).toEqual(who(rows.sockets));
    expect(streamed.end.errors).toEqual([]);
    expect(streamed.end.notes).toEqual(rows.notes);
  }, 60_000);
});
