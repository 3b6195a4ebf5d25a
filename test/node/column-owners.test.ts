/**
 * The owners of a columnar read (`processes: true`): `readSocketColumns`' `owners` map and the stream's end event give
 * each socket the owners `readSockets` puts on its row, from the same scan: on the fixture dumps' `fds.json` (both byte
 * orders), on a dump without one (the same `FDS_MISSING` note), and live in a namespace this test creates, with the
 * descriptor scan run here and in a worker.
 */
import type { ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driveAsync } from '../../src/node/drive.js';
import type { ReadSocketsResult, SocketColumnsEnd, SocketColumnsEvent, SocketOwner } from '../../src/node/index.js';
import { readSocketColumnsPlan } from '../../src/node/read-socket-columns.js';
import { streamSocketColumnsWith } from '../../src/node/stream-socket-columns.js';
import { closeAll, startSocketsInNetNamespace } from '../support/live.js';
import { nodeLib } from '../support/node-lib.js';
import { ROOT } from '../support/paths.js';

const tmp = mkdtempSync(join(tmpdir(), 'procnet-column-owners-'));
afterAll(async () => {
  await closeAll();
  rmSync(tmp, { recursive: true, force: true });
});

interface OwnedColumns {
  owners: ReadonlyMap<string, readonly SocketOwner[]> | null;
  processes: ReadSocketsResult['processes'];
  notes: ReadSocketsResult['notes'];
  /** Each socket's inode (decimal text), in table order. */
  inodes: string[];
}

/** What a stream's end and batches say of owners. */
async function streamed(events: AsyncIterable<SocketColumnsEvent>): Promise<OwnedColumns> {
  const inodes: string[] = [];
  let end: SocketColumnsEnd | undefined;
  for await (const e of events) {
    if ('end' in e) end = e;
    else for (let i = 0; i < e.columns.length; i++) inodes.push(e.columns.row(i).inode);
  }
  if (end === undefined) throw new Error('the stream gave no end');
  return { owners: end.owners, processes: end.processes, notes: end.notes, inodes };
}

function ofRead(r: {
  tables: Array<{ columns: { length: number; row(i: number): { inode: string } } }>;
  owners: OwnedColumns['owners'];
  processes: OwnedColumns['processes'];
  notes: OwnedColumns['notes'];
}): OwnedColumns {
  const inodes: string[] = [];
  for (const t of r.tables) for (let i = 0; i < t.columns.length; i++) inodes.push(t.columns.row(i).inode);
  return { owners: r.owners, processes: r.processes, notes: r.notes, inodes };
}

/** The columnar read gives every row `readSockets` gives the owners readSockets put on it. */
function expectSameOwners(columns: OwnedColumns, rows: ReadSocketsResult): void {
  expect(columns.inodes).toEqual(rows.sockets.map((s) => s.inode));
  expect(columns.processes).toEqual(rows.processes);
  expect(columns.notes.map((n) => n.code)).toEqual(rows.notes.map((n) => n.code));
  const map = columns.owners;
  if (map === null) throw new Error('no owners map');
  for (const s of rows.sockets) expect(map.get(s.inode) ?? [], `inode ${s.inode}`).toEqual(s.owners);
}

describe('columnar owners on dumps (fds.json)', () => {
  for (const name of [
    'capture-2026-11-linux-6.18.44-fc-v782-x86_64',
    'capture-2026-11-linux-6.18.44-fc-v782-x86_64-as-big-endian',
  ]) {
    it(`maps each socket to readSockets' owners (${name})`, async () => {
      const root = join(ROOT, 'fixtures', name);
      const rows = await nodeLib.readSockets({ root, processes: true });
      const owned = rows.sockets.filter((s) => (s.owners?.length ?? 0) > 0);
      expect(owned.length).toBeGreaterThan(10);
      expect(rows.processes?.source).toBe('fds.json');
      expectSameOwners(ofRead(await nodeLib.readSocketColumns({ root, processes: true })), rows);
      expectSameOwners(ofRead(nodeLib.readSocketColumnsSync({ root, processes: true })), rows);
      expectSameOwners(await streamed(nodeLib.streamSocketColumns({ root, processes: true })), rows);
    });
  }

  it('says FDS_MISSING and gives no map for a dump without fds.json, as readSockets does', async () => {
    const root = join(tmp, 'no-fds');
    cpSync(join(ROOT, 'fixtures', 'capture-2026-11-linux-6.18.44-fc-v782-x86_64', 'net'), join(root, 'net'), {
      recursive: true,
    });
    const rows = await nodeLib.readSockets({ root, processes: true });
    expect(rows.notes.map((n) => n.code)).toContain('FDS_MISSING');
    for (const r of [
      ofRead(await nodeLib.readSocketColumns({ root, processes: true })),
      await streamed(nodeLib.streamSocketColumns({ root, processes: true })),
    ]) {
      expect(r.owners).toBeNull();
      expect(r.processes).toBeNull();
      expect(r.notes).toEqual(rows.notes);
    }
  });

  it('gives no map and no scan without processes: true', async () => {
    const root = join(ROOT, 'fixtures', 'capture-2026-11-linux-6.18.44-fc-v782-x86_64');
    const r = await nodeLib.readSocketColumns({ root });
    expect([r.owners, r.processes]).toEqual([null, null]);
  });
});

describe('columnar owners live, in a namespace of its own (unshare -n)', () => {
  let child: ChildProcess;

  beforeAll(async () => {
    child = await startSocketsInNetNamespace('procnet-column-owners-test');
  });

  it("maps the namespace's sockets to readSockets' owners, with the scan here and in a worker", async () => {
    const pid = child.pid as number;
    const rows = await nodeLib.readSockets({ pid, processes: true });
    // The child holds its listeners and both ends of its connections.
    const held = rows.sockets.filter((s) => s.owners?.some((o) => o.pid === pid));
    expect(held.length).toBeGreaterThanOrEqual(2 * 41);
    expectSameOwners(ofRead(await nodeLib.readSocketColumns({ pid, processes: true })), rows);
    expectSameOwners(ofRead(nodeLib.readSocketColumnsSync({ pid, processes: true })), rows);
    for (const scan of [true, false]) {
      const threads = { scan, table: 'auto' as const };
      expectSameOwners(ofRead(await driveAsync(readSocketColumnsPlan({ pid, processes: true }, threads), 32)), rows);
      expectSameOwners(await streamed(streamSocketColumnsWith({ pid, processes: true }, threads)), rows);
    }
  });
});
