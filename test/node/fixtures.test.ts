/**
 * The project's own captures (fixtures/, written by scripts/capture.mjs) read as dumps: env.json gives the byte
 * order, fds.json the owners, and every owner matches the pid and fd the capture's manifest recorded.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeLib } from '../support/node-lib.js';
import { ROOT } from '../support/paths.js';

const FIXTURES = join(ROOT, 'fixtures');
const folders = readdirSync(FIXTURES).filter((d) => d.startsWith('capture-'));
const little = folders.find((d) => !d.endsWith('-as-big-endian')) as string;
const big = folders.find((d) => d.endsWith('-as-big-endian')) as string;

interface ManifestSocket {
  label: string;
  table: string | null;
  inode: number | null;
  fd?: number;
  pid?: number;
}

describe.skipIf(!little || !big)('capture fixtures as dumps', () => {
  it('reads with the byte order and USER_HZ of env.json and maps every manifest socket to its pid and fd', async () => {
    const root = join(FIXTURES, little);
    const r = await nodeLib.readSockets({ root, processes: true });
    expect([r.byteOrder, r.byteOrderSource, r.userHz]).toEqual(['little', 'metadata', 100]);
    expect(r.notes.map((n) => n.code)).toEqual(['BYTE_ORDER']);
    expect(r.errors).toEqual([]);
    expect(r.processes).toMatchObject({ source: 'fds.json', scanned: expect.any(Number) });
    const manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')) as { sockets: ManifestSocket[] };
    let checked = 0;
    for (const m of manifest.sockets) {
      if (m.inode === null || m.table === null || m.pid === undefined) continue;
      if (!(nodeLib.ALL_KINDS as readonly string[]).includes(m.table)) continue; // packet, netlink: not read
      const row = r.sockets.find((s) => s.inode === String(m.inode));
      expect(row, m.label).toBeDefined();
      expect(row?.kind, m.label).toBe(m.table);
      expect(row?.owners, m.label).toContainEqual(expect.objectContaining({ pid: m.pid, fd: m.fd }));
      checked++;
    }
    expect(checked).toBeGreaterThan(100);
    for (const s of r.sockets) if (s.inode === '0') expect(s.owners).toEqual([]);
  });

  it('reads the derived big-endian copy to the same sockets', async () => {
    const a = await nodeLib.readSockets({ root: join(FIXTURES, little), processes: true });
    const b = await nodeLib.readSockets({ root: join(FIXTURES, big), processes: true });
    expect([b.byteOrder, b.byteOrderSource]).toEqual(['big', 'metadata']);
    expect(b.sockets).toEqual(a.sockets);
    // Without env.json's say, the guess agrees.
    const guessed = await nodeLib.readSockets({ root: join(FIXTURES, big), byteOrder: 'auto', kinds: ['tcp'] });
    expect(guessed.byteOrder).toBe('big');
  });

  it('gives the same sockets, owners and namespace sync and async', async () => {
    const root = join(FIXTURES, little);
    const async = await nodeLib.readSockets({ root, processes: true });
    const sync = nodeLib.readSocketsSync({ root, processes: true });
    expect(async.sockets.length).toBeGreaterThan(0);
    expect(sync.sockets).toEqual(async.sockets);
  });
});
