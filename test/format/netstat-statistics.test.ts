/**
 * `netstat -s` from parsed counters against the real net-tools netstat: on the fixture capture (golden files made by
 * scripts/netstat-statistics-golden.mjs, and netstat run again now), on random counter files (netstat reads them
 * through a /proc bound in a private mount namespace), and live in a namespace of planted sockets with loopback
 * traffic, where the counters and netstat are read at the same moment. Byte-identical text is required.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNetstat, parseSnmp, parseSnmp6 } from '../../src/counters/index.js';
import {
  describeNetstatStatistics,
  formatNetstatStatistics,
  type NetstatStatisticsInput,
  type NetstatStatisticsOptions,
} from '../../src/format/netstat-statistics.js';
import { CAN_UNSHARE } from '../cli/helpers.js';
import { CAN_RUN_NETSTAT_ON_FILES, type CounterFiles, netstatOnFiles } from '../support/netstat-on-files.js';
import { ROOT } from '../support/paths.js';
import { type PlantedSockets, plantSockets } from '../support/planted-sockets.js';

const CAPTURE = join(ROOT, 'fixtures/capture-2026-11-linux-6.18.44-fc-v782-x86_64');
const FILES: CounterFiles = {
  snmp: readFileSync(join(CAPTURE, 'net/snmp'), 'latin1'),
  netstat: readFileSync(join(CAPTURE, 'net/netstat'), 'latin1'),
  snmp6: readFileSync(join(CAPTURE, 'net/snmp6'), 'latin1'),
};

/** netstat's arguments, the options that mean the same, and the golden file of each. */
const RUNS: readonly [args: string, options: NetstatStatisticsOptions, golden: string][] = [
  ['-s', {}, 's.txt'],
  ['-s -6', { family: 'inet6' }, 's6.txt'],
  ['-st', { protocols: ['tcp'] }, 'st.txt'],
  ['-su', { protocols: ['udp'] }, 'su.txt'],
  ['-sw', { protocols: ['raw'] }, 'sw.txt'],
];

function parse(files: CounterFiles): NetstatStatisticsInput {
  return {
    snmp: files.snmp === undefined ? undefined : parseSnmp(files.snmp),
    netstat: files.netstat === undefined ? undefined : parseNetstat(files.netstat),
    snmp6: files.snmp6 === undefined ? undefined : parseSnmp6(files.snmp6),
  };
}

describe('formatNetstatStatistics on the fixture capture', () => {
  it.each(RUNS)('netstat %s', (args, options, golden) => {
    const expected = readFileSync(join(CAPTURE, 'netstat-s', golden), 'utf8');
    expect(formatNetstatStatistics(parse(FILES), options)).toBe(expected);
    if (CAN_RUN_NETSTAT_ON_FILES) expect(netstatOnFiles([FILES], args)[0]).toBe(expected);
  });

  it('shows the quirks it keeps, and the sentences people look for', () => {
    const text = formatNetstatStatistics(parse(FILES));
    expect(text).toContain('\n    29 active connection openings\n');
    expect(text).toContain('\n    3 segments retransmitted\n');
    // A setting netstat's own lookup misses (its table is not sorted), printed under its kernel name.
    expect(text).toContain('Ip:\n    Forwarding: 2\n');
    expect(text).toMatch(/\n {4}TCPTimeouts: \d+\n/);
    expect(text).not.toContain('other TCP timeouts');
    // IcmpMsg keeps the indent the ICMP output histogram left.
    expect(text).toMatch(/IcmpMsg:\n {8}InType/);
  });
});

