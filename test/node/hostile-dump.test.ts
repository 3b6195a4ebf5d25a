/**
 * Hostile dumps: links out of the dump, FIFOs, devices, sparse files of several GiB, folders where files are
 * expected, malformed and oversized `fds.json`/`env.json`, `__proto__` keys. Each read ends quickly with the exact
 * note or typed error, quotes nothing of a file it refused, gives the same result sync and async, and the process
 * survives. Everything lives in private folders made and removed by the test.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driveAsync } from '../../src/node/drive.js';
import type { ReadNote, ReadSocketsOptions, ReadSocketsResult } from '../../src/node/index.js';
import { readSocketsPlan } from '../../src/node/read-sockets.js';
import { nodeLib } from '../support/node-lib.js';
import { ROOT } from '../support/paths.js';

const SECRET = 'root:$6$SECRET-HASH-THAT-MUST-NOT-LEAK:19000:0:99999:7:::';
const TCP =
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n' +
  '   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1 0000000000000000 100 0 0 10 0\n';
const ENV = JSON.stringify({ byte_order: 'little', user_hz: 100 });
const FDS = JSON.stringify({ processes: [{ pid: 7, comm: 'srv', fds: [{ fd: 3, link: 'socket:[4242]' }] }] });
const IS_ROOT = process.geteuid?.() === 0;
const BUILT_NODE = join(ROOT, 'dist', 'node.js');

let tmp: string;
let outside: string;
let n = 0;

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'procnet-hostile-dump-'));
  chmodSync(tmp, 0o700);
  outside = join(tmp, 'outside');
  mkdirSync(outside);
  writeFileSync(join(outside, 'shadow'), `${SECRET}\n`);
  mkdirSync(join(outside, 'net'));
  writeFileSync(join(outside, 'net', 'tcp'), TCP);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A small valid dump (`net/tcp`, `env.json`, `fds.json`), changed by `change`. */
function dump(change: (dir: string) => void = () => {}): string {
  const dir = join(tmp, `d${n++}`);
  mkdirSync(join(dir, 'net'), { recursive: true });
  writeFileSync(join(dir, 'net', 'tcp'), TCP);
  writeFileSync(join(dir, 'env.json'), ENV);
  writeFileSync(join(dir, 'fds.json'), FDS);
  change(dir);
  return dir;
}

/** Replaces `dir/rel` with something else. */
function replace(dir: string, rel: string, make: (path: string) => void): void {
  rmSync(join(dir, rel), { recursive: true, force: true });
  make(join(dir, rel));
}

const fifo = (path: string) => expect(spawnSync('mkfifo', [path]).status).toBe(0);
const sparse = (size: string) => (path: string) => expect(spawnSync('truncate', ['-s', size, path]).status).toBe(0);

/** Rejects if `p` takes longer than `ms`: a read that blocks fails the test instead of hanging it. */
function within<T>(p: Promise<T>, ms = 10_000): Promise<T> {
  return Promise.race([
    p,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms)),
  ]);
}

/** The async and sync reads of a dump: they must agree; returns the result (or what both threw). */
async function readBoth(options: ReadSocketsOptions): Promise<ReadSocketsResult | Error> {
  const t = performance.now();
  let a: ReadSocketsResult | Error;
  try {
    a = await within(nodeLib.readSockets(options));
  } catch (e) {
    a = e as Error;
  }
  expect(performance.now() - t).toBeLessThan(10_000);
  let s: ReadSocketsResult | Error;
  try {
    s = nodeLib.readSocketsSync(options);
  } catch (e) {
    s = e as Error;
  }
  if (a instanceof Error) {
    expect(s).toBeInstanceOf(Error);
    expect((s as Error).message).toBe(a.message);
    expect((s as { code?: unknown }).code).toBe((a as { code?: unknown }).code);
  } else {
    expect(s).not.toBeInstanceOf(Error);
    expect((s as ReadSocketsResult).notes).toEqual(a.notes);
    expect((s as ReadSocketsResult).sockets.length).toBe(a.sockets.length);
  }
  return a;
}

const noteOf = (r: ReadSocketsResult | Error, path: string): ReadNote | undefined =>
  r instanceof Error ? undefined : r.notes.find((x) => x.path === path);

/** Nothing of the refused file's content in any note, error or message. */
function quotesNothing(r: ReadSocketsResult | Error): void {
  const text = r instanceof Error ? r.message : JSON.stringify([r.notes, r.errors.map((e) => e.message)]);
  expect(text).not.toContain('SECRET');
  expect(text).not.toContain('root:');
}

