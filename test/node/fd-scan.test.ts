/**
 * The descriptor scan on its own: the pass over `<root>/<pid>/fd` with a stand-in `fs` (refusals and processes
 * exiting mid-scan, which root cannot provoke on a real procfs), then the whole scan on a fake procfs folder run
 * inline, in worker threads, and at every concurrency, which must all give the same owners and counts.
 */

import * as fsModule from 'node:fs';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driveAsync } from '../../src/node/drive.js';
import { type FdScanFs, mergeFdScans, scanFdsWith } from '../../src/node/fd-scan.js';
import { startFdScanWorker } from '../../src/node/fd-scan-worker.js';
import { socketOwnersPlan } from '../../src/node/socket-owners.js';
import { nodeLib } from '../support/node-lib.js';

const err = (code: string) => Object.assign(new Error(code), { code });

/** A stand-in procfs: pid → fd → link, or an errno code to throw. */
function fakeFs(root: string | Error, procs: Record<number, Record<string, string | Error> | Error>): FdScanFs {
  return {
    readdirSync(path) {
      if (path === '/p') {
        if (root instanceof Error) throw root;
        return [root, ...Object.keys(procs)];
      }
      const pid = Number(path.split('/')[2]);
      const p = procs[pid];
      if (p === undefined) throw err('ENOENT');
      if (p instanceof Error) throw p;
      return Object.keys(p);
    },
    readlinkSync(path) {
      const [, , pid, , fd] = path.split('/');
      const p = procs[Number(pid)] as Record<string, string | Error>;
      const link = p[fd as string];
      if (link === undefined) throw err('ENOENT');
      if (link instanceof Error) throw link;
      return link;
    },
  };
}

describe('scanFdsWith', () => {
  it('keeps only socket links, in pid order, and counts every kind of failure per process', () => {
    const raw = scanFdsWith(
      fakeFs('self', {
        30: { 0: '/dev/null', 3: 'socket:[300]', 4: 'pipe:[9]', 5: 'socket:[301]' },
        7: err('EACCES'), // another user's process
        12: err('ESRCH'), // exited before its folder was listed
        20: { 3: err('EACCES'), 4: 'socket:[200]' }, // listable, links refused
        25: { 3: err('ENOENT'), 4: err('ENOENT') }, // exited between the listing and the links
        26: { 3: err('ENOENT'), 4: 'socket:[260]' }, // one descriptor closed meanwhile
      }),
      '/p',
      null,
    );
    expect(raw.rootError).toBeNull();
    expect(raw.pids).toEqual([7, 12, 20, 25, 26, 30]);
    expect(raw.listing).toEqual([1, 2, 0, 0, 0, 0]);
    expect(raw.fdCount).toEqual([0, 0, 2, 2, 2, 4]);
    expect(raw.linksGone).toEqual([0, 0, 0, 2, 1, 0]);
    expect(raw.linksDenied).toEqual([0, 0, 1, 0, 0, 0]);
    expect(raw.sockPid).toEqual([20, 26, 30, 30]);
    expect(raw.sockFd).toEqual([4, 4, 3, 5]);
    expect(raw.sockLink).toEqual(['socket:[200]', 'socket:[260]', 'socket:[300]', 'socket:[301]']);
  });

  it('reports a root it cannot list, and scans only the pids it is given', () => {
    expect(scanFdsWith(fakeFs(err('EACCES'), {}), '/p', null).rootError).toBe('EACCES');
    const raw = scanFdsWith(fakeFs('self', { 1: { 3: 'socket:[1]' }, 2: { 3: 'socket:[2]' } }), '/p', [2, 99]);
    expect(raw.pids).toEqual([2, 99]);
    expect(raw.listing).toEqual([0, 2]);
    expect(raw.sockLink).toEqual(['socket:[2]']);
  });
});

