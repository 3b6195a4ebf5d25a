/**
 * `writeSnapshot` as a library call (the command's `snapshot` is tested through the command in test/cli): the dump it
 * writes reads back with this namespace's sockets and their owners, and a folder it must not use is a SnapshotError
 * with nothing left behind.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAll, portOf, tcpListener } from '../support/live.js';
import { nodeLib } from '../support/node-lib.js';

const tmp = mkdtempSync(join(tmpdir(), 'procnet-write-snapshot-'));
const isRoot = process.geteuid?.() === 0;
let port = 0;

beforeAll(async () => {
  port = portOf(await tcpListener());
});
afterAll(async () => {
  await closeAll();
  rmSync(tmp, { recursive: true, force: true });
});

describe.skipIf(!isRoot)('writeSnapshot', () => {
  it('writes a dump that reads back with this namespace’s listener and its owner', async () => {
    const dir = join(tmp, 'snap');
    const r = await nodeLib.writeSnapshot(dir);
    expect(r.path).toBe(dir);
    expect(r.tables).toContain('tcp');
    expect(r.processes).toBeGreaterThan(0);
    expect(readdirSync(dir).sort()).toEqual(expect.arrayContaining(['env.json', 'fds.json', 'net']));
    const back = await nodeLib.readSockets({ root: dir, kinds: ['tcp'], processes: true });
    const mine = back.sockets.find((s) => s.state === 'LISTEN' && s.local.port === port);
    expect(mine?.owners?.map((o) => o.pid)).toContain(process.pid);
    expect(back.notes.map((n) => n.code)).not.toContain('DUMP_INCOMPLETE');
  });

  it('refuses a folder that is not empty, leaving nothing behind', async () => {
    const dir = join(tmp, 'full');
    mkdirSync(dir, { mode: 0o700 });
    writeFileSync(join(dir, 'x'), 'x');
    const before = readdirSync(tmp).sort();
    const e = await nodeLib.writeSnapshot(dir).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(nodeLib.SnapshotError);
    expect((e as Error).message).toContain('is not empty');
    expect(readdirSync(tmp).sort()).toEqual(before);
  });
});
