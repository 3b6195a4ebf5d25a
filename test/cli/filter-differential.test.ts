/**
 * The command's filters against the real `ss`, through the command this time: every socket state loopback can produce
 * is planted in a namespace of the test's own (scripts/capture-sockets.py), and for each filter of
 * test/support/ss-filters.ts (every operator, state group and address form) the rows `procnet --pid P -tan FILTER`
 * prints must be the rows `ss -tan FILTER` prints in that namespace (also `-uan`, `-xa`, and `--json`, `--ndjson`).
 * The command runs in-process (its option parser and listing, as `procnet` calls them) for the many filters, and as
 * the built binary for a few.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runList } from '../../src/cli/list.js';
import { parseArgs } from '../../src/cli/options.js';
import { parseTable } from '../../src/index.js';
import { captureIo } from '../doctor/scenario.js';
import { type PlantedSockets, plantSockets } from '../support/planted-sockets.js';
import { ssEndpoint, ssInetKeys, ssUnixInodes } from '../support/ss.js';
import { TCP_FILTERS, UDP_FILTERS, unixFilters } from '../support/ss-filters.js';
import { BUILT, CAN_UNSHARE, lines, procnet } from './helpers.js';

let ns: PlantedSockets;

beforeAll(async () => {
  if (CAN_UNSHARE) ns = await plantSockets();
}, 40_000);

afterAll(async () => {
  await ns?.stop();
});

/** The rows of procnet's inet table (`-n`) as the same keys; UDP-Lite rows left out (ss -u does not list them). */
function ourInetKeys(stdout: string): string[] {
  return lines(stdout)
    .filter((l) => /^(tcp|udp)6? /.test(l))
    .map((l) => {
      const f = l.split(/\s+/);
      return `${ssEndpoint(f[3] as string)} ${ssEndpoint(f[4] as string)}`;
    })
    .sort();
}

/** The inodes of procnet's unix table (every name escaped, so one row is one line). */
function ourUnixInodes(stdout: string): string[] {
  return lines(stdout)
    .map((l) => /^unix +\d+ +\[[^\]]*\] +\S+ +(?:[A-Z]+ +)?(\d+)(?: |$)/.exec(l)?.[1])
    .filter((inode): inode is string => inode !== undefined)
    .sort();
}

/**
 * Runs the command in-process, as `procnet ARGS` would, and returns its stdout. Its stderr must be empty for inet
 * tables (unix rows that could be planted text may get a footnote there).
 */
async function ours(args: readonly string[]): Promise<string> {
  const { io, stdout, stderr } = captureIo();
  await runList(io, parseArgs(['--pid', String(ns.pid), ...args]));
  if (!args.includes('-xa')) expect(stderr()).toBe('');
  return stdout();
}

/** A fingerprint of the tables, to see that nothing changed while ss and procnet read them. */
function tables(files: readonly string[]): string {
  return files
    .map((f) =>
      (f === 'unix' ? parseTable('unix', ns.read(f)) : parseTable(f as 'tcp', ns.read(f)))
        .map((r) =>
          'local' in r ? `${r.local.address}:${r.local.port} ${r.remote.address}:${r.remote.port} ${r.state}` : r.inode,
        )
        .sort()
        .join(','),
    )
    .join('|');
}

/** ss's and procnet's keys for one filter, read while the tables stood still (retried when a socket moved). */
async function both(
  ssArgs: readonly string[],
  ourArgs: readonly string[],
  words: readonly string[],
  files: readonly string[],
  ssKeys: (s: string) => string[],
  ourKeys: (s: string) => string[],
): Promise<{ ss: string[]; ours: string[] }> {
  for (let attempt = 0; ; attempt++) {
    const before = tables(files);
    const r = ns.run('ss', [...ssArgs, ...words]);
    const mine = await ours([...ourArgs, ...words]);
    if (before !== tables(files) && attempt < 3) continue;
    expect(r.status, r.stderr).toBe(0);
    return { ss: ssKeys(r.stdout), ours: ourKeys(mine) };
  }
}

