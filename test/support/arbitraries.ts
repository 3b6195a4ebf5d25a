/** fast-check arbitraries for socket records of every inet kind, in canonical form. */
import fc from 'fast-check';
import type { Endpoint, InetSocket, InetTableKind } from '../../src/index.js';
import { lib } from './lib.js';

const u32 = fc.integer({ min: 0, max: 0xffffffff });
const port = fc.integer({ min: 0, max: 0xffff });

export const ipv4Text = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((b) => b.join('.'));

/** IPv6 text canonicalised by the WHATWG URL parser (an independent implementation of RFC 5952 compression). */
export const ipv6Bytes = fc.oneof(
  fc.uint8Array({ minLength: 16, maxLength: 16 }),
  // Addresses with long zero runs, which exercise '::' placement.
  fc
    .tuple(
      fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 }),
      fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
    )
    .map(([g, z]) => {
      const out = new Uint8Array(16);
      g.forEach((v, i) => {
        const w = z[i] ? 0 : v;
        out[i * 2] = w >> 8;
        out[i * 2 + 1] = w & 255;
      });
      return out;
    }),
);

export function groupsOf(bytes: Uint8Array): string {
  const g: string[] = [];
  for (let i = 0; i < 16; i += 2) g.push((((bytes[i] as number) << 8) | (bytes[i + 1] as number)).toString(16));
  return g.join(':');
}

export function urlCanonical(bytes: Uint8Array): string {
  return new URL(`http://[${groupsOf(bytes)}]/`).hostname.slice(1, -1);
}

/** Canonical text as procnet promises it: URL's form, except IPv4-mapped addresses keep the dotted quad. */
export function canonicalV6(bytes: Uint8Array): string {
  const mapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  return mapped ? `::ffff:${bytes[12]}.${bytes[13]}.${bytes[14]}.${bytes[15]}` : urlCanonical(bytes);
}

const v6Text = fc.oneof(
  ipv6Bytes.map(canonicalV6),
  ipv4Text.map((a) => `::ffff:${a}`),
  fc.constantFrom('::', '::1'),
);

const endpoint = (family: 'IPv4' | 'IPv6'): fc.Arbitrary<Endpoint> =>
  fc.record({ address: family === 'IPv4' ? ipv4Text : v6Text, port, family: fc.constant(family) });

const hexToken = (len: number) =>
  fc.array(fc.constantFrom(...'0123456789abcdef'), { minLength: len, maxLength: len }).map((a) => a.join(''));
const inode = fc.oneof(fc.nat().map(String), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map(String));
const extra = fc.array(fc.stringMatching(/^[0-9a-z]{1,6}$/), { maxLength: 3 });
const timerTicks = fc.oneof(u32, fc.integer({ min: -100000, max: -1 }));

export const INET_KINDS = Object.keys(lib.INET_TABLES) as InetTableKind[];

function base(kind: InetTableKind) {
  const { protocol, family } = lib.INET_TABLES[kind];
  return fc.record({
    kind: fc.constant(kind),
    protocol: fc.constant(protocol),
    family: fc.constant(family),
    slot: fc.nat(1_000_000),
    local: endpoint(family),
    remote: endpoint(family),
    txQueue: u32,
    rxQueue: u32,
    retransmits: u32,
    uid: u32,
    probes: fc.nat(1000),
    inode,
    refcount: fc.nat(100000),
    pointer: fc.oneof(hexToken(16), hexToken(8)),
  });
}

/** A socket record of the given kind, exactly as the parser would build it. */
export function socketOf(kind: InetTableKind): fc.Arbitrary<InetSocket> {
  const { protocol } = lib.INET_TABLES[kind];
  const timer = (code: fc.Arbitrary<number>) =>
    fc.record({ code, ticks: timerTicks }).map(({ code, ticks }) => ({
      kind: lib.decodeTimerKind(code),
      code,
      ticks,
      ms: ticks * 10,
    }));
  if (protocol === 'tcp') {
    const full = fc
      .record({
        b: base(kind),
        stateCode: fc.nat(255),
        timer: timer(fc.nat(255)),
        extra,
        rto: fc.nat(100000),
        ato: fc.nat(100000),
        qp: fc.nat(255),
        cwnd: fc.nat(100000),
        last: fc.integer({ min: -1, max: 100000 }),
      })
      .map(({ b, stateCode, timer, extra, rto, ato, qp, cwnd, last }) => ({
        ...b,
        record: 'socket' as const,
        state: lib.decodeTcpState(stateCode),
        stateCode,
        timer,
        extra,
        rtoMs: rto * 10,
        atoMs: ato * 10,
        quickAck: qp >>> 1,
        pingpong: (qp & 1) === 1,
        cwnd,
        ssthresh: stateCode === 10 || last < 0 ? null : last,
        fastOpenQueueLimit: stateCode === 10 ? last : null,
      }));
    const short = fc
      .record({ b: base(kind), tw: fc.boolean(), ticks: timerTicks, stateCode: fc.nat(255) })
      .map(({ b, tw, ticks, stateCode }) => ({
        ...b,
        record: tw ? ('timewait' as const) : ('request' as const),
        state: lib.decodeTcpState(stateCode),
        stateCode,
        timer: { kind: tw ? ('timewait' as const) : ('retransmit' as const), code: tw ? 3 : 1, ticks, ms: ticks * 10 },
        extra: [],
      }));
    return fc.oneof(full, short) as fc.Arbitrary<InetSocket>;
  }
  return fc
    .record({
      b: base(kind),
      stateCode: fc.nat(255),
      timer: timer(fc.nat(255)),
      drops: fc.option(u32, { nil: null }),
      extra,
      ipProtocol: fc.nat(255),
    })
    .map(({ b, stateCode, timer, drops, extra, ipProtocol }) => {
      const state = stateCode === 1 ? 'connected' : stateCode === 7 ? 'unconnected' : 'unknown';
      // Extras only exist after a drops column.
      const row = { ...b, state, stateCode, timer, drops, extra: drops === null ? [] : extra };
      if (protocol === 'raw') return { ...row, local: { ...row.local, port: 0 }, ipProtocol };
      return row;
    }) as fc.Arbitrary<InetSocket>;
}

/**
 * The rows of one table: every pointer of a table has the same width (16 hex digits from a 64-bit kernel, 8 from a
 * 32-bit one), so the rows get one width between them.
 */
export function tableRowsOf(
  kind: InetTableKind,
  constraints: { minLength?: number; maxLength: number },
): fc.Arbitrary<InetSocket[]> {
  return fc
    .tuple(fc.constantFrom(8, 16), fc.array(socketOf(kind), constraints))
    .map(([width, rows]) => rows.map((r) => ({ ...r, pointer: r.pointer.padStart(16, '0').slice(16 - width) })));
}
