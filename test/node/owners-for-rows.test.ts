/**
 * The owners `readSockets` attaches (`finishOwnerScanFor`, per row) are the owners the public scan gives
 * (`finishOwnerScan`, by inode) for every row: on a fake procfs
 * folder with shared sockets, repeated descriptors, inodes past 15 digits and with leading zeros, non-socket
 * links, rows nobody holds and inode-less rows; and on arbitrary such folders.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { afterAll, describe, expect, it } from 'vitest';
import { driveSync } from '../../src/node/drive.js';
import { finishOwnerScan, finishOwnerScanFor, startOwnerScan } from '../../src/node/owners-scan.js';
import type { FoundSocket } from '../../src/node/types.js';

const tmp = mkdtempSync(join(tmpdir(), 'procnet-owners-rows-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let folders = 0;

/** A procfs-like folder: pid → fd → link text, and a comm for the pids in `named`. */
function fakeProc(procs: Record<number, Record<number, string>>, named: readonly number[]): string {
  const root = join(tmp, String(folders++));
  for (const [pid, fds] of Object.entries(procs)) {
    mkdirSync(join(root, pid, 'fd'), { recursive: true });
    for (const [fd, link] of Object.entries(fds)) symlinkSync(link, join(root, pid, 'fd', fd));
    if (named.includes(Number(pid))) {
      writeFileSync(join(root, pid, 'comm'), `p${pid}\n`);
      writeFileSync(join(root, pid, 'cmdline'), `p${pid}\0--flag\0`);
      writeFileSync(join(root, pid, 'status'), `Name:\tp${pid}\nUid:\t${pid}\t${pid}\t${pid}\t${pid}\n`);
    }
  }
  return root;
}

/** Each row's owners both ways. */
function both(root: string, inodes: readonly string[]) {
  const rows = inodes.map((inode) => ({ inode }) as FoundSocket);
  const scan = driveSync(
    finishOwnerScan(
      driveSync(startOwnerScan(root, undefined, false)),
      new Set(rows.map((r) => r.inode).filter((i) => i !== '0')),
    ),
  );
  const perRow = driveSync(finishOwnerScanFor(driveSync(startOwnerScan(root, undefined, false)), rows));
  return {
    expected: rows.map((r) => (r.inode === '0' ? [] : (scan.owners.get(r.inode) ?? []))),
    actual: rows.map((_, i) => perRow.at(i)),
    stats: [scan.stats, perRow.stats],
  };
}

describe('finishOwnerScanFor', () => {
  it('gives each row the owners the public scan gives its inode', () => {
    const big = '12345678901234567890'; // 20 digits: past a double's exact range, kept by its text
    const root = fakeProc(
      {
        10: { 3: 'socket:[777]', 4: 'socket:[778]', 5: 'pipe:[777]', 6: 'socket:[777]', 7: `socket:[${big}]` },
        11: { 3: 'socket:[777]', 9: 'socket:[00779]', 2: '/dev/null' },
        12: { 4: 'socket:[778]', 5: 'socket:[4294967296]', 6: 'socket:[]', 7: 'socket:[12x]' },
      },
      [10, 11],
    );
    const r = both(root, ['777', '778', '779', '0', '999', big, '4294967296', '12x', '777']);
    expect(r.actual).toEqual(r.expected);
    expect(r.stats[1]).toEqual(r.stats[0]);
    // The shape of what was compared: a shared socket, sorted by pid then fd; a pid without details.
    expect(r.actual[0]?.map((o) => [o.pid, o.fd, o.comm])).toEqual([
      [10, 3, 'p10'],
      [10, 6, 'p10'],
      [11, 3, 'p11'],
    ]);
    expect(r.actual[1]?.map((o) => [o.pid, o.fd, o.comm, o.uid])).toEqual([
      [10, 4, 'p10', 10],
      [12, 4, null, null],
    ]);
    expect(r.actual[2]?.map((o) => o.pid)).toEqual([11]);
    expect(r.actual[3]).toEqual([]);
    expect(r.actual[4]).toEqual([]);
    expect(r.actual[5]?.map((o) => o.fd)).toEqual([7]);
  });

  const inode = fc.constantFrom('5', '77', '4294967295', '4294967296', '9007199254740993', '123456789012345678901');
  const link = fc.oneof(
    inode.map((i) => `socket:[${i}]`),
    inode.map((i) => `socket:[0${i}]`),
    fc.constantFrom('pipe:[5]', 'anon_inode:[eventfd]', '/dev/null', 'socket:[]'),
  );
  const procs = fc.dictionary(
    fc.integer({ min: 2, max: 40 }).map(String),
    fc.dictionary(fc.integer({ min: 0, max: 30 }).map(String), link, { maxKeys: 6 }),
    { minKeys: 1, maxKeys: 5 },
  );
  test.prop([procs, fc.array(fc.oneof(inode, fc.constant('0')), { maxLength: 8 })], { numRuns: 40 })(
    'agrees with the public scan on arbitrary descriptor tables',
    (p, rows) => {
      const pids = Object.keys(p).map(Number);
      const root = fakeProc(p as unknown as Record<number, Record<number, string>>, pids.slice(0, 2));
      const r = both(root, rows);
      expect(r.actual).toEqual(r.expected);
    },
  );
});
