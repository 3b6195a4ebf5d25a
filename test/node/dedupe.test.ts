/**
 * A live read can repeat rows (the kernel rebuilds its position between read() calls): one socket each, and the
 * count of what was dropped.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { afterAll, describe, expect, it } from 'vitest';
import { formatTable } from '../../src/format/kernel.js';
import type { InetSocket, InetTableKind, UnixSocket } from '../../src/index.js';
import { dropUnixRepeats, InetRepeats } from '../../src/tables/repeats.js';
import { inetRowsFeed } from '../../src/tables/table-feed.js';
import { lib } from '../support/lib.js';
import { nodeLib } from '../support/node-lib.js';
import { ROOT, SPEC_CAPTURE } from '../support/paths.js';
import { withoutRepeats } from '../support/repeats.js';

const tmp = mkdtempSync(join(tmpdir(), 'procnet-dedupe-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const lines = readFileSync(`${SPEC_CAPTURE}proc-net-tcp`, 'latin1').split('\n');
const header = lines[0] as string;
const rows = lines.slice(1).filter((l) => l.trim() !== '');
const listener = rows.find((l) => / 0A /.test(l)) as string;
const timeWait = rows.filter((l) => / 06 /.test(l) || / 05 00000000:00000000 03:/.test(l));

function dumpOf(table: string[]): string {
  const dir = mkdtempSync(join(tmp, 'd-'));
  mkdirSync(join(dir, 'net'));
  writeFileSync(join(dir, 'net/tcp'), `${[header, ...table].join('\n')}\n`);
  return dir;
}

describe('duplicate rows', () => {
  it('a table with a repeated row gives one socket and duplicatesDropped: 1', async () => {
    const r = await nodeLib.readSockets({ root: dumpOf([listener, rows[1] as string, listener]), kinds: ['tcp'] });
    expect(r.duplicatesDropped).toBe(1);
    expect(r.sockets).toHaveLength(2);
    expect(
      r.sockets.filter((s) => s.inode === lib.parseTable('tcp', `${header}\n${listener}\n`)[0]?.inode),
    ).toHaveLength(1);
  });

  it('matches inode-less rows (TIME_WAIT) by addresses, state and pointer, and keeps distinct ones', async () => {
    expect(timeWait.length).toBeGreaterThanOrEqual(2);
    const [a, b] = timeWait as [string, string];
    // The same row again with another `sl` (the running row number differs between reads).
    const again = a.replace(/^\s*\d+:/, ' 999:');
    const r = await nodeLib.readSockets({ root: dumpOf([a, b, again, b]), kinds: ['tcp'] });
    expect(r.duplicatesDropped).toBe(2);
    expect(r.sockets.map((s) => s.inode)).toEqual(['0', '0']);
    expect(r.sockets[0]?.local).not.toEqual(r.sockets[1]?.local);
  });

  it('keeps every row of a table without repeats (the 6.18 capture)', async () => {
    const r = await nodeLib.readSockets({ root: dumpOf(rows), kinds: ['tcp'] });
    expect(r.duplicatesDropped).toBe(0);
    expect(r.sockets).toHaveLength(rows.length);
  });
});

describe('dropUnixRepeats', () => {
  const unix = (over: Partial<UnixSocket>): UnixSocket => ({
    kind: 'unix',
    pointer: '00000000d843f6d1',
    refcount: 2,
    protocol: 0,
    flags: 0,
    listening: false,
    type: 'stream',
    typeCode: 1,
    state: 'connected',
    stateCode: 3,
    inode: '104034',
    path: '/run/a.sock',
    pathBytes: null,
    abstract: false,
    suspicious: [],
    line: 2,
    ...over,
  });

  it('drops a repeated row and the duplicate-inode reason that only the repeat explained', () => {
    const list = [
      unix({ suspicious: ['duplicate-inode'] }),
      unix({ inode: '5', path: null }),
      unix({ suspicious: ['duplicate-inode'], line: 9 }),
    ];
    expect(dropUnixRepeats(list)).toBe(1);
    expect(list.map((s) => [s.inode, s.suspicious])).toEqual([
      ['104034', []],
      ['5', []],
    ]);
  });

  it('never merges a row after a newline path (possibly forged), nor hidden-pointer embryos', () => {
    const forged = [
      unix({ suspicious: ['duplicate-inode'] }),
      unix({ suspicious: ['after-newline-path', 'duplicate-inode'], line: 4 }),
    ];
    expect(dropUnixRepeats(forged)).toBe(0);
    expect(forged[0]?.suspicious).toEqual(['duplicate-inode']);
    const embryos = [
      unix({ inode: '0', pointer: '0000000000000000' }),
      unix({ inode: '0', pointer: '0000000000000000' }),
    ];
    expect(dropUnixRepeats(embryos)).toBe(0);
    const hashed = [unix({ inode: '0', pointer: '00000000aa' }), unix({ inode: '0', pointer: '00000000aa' })];
    expect(dropUnixRepeats(hashed)).toBe(1);
  });
});

describe('InetRepeats: the repeats of an inet table dropped as its lines are decoded', () => {
  const capture = join(
    ROOT,
    'fixtures',
    readdirSync(join(ROOT, 'fixtures')).find(
      (n) => n.startsWith('capture-') && !n.endsWith('-as-big-endian'),
    ) as string,
  );
  const reference = withoutRepeats;
  /**
   * A pool per kind: the capture's rows, copies of them (equal, not the same objects) with another `sl`, and
   * inode-less near-twins that differ in one identity field (distinct sockets).
   */
  function pool(kind: InetTableKind): InetSocket[] {
    const rows = lib.parseTable(kind, readFileSync(join(capture, 'net', kind))) as InetSocket[];
    const out: InetSocket[] = [...rows];
    for (const r of rows.slice(0, 40)) {
      out.push({ ...structuredClone(r), slot: r.slot + 1000 });
      const zero = { ...structuredClone(r), inode: '0' } as InetSocket;
      const p = zero.pointer;
      const otherPointer = `${p.slice(0, -1)}${p.endsWith('1') ? '2' : '1'}`;
      // The same pointer printed in capitals (not as %pK prints): compared as its text.
      out.push(zero, { ...zero, stateCode: zero.stateCode + 1 }, { ...zero, pointer: otherPointer });
      out.push({ ...zero, pointer: `${p.slice(0, -1)}A` }, { ...zero, pointer: `${p.slice(0, -1)}a` });
      out.push({ ...zero, local: { ...zero.local, port: (zero.local.port + 1) & 0xffff } });
      out.push({ ...zero, remote: { ...zero.remote, port: (zero.remote.port + 1) & 0xffff } });
    }
    return out;
  }
  const pools = Object.fromEntries((['tcp', 'tcp6', 'udp', 'udp6', 'raw'] as const).map((k) => [k, pool(k)])) as Record<
    string,
    InetSocket[]
  >;

  /** The table's text through a rows feed with repeats dropped: the rows kept, and how many were dropped. */
  function fed(kind: InetTableKind, rows: InetSocket[]): { rows: InetSocket[]; dropped: number } {
    const repeats = new InetRepeats();
    const feed = inetRowsFeed(kind, {}, repeats);
    feed.push(Buffer.from(formatTable(kind, rows as never), 'latin1'));
    feed.end();
    return { rows: feed.take(), dropped: repeats.dropped };
  }

  test.prop(
    [fc.constantFrom('tcp', 'tcp6', 'udp', 'udp6', 'raw'), fc.array(fc.nat(), { minLength: 1, maxLength: 600 })],
    { numRuns: 200 },
  )('keeps exactly the rows a Set of key strings keeps, in order', (kind, picks) => {
    const from = pools[kind] as InetSocket[];
    const text = formatTable(kind, picks.map((p) => from[p % from.length] as InetSocket) as never);
    const all = lib.parseTable(kind, text) as InetSocket[];
    const expected = reference(all);
    const got = fed(kind, all);
    expect(got.dropped).toBe(all.length - expected.length);
    expect(got.rows).toEqual(expected);
  });

  it('drops every repeat of a large table and keeps the first of each', () => {
    const base = pools.tcp as InetSocket[];
    const picked: InetSocket[] = [];
    for (let i = 0; i < 50_000; i++) picked.push(base[(i * 7919) % base.length] as InetSocket);
    const all = lib.parseTable('tcp', formatTable('tcp', picked as never)) as InetSocket[];
    const expected = reference(all);
    const got = fed('tcp', all);
    expect(got.dropped).toBe(50_000 - expected.length);
    expect(got.rows).toEqual(expected);
  });
});
