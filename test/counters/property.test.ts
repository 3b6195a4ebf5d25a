import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  type CounterParseOptions,
  parseNetstat,
  parseSnmp,
  parseSnmp6,
  parseSockstat,
} from '../../src/counters/index.js';
import { isProcNetParseError, type ProcNetParseError } from '../../src/errors.js';
import { formatCounterPairs, formatSnmp6, formatSockstat } from './format.js';

const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,39}$/);
const value = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n });
const counters = fc
  .uniqueArray(fc.tuple(name, value), { selector: ([key]) => key, maxLength: 40 })
  .map((entries) => Object.fromEntries(entries));
const groups = fc
  .uniqueArray(fc.tuple(fc.oneof(fc.constant('IcmpMsg'), name), counters), {
    selector: ([group]) => group,
    minLength: 1,
    maxLength: 8,
  })
  .map((entries) => Object.fromEntries(entries));

describe('round trips through the kernel format', () => {
  test.prop([groups])('snmp/netstat: any groups, names and 64-bit values', (input) => {
    const text = formatCounterPairs(input);
    expect(parseSnmp(text)).toEqual(input);
    expect(parseNetstat(new TextEncoder().encode(text))).toEqual(input);
  });

  test.prop([counters.filter((c) => Object.keys(c).length > 0)])('snmp6: any names and values', (input) => {
    expect(parseSnmp6(formatSnmp6(input))).toEqual(input);
  });

  test.prop([groups])('sockstat: any protos, keys and values', (input) => {
    // A proto with no keys prints as `PROTO:`, which parses back to an empty record.
    expect(parseSockstat(formatSockstat(input))).toEqual(input);
  });
});

type Parser = (input: string | Uint8Array, options?: CounterParseOptions) => unknown;
const PARSERS: [string, Parser][] = [
  ['parseSnmp', parseSnmp],
  ['parseNetstat', parseNetstat],
  ['parseSnmp6', parseSnmp6],
  ['parseSockstat', parseSockstat],
];

/** Every reported error must point at its offending text: line and column agree with the offset. */
function checkPosition(text: string, error: ProcNetParseError): void {
  expect(error.offset).toBeGreaterThanOrEqual(0);
  expect(error.offset).toBeLessThanOrEqual(text.length);
  const before = text.slice(0, error.offset);
  expect(error.line).toBe(before.split('\n').length);
  expect(error.column).toBe(error.offset - (before.lastIndexOf('\n') + 1) + 1);
  if (!error.text.includes('\\')) expect(text.startsWith(error.text, error.offset)).toBe(true);
}

/** Runs every parser in every mode; only ProcNetParseError may escape, and only MISSING_HEADER when not throwing. */
function checkTotal(input: string | Uint8Array): void {
  const text = typeof input === 'string' ? input : Buffer.from(input).toString('latin1');
  for (const [, parse] of PARSERS) {
    try {
      parse(input);
    } catch (error) {
      if (!isProcNetParseError(error)) throw error;
      checkPosition(text, error);
    }
    const reported: ProcNetParseError[] = [];
    try {
      parse(input, { onInvalidRow: (error) => reported.push(error) });
    } catch (error) {
      if (!isProcNetParseError(error)) throw error;
      expect(error.code).toBe('MISSING_HEADER');
    }
    for (const error of reported) {
      expect(isProcNetParseError(error)).toBe(true);
      checkPosition(text, error);
    }
  }
}

/** Small random edits of valid text: the inputs most likely to reach every error branch. */
const edited = fc
  .tuple(
    fc.oneof(groups.map(formatCounterPairs), counters.map(formatSnmp6), groups.map(formatSockstat)),
    fc.array(
      fc.tuple(fc.nat(), fc.nat({ max: 3 }), fc.constantFrom('', ' ', '\t', '\n', '\r', ':', '-', '0', '9', 'x')),
      {
        maxLength: 6,
      },
    ),
  )
  .map(([text, edits]) => {
    let out = text;
    for (const [at, remove, insert] of edits) {
      const position = out.length === 0 ? 0 : at % out.length;
      out = out.slice(0, position) + insert + out.slice(position + remove);
    }
    return out;
  });

describe('any input gives a result or a ProcNetParseError', () => {
  test.prop([fc.string({ unit: 'binary', maxLength: 300 })])('arbitrary text', checkTotal);
  test.prop([fc.uint8Array({ maxLength: 300 })])('arbitrary bytes', checkTotal);
  test.prop([edited], { numRuns: 300 })('valid files with random edits', checkTotal);
});

describe('hostile input fails fast', () => {
  it('rejects a value of a million digits without converting it', () => {
    const started = performance.now();
    const errors: string[] = [];
    parseSnmp(`Ip: A\nIp: ${'9'.repeat(1_000_000)}\n`, { onInvalidRow: (e) => errors.push(e.code) });
    parseSnmp6(`Ip6A\t${'1'.repeat(1_000_000)}\n`, { onInvalidRow: (e) => errors.push(e.code) });
    expect(errors).toEqual(['BAD_NUMBER', 'BAD_NUMBER']);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('parses 200,000 counters in one group and 200,000 snmp6 lines quickly', () => {
    const names = Array.from({ length: 200_000 }, (_, i) => `C${i}`);
    const started = performance.now();
    const netstat = parseNetstat(`TcpExt: ${names.join(' ')}\nTcpExt: ${names.map((_, i) => i).join(' ')}\n`);
    expect(netstat.TcpExt?.C199999).toBe(199999n);
    const snmp6 = parseSnmp6(names.map((n, i) => `${n.padEnd(32)}\t${i}\n`).join(''));
    expect(snmp6.C123456).toBe(123456n);
    expect(performance.now() - started).toBeLessThan(3000);
  });
});