describe('describeNetstatStatistics', () => {
  const sections = describeNetstatStatistics(parse(FILES));

  it('lists every counter of every section printed, with its value, sentence and line', () => {
    const snmp = parseSnmp(FILES.snmp!);
    const netstat = parseNetstat(FILES.netstat!);
    expect(sections.map((s) => s.title)).toEqual([...Object.keys(snmp), ...Object.keys(netstat)]);
    for (const section of sections) {
      const counters = section.file === 'snmp' ? snmp[section.title]! : netstat[section.title]!;
      expect(section.entries.map((e) => [e.name, e.value])).toEqual(Object.entries(counters));
    }
    const tcp = sections.find((s) => s.title === 'Tcp')!;
    expect(tcp.entries.find((e) => e.name === 'ActiveOpens')).toEqual({
      name: 'ActiveOpens',
      value: 29n,
      sentence: '29 active connection openings',
      text: '29 active connection openings',
      histogram: null,
    });
    expect(tcp.entries.find((e) => e.name === 'RtoMin')).toMatchObject({ sentence: null, text: null });
    const ip = sections.find((s) => s.title === 'Ip')!;
    expect(ip.entries.find((e) => e.name === 'FragOKs')).toMatchObject({
      sentence: '0 outgoing packets fragmented ok',
      text: null,
    });
    expect(ip.entries.find((e) => e.name === 'OutTransmits')).toMatchObject({
      sentence: null,
      text: /^OutTransmits: /,
    });
    const icmp = sections.find((s) => s.title === 'Icmp')!;
    expect(icmp.entries.find((e) => e.name === 'InDestUnreachs')?.histogram).toBe('input');
    expect(icmp.entries.find((e) => e.name === 'OutEchos')?.histogram).toBe('output');
  });

  it('gives the lines of the text, in order', () => {
    const text = formatNetstatStatistics(parse(FILES));
    const printed = sections.flatMap((s) => [
      `${s.title}:`,
      ...s.entries.flatMap((e) => (e.text === null ? [] : [e.text])),
    ]);
    const lines = text
      .trimEnd()
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => !l.endsWith('histogram:'));
    expect(lines).toEqual(printed);
  });

  it('leaves out the sections of protocols not asked for, as netstat -t does, but not the ones it has no table for', () => {
    const titles = describeNetstatStatistics(parse(FILES), { protocols: ['tcp'] }).map((s) => s.title);
    expect(titles).toEqual(['IcmpMsg', 'Tcp', 'UdpLite', 'TcpExt', 'IpExt', 'MPTcpExt']);
  });

  it('is empty without counters', () => {
    expect(formatNetstatStatistics({})).toBe('');
    expect(describeNetstatStatistics({}, { family: 'inet6' })).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------- random counter files

const snmpNames = (text: string) =>
  text
    .split('\n')
    .filter((_, i) => i % 2 === 0)
    .filter((l) => l.includes(':'))
    .map(
      (l) =>
        [
          l.slice(0, l.indexOf(':')),
          l
            .slice(l.indexOf(':') + 1)
            .trim()
            .split(' '),
        ] as const,
    );

const SNMP_GROUPS = snmpNames(FILES.snmp as string).filter(([g]) => g !== 'IcmpMsg');
const NETSTAT_GROUPS = snmpNames(FILES.netstat as string);
const SNMP6_NAMES = (FILES.snmp6 as string)
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => l.split(/\s+/)[0]!);

/** Names netstat has sentences for that this kernel does not print, and names no table has. */
const EXTRA_TCPEXT = ['TCPLoss', 'TWKilled', 'TCPDSackUndo', 'TCPSackFailures', 'TCPRenoRecoveryFail', 'TCPHPHits'];
const EXTRA_SNMP6 = ['Icmp6InType1', 'Icmp6OutType2', 'Icmp6OutRouterAdvertisements', 'Ip6InCsumErrors'];

const value = fc.oneof(
  { weight: 5, arbitrary: fc.constant(0n) },
  { weight: 4, arbitrary: fc.bigInt({ min: 1n, max: 100_000n }) },
  { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }) },
);

/** A line pair per group, as the kernel prints them (`Name: a b c` / `Name: 1 2 3`). */
function pairsText(groups: readonly (readonly [string, readonly [string, bigint][]])[]): string {
  return groups
    .map(([group, counters]) =>
      [
        `${group}:${counters.map(([n]) => ` ${n}`).join('')}`,
        `${group}:${counters.map(([, v]) => ` ${v}`).join('')}`,
      ].join('\n'),
    )
    .join('\n')
    .concat('\n');
}

const arbGroup = (group: string, names: readonly string[], candidates: readonly string[] = []) => {
  const extra = candidates.filter((n) => !names.includes(n));
  return fc
    .tuple(
      fc.array(value, { minLength: names.length, maxLength: names.length }),
      fc.subarray([...extra]),
      fc.array(value, { minLength: extra.length, maxLength: extra.length }),
    )
    .map(
      ([values, more, moreValues]) =>
        [
          group,
          [
            ...names.map((n, i): [string, bigint] => [n, values[i]!]),
            ...more.map((n, i): [string, bigint] => [n, moreValues[i]!]),
          ],
        ] as const,
    );
};

