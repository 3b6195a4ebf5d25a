/**
 * Filters against the real `ss`: every socket state loopback can produce is planted in a namespace of the test's own,
 * and for each expression the sockets `ss -tan EXPR` (and `-uan`, `-xa`) prints must be the sockets the parsed filter
 * selects from /proc/<pid>/net/{tcp,tcp6,udp,udp6,unix} of that namespace, read just before and just after ss.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InetSocket, SocketFilterOptions, UnixSocket } from '../../src/index.js';
import { formatSocketFilter, parseSocketFilter, parseTable } from '../../src/index.js';
import { CAN_UNSHARE } from '../cli/helpers.js';
import { type PlantedSockets, plantSockets } from '../support/planted-sockets.js';
import { ssInetKeys, ssUnixInodes } from '../support/ss.js';
import { TCP_FILTERS, UDP_FILTERS, unixFilters } from '../support/ss-filters.js';

let ns: PlantedSockets;

beforeAll(async () => {
  if (CAN_UNSHARE) ns = await plantSockets();
}, 40_000);

afterAll(async () => {
  await ns?.stop();
});

function ourInetKey(row: InetSocket): string {
  const port = (p: number) => (p === 0 ? '*' : String(p));
  return `${row.local.address}:${port(row.local.port)} ${row.remote.address}:${port(row.remote.port)}`;
}

/** Filter text as ss's arguments: each state word on its own (ss only sees them so), the expression as one. */
function argvOf(text: string): string[] {
  const words = text.split(' ');
  let i = 0;
  while (i + 1 < words.length && (words[i] === 'state' || words[i] === 'exclude')) i += 2;
  return i < words.length ? [...words.slice(0, i), words.slice(i).join(' ')] : words.slice(0, i);
}

function readInet(kinds: readonly ('tcp' | 'tcp6' | 'udp' | 'udp6')[]): InetSocket[] {
  return kinds.flatMap((kind) => parseTable(kind, ns.read(kind)) as InetSocket[]);
}

/**
 * Runs ss with `args` and the filter words, and selects with procnet from tables read before and after it (retried
 * when a socket changed in between: a SYN retransmit, a timer). Returns both sorted key lists.
 */
function compare<R>(
  ssArgs: readonly string[],
  words: readonly string[],
  read: () => R[],
  key: (row: R) => string,
  ssKeys: (stdout: string) => string[],
  select: (rows: R[]) => R[],
): { ss: string[]; ours: string[] } {
  for (let attempt = 0; ; attempt++) {
    const before = read();
    const r = ns.run('ss', [...ssArgs, ...words]);
    const after = read();
    const same = JSON.stringify(before.map(key).sort()) === JSON.stringify(after.map(key).sort());
    if (!same && attempt < 3) continue;
    expect(r.status, r.stderr).toBe(0);
    return { ss: ssKeys(r.stdout), ours: select(after).map(key).sort() };
  }
}

describe.skipIf(!CAN_UNSHARE)('filters against ss in a namespace of planted sockets', () => {
  it('sees the same TCP sockets as ss without a filter', () => {
    const { ss, ours } = compare(
      ['-tanH'],
      [],
      () => readInet(['tcp', 'tcp6']),
      ourInetKey,
      ssInetKeys,
      (r) => r,
    );
    expect(ours.length).toBeGreaterThan(60);
    expect(ours).toEqual(ss);
  });

  /** One test per filter: `ss ARGS FILTER` against procnet on the tables `kinds`. */
  const eachInet = (args: string, kinds: readonly ('tcp' | 'tcp6' | 'udp' | 'udp6')[], filters: typeof TCP_FILTERS) =>
    it.each(filters.map((words) => [words.join(' '), words] as const))(`ss ${args} %s`, (_name, words) => {
      const filter = parseSocketFilter(words.join(' '));
      const { ss, ours } = compare(
        [`${args}H`],
        words,
        () => readInet(kinds),
        ourInetKey,
        ssInetKeys,
        (rows) => rows.filter((row) => filter.matches(row)),
      );
      expect(ours).toEqual(ss);
      // The filter written back by formatSocketFilter is ss syntax too, and ss selects the same sockets with it.
      const again = compare(
        [`${args}H`],
        argvOf(formatSocketFilter(filter)),
        () => [],
        String,
        ssInetKeys,
        (r) => r,
      );
      expect(again.ss).toEqual(ss);
    });

  eachInet('-tan', ['tcp', 'tcp6'], TCP_FILTERS);
  eachInet('-uan', ['udp', 'udp6'], UDP_FILTERS);

  describe('unix sockets (ss -xa)', () => {
    const options: SocketFilterOptions = { family: 'unix' };

    it('selects what ss selects', () => {
      const rows = () => parseTable('unix', ns.read('unix')) as UnixSocket[];
      // The universe: sockets ss lists (it lists no embryos, inode 0, and no row forged by a name).
      const listed = new Set(ssUnixInodes(ns.run('ss', ['-xaH']).stdout));
      expect(listed.size).toBeGreaterThan(15);
      const counts = new Map<string, number>();
      for (const words of unixFilters(ns.dir)) {
        const filter = parseSocketFilter(words.join(' '), options);
        const { ss, ours } = compare(
          ['-xaH'],
          words,
          () => rows().filter((row) => listed.has(row.inode)),
          (row) => row.inode,
          ssUnixInodes,
          (all) => all.filter((row) => filter.matches(row)),
        );
        expect({ filter: words.join(' '), ours }).toEqual({ filter: words.join(' '), ours: ss });
        counts.set(words.join(' '), ours.length);
      }
      // Not vacuous: the patterns and states pick real sockets of the driver.
      expect(counts.get(`src unix:${ns.dir}/*`)).toBeGreaterThanOrEqual(4);
      expect(counts.get(`src ${ns.dir.toUpperCase()}/*`)).toBe(counts.get(`src ${ns.dir}/*`));
      expect(counts.get('state listening')).toBeGreaterThanOrEqual(3);
      expect(counts.get('autobound')).toBeGreaterThanOrEqual(4);
      expect(counts.get('src @pnc*')).toBeGreaterThanOrEqual(3);
    });
  });
});
