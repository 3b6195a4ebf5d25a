/**
 * Properties of socket filters over random expressions and the real rows of the fixture capture: text round trip,
 * boolean laws, the pushed-down RowFilter never losing a row, and a columnar source built independently from the
 * kernel's hex giving the same answers as plain rows.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { ipv4FromWord, ipv6FromNetworkWords } from '../../src/decode/address.js';
import {
  deriveRowFilter,
  formatSocketFilter,
  type InetHostPattern,
  type InetSocket,
  type InetTableKind,
  parseSocketFilter,
  parseTable,
  type SocketFilterExpression,
  type SocketFilterFamily,
  type SocketFilterOptions,
  type SocketFilterSource,
  type UnixSocket,
} from '../../src/index.js';
import { ROOT } from '../support/paths.js';

const NET = join(ROOT, 'fixtures/capture-2026-11-linux-6.18.44-fc-v782-x86_64/net');
const INET_KINDS: InetTableKind[] = ['tcp', 'tcp6', 'udp', 'udp6', 'raw', 'raw6'];
const TEXT = Object.fromEntries(INET_KINDS.map((kind) => [kind, readFileSync(join(NET, kind), 'latin1')]));
const INET_ROWS = INET_KINDS.flatMap((kind) => parseTable(kind, TEXT[kind]!) as InetSocket[]);
const UNIX_ROWS = parseTable('unix', readFileSync(join(NET, 'unix'))) as UnixSocket[];
const ROWS: (InetSocket | UnixSocket)[] = [...INET_ROWS, ...UNIX_ROWS];

// Values the rows really have, so random conditions select something.
const PORTS = [...new Set(INET_ROWS.flatMap((r) => [r.local.port, r.remote.port]))];
const V4 = [
  ...new Set(INET_ROWS.filter((r) => r.family === 'IPv4').flatMap((r) => [r.local.address, r.remote.address])),
];
const V6 = [
  ...new Set(INET_ROWS.filter((r) => r.family === 'IPv6').flatMap((r) => [r.local.address, r.remote.address])),
];

const v4Word = (text: string) => text.split('.').reduce((w, b) => ((w << 8) | Number(b)) >>> 0, 0);
const u32 = fc.integer({ min: 0, max: 0xffffffff });

const arbPort = fc.oneof(fc.constantFrom(...PORTS), fc.integer({ min: 0, max: 65535 }));
const arbV4 = fc.oneof(
  fc.constantFrom(...V4),
  u32.map((w) => ipv4FromWord(w, 'big')),
);
const arbV6 = fc.oneof(
  fc.constantFrom(...V6),
  fc.tuple(u32, u32, u32, u32).map(([a, b, c, d]) => ipv6FromNetworkWords(a, b, c, d)),
  u32.map((w) => ipv6FromNetworkWords(0, 0, 0xffff, w)),
);

const arbInetHost: fc.Arbitrary<InetHostPattern> = fc.oneof(
  fc.record({
    kind: fc.constant('inet' as const),
    family: fc.constant('IPv4' as const),
    address: arbV4,
    prefixLength: fc.integer({ min: 0, max: 32 }),
    port: fc.option(arbPort),
    familyPrefix: fc.constantFrom(null, 'inet' as const),
  }),
  fc.record({
    kind: fc.constant('inet' as const),
    family: fc.constant('IPv6' as const),
    address: arbV6,
    prefixLength: fc.integer({ min: 0, max: 128 }),
    port: fc.option(arbPort),
    familyPrefix: fc.constantFrom(null, 'inet6' as const),
  }),
  fc.record({
    kind: fc.constant('inet' as const),
    family: fc.constant(null),
    address: fc.constant(null),
    prefixLength: fc.constant(0),
    port: fc.option(arbPort),
    familyPrefix: fc.constantFrom(null, 'inet' as const, 'inet6' as const),
  }),
);

const arbPattern = fc.stringMatching(/^[a-zA-Z0-9/@*?. \\[\]!-]{0,12}$/);

function arbExpression(unix: boolean): fc.Arbitrary<SocketFilterExpression> {
  const side = fc.constantFrom('local' as const, 'remote' as const);
  const leaf: fc.Arbitrary<SocketFilterExpression>[] = [
    fc.record({
      type: fc.constant('port' as const),
      side,
      operator: fc.constantFrom('=' as const, '!=' as const, '<' as const, '>' as const, '<=' as const, '>=' as const),
      port: arbPort,
      familyPrefix: fc.constantFrom(null, 'inet' as const, 'inet6' as const),
    }),
    fc.record({
      type: fc.constant('port' as const),
      side,
      operator: fc.constantFrom('=' as const, '!=' as const),
      port: fc.constant(null),
      familyPrefix: fc.constant(null),
    }),
    fc.record({
      type: fc.constant('host' as const),
      side,
      host: fc.record({
        kind: fc.constant('unix' as const),
        pattern: arbPattern,
        familyPrefix: fc.constant('unix' as const),
      }),
    }),
  ];
  if (unix) {
    leaf.push(fc.constant({ type: 'autobound' as const }));
    leaf.push(
      fc.record({
        type: fc.constant('host' as const),
        side,
        host: fc.record({
          kind: fc.constant('unix' as const),
          pattern: arbPattern.filter((p) => p !== '' && !/^(and|or|not|[()!&|]|&&|\|\|)$/.test(p)),
          familyPrefix: fc.constant(null),
        }),
      }),
    );
  } else {
    leaf.push(fc.record({ type: fc.constant('host' as const), side, host: arbInetHost }));
  }
  const { tree } = fc.letrec<{ tree: SocketFilterExpression }>((self) => ({
    tree: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      ...leaf,
      fc.record({ type: fc.constant('not' as const), operand: self('tree') }),
      fc.record({ type: fc.constantFrom('and' as const, 'or' as const), left: self('tree'), right: self('tree') }),
    ),
  }));
  return tree;
}

const arbStates = fc.option(fc.integer({ min: 0, max: 0xfff }));
const STATE_NAMES = ['unknown', 'established', 'syn-sent', 'syn-recv', 'fin-wait-1', 'fin-wait-2', 'time-wait'];
const ALL_NAMES = [...STATE_NAMES, 'closed', 'close-wait', 'last-ack', 'listening', 'closing'];
const stateWords = (mask: number | null) =>
  mask === null
    ? ''
    : mask === 0
      ? 'exclude all '
      : ALL_NAMES.filter((_, i) => mask & (1 << i))
          .map((n) => `state ${n} `)
          .join('');

/** The text of an expression, by the library's own printer. */
const text = (states: number | null, expression: SocketFilterExpression) =>
  `${stateWords(states)}${formatSocketFilter({ states: null, expression })}`;

