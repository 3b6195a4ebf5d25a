/**
 * Hostile and broken input: typed errors with positions inside the input, never another exception,
 * never a hang (smol-toml's "dos" tests are the model).
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { InetTableKind, ProcNetParseError } from '../../src/index.js';
import { INET_KINDS } from '../support/arbitraries.js';
import { lib } from '../support/lib.js';

const HEADER = lib.TABLE_HEADERS.tcp;
const ROW =
  '   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1234 1 0000000000000000 100 0 0 10 0';
const TW =
  '   1: 0100007F:1F90 0100007F:A000 06 00000000:00000000 03:00001770 00000000     0        0 0 3 000000002204cced';

function timed<T>(fn: () => T): { value: T; ms: number } {
  const t = performance.now();
  const value = fn();
  return { value, ms: performance.now() - t };
}

/** Parses leniently and returns the rows and errors. */
function lenient<K extends InetTableKind>(kind: K, input: string | Uint8Array) {
  const errors: ProcNetParseError[] = [];
  const rows = lib.parseTable(kind, input, { onInvalidRow: (e) => errors.push(e) });
  return { rows, errors };
}

describe('hostile input', () => {
  it('a 10 MB line gives one typed error quickly', () => {
    const line = `   0: ${'A'.repeat(10 * 1024 * 1024)}`;
    const { value, ms } = timed(() => lenient('tcp', `${HEADER}\n${line}\n${ROW}\n`));
    expect(value.rows).toHaveLength(1);
    expect(value.errors).toHaveLength(1);
    expect(value.errors[0]).toMatchObject({ code: 'BAD_ADDRESS', line: 2, column: 7 });
    expect(value.errors[0]?.text.length).toBeLessThanOrEqual(81);
    expect(ms).toBeLessThan(2000);
  });

  it('a million empty lines are skipped quickly', () => {
    const { value, ms } = timed(() => lib.parseTable('tcp', `${HEADER}\n${'\n'.repeat(1_000_000)}${ROW}\n`));
    expect(value).toHaveLength(1);
    expect(ms).toBeLessThan(2000);
  });

  it('a header alone is an empty table', () => {
    for (const kind of INET_KINDS) expect(lib.parseTable(kind, `${lib.TABLE_HEADERS[kind]}\n`)).toEqual([]);
  });

  it('empty input and a missing header are MISSING_HEADER; lenient mode still parses the rows', () => {
    expect(() => lib.parseTable('tcp', '')).toThrow(expect.objectContaining({ code: 'MISSING_HEADER', line: 1 }));
    expect(() => lib.parseTable('tcp', `${ROW}\n`)).toThrow(expect.objectContaining({ code: 'MISSING_HEADER' }));
    const { rows, errors } = lenient('tcp', `${ROW}\n${TW}\n`);
    expect(rows.map((r) => r.record)).toEqual(['socket', 'timewait']);
    expect(errors.map((e) => e.code)).toEqual(['MISSING_HEADER']);
  });

  it('a foreign first line is UNKNOWN_HEADER, also for the wrong family', () => {
    expect(() => lib.parseTable('tcp', 'Num       RefCount Protocol Flags    Type St Inode Path\n')).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_HEADER', line: 1 }),
    );
    expect(() => lib.parseTable('tcp', `${lib.TABLE_HEADERS.tcp6}\n`)).toThrow(/header of an IPv6 table/);
    expect(() => lib.parseTable('udp6', `${lib.TABLE_HEADERS.udp}\n`)).toThrow(/header of an IPv4 table/);
  });

  it('a row cut short at the end of the input is TRUNCATED_ROW', () => {
    for (const cut of [ROW.slice(0, 40), ROW.slice(0, ROW.length - 6), TW.slice(0, TW.length - 3)]) {
      const { rows, errors } = lenient('tcp', `${HEADER}\n${ROW}\n${cut}`);
      expect(rows).toHaveLength(1);
      expect(
        errors.map((e) => e.code),
        cut,
      ).toEqual(['TRUNCATED_ROW']);
      expect(errors[0]?.line).toBe(3);
    }
    // The same short row followed by a newline is not a truncated dump but a malformed row.
    expect(lenient('tcp', `${HEADER}\n${ROW.slice(0, 36)}\n${ROW}\n`).errors[0]?.code).toBe('FIELD_COUNT');
    expect(lenient('tcp', `${HEADER}\n${ROW.slice(0, 40)}\n${ROW}\n`).errors[0]?.code).toBe('BAD_SEPARATOR');
  });

  it('names the field and column of bad values', () => {
    const bad = (from: string, to: string) => lenient('tcp', `${HEADER}\n${ROW.replace(from, to)}\n`).errors[0];
    expect(bad(' 0A ', ' 0Z ')).toMatchObject({ code: 'BAD_HEX', field: 'st', column: 35 });
    expect(bad(' 1234 ', ' 12x4 ')).toMatchObject({ code: 'BAD_NUMBER', field: 'inode' });
    expect(bad('00000000:00000000', '0000000000000000')).toMatchObject({ code: 'BAD_SEPARATOR', field: 'tx_queue' });
    expect(bad('00000000:00000000', '0000000G:00000000')).toMatchObject({ code: 'BAD_HEX', field: 'tx_queue' });
    expect(bad('   0:', '   0 ')).toMatchObject({ code: 'BAD_SEPARATOR', field: 'sl' });
    expect(bad(':1F90', ':1F9000')).toMatchObject({ code: 'BAD_ADDRESS', field: 'local_address' });
  });

  it('one bad row never discards the table: skip keeps every good row', () => {
    const text = `${HEADER}\n${ROW}\ngarbage here\n${TW}\n${ROW.replace('0A', 'XX')}\n${ROW}\n`;
    expect(lib.parseTable('tcp', text, { onInvalidRow: 'skip' })).toHaveLength(3);
    expect(lenient('tcp', text).errors.map((e) => e.line)).toEqual([3, 5]);
    expect(() => lib.parseTable('tcp', text)).toThrow(expect.objectContaining({ line: 3 }));
  });

  it('an unknown TCP state is UNKNOWN with its code, never an error', () => {
    const [row] = lib.parseTable('tcp', `${HEADER}\n${ROW.replace(' 0A ', ' 0D ')}\n`);
    expect(row).toMatchObject({ state: 'UNKNOWN', stateCode: 13 });
  });

  test.prop([fc.string({ maxLength: 400 }), fc.constantFrom(...INET_KINDS)], { numRuns: 400 })(
    'arbitrary text gives rows or ProcNetParseError, with positions inside the input',
    (text, kind) => checkAnyInput(kind, text),
  );

  test.prop([fc.uint8Array({ maxLength: 400 }), fc.constantFrom(...INET_KINDS)], { numRuns: 400 })(
    'arbitrary bytes give rows or ProcNetParseError, with positions inside the input',
    (bytes, kind) => checkAnyInput(kind, bytes),
  );

  test.prop(
    [
      fc.array(
        fc.constantFrom(' ', '\n', ':', '0', '1', 'A', 'F', '-', '\t', '0100007F', '00000000000000000000000001000000'),
        { maxLength: 200 },
      ),
    ],
    { numRuns: 400 },
  )('near-miss rows give rows or ProcNetParseError', (parts) => {
    checkAnyInput('tcp', `${HEADER}\n${parts.join('')}`);
    checkAnyInput('udp6', `${lib.TABLE_HEADERS.udp6}\n${parts.join('')}`);
  });
});

function checkAnyInput(kind: InetTableKind, input: string | Uint8Array): void {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  const lines = 1 + bytes.filter((b) => b === 10).length;
  const seen: ProcNetParseError[] = [];
  try {
    lib.parseTable(kind, input, { onInvalidRow: (e) => seen.push(e) });
  } catch (e) {
    expect(lib.isProcNetParseError(e)).toBe(true);
    seen.push(e as ProcNetParseError);
  }
  for (const e of seen) {
    expect(e.offset).toBeGreaterThanOrEqual(0);
    expect(e.offset).toBeLessThanOrEqual(bytes.length);
    expect(e.line).toBeGreaterThanOrEqual(1);
    expect(e.line).toBeLessThanOrEqual(lines);
    expect(e.column).toBeGreaterThanOrEqual(1);
  }
}