describe('the scan on a fake procfs folder: inline, in a worker, with async requests', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'procnet-fdscan-'));
    const proc = (pid: number, fds: Record<number, string>, comm: string) => {
      mkdirSync(join(root, String(pid), 'fd'), { recursive: true });
      for (const [fd, link] of Object.entries(fds)) symlinkSync(link, join(root, String(pid), 'fd', fd));
      writeFileSync(join(root, String(pid), 'comm'), `${comm}\n`);
      writeFileSync(join(root, String(pid), 'cmdline'), `${comm}\0--flag\0`);
      writeFileSync(join(root, String(pid), 'status'), `Name:\t${comm}\nUid:\t${pid}\t0\t0\t0\n`);
    };
    proc(10, { 0: '/dev/null', 3: 'socket:[1000]', 4: 'socket:[1001]' }, 'server');
    proc(11, { 3: 'socket:[1000]', 7: 'pipe:[5]' }, 'worker');
    proc(12, {}, 'idle');
    // A process that exited before its fd folder was listed: its folder is gone.
    mkdirSync(join(root, '13'));
    for (let pid = 100; pid < 140; pid++) proc(pid, { 3: `socket:[${5000 + pid}]`, 4: 'anon_inode:[eventfd]' }, 'many');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('gives identical owners and counts every way, and keeps only the inodes asked for', async () => {
    const inodes = ['1000', '1001', '5120', '999'];
    const sync = nodeLib.readSocketOwnersSync({ root, inodes });
    expect(sync.stats).toEqual({ source: 'live', scanned: 43, denied: 0, vanished: 1, hidepid: null });
    expect([...sync.owners.keys()].sort()).toEqual(['1000', '1001', '5120']);
    expect(sync.owners.get('1000')).toEqual([
      { pid: 10, fd: 3, comm: 'server', cmdline: ['server', '--flag'], uid: 10 },
      { pid: 11, fd: 3, comm: 'worker', cmdline: ['worker', '--flag'], uid: 11 },
    ]);
    for (const scanWorker of [true, false, 'auto'] as const) {
      for (const concurrency of [1, 3, 32]) {
        expect(await driveAsync(socketOwnersPlan({ root, inodes }, scanWorker), concurrency)).toEqual(sync);
      }
    }
    const all = await driveAsync(socketOwnersPlan({ root }, true), 32);
    expect(all.owners.size).toBe(42);
    expect(all).toEqual(nodeLib.readSocketOwnersSync({ root }));
  });

  it('gives the same raw scan in one worker, in two sharing the pids, and inline (merged in pid order)', async () => {
    const one = await startFdScanWorker(root, null, 1).result;
    // Which worker takes which pid varies from run to run; the merged scan must not.
    for (let run = 0; run < 5; run++) expect(await startFdScanWorker(root, null, 2).result).toEqual(one);
    const two = await startFdScanWorker(root, null, 2).result;
    const inline = scanFdsWith(fsModule, root, null);
    expect(two).toEqual(inline);
    expect(inline.pids.length).toBe(44);
    // A shared counter hands every pid to exactly one of the scans that share it.
    const share = new Int32Array(new SharedArrayBuffer(4));
    const pids = inline.pids;
    const a = scanFdsWith(fsModule, root, pids, share);
    const b = scanFdsWith(fsModule, root, pids, share);
    expect(a.pids.length).toBe(pids.length);
    expect(b.pids).toEqual([]);
    expect(mergeFdScans([b, a])).toEqual(inline);
    // Parts that took alternate pids merge back into the one scan's order.
    const evens = scanFdsWith(
      fsModule,
      root,
      pids.filter((_, i) => i % 2 === 0),
    );
    const odds = scanFdsWith(
      fsModule,
      root,
      pids.filter((_, i) => i % 2 === 1),
    );
    expect(mergeFdScans([odds, evens])).toEqual(inline);
  });

  it('rejects a root it cannot list, in a worker or not', async () => {
    for (const worker of [true, false]) {
      await expect(driveAsync(socketOwnersPlan({ root: join(root, 'none') }, worker), 32)).rejects.toMatchObject({
        code: 'ENOENT',
      });
    }
    await expect(nodeLib.readSocketOwners({ root: join(root, 'none') })).rejects.toMatchObject({ code: 'ENOENT' });
    expect(() => nodeLib.readSocketOwnersSync({ root: join(root, 'none') })).toThrow(/cannot list/);
  });
});