const selected = (filterText: string, options?: SocketFilterOptions) => {
  const filter = parseSocketFilter(filterText, options);
  return ROWS.map((row) => filter.matches(row));
};

describe('socket filter properties', () => {
  test.prop([arbStates, arbExpression(false)])(
    'format, then parse, gives the same filter back',
    (states, expression) => {
      const filter = parseSocketFilter(text(states, expression));
      expect(filter.expression).toEqual(expression);
      const again = parseSocketFilter(formatSocketFilter(filter));
      expect([again.states, again.expression]).toEqual([filter.states, filter.expression]);
    },
  );

  test.prop([arbExpression(true)])(
    'the round trip holds with family unix (ss -x), autobound included',
    (expression) => {
      const options: SocketFilterOptions = { family: 'unix' };
      expect(parseSocketFilter(formatSocketFilter({ states: null, expression }), options).expression).toEqual(
        expression,
      );
    },
  );

  test.prop([arbExpression(false)])('not not x selects what x selects', (expression) => {
    const x = formatSocketFilter({ states: null, expression });
    expect(selected(`not not ( ${x} )`)).toEqual(selected(x));
  });

  test.prop([arbExpression(false), arbExpression(false)])("De Morgan's laws hold", (a, b) => {
    const [x, y] = [a, b].map((e) => formatSocketFilter({ states: null, expression: e }));
    expect(selected(`not ( ( ${x} ) or ( ${y} ) )`)).toEqual(selected(`not ( ${x} ) and not ( ${y} )`));
    expect(selected(`not ( ( ${x} ) and ( ${y} ) )`)).toEqual(selected(`not ( ${x} ) or not ( ${y} )`));
  });

  test.prop([arbStates, arbExpression(false)])(
    'the derived RowFilter never drops a row the filter keeps',
    (states, expression) => {
      const filter = parseSocketFilter(text(states, expression));
      for (const kind of INET_KINDS) {
        const all = parseTable(kind, TEXT[kind]!) as InetSocket[];
        const derived = deriveRowFilter(filter, kind);
        const pushed = parseTable(kind, TEXT[kind]!, { filter: derived }) as InetSocket[];
        expect(pushed.filter((r) => filter.matches(r))).toEqual(all.filter((r) => filter.matches(r)));
        if (derived === undefined) expect(pushed).toEqual(all);
      }
    },
  );

  test.prop([arbStates, arbExpression(false)])(
    'a columnar source built from the kernel hex gives the answers of the plain rows',
    (states, expression) => {
      const filter = parseSocketFilter(text(states, expression));
      expect(ROWS.map((_, i) => filter.matchesAt(COLUMNS, i))).toEqual(ROWS.map((row) => filter.matches(row)));
    },
  );
});

