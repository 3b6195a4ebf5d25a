/**
 * readCounters: the counter files and host settings of one namespace, live (this process's) and from dumps (the
 * fixture capture, and small dumps written here with sysctls as files or in env.json).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isProcNetParseError } from '../../src/index.js';
import { analysisLib } from '../support/entry-libs.js';
import { nodeLib } from '../support/node-lib.js';
import { ROOT } from '../support/paths.js';

const DUMP = join(ROOT, 'fixtures/capture-2026-11-linux-6.18.44-fc-v782-x86_64');
const made: string[] = [];

/** A dump folder with `net/<name>` files (and whatever else `files` lists), removed after the tests. */
function dump(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'procnet-counters-'));
  made.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

const SNMP = readFileSync(join(DUMP, 'net/snmp'), 'utf8');
const sysctl = (path: string) => readFileSync(`/proc/sys/${path}`, 'utf8').trim().split(/\s+/).map(Number);

describe('readCounters (live, this process)', () => {
  it('reads every counter file of this namespace and the settings of this host', async () => {
    const r = await nodeLib.readCounters();
    expect(r.source).toEqual({ live: true, netDir: '/proc/net' });
    expect(r.counters.snmp?.Tcp?.OutSegs).toBeTypeOf('bigint');
    expect(r.counters.netstat?.TcpExt?.ListenOverflows).toBeTypeOf('bigint');
    expect(r.counters.sockstat?.TCP?.inuse).toBeTypeOf('bigint');
    expect(r.settings.localPortRange).toEqual(sysctl('net/ipv4/ip_local_port_range'));
    expect(r.settings.bindv6only).toBe(sysctl('net/ipv6/bindv6only')[0] === 1);
    const page = Number(spawnSync('getconf', ['PAGESIZE'], { encoding: 'utf8' }).stdout.trim());
    expect(r.settings.pageSize).toBe(page);
    expect(r.settings.somaxconn).toBe(sysctl('net/core/somaxconn')[0]);
    expect(r.namespace).toMatch(/^\d+$/);
  });

  it('tcp_mem is host-wide and only in the initial namespace: read there, else a note', async () => {
    const r = await nodeLib.readCounters();
    let tcpMem: number[] | null = null;
    try {
      tcpMem = sysctl('net/ipv4/tcp_mem');
    } catch {
      tcpMem = null;
    }
    if (tcpMem === null) {
      expect(r.settings.tcpMem).toBeUndefined();
      expect(r.notes.map((n) => n.message)).toContainEqual(expect.stringContaining('net.ipv4.tcp_mem: host-wide'));
    } else {
      expect(r.settings.tcpMem).toEqual(tcpMem);
    }
  });

  it('gives the same with the sync reader, and reads a subset with files', () => {
    const r = nodeLib.readCountersSync({ files: ['snmp', 'snmp'], settings: false });
    expect(Object.keys(r.counters)).toEqual(['snmp']);
    expect(r.settings).toEqual({});
    expect(r.notes).toEqual([]);
  });

  it('feeds diagnose with readSockets', async () => {
    const [{ counters, settings }, { sockets }] = await Promise.all([
      nodeLib.readCounters(),
      nodeLib.readSockets({ kinds: ['tcp', 'tcp6'] }),
    ]);
    const findings = analysisLib.diagnose({ time: Date.now(), sockets, counters }, { ...settings });
    for (const f of findings) expect(analysisLib.FINDINGS[f.id]).toBeDefined();
  });

  it('rejects an unknown file and a bad pid', async () => {
    await expect(nodeLib.readCounters({ files: ['tcp' as 'snmp'] })).rejects.toThrow(TypeError);
    expect(() => nodeLib.readCountersSync({ pid: -1 })).toThrow(TypeError);
    await expect(nodeLib.readCounters({ pid: 999_999_999 })).rejects.toThrow('no process 999999999');
  });
});