/** IcmpMsg: types seen, in the kernel's order, in line pairs of 16 (so more than 16 types make two pairs). */
const arbIcmpMsg = fc
  .uniqueArray(fc.integer({ min: 0, max: 511 }), { maxLength: 40, size: 'max' })
  .chain((types) =>
    fc.tuple(
      fc.constant(types.sort((a, b) => a - b)),
      fc.array(fc.bigInt({ min: 1n, max: 99_999n }), { minLength: types.length, maxLength: types.length }),
    ),
  )
  .map(([types, values]) => {
    const named = types.map((t, i): [string, bigint] => [`${t < 256 ? 'In' : 'Out'}Type${t & 255}`, values[i]!]);
    const pairs: (readonly [string, [string, bigint][]])[] = [];
    for (let i = 0; i < named.length; i += 16) pairs.push(['IcmpMsg', named.slice(i, i + 16)]);
    return pairs;
  });

const arbFiles: fc.Arbitrary<CounterFiles> = fc
  .tuple(
    fc.tuple(...SNMP_GROUPS.map(([g, names]) => arbGroup(g, names))),
    arbIcmpMsg,
    fc.tuple(...NETSTAT_GROUPS.map(([g, names]) => arbGroup(g, names, g === 'TcpExt' ? EXTRA_TCPEXT : []))),
    arbGroup('snmp6', SNMP6_NAMES, EXTRA_SNMP6),
  )
  .map(([snmp, icmpMsg, netstat, [, snmp6]]) => {
    // IcmpMsg sits after Icmp, as the kernel prints it.
    const at = snmp.findIndex(([g]) => g === 'Icmp') + 1;
    return {
      snmp: pairsText([...snmp.slice(0, at), ...icmpMsg, ...snmp.slice(at)]),
      netstat: pairsText(netstat),
      snmp6: snmp6.map(([n, v]) => `${n.padEnd(32)}\t${v}\n`).join(''),
    };
  });

describe.skipIf(!CAN_RUN_NETSTAT_ON_FILES)('against netstat on random counter files', () => {
  const sets = fc.sample(arbFiles, { numRuns: 40, seed: 15 });

  it.each(RUNS)('netstat %s', (args, options) => {
    const expected = netstatOnFiles(sets, args);
    const ours = sets.map((files) => formatNetstatStatistics(parse(files), options));
    for (let i = 0; i < sets.length; i++) expect({ set: i, text: ours[i] }).toEqual({ set: i, text: expected[i] });
    // The random files reach the corners: two IcmpMsg pairs, huge values, sentences and plain names.
    if (args === '-s') {
      expect(expected.some((t) => t.split('IcmpMsg:').length > 2)).toBe(true);
      expect(expected.some((t) => /\d{19}/.test(t))).toBe(true);
    }
  });
});

// ---------------------------------------------------------------------------------------------- live namespace

describe.skipIf(!CAN_UNSHARE)('against netstat -s in a namespace of planted sockets', () => {
  let ns: PlantedSockets;
  beforeAll(async () => {
    ns = await plantSockets();
  }, 40_000);
  afterAll(async () => {
    await ns?.stop();
  });

  const read = (): CounterFiles => ({
    snmp: ns.read('snmp').toString('latin1'),
    netstat: ns.read('netstat').toString('latin1'),
    snmp6: ns.read('snmp6').toString('latin1'),
  });

  it.each(RUNS)('netstat %s', (args, options) => {
    // The counters can move between the reads (a SYN retransmit, a timer): read, run netstat, read again, retry.
    for (let attempt = 0; ; attempt++) {
      const before = read();
      const r = ns.run('netstat', args.split(' '));
      const after = read();
      if (JSON.stringify(before) !== JSON.stringify(after) && attempt < 10) continue;
      expect(r.status, r.stderr).toBe(0);
      expect(JSON.stringify(before)).toBe(JSON.stringify(after));
      expect(formatNetstatStatistics(parse(after), options)).toBe(r.stdout);
      break;
    }
  });

  it('saw the traffic the sockets made', () => {
    const text = formatNetstatStatistics(parse(read()));
    expect(Number(/(\d+) active connection openings/.exec(text)?.[1])).toBeGreaterThan(20);
    expect(text).toMatch(/times the listen queue of a socket overflowed/);
  });
});
