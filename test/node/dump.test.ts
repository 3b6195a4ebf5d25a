/**
 * Dumps: a copy of this machine's tables in both layouts reads to the same sockets as the live read; missing
 * tables are notes; the byte order comes from metadata, a guess, or the default; fds.json gives owners offline.
 */

import type { Socket as UdpSocketHandle } from 'node:dgram';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TableKind } from '../../src/index.js';
import type { FoundSocket, ReadSocketsResult } from '../../src/node/index.js';
import { lib } from '../support/lib.js';
import { closeAll, portOf, sleep, tcpListener, udpSocket } from '../support/live.js';
import { nodeLib } from '../support/node-lib.js';
import { SPEC_CAPTURE } from '../support/paths.js';

const INET: TableKind[] = ['tcp', 'tcp6', 'udp', 'udp6', 'udplite', 'udplite6', 'raw', 'raw6', 'icmp', 'icmp6'];
let tmp: string;
let server: Server;
let server6: Server | undefined;
let udp: UdpSocketHandle;

/** Writes `files` (relative path → content) under a fresh folder and returns it. */
function dump(files: Record<string, string | Uint8Array>): string {
  const dir = mkdtempSync(join(tmp, 'd-'));
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), content);
  }
  return dir;
}

const capture = (kind: string) => readFileSync(`${SPEC_CAPTURE}proc-net-${kind}`);
const strip = ({ namespace: _n, owners: _o, ...rest }: FoundSocket) => rest;
const quiet = (r: ReadSocketsResult, inodes: Set<string>) =>
  r.sockets.filter((s) => inodes.has(s.inode)).sort((a, b) => (a.inode < b.inode ? -1 : 1));

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'procnet-dump-'));
  server = await tcpListener();
  udp = await udpSocket();
  try {
    server6 = await tcpListener('::1');
  } catch {
    server6 = undefined;
  }
  await sleep(20);
});

afterAll(async () => {
  await closeAll();
  rmSync(tmp, { recursive: true, force: true });
});

describe('a copy of this machine /proc/net', () => {
  it('reads to the same sockets as the live read, in both layouts (net/ and proc/net/)', async () => {
    const live = await nodeLib.readSockets({ kinds: INET });
    const ports = new Set([portOf(server), udp.address().port, ...(server6 ? [portOf(server6)] : [])]);
    const inodes = new Set(
      live.sockets.filter((s) => s.kind !== 'unix' && ports.has(s.local.port) && s.inode !== '0').map((s) => s.inode),
    );
    expect(inodes.size).toBe(ports.size);
    const a = mkdtempSync(join(tmp, 'net-'));
    const b = mkdtempSync(join(tmp, 'sos-'));
    mkdirSync(join(a, 'net'));
    mkdirSync(join(b, 'proc/net'), { recursive: true });
    for (const kind of INET) {
      if (!existsSync(`/proc/net/${kind}`)) continue;
      // Not copyFileSync: /proc files report size 0 and copy_file_range copies nothing; read them to the end.
      const bytes = readFileSync(`/proc/net/${kind}`);
      writeFileSync(join(a, 'net', kind), bytes);
      writeFileSync(join(b, 'proc/net', kind), bytes);
    }
    for (const root of [a, b]) {
      const r = await nodeLib.readSockets({ root, kinds: INET });
      expect(r.source).toEqual({ live: false, netDir: root === a ? join(a, 'net') : join(b, 'proc/net') });
      // No metadata: the loopback listener gives the byte order away.
      expect(r.byteOrderSource).toBe('guess');
      expect(r.byteOrder).toBe(live.byteOrder);
      expect(r.notes.map((n) => n.code)).toEqual(expect.arrayContaining(['BYTE_ORDER', 'USER_HZ']));
      expect(quiet(r, inodes).map(strip)).toEqual(quiet(live, inodes).map(strip));
      for (const s of r.sockets) expect(s.namespace).toBeNull();
    }
  });
});