describe.skipIf(!CAN_UNSHARE)('procnet FILTER = ss FILTER in a namespace of planted sockets', () => {
  const eachInet = (
    ssArgs: string,
    ourArgs: readonly string[],
    files: readonly string[],
    filters: typeof TCP_FILTERS,
  ) =>
    it.each(filters.map((words) => [words.join(' '), words] as const))(
      `procnet ${ourArgs.join(' ')} %s`,
      async (_n, words) => {
        const r = await both([ssArgs], ourArgs, words, files, ssInetKeys, ourInetKeys);
        expect(r.ours).toEqual(r.ss);
      },
    );

  eachInet('-tanH', ['-tan'], ['tcp', 'tcp6'], TCP_FILTERS);
  eachInet('-uanH', ['-uan'], ['udp', 'udp6'], UDP_FILTERS);

  it('is not vacuous: the filters select some sockets and leave out others', async () => {
    const all = ourInetKeys(await ours(['-tan']));
    expect(all.length).toBeGreaterThan(60);
    const established = ourInetKeys(await ours(['-tan', 'state', 'established']));
    expect(established.length).toBeGreaterThan(5);
    expect(established.length).toBeLessThan(all.length);
    // A filter's states replace -l and -a: `-t state listening` lists the listeners although -t alone lists none.
    expect(ourInetKeys(await ours(['-t']))).not.toContainEqual(expect.stringMatching(/:\* /));
    expect(ourInetKeys(await ours(['-t', 'state', 'listening'])).length).toBeGreaterThan(5);
  });

  it('selects the same unix sockets as ss -xa (name patterns, states, autobound)', async () => {
    // The universe: sockets ss lists (it lists no embryos, inode 0, and no row forged by a name).
    const listed = new Set(ssUnixInodes(ns.run('ss', ['-xaH']).stdout));
    expect(listed.size).toBeGreaterThan(15);
    let nonEmpty = 0;
    for (const words of unixFilters(ns.dir)) {
      const r = await both(['-xaH'], ['-xa'], words, ['unix'], ssUnixInodes, ourUnixInodes);
      const mine = r.ours.filter((inode) => listed.has(inode));
      expect({ filter: words.join(' '), ours: mine }).toEqual({ filter: words.join(' '), ours: r.ss });
      if (mine.length > 0) nonEmpty++;
    }
    expect(nonEmpty).toBeGreaterThan(10);
  });

  it('filters --json, --ndjson and the sorted table the same way', async () => {
    for (const words of [
      ['state', 'established', '( dport = :40001 or sport = :40001 )'],
      ['dst [::1]'],
      ['sport gt :40300'],
    ]) {
      const ss = ssInetKeys(ns.run('ss', ['-tanH', ...words]).stdout);
      expect(ss.length).toBeGreaterThan(0);
      const key = (s: { local: { address: string; port: number }; remote: { address: string; port: number } }) =>
        `${s.local.address}:${s.local.port || '*'} ${s.remote.address}:${s.remote.port || '*'}`;
      const json = JSON.parse(await ours(['-tan', '--json', ...words])) as Parameters<typeof key>[0][];
      expect(json.map(key).sort()).toEqual(ss);
      const nd = lines(await ours(['-tan', '--ndjson', ...words])).map(
        (l) => JSON.parse(l) as Parameters<typeof key>[0],
      );
      expect(nd.map(key).sort()).toEqual(ss);
      expect(ourInetKeys(await ours(['-tan', '--sort', 'queue', ...words]))).toEqual(ss);
    }
  });

  it.skipIf(!BUILT)('filters the same through the built command, whose words come from the shell', () => {
    for (const words of [
      ['state', 'established', '( dport = :40001 or sport = :40001 )'],
      ['exclude', 'bucket', 'exclude', 'listening'],
      ['src', '127.0.0.0/8', 'and', 'not', 'dst', '127.0.0.1'],
      ['\\(', 'sport', '=', ':40001', 'or', 'sport', '=', ':40002', '\\)', 'and', 'dport', '=', ':40014'],
    ]) {
      const ss = ns.run('ss', ['-tanH', ...words]);
      const r = procnet(['--pid', String(ns.pid), '-tan', ...words]);
      expect(r.status, r.stderr).toBe(0);
      expect(ourInetKeys(r.stdout), words.join(' ')).toEqual(ssInetKeys(ss.stdout));
    }
    // A lone port number: a listener on it and the connections to and from it.
    const port = procnet(['--pid', String(ns.pid), '-tan', '40001']);
    expect(ourInetKeys(port.stdout)).toEqual(
      ssInetKeys(ns.run('ss', ['-tanH', '( sport = :40001 or dport = :40001 )']).stdout),
    );
  });
});