describe('links', () => {
  it('never reads a table through a link out of the dump, and names the file without quoting it', async () => {
    for (const target of [join(outside, 'shadow'), '../../outside/shadow', '/dev/zero', '/proc/self/net/tcp']) {
      const dir = dump((d) => replace(d, 'net/tcp', (p) => symlinkSync(target, p)));
      const r = await readBoth({ root: dir, kinds: ['tcp'], onInvalidRow: 'skip' });
      const note = noteOf(r, join(dir, 'net', 'tcp'));
      expect(note, target).toMatchObject({ code: 'TABLE_UNREADABLE', kind: 'tcp' });
      expect(note?.message).toBe(
        `${join(dir, 'net', 'tcp')} leads out of the dump (through a link): it was not read (OUTSIDE_DUMP)`,
      );
      expect((r as ReadSocketsResult).errors).toEqual([]);
      quotesNothing(r);
    }
  });

  it('refuses a folder of the dump that is a link out of it, and follows links that stay inside', async () => {
    const out = dump((d) => replace(d, 'net', (p) => symlinkSync(join(outside, 'net'), p)));
    const r = await readBoth({ root: out, kinds: ['tcp'] });
    expect(noteOf(r, join(out, 'net', 'tcp'))?.message).toMatch(/OUTSIDE_DUMP/);
    // A sosreport keeps proc/net -> self/net: a link inside the dump is read.
    const inside = dump((d) => {
      mkdirSync(join(d, 'saved'));
      writeFileSync(join(d, 'saved', 'tcp'), TCP);
      replace(d, 'net/tcp', (p) => symlinkSync('../saved/tcp', p));
    });
    const ok = (await readBoth({ root: inside, kinds: ['tcp'] })) as ReadSocketsResult;
    expect(ok.sockets.map((s) => s.inode)).toEqual(['4242']);
    expect(ok.notes.filter((x) => x.code === 'TABLE_UNREADABLE')).toEqual([]);
  });

  it('never reads env.json or fds.json through a link out of the dump', async () => {
    const dir = dump((d) => {
      replace(d, 'env.json', (p) => symlinkSync(join(outside, 'shadow'), p));
      replace(d, 'fds.json', (p) => symlinkSync(join(outside, 'shadow'), p));
    });
    const r = await readBoth({ root: dir, kinds: ['tcp'] });
    expect(noteOf(r, join(dir, 'env.json'))).toMatchObject({ code: 'METADATA_INVALID' });
    expect(noteOf(r, join(dir, 'env.json'))?.message).toMatch(/leads out of the dump .*\(OUTSIDE_DUMP\)$/);
    quotesNothing(r);
    const owners = await readBoth({ root: dir, kinds: ['tcp'], processes: true });
    expect(owners).toBeInstanceOf(Error);
    expect(owners).toMatchObject({ code: 'OUTSIDE_DUMP', path: join(dir, 'fds.json') });
    quotesNothing(owners);
  });
});

