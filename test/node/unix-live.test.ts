/**
 * Live unix sockets: the test's own listener is found with its path and owner; a row forged through a socket
 * name is marked by the parser, and the live reader adds 'no-owner' only when its scan saw every process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UnixSocket } from '../../src/index.js';
import { attachOwners, newAccumulator } from '../../src/node/assemble.js';
import type { FoundSocket, ReadSocketsResult } from '../../src/node/index.js';
import { closeAll, fdOf } from '../support/live.js';
import { nodeLib } from '../support/node-lib.js';
import { ownersByRow } from '../support/row-owners.js';

const dir = mkdtempSync(join(tmpdir(), 'pn u-'));
const path = join(dir, 'with space.sock');
const FORGED_INODE = '987654321';
// A name with a newline and, after it, text shaped like a row of /proc/net/unix.
const forgedPath = join(dir, `f\n0000000000000000: 00000002 00000000 00010000 0001 01 ${FORGED_INODE} @x`);
const servers: Server[] = [];

async function listen(p: string): Promise<Server> {
  const s = createServer();
  await new Promise<void>((resolve, reject) => {
    s.once('error', reject);
    s.listen(p, resolve);
  });
  servers.push(s);
  return s;
}

beforeAll(async () => {
  await listen(path);
  await listen(forgedPath);
});

afterAll(async () => {
  for (const s of servers) s.close();
  await closeAll();
  rmSync(dir, { recursive: true, force: true });
});

const unixRows = (r: ReadSocketsResult<'unix'>) => r.sockets as Array<FoundSocket<'unix'>>;

describe('unix sockets (live)', () => {
  it('finds the listener with its exact path, and this process with its fd as owner', async () => {
    const r = await nodeLib.readSockets({ kinds: ['unix'], processes: true });
    const row = unixRows(r).find((s) => s.path === path);
    expect(row).toMatchObject({ kind: 'unix', listening: true, type: 'stream', abstract: false, suspicious: [] });
    expect(row?.owners).toEqual([expect.objectContaining({ pid: process.pid, fd: fdOf(servers[0] as Server) })]);
  });

  it('keeps the forged row marked, with no owner; adds no-owner only after a complete scan', async () => {
    const r = await nodeLib.readSockets({ kinds: ['unix'], processes: true });
    // The parser cannot tell the forged line from a row: the real socket's path ends at the newline.
    const real = unixRows(r).find((s) => s.path === join(dir, 'f'));
    expect(real?.owners).toEqual([expect.objectContaining({ pid: process.pid })]);
    const forged = unixRows(r).find((s) => s.inode === FORGED_INODE) as FoundSocket<'unix'>;
    expect(forged.suspicious).toContain('after-newline-path');
    expect(forged.owners).toEqual([]);
    const complete = r.processes?.denied === 0 && r.processes.hidepid === null;
    expect(forged.suspicious.includes('no-owner')).toBe(complete);
    // Without processes there is no evidence either way.
    const plain = await nodeLib.readSockets({ kinds: ['unix'] });
    expect(unixRows(plain).find((s) => s.inode === FORGED_INODE)?.suspicious).not.toContain('no-owner');
  });
});

describe('attachOwners', () => {
  const row = (inode: string, suspicious: UnixSocket['suspicious']): FoundSocket<'unix'> =>
    ({ kind: 'unix', inode, suspicious, namespace: null, owners: null }) as unknown as FoundSocket<'unix'>;
  const scan = (denied: number, source: 'live' | 'fds.json' = 'live') => ({
    owners: new Map([['5', [{ pid: 1, fd: 3, comm: 'a', cmdline: ['a'], uid: 0 }]]]),
    stats: { source, scanned: 3, denied, vanished: 1, hidepid: null },
  });

  it('marks a doubted unix row that nobody holds as no-owner when every process was read', () => {
    const acc = newAccumulator();
    acc.sockets.push(
      row('5', ['after-newline-path']),
      row('6', ['after-newline-path']),
      row('7', []),
      row('0', ['after-newline-path']),
    );
    attachOwners(acc, ownersByRow(scan(0), acc.sockets));
    expect(acc.sockets.map((s) => [s.inode, (s as UnixSocket).suspicious, s.owners?.length])).toEqual([
      ['5', ['after-newline-path'], 1],
      ['6', ['after-newline-path', 'no-owner'], 0],
      ['7', [], 0],
      ['0', ['after-newline-path'], 0],
    ]);
    expect(acc.notes).toEqual([]);
  });

  it('does not when a process was denied (it may hold it) or the owners came from a dump', () => {
    for (const s of [scan(1), scan(0, 'fds.json')]) {
      const acc = newAccumulator();
      acc.sockets.push(row('6', ['after-newline-path']));
      attachOwners(acc, ownersByRow(s, acc.sockets));
      expect((acc.sockets[0] as UnixSocket).suspicious).toEqual(['after-newline-path']);
    }
    const acc = newAccumulator();
    attachOwners(acc, ownersByRow(scan(2), acc.sockets));
    expect(acc.notes.map((n) => n.code)).toEqual(['PROCESSES_INCOMPLETE']);
  });
});