describe('dump layouts and metadata', () => {
  it('reports missing tables as notes, never throws', async () => {
    const root = dump({ 'net/tcp': capture('tcp'), 'net/udp': capture('udp') });
    const r = await nodeLib.readSockets({ root });
    const missing = r.notes.filter((n) => n.code === 'TABLE_MISSING').map((n) => n.kind);
    expect(missing).toEqual(['tcp6', 'udp6', 'udplite', 'udplite6', 'raw', 'raw6', 'icmp', 'icmp6', 'unix']);
    expect(r.notes.find((n) => n.kind === 'raw6')).toMatchObject({ path: join(root, 'net/raw6') });
    expect(r.sockets.length).toBe(
      lib.parseTable('tcp', capture('tcp')).length + lib.parseTable('udp', capture('udp')).length,
    );
  });

  it('reads the spec capture folder (proc-net-* files) with its env.json byte order and USER_HZ', async () => {
    const r = await nodeLib.readSockets({ root: SPEC_CAPTURE, kinds: INET });
    expect(r.byteOrderSource).toBe('metadata');
    expect(r.userHz).toBe(100);
    expect(r.notes).toEqual([expect.objectContaining({ code: 'BYTE_ORDER', path: join(SPEC_CAPTURE, 'env.json') })]);
    const expected = INET.reduce((n, k) => n + lib.parseTable(k as 'tcp', capture(k)).length, 0);
    expect(r.sockets.length).toBe(expected);
    expect(r.duplicatesDropped).toBe(0);
    const manifest = JSON.parse(readFileSync(`${SPEC_CAPTURE}manifest.json`, 'utf8')) as Array<{
      inode?: number;
      family: string;
      label: string;
    }>;
    const inodes = new Set(r.sockets.map((s) => s.inode));
    for (const m of manifest) {
      // A bound-only TCP socket is in no table (spec §2.6).
      if (m.inode && m.family.startsWith('AF_INET') && !m.label.includes('bound-only'))
        expect(inodes.has(String(m.inode))).toBe(true);
    }
  });

  it('takes the byte order from env.json, a guess or the option, in that order of trust', async () => {
    const tcpRows = lib.parseTable('tcp', capture('tcp'));
    const tcp6Rows = lib.parseTable('tcp6', capture('tcp6'));
    const big = {
      'proc/net/tcp': lib.formatTable('tcp', tcpRows, { byteOrder: 'big' }),
      'proc/net/tcp6': lib.formatTable('tcp6', tcp6Rows, { byteOrder: 'big' }),
    };
    const addresses = (r: ReadSocketsResult) =>
      r.sockets.map((s) => (s.kind === 'unix' ? '' : `${s.local.address} ${s.remote.address}`));
    const want = [...tcpRows, ...tcp6Rows].map((s) => `${s.local.address} ${s.remote.address}`);

    const guessed = await nodeLib.readSockets({ root: dump(big), kinds: ['tcp', 'tcp6'] });
    expect([guessed.byteOrder, guessed.byteOrderSource]).toEqual(['big', 'guess']);
    expect(addresses(guessed)).toEqual(want);
    expect(guessed.notes.find((n) => n.code === 'BYTE_ORDER')?.message).toMatch(/guessed big-endian/);

    const withEnv = await nodeLib.readSockets({
      root: dump({ ...big, 'proc/env.json': JSON.stringify({ byteorder: 'big', 'USER_HZ(CLK_TCK)': 250 }) }),
      kinds: ['tcp', 'tcp6'],
    });
    expect([withEnv.byteOrder, withEnv.byteOrderSource, withEnv.userHz]).toEqual(['big', 'metadata', 250]);
    expect(addresses(withEnv)).toEqual(want);

    const forced = await nodeLib.readSockets({ root: dump(big), kinds: ['tcp'], byteOrder: 'little', userHz: 1000 });
    expect([forced.byteOrder, forced.byteOrderSource, forced.userHz]).toEqual(['little', 'option', 1000]);
    expect(forced.notes.some((n) => n.code === 'BYTE_ORDER' || n.code === 'USER_HZ')).toBe(false);
  });

  it('falls back to little-endian with a note when nothing tells, and ignores broken metadata with a note', async () => {
    const header = capture('udp').toString('latin1').split('\n')[0];
    const wildcard = `${header}\n  1: 00000000:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 1 2 0000000000000000 0\n`;
    const r = await nodeLib.readSockets({
      root: dump({ 'net/udp': wildcard, 'env.json': '{ not json' }),
      kinds: ['udp'],
    });
    expect([r.byteOrder, r.byteOrderSource]).toEqual(['little', 'default']);
    expect(r.notes.map((n) => n.code)).toEqual(['METADATA_INVALID', 'USER_HZ', 'BYTE_ORDER']);
    const bad = await nodeLib.readSockets({
      root: dump({ 'net/udp': wildcard, 'env.json': '{"byteorder":"middle"}' }),
      kinds: ['udp'],
    });
    expect(bad.notes[0]).toMatchObject({ code: 'METADATA_INVALID', message: expect.stringMatching(/middle/) });
  });

  it('reads a process namespace saved as <pid>/net or proc/<pid>/net', async () => {
    for (const rel of ['4242/net/tcp', 'proc/4242/net/tcp']) {
      const r = await nodeLib.readSockets({ root: dump({ [rel]: capture('tcp') }), pid: 4242, kinds: ['tcp'] });
      expect(r.sockets.length).toBe(lib.parseTable('tcp', capture('tcp')).length);
      await expect(nodeLib.readSockets({ root: dump({ [rel]: capture('tcp') }), pid: 4243 })).rejects.toThrow(/4243/);
    }
  });

  it('refuses a root that does not exist or holds no tables', async () => {
    await expect(nodeLib.readSockets({ root: join(tmp, 'nope') })).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(nodeLib.readSockets({ root: dump({ 'README.txt': 'hi' }) })).rejects.toThrow(
      /neither a procfs nor a dump/,
    );
    expect(() => nodeLib.readSocketsSync({ root: join(tmp, 'nope') })).toThrow(/cannot read/);
  });

  it('gives the same result synchronously', async () => {
    const root = dump({ 'net/tcp': capture('tcp'), 'net/udp6': capture('udp6') });
    expect(nodeLib.readSocketsSync({ root })).toEqual(await nodeLib.readSockets({ root }));
  });
});