describe('files that are not regular files', () => {
  it('a FIFO as a table, env.json or fds.json never blocks: a note, or for fds.json an error', async () => {
    const dir = dump((d) => {
      for (const rel of ['net/tcp', 'net/udp', 'net/raw', 'net/unix', 'env.json']) replace(d, rel, fifo);
    });
    const r = await readBoth({ root: dir, kinds: ['tcp', 'udp', 'raw', 'unix'], byteOrder: 'little' });
    for (const kind of ['tcp', 'udp', 'raw', 'unix']) {
      expect(noteOf(r, join(dir, 'net', kind))?.message).toBe(
        `${join(dir, 'net', kind)} is a FIFO, not a regular file: it was not read (NOT_A_FILE)`,
      );
    }
    expect(noteOf(r, join(dir, 'env.json'))?.code).toBe('METADATA_INVALID');
    const withFds = dump((d) => replace(d, 'fds.json', fifo));
    expect(await readBoth({ root: withFds, kinds: ['tcp'], processes: true })).toMatchObject({ code: 'NOT_A_FILE' });
  });

  it('a folder, a socket file or (as root) a device node where a file is expected is refused by its type', async () => {
    const dir = dump((d) => {
      replace(d, 'net/tcp', (p) => mkdirSync(p));
      replace(d, 'env.json', (p) => mkdirSync(p));
      if (IS_ROOT) replace(d, 'net/udp', (p) => expect(spawnSync('mknod', [p, 'c', '1', '5']).status).toBe(0));
    });
    const r = await readBoth({ root: dir, kinds: ['tcp', 'udp'] });
    expect(noteOf(r, join(dir, 'net', 'tcp'))?.message).toMatch(
      /is a folder, not a regular file: it was not read \(NOT_A_FILE\)$/,
    );
    expect(noteOf(r, join(dir, 'env.json'))?.message).toMatch(/is a folder/);
    if (IS_ROOT)
      expect(noteOf(r, join(dir, 'net', 'udp'))?.message).toMatch(/is a character device, not a regular file/);
    const sock = dump();
    const server = await new Promise<import('node:net').Server>((resolve) => {
      import('node:net').then(({ createServer }) => {
        rmSync(join(sock, 'net', 'tcp'));
        const s = createServer().listen(join(sock, 'net', 'tcp'), () => resolve(s));
      });
    });
    try {
      const rs = await readBoth({ root: sock, kinds: ['tcp'] });
      expect(noteOf(rs, join(sock, 'net', 'tcp'))?.message).toMatch(/is a socket, not a regular file/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('sizes', () => {
  it('a sparse 3 GiB table is refused by its size at once, without reading it', async () => {
    const dir = dump((d) => replace(d, 'net/tcp', sparse('3G')));
    const t = performance.now();
    const r = await readBoth({ root: dir, kinds: ['tcp'] });
    expect(performance.now() - t).toBeLessThan(5000);
    expect(noteOf(r, join(dir, 'net', 'tcp'))?.message).toBe(
      `${join(dir, 'net', 'tcp')} has 3221225472 bytes, more than the 2147483648-byte limit of a table (limits.table): it was not read (FILE_TOO_LARGE)`,
    );
  });

  it('an oversized env.json is a note, an oversized fds.json an error; both without a read', async () => {
    const dir = dump((d) => {
      replace(d, 'env.json', sparse('17M'));
      replace(d, 'fds.json', sparse('300M'));
    });
    const r = await readBoth({ root: dir, kinds: ['tcp'] });
    expect(noteOf(r, join(dir, 'env.json'))).toMatchObject({ code: 'METADATA_INVALID' });
    expect(noteOf(r, join(dir, 'env.json'))?.message).toMatch(
      /more than the 16777216-byte limit of a metadata file \(limits\.metadata\)/,
    );
    const owners = await readBoth({ root: dir, kinds: ['tcp'], processes: true });
    expect(owners).toMatchObject({ code: 'FILE_TOO_LARGE', path: join(dir, 'fds.json') });
    expect((owners as Error).message).toMatch(/limit of fds\.json \(limits\.fdsJson\)/);
  });

  it('limits are options: a lower limit refuses a real table, a higher one reads it; bad limits are typed errors', async () => {
    const dir = dump();
    const low = await readBoth({ root: dir, kinds: ['tcp'], limits: { table: 100 } });
    const size = Buffer.byteLength(TCP);
    expect(noteOf(low, join(dir, 'net', 'tcp'))?.message).toMatch(
      `has ${size} bytes, more than the 100-byte limit of a table`,
    );
    const fine = (await readBoth({ root: dir, kinds: ['tcp'], limits: { table: size } })) as ReadSocketsResult;
    expect(fine.sockets).toHaveLength(1);
    await expect(nodeLib.readSockets({ root: dir, limits: { table: 0 } })).rejects.toThrow(RangeError);
    expect(() => nodeLib.readSocketsSync({ root: dir, limits: { table: 1.5 } })).toThrow(RangeError);
    expect(() => nodeLib.readSocketsSync({ root: dir, limits: { tables: 5 } as never })).toThrow(
      /unknown limit "tables"/,
    );
    expect(nodeLib.DEFAULT_READ_LIMITS).toEqual({
      table: 2 ** 31,
      counters: 2 ** 20,
      fdsJson: 256 * 2 ** 20,
      metadata: 16 * 2 ** 20,
    });
  });

  it('a live table over its limit is refused while it is read (procfs reports no size), whole or in a worker', async () => {
    for (const tableWorker of [false, true]) {
      const options = { kinds: ['unix', 'tcp'] as const, limits: { table: 10 } };
      const r = await within(driveAsync(readSocketsPlan(options, { scan: 'auto', table: tableWorker }), 32));
      for (const kind of ['unix', 'tcp']) {
        const note = r.notes.find((x) => x.kind === kind);
        expect(note?.message, `${kind} worker ${tableWorker}`).toMatch(
          /is larger than the 10-byte limit of a table \(limits\.table\): it was not read \(FILE_TOO_LARGE\)$/,
        );
      }
    }
    const s = nodeLib.readSocketsSync({ kinds: ['unix'], limits: { table: 10 } });
    expect(s.notes.find((x) => x.kind === 'unix')?.code).toBe('TABLE_UNREADABLE');
  });

  it('counter files are bounded and checked too (readCounters)', async () => {
    const dir = dump((d) => {
      replace(d, 'net/snmp', fifo);
      replace(d, 'net/netstat', sparse('2M'));
    });
    const r = await within(nodeLib.readCounters({ root: dir, files: ['snmp', 'netstat'], settings: false }));
    expect(r.notes.map((x) => [x.code, x.message])).toEqual([
      [
        'COUNTERS_UNREADABLE',
        `${join(dir, 'net', 'snmp')} is a FIFO, not a regular file: it was not read (NOT_A_FILE)`,
      ],
      [
        'COUNTERS_UNREADABLE',
        `${join(dir, 'net', 'netstat')} has 2097152 bytes, more than the 1048576-byte limit of a counter file (limits.counters): it was not read (FILE_TOO_LARGE)`,
      ],
    ]);
    expect(nodeLib.readCountersSync({ root: dir, files: ['snmp', 'netstat'], settings: false }).notes).toEqual(r.notes);
  });
});

describe('malformed metadata', () => {
  it('an fds.json that is not JSON, or not in the shape, is a TypeError naming it, never its content', async () => {
    for (const bad of [`${SECRET}\n`, '{"processes": [{"pid": "x"}]}', '{"processes": 5}', '[1,2]']) {
      const dir = dump((d) => writeFileSync(join(d, 'fds.json'), bad));
      const r = await readBoth({ root: dir, kinds: ['tcp'], processes: true });
      expect(r).toBeInstanceOf(TypeError);
      expect((r as Error).message).toContain(join(dir, 'fds.json'));
      quotesNothing(r);
    }
  });

  it('__proto__ keys in env.json and fds.json change nothing but what they say', async () => {
    const dir = dump((d) => {
      writeFileSync(
        join(d, 'env.json'),
        '{"__proto__": {"byte_order": "big", "user_hz": 1000, "page_size": 1}, "sysctl": {"__proto__": {"net.ipv6.bindv6only": "1"}}, "constructor": {"byte_order": "big"}}',
      );
      writeFileSync(
        join(d, 'fds.json'),
        '{"__proto__": {"denied": 99}, "processes": [{"__proto__": {"comm": "evil"}, "pid": 7, "fds": [{"fd": 3, "link": "socket:[4242]", "__proto__": {"fd": 9}}]}]}',
      );
    });
    const r = (await readBoth({ root: dir, kinds: ['tcp'], processes: true })) as ReadSocketsResult;
    expect(r.byteOrderSource).not.toBe('metadata');
    expect(r.userHz).toBe(100);
    expect(r.sockets[0]?.owners).toEqual([{ pid: 7, fd: 3, comm: null, cmdline: null, uid: null }]);
    expect(r.processes).toMatchObject({ denied: 0 });
    const c = await nodeLib.readCounters({ root: dir, files: [] });
    expect(c.settings.bindv6only).toBeUndefined();
    expect(c.settings.pageSize).toBeUndefined();
    expect(({} as Record<string, unknown>).byte_order).toBeUndefined();
    expect(({} as Record<string, unknown>)['net.ipv6.bindv6only']).toBeUndefined();
  });
});

describe.runIf(existsSync(BUILT_NODE))('the sync reader in a child process', () => {
  it('survives FIFOs, links and sparse files and answers in bounded time', () => {
    const dir = dump((d) => {
      replace(d, 'net/tcp', fifo);
      replace(d, 'net/udp', (p) => symlinkSync('/dev/zero', p));
      replace(d, 'net/raw', sparse('5G'));
      replace(d, 'env.json', fifo);
    });
    const script = `import(${JSON.stringify(BUILT_NODE)}).then((m) => { const r = m.readSocketsSync({ root: ${JSON.stringify(dir)}, kinds: ['tcp', 'udp', 'raw'] }); console.log(JSON.stringify(r.notes.map((x) => x.message))); })`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(r.signal).toBeNull();
    expect(r.status, r.stderr).toBe(0);
    const messages = JSON.parse(r.stdout) as string[];
    expect(messages.some((m) => m.endsWith('(NOT_A_FILE)'))).toBe(true);
    expect(messages.some((m) => m.endsWith('(OUTSIDE_DUMP)'))).toBe(true);
    expect(messages.some((m) => m.endsWith('(FILE_TOO_LARGE)'))).toBe(true);
  });
});
