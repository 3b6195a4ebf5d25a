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

let ns: PlantedSockets;

beforeAll(async () => {
  if (CAN_UNSHARE) ns = await plantSockets();
}, 40_000);

afterAll(async () => {
  await ns?.stop();
});

/** ss's address column → `address:port` with brackets dropped and a dual-stack `*` written `::`. */
function ssEndpoint(text: string): string {
  const colon = text.lastIndexOf(':');
  let address = text.slice(0, colon);
  if (address.startsWith('[')) address = address.slice(1, -1);
  if (address === '*') address = '::';
  return `${address}:${text.slice(colon + 1)}`;
}

/** The rows of `ss -[tu]anH …` as `local peer` keys (the State column is left out when one state is selected). */
function ssInetKeys(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const fields = line.trim().split(/\s+/);
      const [local, peer] = /^\d+$/.test(fields[0]!) ? fields.slice(2, 4) : fields.slice(3, 5);
      return `${ssEndpoint(local!)} ${ssEndpoint(peer!)}`;
    })
    .sort();
}

function ourInetKey(row: InetSocket): string {
  const port = (p: number) => (p === 0 ? '*' : String(p));
  return `${row.local.address}:${port(row.local.port)} ${row.remote.address}:${port(row.remote.port)}`;
}

/** The inodes of `ss -xaH …` rows (names may hold spaces and newlines: each row is read from its end). */
function ssUnixInodes(stdout: string): string[] {
  const starts = [...stdout.matchAll(/^(u_str|u_dgr|u_seq) /gm)].map((m) => m.index);
  return starts
    .map((start, i) => {
      const row = stdout.slice(start, starts[i + 1] ?? stdout.length).trimEnd();
      const m = /(\d+)\s+\S+\s+(\d+)$/.exec(row);
      if (m === null) throw new Error(`unreadable ss row: ${JSON.stringify(row)}`);
      return m[1]!;
    })
    .sort();
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

/** Every operator, word form, state group and address form, on the planted TCP sockets (ports 40001–40403). */
const TCP_FILTERS: readonly (readonly string[])[] = [
  [],
  // States and groups (ss takes each as its own argument).
  ...[
    'established',
    'syn-sent',
    'syn-recv',
    'syn-rcv',
    'fin-wait-1',
    'fin-wait-2',
    'time-wait',
    'closed',
    'close',
    'unconnected',
    'close-wait',
    'last-ack',
    'listening',
    'LISTENING',
    'closing',
    'unknown',
    'all',
    'connected',
    'synchronized',
    'bucket',
    'big',
  ].map((s) => ['state', s]),
  ['exclude', 'listening'],
  ['excl', 'established'],
  ['exclude', 'bucket', 'exclude', 'listening'],
  ['state', 'time-wait', 'state', 'fin-wait-2'],
  ['exclude', 'listening', 'state', 'listening'],
  ['state', 'connected', 'exclude', 'established'],
  ['state', 'established', '( dport = :40001 or sport = :40001 )'],
  // Port operators, symbols and words.
  ...['=', '==', 'eq', '!=', 'ne', 'neq', '<', 'lt', '>', 'gt', '<=', 'le', 'leq', '>=', 'ge', 'geq'].flatMap((op) => [
    [`sport ${op} :40002`],
    [`dport ${op} :40003`],
  ]),
  ['sport :40001'],
  ['sport 40001'],
  ['sport = 0x9c41'],
  ['dport = 0116103'],
  ['sport = *'],
  ['sport != *'],
  ['dport = :*'],
  ['sport = :ssh'],
  ['dport != :http'],
  // Hosts.
  ['src 127.1.2.3'],
  ['src = 127.1.2.3'],
  ['src == 127.0.0.1'],
  ['dst eq 127.1.2.3'],
  ['src 127.1.2.3:40041'],
  ['src 127.1.2.3/32'],
  ['dst 127.0.0.0/8'],
  ['src 127.1.2/24'],
  ['src 127.1.2.3/255.255.255.0'],
  ['src 0177.1.2.3'],
  ['src 0x7f.1.2.3'],
  ['dst 0.0.0.0/0'],
  ['dst 0.0.0.0'],
  ['dst 0.0.0.0/1'],
  ['src [::1]'],
  ['src [::1]:40301'],
  ['src [::1/128]'],
  ['src ::1/128'],
  ['dst [::]'],
  ['src [::/0]'],
  ['dst [::/1]'],
  ['src [::ffff:127.0.0.1]'],
  ['dst [::ffff:127.1.2.3]'],
  ['dst [::ffff:127.0.0.0/104]'],
  ['src *:40001'],
  ['src :40001'],
  ['src 127.0.0.1:*'],
  ['src *'],
  ['src any'],
  ['src all'],
  ['dst default'],
  ['src inet:*:40401'],
  ['src inet6:*:40401'],
  ['dst inet:127.0.0.1'],
  ['sport = inet6::40401'],
  // Boolean operators, implicit and, precedence, parentheses and escaped parentheses.
  ['sport = :40001 and dport = :40013'],
  ['sport = :40001 && dport = :40013'],
  ['sport = :40001 & dport = :40013'],
  ['sport = :40001 dport = :40013'],
  ['sport = :40001 or sport = :40002'],
  ['sport = :40001 || sport = :40002'],
  ['sport = :40001 | sport = :40002'],
  ['not sport = :40001'],
  ['! sport = :40001'],
  ['not not sport = :40001'],
  ['sport = :40001 or sport = :40002 and dport = :40014'],
  ['sport = :40002 and dport = :40014 or sport = :40001'],
  ['sport = :40001 or ( sport = :40002 and dport = :40014 )'],
  ['\\( sport = :40001 or sport = :40002 \\) and dport = :40014'],
  ['not ( sport = :40001 or sport = :40002 )'],
  ['not sport = :40001 and not sport = :40002'],
  ['src 127.0.0.0/8 and not dst 127.0.0.1 or src [::1] and dport > :40310'],
  ['state', 'established', 'sport >= :40001', 'sport <= :40006'],
  // An address of the other family under `not`: ss's own check compares leading bits across families.
  ['not dst 0.0.0.0'],
  ['not src 0.0.0.0/8'],
  ['not src [::/0]'],
  ['not dst [::]'],
  ['not src 127.0.0.1'],
  ['not dst [::ffff:127.0.0.0/104]'],
  ['not src 0.0.0.0/0'],
  ['not ( src [::1] or dst 127.1.2.3 )'],
  ['state', 'fin-wait-2', 'src [::1]'],
  ['exclude', 'time-wait', 'dst 127.0.0.1 sport ge 40010'],
];

const UDP_FILTERS: readonly (readonly string[])[] = [
  [],
  ['state', 'established'],
  ['state', 'closed'],
  ['state', 'connected'],
  ['state', 'listening'],
  ['exclude', 'established'],
  ['src 127.0.0.1'],
  ['src [::1]'],
  ['sport >= :40103'],
  ['dport = :40101'],
  ['not dst 0.0.0.0'],
  ['not dst [::]'],
  ['not src [::/0] and not src 0.0.0.0/0'],
];

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
    const unixFilters = (dir: string): (readonly string[])[] => [
      [],
      ['state', 'listening'],
      ['state', 'connected'],
      ['state', 'established'],
      ['state', 'closed'],
      ['state', 'syn-sent'],
      ['exclude', 'listening'],
      [`src unix:${dir}/*`],
      [`src ${dir}/*`],
      [`src ${dir.toUpperCase()}/*`],
      [`src ${dir}/?isten.sock`],
      [`src ${dir}/[a-l]isten.sock`],
      [`src ${dir}/[!a-l]*`],
      [`src ${dir}/with\\ space.sock`],
      ['src @pnc*'],
      ['src @pnc-[[:alpha:]]*'],
      ['dst *'],
      [`dst ${dir}/*`],
      ['autobound'],
      ['not autobound'],
      ['state', 'listening', `src ${dir}/*`, 'or', 'src @*'],
    ];
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