describe('derived RowFilter', () => {
  const derive = (t: string, kind: InetTableKind = 'tcp') => deriveRowFilter(parseSocketFilter(t), kind);

  test('pushes states, and the ports every match must have', () => {
    expect(derive('')).toBeUndefined();
    expect(derive('state listening')).toEqual({ states: ['LISTEN'] });
    expect(derive('state listening', 'udp')).toEqual({ states: ['unknown'] });
    expect(derive('state established', 'udp6')).toEqual({ states: ['connected'] });
    expect(derive('exclude established', 'udp')).toEqual({ states: ['unconnected', 'unknown'] });
    expect(derive('sport = :22')).toEqual({ localPorts: [22] });
    expect(derive('dport = :443 and sport > :1024')).toEqual({ remotePorts: [443] });
    expect(derive('( dport = :443 or sport = :443 )')).toEqual({ ports: [443] });
    expect(derive('dport = :80 or dport = :443')).toEqual({ remotePorts: [80, 443] });
    expect(derive('src 10.0.0.1:22 or src [::1]:2222')).toEqual({ localPorts: [22, 2222] });
    expect(derive('sport = :1 and sport = :2')).toEqual({ localPorts: [] });
    expect(derive('not sport = :22')).toBeUndefined();
    expect(derive('sport = :22 or src 10.0.0.0/8')).toBeUndefined();
    expect(derive('src inet6:*:22', 'tcp')).toEqual({ states: [] });
    expect(derive('src inet6:*:22', 'tcp6')).toEqual({ localPorts: [22] });
    expect(derive('src unix:/run/*', 'udp')).toEqual({ states: [] });
  });

  test('keeps every row of a conjunction of port alternatives (each side may hold a different port)', () => {
    const filter = parseSocketFilter('( sport = :40001 or dport = :40001 ) and ( sport = :40013 or dport = :40013 )');
    const all = (parseTable('tcp', TEXT.tcp!) as InetSocket[]).filter((r) => filter.matches(r));
    expect(all.length).toBe(2);
    const pushed = parseTable('tcp', TEXT.tcp!, { filter: deriveRowFilter(filter, 'tcp') }) as InetSocket[];
    expect(pushed.filter((r) => filter.matches(r))).toEqual(all);
  });
});

/** Unsigned words of an address column as the kernel printed it (little-endian host: each word byte-swapped). */
function wordsOfHex(hex: string): number[] {
  const words: number[] = [];
  for (let i = 0; i < hex.length; i += 8) {
    const b = hex
      .slice(i, i + 8)
      .match(/../g)!
      .reverse()
      .join('');
    words.push(Number.parseInt(b, 16));
  }
  return words;
}

/** A columnar source made from the fixture's lines directly (not through procnet's decoders). */
function columnsOf(): SocketFilterSource {
  const family: SocketFilterFamily[] = [];
  const state: number[] = [];
  const lport: number[] = [];
  const rport: number[] = [];
  const laddr: number[][] = [];
  const raddr: number[][] = [];
  const name: (string | null)[] = [];
  for (const kind of INET_KINDS) {
    for (const line of TEXT[kind]!.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 4) continue;
      const [la, lp] = f[1]!.split(':') as [string, string];
      const [ra, rp] = f[2]!.split(':') as [string, string];
      family.push(la.length === 8 ? 'IPv4' : 'IPv6');
      state.push(Number.parseInt(f[3]!, 16));
      lport.push(Number.parseInt(lp, 16));
      rport.push(Number.parseInt(rp, 16));
      laddr.push(wordsOfHex(la));
      raddr.push(wordsOfHex(ra));
      name.push(null);
    }
  }
  const unixStates: Record<number, number> = { 1: 7, 2: 2, 3: 1, 4: 11 };
  for (const row of UNIX_ROWS) {
    family.push('unix');
    state.push(row.flags & 0x10000 ? 10 : (unixStates[row.stateCode] ?? 0));
    lport.push(-1);
    rport.push(-1);
    laddr.push([]);
    raddr.push([]);
    name.push(row.path);
  }
  expect(family.length).toBe(ROWS.length);
  return {
    family: (i) => family[i]!,
    stateCode: (i) => state[i]!,
    localPort: (i) => lport[i]!,
    remotePort: (i) => rport[i]!,
    readLocalAddress: (i, into) => into.set(laddr[i]!),
    readRemoteAddress: (i, into) => into.set(raddr[i]!),
    localName: (i) => name[i]!,
    remoteName: () => null,
  };
}

const COLUMNS = columnsOf();

test('the fixture has rows of every kind the properties need', () => {
  expect(INET_ROWS.length).toBeGreaterThan(80);
  expect(UNIX_ROWS.length).toBeGreaterThan(20);
  expect(V4.map(v4Word).length).toBeGreaterThan(2);
  expect(V6.some((a) => a.startsWith('::ffff:'))).toBe(true);
});
