/**
 * parseTableLazy must give, field for field, what parseTable gives: on every fixture, every corpus table, and
 * arbitrary rows in both byte orders; and take the same decisions on bad rows.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { InetSocket, InetTableKind, ParseOptions, ProcNetParseError } from '../../src/index.js';
import { LazyInetRow, parseTableLazy, plainRow } from '../../src/tables/lazy.js';
import { INET_KINDS, tableRowsOf } from '../support/arbitraries.js';
import { INET_SAMPLES } from '../support/corpus-samples.js';
import { lib } from '../support/lib.js';
import { CORPUS, ROOT } from '../support/paths.js';

function both(kind: InetTableKind, bytes: Uint8Array | string, options: ParseOptions = {}) {
  const eagerErrors: ProcNetParseError[] = [];
  const lazyErrors: ProcNetParseError[] = [];
  const eager = lib.parseTable(kind, bytes, { ...options, onInvalidRow: (e) => eagerErrors.push(e) });
  const lazy = parseTableLazy(kind, bytes, { ...options, onInvalidRow: (e) => lazyErrors.push(e) });
  return { eager, lazy, eagerErrors, lazyErrors };
}

/** Every field of every eager row, read through the lazy row's getters, plus toJSON and JSON text. */
function expectSame(kind: InetTableKind, bytes: Uint8Array | string, options?: ParseOptions): InetSocket[] {
  const { eager, lazy, eagerErrors, lazyErrors } = both(kind, bytes, options);
  expect(lazyErrors).toEqual(eagerErrors);
  expect(lazy).toHaveLength(eager.length);
  eager.forEach((row, i) => {
    const l = lazy[i] as unknown as Record<string, unknown>;
    for (const [key, value] of Object.entries(row)) expect(l[key], `${kind} row ${i} ${key}`).toEqual(value);
    expect(plainRow(lazy[i] as InetSocket)).toEqual(row);
  });
  expect(JSON.stringify(lazy)).toBe(JSON.stringify(eager));
  return lazy;
}

const FIXTURES = join(ROOT, 'fixtures');
const captures = readdirSync(FIXTURES).filter((d) => d.startsWith('capture-'));

describe('parseTableLazy', () => {
  for (const dir of captures) {
    it(`gives parseTable's rows for every table of ${dir}`, () => {
      const byteOrder = dir.endsWith('-as-big-endian') ? 'big' : 'little';
      let lazyRows = 0;
      for (const kind of INET_KINDS) {
        const bytes = readFileSync(join(FIXTURES, dir, 'net', kind));
        const rows = expectSame(kind, bytes, { byteOrder });
        lazyRows += rows.filter((r) => r instanceof LazyInetRow).length;
        expectSame(kind, bytes, { byteOrder, filter: { states: ['ESTABLISHED', 'connected'] } });
      }
      // The capture holds every TCP state in both families: most rows are lazy, not plain fallbacks.
      expect(lazyRows).toBeGreaterThan(40);
    });
  }

  it("gives parseTable's rows and errors for every inet table of the corpus", () => {
    for (const [file, [kind]] of Object.entries(INET_SAMPLES)) expectSame(kind, readFileSync(CORPUS + file));
  });

  for (const kind of INET_KINDS) {
    test.prop([tableRowsOf(kind, { maxLength: 8 }), fc.constantFrom('little', 'big')], { numRuns: 100 })(
      `gives back arbitrary ${kind} records in either byte order`,
      (rows, byteOrder) => {
        const text = lib.formatTable(kind, rows as never, { byteOrder: byteOrder as 'little' | 'big' });
        expectSame(kind, text, { byteOrder: byteOrder as 'little' | 'big' });
      },
    );
  }

  it('keeps rows whose values do not fit the columns as plain objects, with the same values', () => {
    const header = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
    const row = (uid: string, inode: string, tail: string) =>
      `   0: 0100007F:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000 ${uid} 0 ${inode} 1 0000000000000000 100 0 0 10 0${tail}\n`;
    const text =
      header +
      row('0', '1234', '') +
      row('-5', '1234', '') +
      row('0', '123456789012345678', '') +
      row('0', '7', ' 42') +
      row('0', '8', '').replace('0000000000000000', '00000000ABCDEF01') +
      row('0', '9', '').replace('0000000000000000', '00000000abcdef01');
    const lazy = expectSame('tcp', text);
    expect(lazy.map((r) => r instanceof LazyInetRow)).toEqual([true, false, false, false, false, true]);
    expect(lazy.map((r) => [r.uid, r.inode, r.extra, r.pointer])).toEqual([
      [0, '1234', [], '0000000000000000'],
      [-5, '1234', [], '0000000000000000'],
      [0, '123456789012345678', [], '0000000000000000'],
      [0, '7', ['42'], '0000000000000000'],
      [0, '8', [], '00000000ABCDEF01'],
      [0, '9', [], '00000000abcdef01'],
    ]);
  });

  it('grows its columns past the first guess of the row count', () => {
    // Short rows (no padding, 8-digit pointers): fewer bytes per row than the guess assumes (one per 120 bytes).
    const header = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
    let text = header;
    for (let i = 0; i < 3000; i++) {
      text += `${i}: 0100007F:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 ${1000 + i} 1 00000000 100 0 0 10 0\n`;
    }
    expect(text.length / 120).toBeLessThan(3000);
    const lazy = expectSame('tcp', text);
    expect(lazy.every((r) => r instanceof LazyInetRow)).toBe(true);
    expect(lazy[2999]?.inode).toBe('3999');
  });

  it('shows no own fields, but prints and serialises like a plain row', () => {
    const bytes = readFileSync(join(FIXTURES, captures[0] as string, 'net', 'tcp'));
    const row = parseTableLazy('tcp', bytes)[0] as InetSocket;
    const plain = lib.parseTable('tcp', bytes)[0] as InetSocket;
    expect(Object.keys(row)).toEqual([]);
    expect(inspect(row)).toBe(inspect(plain));
    expect(JSON.parse(JSON.stringify(row))).toEqual(JSON.parse(JSON.stringify(plain)));
  });

  it('keeps fields set on a lazy row in its plain form, after the socket fields', () => {
    const bytes = readFileSync(join(FIXTURES, captures[0] as string, 'net', 'tcp'));
    const row = parseTableLazy('tcp', bytes)[0] as InetSocket & { owners?: unknown; namespace?: unknown };
    const plain = lib.parseTable('tcp', bytes)[0] as InetSocket;
    row.namespace = 'net:[4026531840]';
    row.owners = [{ pid: 1, fd: 3 }];
    expect(plainRow(row)).toEqual({ ...plain, namespace: 'net:[4026531840]', owners: [{ pid: 1, fd: 3 }] });
    expect(Object.keys(plainRow(row)).slice(-2)).toEqual(['namespace', 'owners']);
    expect(JSON.parse(JSON.stringify(row))).toEqual(JSON.parse(JSON.stringify(plainRow(row))));
  });

  it('throws the first bad row like parseTable by default', () => {
    const bytes = readFileSync(`${CORPUS}treadmill/proc.net.tcp.data`);
    expect(() => parseTableLazy('tcp', bytes)).toThrow(/tcp:4:7 \(field local_address\)/);
  });
});
