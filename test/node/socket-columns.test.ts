/**
 * `readSocketColumns`: the tables as columns, read along `readSockets`' path. Each table's `row(i)` is the row
 * `readSockets` gives (without `namespace` and `owners`), with the same notes, errors and repeats dropped: on the
 * fixture dumps (both byte orders), on a hostile table read leniently, and live in a namespace this test creates,
 * with the tables read whole and in a worker.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driveAsync } from '../../src/node/drive.js';
import type { ReadSocketColumnsResult, ReadSocketsResult } from '../../src/node/index.js';
import { readSocketColumnsPlan } from '../../src/node/read-socket-columns.js';
import { closeAll, startSocketsInNetNamespace } from '../support/live.js';
import { nodeLib } from '../support/node-lib.js';
import { CORPUS, ROOT } from '../support/paths.js';

const FIXTURE = join(ROOT, 'fixtures', 'capture-2026-11-linux-6.18.44-fc-v782-x86_64');
const tmp = mkdtempSync(join(tmpdir(), 'procnet-columns-'));
afterAll(async () => {
  await closeAll();
  rmSync(tmp, { recursive: true, force: true });
});

/** The rows of a columnar read, table by table, as `readSockets` gives them (with the namespace it tags). */
function rowsOf(r: ReadSocketColumnsResult): unknown[] {
  const out: unknown[] = [];
  for (const t of r.tables) {
    for (let i = 0; i < t.columns.length; i++) out.push({ ...t.columns.row(i), namespace: t.namespace, owners: null });
  }
  return out;
}

/** The two results agree: rows, notes, errors, repeats and the read's facts. */
function expectSame(columns: ReadSocketColumnsResult, rows: ReadSocketsResult): void {
  expect(rowsOf(columns)).toEqual(rows.sockets);
  expect(columns.notes).toEqual(rows.notes);
  expect(columns.errors.map((e) => e.message)).toEqual(rows.errors.map((e) => e.message));
  expect(columns.duplicatesDropped).toBe(rows.duplicatesDropped);
  expect([columns.byteOrder, columns.byteOrderSource, columns.userHz, columns.source]).toEqual([
    rows.byteOrder,
    rows.byteOrderSource,
    rows.userHz,
    rows.source,
  ]);
}

describe('readSocketColumns on dumps', () => {
  for (const name of [
    'capture-2026-11-linux-6.18.44-fc-v782-x86_64',
    'capture-2026-11-linux-6.18.44-fc-v782-x86_64-as-big-endian',
  ]) {
    it(`gives readSockets' rows as row(i), every table (${name})`, async () => {
      const root = join(ROOT, 'fixtures', name);
      const rows = await nodeLib.readSockets({ root });
      const columns = await nodeLib.readSocketColumns({ root });
      expect(columns.tables.map((t) => t.kind)).toEqual([...new Set(rows.sockets.map((s) => s.kind))]);
      expect(rows.sockets.length).toBeGreaterThan(50);
      expectSame(columns, rows);
      expect(rowsOf(nodeLib.readSocketColumnsSync({ root }))).toEqual(rowsOf(columns));
      // Typed columns, not rows: a tcp table's states are a typed array.
      const tcp = columns.tables.find((t) => t.kind === 'tcp');
      expect(tcp?.columns.stateCode).toBeInstanceOf(Uint8Array);
    });
  }

  it('skips and reports the same bad rows leniently, and throws the same error strictly', async () => {
    const root = join(tmp, 'hostile');
    mkdirSync(join(root, 'net'), { recursive: true });
    writeFileSync(join(root, 'net/tcp'), readFileSync(`${CORPUS}treadmill/proc.net.tcp.data`));
    const options = { root, kinds: ['tcp' as const], byteOrder: 'little' as const };
    const rows = await nodeLib.readSockets({ ...options, onInvalidRow: 'skip' });
    const columns = await nodeLib.readSocketColumns({ ...options, onInvalidRow: 'skip' });
    expect(rows.errors.length).toBeGreaterThan(0);
    expectSame(columns, rows);
    const strict = await nodeLib.readSockets(options).catch((e: Error) => e.message);
    await expect(nodeLib.readSocketColumns(options)).rejects.toThrow(strict as string);
  });

  it('drops the repeats a read printed, as readSockets does', async () => {
    const root = join(tmp, 'repeats');
    mkdirSync(join(root, 'net'), { recursive: true });
    const lines = readFileSync(
      join(ROOT, 'fixtures', 'capture-2026-11-linux-6.18.44-fc-v782-x86_64', 'net', 'tcp'),
      'latin1',
    )
      .split('\n')
      .filter((l) => l !== '');
    writeFileSync(join(root, 'net/tcp'), `${[...lines, ...lines.slice(1, 4)].join('\n')}\n`);
    const rows = await nodeLib.readSockets({ root, kinds: ['tcp'], byteOrder: 'little' });
    const columns = await nodeLib.readSocketColumns({ root, kinds: ['tcp'], byteOrder: 'little' });
    expect(rows.duplicatesDropped).toBe(3);
    expectSame(columns, rows);
  });

  it('says a missing table in a note, as readSockets does', async () => {
    const root = join(tmp, 'only-tcp');
    mkdirSync(join(root, 'net'), { recursive: true });
    writeFileSync(join(root, 'net/tcp'), readFileSync(join(FIXTURE, 'net', 'tcp')));
    const rows = await nodeLib.readSockets({ root, kinds: ['tcp', 'udplite'] });
    expect(rows.notes.map((n) => n.code)).toContain('TABLE_MISSING');
    expectSame(await nodeLib.readSocketColumns({ root, kinds: ['tcp', 'udplite'] }), rows);
    await expect(nodeLib.readSocketColumns({ root: join(tmp, 'none') })).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('readSocketColumns live, in a namespace of its own (unshare -n)', () => {
  let child: ChildProcess;

  beforeAll(async () => {
    // Listeners, connections (both ends), UDP and a unix listener in a fresh namespace: nothing else moves there.
    child = await startSocketsInNetNamespace('procnet-columns-test');
  });

  it("gives readSockets' rows, with the tables read whole and in a worker", async () => {
    const pid = child.pid as number;
    const rows = await nodeLib.readSockets({ pid });
    expect(rows.sockets.filter((s) => s.kind === 'tcp' || s.kind === 'tcp6')).toHaveLength(2 * 41);
    expect(rows.sockets[0]?.namespace).toMatch(/^\d+$/);
    expectSame(await nodeLib.readSocketColumns({ pid }), rows);
    expectSame(nodeLib.readSocketColumnsSync({ pid }), rows);
    for (const table of [true, false]) {
      const columns = await driveAsync(readSocketColumnsPlan({ pid }, { scan: 'auto', table }), 32);
      expectSame(columns, rows);
    }
  });
});