describe('readCounters (dumps)', () => {
  it('reads the fixture capture: every file, sockstat and sockstat6 in one record; settings unknown, with notes', async () => {
    const r = await nodeLib.readCounters({ root: DUMP });
    expect(r.source).toEqual({ live: false, netDir: join(DUMP, 'net') });
    expect(r.namespace).toBeNull();
    expect(Object.keys(r.counters).sort()).toEqual(['netstat', 'snmp', 'snmp6', 'sockstat']);
    expect(r.counters.sockstat?.TCP?.inuse).toBeTypeOf('bigint');
    expect(r.counters.sockstat?.TCP6?.inuse).toBeTypeOf('bigint');
    expect(r.counters.netstat?.TcpExt?.ListenOverflows).toBe(5n);
    expect(r.settings).toEqual({});
    expect(r.notes.map((n) => n.code)).toEqual(Array(5).fill('SETTING_UNKNOWN'));
    expect(r.notes.map((n) => n.message.split(':')[0])).toEqual([
      'net.ipv6.bindv6only',
      'net.ipv4.ip_local_port_range',
      'net.ipv4.tcp_mem',
      'net.core.somaxconn',
      'the page size',
    ]);
  });

  it('a missing file is a note, never an exception', async () => {
    const root = dump({ 'net/snmp': SNMP });
    const r = await nodeLib.readCounters({ root, settings: false });
    expect(Object.keys(r.counters)).toEqual(['snmp']);
    expect(r.notes.map((n) => `${n.code} ${n.path}`)).toEqual(
      ['netstat', 'snmp6', 'sockstat', 'sockstat6'].map((f) => `COUNTERS_MISSING ${join(root, 'net', f)}`),
    );
  });

  it('reads the settings from sys/ files beside net/ (a copy of /proc/sys) and the page size from env.json', async () => {
    const root = dump({
      'net/snmp': SNMP,
      'sys/net/ipv6/bindv6only': '1\n',
      'sys/net/ipv4/ip_local_port_range': '40000\t40999\n',
      'sys/net/ipv4/tcp_mem': '10\t20\t30\n',
      'sys/net/core/somaxconn': '4096\n',
      'env.json': JSON.stringify({ page_size: 65536 }),
    });
    const r = await nodeLib.readCounters({ root, files: ['snmp'] });
    expect(r.settings).toEqual({
      bindv6only: true,
      localPortRange: [40000, 40999],
      tcpMem: [10, 20, 30],
      somaxconn: 4096,
      pageSize: 65536,
    });
    expect(r.notes).toEqual([]);
  });

  it('reads the settings from the sysctl object of env.json, dotted names as the capture tool writes them', async () => {
    const root = dump({
      'proc/net/snmp': SNMP,
      'env.json': JSON.stringify({
        env: {
          sysctl: {
            'net.ipv4.ip_local_port_range': '1024\t65535',
            'net.ipv4.tcp_mem': '1 2 3',
            'net.core.somaxconn': 128,
          },
          PAGESIZE: 4096,
        },
      }),
    });
    const r = await nodeLib.readCounters({ root, files: ['snmp'] });
    expect(r.source.netDir).toBe(join(root, 'proc/net'));
    expect(r.settings).toEqual({ localPortRange: [1024, 65535], tcpMem: [1, 2, 3], somaxconn: 128, pageSize: 4096 });
    expect(r.notes.map((n) => n.message)).toEqual([
      'net.ipv6.bindv6only: the dump does not say; the analyses assume 0 (a socket bound to :: accepts IPv4 too)',
    ]);
  });

  it('a bad setting is a note naming the file, and the default stays', async () => {
    const root = dump({
      'net/snmp': SNMP,
      'sys/net/ipv4/ip_local_port_range': '60999 32768\n',
      'env.json': JSON.stringify({
        sysctl: { 'net.ipv4.tcp_mem': '3 2 1', 'net.ipv6.bindv6only': '2', 'net.core.somaxconn': '-1' },
        page_size: 0,
      }),
    });
    const r = await nodeLib.readCounters({ root, files: ['snmp'] });
    expect(r.settings).toEqual({});
    expect(r.notes.map((n) => n.message)).toEqual([
      `net.ipv6.bindv6only: sysctl net.ipv6.bindv6only in ${join(root, 'env.json')} is not 0 or 1: "2"; the analyses assume 0 (a socket bound to :: accepts IPv4 too)`,
      `net.ipv4.ip_local_port_range: ${join(root, 'sys/net/ipv4/ip_local_port_range')} is not two ports, lowest first: "60999 32768"; the analyses assume 32768-60999`,
      `net.ipv4.tcp_mem: sysctl net.ipv4.tcp_mem in ${join(root, 'env.json')} is not three ascending numbers: "3 2 1"; TCP memory is judged from the TCPMemoryPressures counter alone`,
      `net.core.somaxconn: sysctl net.core.somaxconn in ${join(root, 'env.json')} is not a number of connections: "-1"; the cap on listen backlogs is unknown`,
      `the page size: page_size in ${join(root, 'env.json')} is not a positive integer; the analyses assume 4096 bytes`,
    ]);
  });

  it('flat dumps: proc-net-snmp', async () => {
    const root = dump({ 'proc-net-snmp': SNMP, 'proc-net-tcp': readFileSync(join(DUMP, 'net/tcp'), 'utf8') });
    const r = await nodeLib.readCounters({ root, files: ['snmp'], settings: false });
    expect(r.counters.snmp?.Tcp?.OutSegs).toBeTypeOf('bigint');
  });

  it("a file that does not parse throws in 'throw' mode and is collected in lenient mode", async () => {
    const root = dump({ 'net/snmp': `${SNMP}Tcp: Broken\nTcp: 1 2\n`, 'net/sockstat': 'garbage without colon\n' });
    const thrown = await nodeLib.readCounters({ root, settings: false }).catch((e) => e);
    expect(isProcNetParseError(thrown)).toBe(true);
    expect(thrown.file).toBe(join(root, 'net/snmp'));
    const seen: unknown[] = [];
    const r = await nodeLib.readCounters({ root, settings: false, onInvalidRow: (e) => seen.push(e) });
    expect(r.errors.length).toBeGreaterThanOrEqual(2);
    expect(seen).toEqual(r.errors);
    expect(r.counters.snmp?.Tcp?.OutSegs).toBeTypeOf('bigint');
  });
});

describe('pageSizeFromAuxv', () => {
  it('finds AT_PAGESZ (6) among the (type, value) words, and null without it', () => {
    const words = (pairs: [number, number][]) => {
      const b = Buffer.alloc(pairs.length * 16);
      pairs.forEach(([t, v], i) => {
        b.writeBigUInt64LE(BigInt(t), i * 16);
        b.writeBigUInt64LE(BigInt(v), i * 16 + 8);
      });
      return b;
    };
    if (process.arch !== 'x64' && process.arch !== 'arm64') return;
    expect(
      nodeLib.pageSizeFromAuxv(
        words([
          [17, 100],
          [6, 16384],
          [0, 0],
        ]),
      ),
    ).toBe(16384);
    expect(
      nodeLib.pageSizeFromAuxv(
        words([
          [17, 100],
          [0, 0],
          [6, 4096],
        ]),
      ),
    ).toBeNull();
    expect(nodeLib.pageSizeFromAuxv(readFileSync('/proc/self/auxv'))).toBe(
      Number(spawnSync('getconf', ['PAGESIZE'], { encoding: 'utf8' }).stdout.trim()),
    );
  });
});
