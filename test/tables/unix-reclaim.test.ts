/**
 * A row proven forged gives its text back to the name it was planted through (the project's capture has one:
 * the abstract name "@pnc-hostile\n<complete fake row, inode 31337>").
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addRows, attachOwners, newAccumulator, openTable } from '../../src/node/assemble.js';
import { reclaimForgedNames } from '../../src/tables/unix-reclaim.js';
import type { UnixSocket } from '../../src/types.js';
import { lib } from '../support/lib.js';
import { ROOT } from '../support/paths.js';
import { ownersByRow } from '../support/row-owners.js';

const dir = join(
  ROOT,
  'fixtures',
  readdirSync(join(ROOT, 'fixtures')).find((n) => n.startsWith('capture-') && !n.endsWith('-as-big-endian')) as string,
);
const bytes = readFileSync(join(dir, 'net', 'unix'));
const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
const hostile = manifest.sockets.find((s: { expect?: { forged_row?: string } }) => s.expect?.forged_row);
const wholeName = `@pnc-hostile\n${hostile.expect.forged_row}`;

describe('reclaimForgedNames', () => {
  it('does nothing without evidence', () => {
    const rows = lib.parseTable('unix', bytes);
    expect(reclaimForgedNames(bytes, rows)).toBe(0);
    expect(rows.find((r) => r.inode === String(hostile.inode))?.path).toBe('@pnc-hostile');
  });

  it('makes the planted-through name whole once the forged row is proven to have no owner', () => {
    const rows = lib.parseTable('unix', bytes);
    const forged = rows.find((r) => r.inode === '31337') as UnixSocket;
    forged.suspicious = [...forged.suspicious, 'no-owner'];
    expect(reclaimForgedNames(bytes, rows)).toBe(1);
    const real = rows.find((r) => r.inode === String(hostile.inode)) as UnixSocket;
    expect(real.path).toBe(wholeName);
    expect(Buffer.from(real.pathBytes as Uint8Array).toString('latin1')).toBe(wholeName);
    // The forged row stays, marked, so tools can show the attempt.
    expect(rows.find((r) => r.inode === '31337')?.suspicious).toEqual(['after-newline-path', 'no-owner']);
  });

  it('runs in the live reader after a complete owner scan, with a note', () => {
    const acc = newAccumulator();
    const settings = { byteOrder: 'little' as const, userHz: 100, onInvalidRow: 'throw' as const };
    addRows(acc, openTable('unix', '/proc/net/unix', settings, 'rows'), bytes, null);
    const owners = new Map(
      acc.sockets
        .filter((s) => s.inode !== '0' && s.inode !== '31337')
        .map((s) => [s.inode, [{ pid: 7, fd: 3, comm: 'x', cmdline: ['x'], uid: 0 }]]),
    );
    attachOwners(
      acc,
      ownersByRow(
        { owners, stats: { source: 'live', scanned: 10, denied: 0, vanished: 0, hidepid: null } },
        acc.sockets,
      ),
    );
    expect((acc.sockets.find((s) => s.inode === String(hostile.inode)) as UnixSocket).path).toBe(wholeName);
    expect(acc.notes.map((n) => n.code)).toEqual(['FORGED_UNIX_ROWS']);
  });
});