describe('parse errors in a dump', () => {
  const good = capture('tcp').toString('latin1');
  const lines = good.split('\n');
  const broken = [lines[0], lines[1], lines[2]?.replace(/ 0A /, ' ZZ '), lines[3], ''].join('\n');

  it('throws the first one in the default mode, naming the file', async () => {
    const root = dump({ 'net/tcp': broken });
    const err = await nodeLib.readSockets({ root, kinds: ['tcp'] }).catch((e: unknown) => e);
    expect(lib.isProcNetParseError(err)).toBe(true);
    expect(err).toMatchObject({ code: 'BAD_HEX', file: join(root, 'net/tcp'), line: 3 });
  });

  it('collects them in lenient mode, and passes them to a handler too', async () => {
    const root = dump({ 'net/tcp': broken, 'net/udp': capture('tcp6') });
    const r = await nodeLib.readSockets({ root, kinds: ['tcp', 'udp'], onInvalidRow: 'skip' });
    expect(r.sockets).toHaveLength(2);
    // A wrong header (a tcp6 file saved as udp) throws in every parse mode; here it is one more error.
    expect(r.errors.map((e) => e.code)).toEqual(['BAD_HEX', 'UNKNOWN_HEADER']);
    const seen: string[] = [];
    const f = await nodeLib.readSockets({ root, kinds: ['tcp'], onInvalidRow: (e) => seen.push(e.code) });
    expect(seen).toEqual(['BAD_HEX']);
    expect(f.errors).toHaveLength(1);
  });
});

describe('owners from fds.json', () => {
  it('maps owners offline from the listing beside net/, every holder kept', async () => {
    const rows = lib.parseTable('tcp', capture('tcp'));
    const listener = rows.find((s) => s.state === 'LISTEN' && s.inode !== '0');
    const other = rows.find((s) => s.state === 'ESTABLISHED' && s.inode !== '0');
    const fds = {
      processes: [
        { pid: 10, comm: 'nginx', cmdline: ['nginx'], uid: 0, fds: [{ fd: 6, link: `socket:[${listener?.inode}]` }] },
        {
          pid: 11,
          comm: 'nginx',
          cmdline: ['nginx: worker process'],
          uid: 33,
          fds: [
            { fd: 6, link: `socket:[${listener?.inode}]` },
            { fd: 9, link: `socket:[${other?.inode}]` },
            { fd: 1, link: '/dev/null' },
          ],
        },
      ],
    };
    const root = dump({ 'proc/net/tcp': capture('tcp'), 'proc/fds.json': JSON.stringify(fds) });
    const r = await nodeLib.readSockets({ root, kinds: ['tcp'], processes: true });
    expect(r.processes).toEqual({ source: 'fds.json', scanned: 2, denied: 0, vanished: 0, hidepid: null });
    const find = (inode?: string) => r.sockets.find((s) => s.inode === inode);
    expect(find(listener?.inode)?.owners?.map((o) => [o.pid, o.fd, o.uid])).toEqual([
      [10, 6, 0],
      [11, 6, 33],
    ]);
    expect(find(other?.inode)?.owners).toEqual([
      { pid: 11, fd: 9, comm: 'nginx', cmdline: ['nginx: worker process'], uid: 33 },
    ]);
    expect(r.sockets.filter((s) => s.inode === '0').every((s) => s.owners?.length === 0)).toBe(true);
    // Without processes: true, fds.json is not even read.
    const plain = await nodeLib.readSockets({ root, kinds: ['tcp'] });
    expect(plain.processes).toBeNull();
    expect(plain.sockets.every((s) => s.owners === null)).toBe(true);
  });

  it('notes a dump without fds.json, and rejects a broken one', async () => {
    const r = await nodeLib.readSockets({ root: dump({ 'net/tcp': capture('tcp') }), kinds: ['tcp'], processes: true });
    expect(r.processes).toBeNull();
    expect(r.notes.map((n) => n.code)).toContain('FDS_MISSING');
    expect(r.sockets.every((s) => s.owners === null)).toBe(true);
    const root = dump({ 'net/tcp': capture('tcp'), 'fds.json': '{"processes":[{"pid":"x","fds":[]}]}' });
    await expect(nodeLib.readSockets({ root, kinds: ['tcp'], processes: true })).rejects.toThrow(/fds.json.*pid/);
  });
});
