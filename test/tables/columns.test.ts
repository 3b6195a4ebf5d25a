/**
 * parseColumns must hold, column for column, what parseTable gives, and give back parseTable's rows (deep-equal,
 * same field order) through `row(i)` and iteration: on every fixture table, arbitrary rows in both byte orders,
 * lines with one byte changed, hostile values that fit no narrow column, and in every onInvalidRow mode.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type {
  InetColumns,
  InetSocket,
  InetTableKind,
  ParseOptions,
  ProcNetParseError,
  TableKind,
  TcpRow,
  UdpSocket,
  UnixSocket,
} from '../../src/index.js';
import { INET_KINDS, socketOf, tableRowsOf } from '../support/arbitraries.js';
import { lib } from '../support/lib.js';
import { ROOT } from '../support/paths.js';

const FIXTURES = join(ROOT, 'fixtures');
const captures = readdirSync(FIXTURES).filter((d) => d.startsWith('capture-'));
const KINDS: TableKind[] = [...INET_KINDS, 'unix'];

/** Both parses of one input, with the errors each reported (through a function handler). */
function both<K extends TableKind>(kind: K, input: Uint8Array | string, options: ParseOptions = {}) {
  const tableErrors: ProcNetParseError[] = [];
  const columnErrors: ProcNetParseError[] = [];
  const rows = lib.parseTable(kind, input, { ...options, onInvalidRow: (e) => tableErrors.push(e) });
  const cols = lib.parseColumns(kind, input, { ...options, onInvalidRow: (e) => columnErrors.push(e) });
  return { rows, cols, tableErrors, columnErrors };
}

/** The columns of row `i` checked against the plain row, field by field. */
function expectColumnsOf(cols: InetColumns, i: number, row: InetSocket): void {
  const w = cols.addressWords;
  expect(lib.decodeSocketAddress(wordsText(cols.localAddress, i, w), { byteOrder: cols.byteOrder }).address).toBe(
    row.local.address,
  );
  expect(lib.decodeSocketAddress(wordsText(cols.remoteAddress, i, w), { byteOrder: cols.byteOrder }).address).toBe(
    row.remote.address,
  );
  expect(cols.localPort[i]).toBe(row.protocol === 'raw' ? row.ipProtocol : row.local.port);
  expect(cols.remotePort[i]).toBe(row.remote.port);
  expect(cols.slot[i]).toBe(row.slot);
  expect(cols.stateCode[i]).toBe(row.stateCode);
  expect(cols.txQueue[i]).toBe(row.txQueue);
  expect(cols.rxQueue[i]).toBe(row.rxQueue);
  expect(cols.timerCode[i]).toBe(row.timer.code);
  expect(cols.timerTicks[i]).toBe(row.timer.ticks);
  expect(cols.retransmits[i]).toBe(row.retransmits);
  expect(cols.uid[i]).toBe(row.uid);
  expect(cols.probes[i]).toBe(row.probes);
  expect(cols.refcount[i]).toBe(row.refcount);
  const inode = cols.inode[i] as number;
  expect(Number.isNaN(inode) ? cols.inodeText.get(i) : String(inode)).toBe(row.inode);
  const digits = cols.pointerDigits[i] as number;
  const pointer =
    digits === 0
      ? cols.pointerText.get(i)
      : (
          (cols.pointerHigh[i] as number).toString(16).padStart(8, '0') +
          (cols.pointerLow[i] as number).toString(16).padStart(8, '0')
        ).slice(16 - digits);
  expect(pointer).toBe(row.pointer);
  expect(cols.extra.get(i) ?? []).toEqual(row.extra);
  if (cols.protocol === 'tcp') {
    const r = row as TcpRow;
    expect(['socket', 'timewait', 'request'][cols.record[i] as number]).toBe(r.record);
    if (r.record === 'socket') {
      expect(((cols.rto[i] as number) * 1000) / cols.userHz).toBe(r.rtoMs);
      expect(((cols.ato[i] as number) * 1000) / cols.userHz).toBe(r.atoMs);
      expect((cols.quickAckPingpong[i] as number) >>> 1).toBe(r.quickAck);
      expect(cols.cwnd[i]).toBe(r.cwnd);
      expect(cols.ssthresh[i]).toBe(r.fastOpenQueueLimit ?? r.ssthresh ?? -1);
    }
  } else if ('drops' in row) {
    expect(row.drops === null ? cols.fields[i] : cols.drops[i]).toBe(row.drops ?? 12);
  }
}

/** `%08X` words of row `i` as the address text the kernel printed. */
function wordsText(a: Uint32Array, i: number, w: number): string {
  let s = '';
  for (let k = 0; k < w; k++) s += (a[i * w + k] as number).toString(16).toUpperCase().padStart(8, '0');
  return s;
}

/** Rows, iteration, columns and errors of both parses must agree; returns the columns. */
function expectSame<K extends TableKind>(kind: K, input: Uint8Array | string, options?: ParseOptions) {
  const { rows, cols, tableErrors, columnErrors } = both(kind, input, options);
  expect(columnErrors).toEqual(tableErrors);
  expect(cols.length).toBe(rows.length);
  expect(cols.kind).toBe(kind);
  rows.forEach((row, i) => {
    const got = cols.row(i);
    expect(got, `${kind} row ${i}`).toEqual(row);
    expect(Object.keys(got)).toEqual(Object.keys(row));
    if (kind !== 'unix') expectColumnsOf(cols as InetColumns, i, row as InetSocket);
  });
  expect([...cols]).toEqual(rows);
  return cols;
}

describe('parseColumns', () => {
  for (const dir of captures) {
    const byteOrder = dir.endsWith('-as-big-endian') ? 'big' : 'little';
    for (const kind of KINDS) {
      it(`holds parseTable's rows of ${dir}/net/${kind}`, () => {
        const bytes = readFileSync(join(FIXTURES, dir, 'net', kind));
        const cols = expectSame(kind, bytes, { byteOrder });
        expect(cols.length).toBeGreaterThan(0);
        expectSame(kind, bytes, { byteOrder, filter: { states: ['ESTABLISHED', 'connected'] } });
        expectSame(kind, bytes, { byteOrder, filter: { ports: [22, 53], localPorts: [22] } });
        expectSame(kind, bytes.toString('latin1'), { byteOrder, userHz: 250, file: 'x' });
      });
    }
  }

  for (const kind of INET_KINDS) {
    test.prop([tableRowsOf(kind, { maxLength: 8 }), fc.constantFrom('little', 'big')], { numRuns: 100 })(
      `gives back arbitrary ${kind} records in either byte order`,
      (rows, order) => {
        const byteOrder = order as 'little' | 'big';
        const text = lib.formatTable(kind, rows as never, { byteOrder });
        const cols = expectSame(kind, text, { byteOrder });
        expect([...cols]).toEqual(rows);
      },
    );

    test.prop([fc.array(socketOf(kind), { minLength: 1, maxLength: 6 }), fc.nat(), fc.nat(), fc.nat(255)], {
      numRuns: 200,
    })(`agrees with parseTable on ${kind} rows with one byte changed, in every onInvalidRow mode`, (rows, at, n, b) => {
      const lines = lib.formatTable(kind, rows as never).split('\n');
      const li = 1 + (n % rows.length);
      const line = lines[li] as string;
      const pos = at % line.length;
      lines[li] = line.slice(0, pos) + String.fromCharCode(b) + line.slice(pos + 1);
      const bytes = Buffer.from(lines.join('\n'), 'latin1');
      expectSame(kind, bytes);
      expectSame(kind, bytes, { onInvalidRow: 'skip' });
      let thrown: unknown;
      try {
        lib.parseTable(kind, bytes);
      } catch (e) {
        thrown = e;
      }
      if (thrown === undefined) expect(lib.parseColumns(kind, bytes).length).toBe(lib.parseTable(kind, bytes).length);
      else expect(() => lib.parseColumns(kind, bytes)).toThrow(thrown as Error);
    });
  }

  it('skips and reports bad rows as parseTable does, and throws its first error by default', () => {
    const text = `${lib.TABLE_HEADERS.tcp}\n${ROW}\n   1: 0100007G:1F90 00000000:0000 0A\n${ROW}\n`;
    expect(lib.parseColumns('tcp', text, { onInvalidRow: 'skip' }).length).toBe(2);
    expectSame('tcp', text, { onInvalidRow: 'skip' });
    expect(() => lib.parseColumns('tcp', text)).toThrow(expect.objectContaining({ code: 'BAD_ADDRESS', line: 3 }));
    expect(() => lib.parseColumns('tcp', '')).toThrow(expect.objectContaining({ code: 'MISSING_HEADER' }));
    expect(() => lib.parseColumns('unix', '')).toThrow(expect.objectContaining({ code: 'MISSING_HEADER' }));
    expect(() => lib.parseColumns('nope' as InetTableKind, '')).toThrow(TypeError);
  });

  it('widens a column to Float64Array for values outside its kernel range, and keeps text on the side', () => {
    const tail = (uid: string, inode: string, ptr: string, rest: string) =>
      `0A 00000000:00000000 00:00000000 00000000 ${uid} 0 ${inode} 1 ${ptr} 100 0 0 10 ${rest}`;
    const lines = [
      `   0: 0100007F:0016 00000000:0000 ${tail('0', '1234', '0000000000000000', '0')}`,
      `   1: 0100007F:0016 00000000:0000 ${tail('-5', '12', '00000000ABCDEF01', '-0')}`,
      `   2: 0100007F:0016 00000000:0000 ${tail('-0', '123456789012345678901234567890', '(____ptrval____)', '0 42 x')}`,
      `4294967296: 0100007F:0016 00000000:0000 ${tail('7', '9007199254740993', '00000000abcdef01', '0')}`,
      `   4: 0100007F:0016 00000000:0000 1FF 100000000:1 00:FFFFFFFFFFFFFFF6 0 0 0 00042 1 0000000000000000 1 2 3 4 5`,
      `   5: 0100007F:0016 00000000:0000 ${tail('0', '4294967296', '0000000000000000', '0')}`,
    ];
    const text = `${lib.TABLE_HEADERS.tcp}\n${lines.join('\n')}\n`;
    const cols = expectSame('tcp', text);
    expect(cols.length).toBe(6);
    for (const name of ['slot', 'uid', 'inode', 'stateCode', 'txQueue', 'timerTicks', 'ssthresh'] as const) {
      expect(cols[name], name).toBeInstanceOf(Float64Array);
    }
    for (const name of ['rxQueue', 'retransmits', 'probes', 'refcount', 'rto', 'cwnd'] as const) {
      expect(cols[name], name).not.toBeInstanceOf(Float64Array);
    }
    expect(Object.is(cols.uid[2], -0)).toBe(true);
    expect(Object.is(cols.ssthresh[1], -0)).toBe(true);
    expect(cols.timerTicks[4]).toBe(-10);
    expect(cols.inode[3]).toBeNaN();
    expect(cols.inodeText).toEqual(
      new Map([
        [2, '123456789012345678901234567890'],
        [3, '9007199254740993'],
      ]),
    );
    expect(cols.inode[4]).toBe(42);
    expect(cols.inode[5]).toBe(4294967296);
    expect(cols.pointerText).toEqual(
      new Map([
        [1, '00000000ABCDEF01'],
        [2, '(____ptrval____)'],
      ]),
    );
    expect([...cols.pointerDigits]).toEqual([16, 0, 0, 16, 16, 16]);
    expect(cols.extra).toEqual(new Map([[2, ['42', 'x']]]));
  });

  it('grows past its first guess of the row count', () => {
    // Short rows (no padding, 8-digit pointers): fewer bytes per row than the first guess assumes.
    let text = `${lib.TABLE_HEADERS.udp}\n`;
    for (let i = 0; i < 3000; i++) {
      text += `${i}: 0100007F:0016 00000000:0000 07 00000000:00000000 00:00000000 00000000 0 0 ${1000 + i} 1 00000000 0\n`;
    }
    expect(text.length / 100).toBeLessThan(3000);
    const cols = expectSame('udp', text);
    expect(cols.inode[2999]).toBe(3999);
    expect(cols.inode.length).toBe(3000);
  });

  it('is a plain object of typed arrays that does not hold the input, and its rows are plain objects', () => {
    const bytes = Buffer.from(readFileSync(join(FIXTURES, captures[0] as string, 'net', 'tcp6')));
    const cols = lib.parseColumns('tcp6', bytes);
    const before = [...cols];
    bytes.fill(0x20);
    expect([...cols]).toEqual(before);
    expect(Object.keys(cols)).toEqual(expect.arrayContaining(['length', 'localAddress', 'txQueue', 'inode', 'record']));
    expect(cols.localAddress.length).toBe(cols.length * 4);
    expect(cols.localAddress.buffer).not.toBe(bytes.buffer);
    const row = cols.row(0);
    expect(structuredClone(row)).toEqual(row);
    expect({ ...row }).toEqual(row);
    expect(cols.row(0)).not.toBe(row);
  });

  it('rejects a row index outside the table', () => {
    const cols = lib.parseColumns('udp', readFileSync(join(FIXTURES, captures[0] as string, 'net', 'udp')));
    for (const i of [-1, cols.length, 0.5, Number.NaN]) expect(() => cols.row(i)).toThrow(RangeError);
    const unix = lib.parseColumns('unix', readFileSync(join(FIXTURES, captures[0] as string, 'net', 'unix')));
    expect(() => unix.row(unix.length)).toThrow(RangeError);
  });

  it('keeps unix paths in one byte store, with the kernel columns beside them', () => {
    const bytes = readFileSync(join(FIXTURES, captures[0] as string, 'net', 'unix'));
    const cols = lib.parseColumns('unix', bytes);
    const rows = lib.parseTable('unix', bytes);
    rows.forEach((row: UnixSocket, i) => {
      const s = cols.pathStart[i] as number;
      expect(s < 0 ? null : cols.paths.subarray(s, cols.pathEnd[i])).toEqual(row.pathBytes);
      expect(cols.flags[i]).toBe(row.flags);
      expect(String(cols.inode[i])).toBe(row.inode);
      expect(cols.line[i]).toBe(row.line);
    });
    expect(rows.some((r) => r.suspicious.length > 0)).toBe(true);
  });

  it('gives back hostile unix rows exactly: big inodes, placeholder pointers, CRLF paths, forged rows', () => {
    const header = 'Num       RefCount Protocol Flags    Type St Inode Path';
    const row = (num: string, inode: string, path: string) =>
      `${num}: 00000002 00000000 00010000 0001 01 ${inode}${path === '' ? '' : ` ${path}`}`;
    const text = [
      header,
      row('0000000000000000', '5', '@abstract'),
      row('(____ptrval____)', '18446744073709551615', '/run/a'),
      row('00000000ABCDEF01', '0000000000000000042', ''),
      row('ffff8881', '4294967297', '/tmp/x\n0000000000000000: 00000002 00000000 00010000 0001 01 99 /forged'),
      row('0000000000000001', '5', '/dup'),
      '',
    ].join('\r\n');
    for (const input of [text, text.replaceAll('\r\n', '\n')]) {
      const cols = expectSame('unix', input);
      expect(cols.inodeText.get(1)).toBe('18446744073709551615');
      expect(cols.pointerText.get(1)).toBe('(____ptrval____)');
      expect(cols.inode).toBeInstanceOf(Float64Array);
      expect([...cols.suspicious].some((s) => s !== 0)).toBe(true);
    }
  });
});

describe('parseColumns types', () => {
  it('are typed by kind, with rows typed as parseTable types them', () => {
    const tcp = lib.parseColumns('tcp', `${lib.TABLE_HEADERS.tcp}\n`);
    expectTypeOf(tcp.row).returns.toEqualTypeOf<TcpRow>();
    expectTypeOf(tcp.record).toEqualTypeOf<Uint8Array>();
    expectTypeOf(tcp.uid).toEqualTypeOf<Uint32Array | Float64Array>();
    const udp = lib.parseColumns('udp6', `${lib.TABLE_HEADERS.udp6}\n`);
    expectTypeOf(udp.row).returns.toEqualTypeOf<UdpSocket>();
    expectTypeOf(udp.drops).toEqualTypeOf<Uint32Array | Float64Array>();
    expectTypeOf(udp).not.toHaveProperty('rto');
    const unix = lib.parseColumns('unix', `${lib.TABLE_HEADERS.unix}\n`);
    expectTypeOf([...unix]).toEqualTypeOf<UnixSocket[]>();
    const cwndOf = (c: InetColumns) => (c.protocol === 'tcp' ? c.cwnd : undefined);
    expectTypeOf(cwndOf).returns.toEqualTypeOf<Uint32Array | Float64Array | undefined>();
    expect([tcp.length, udp.length, unix.length, cwndOf(tcp)?.length]).toEqual([0, 0, 0, 0]);
  });
});

const ROW =
  '   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1234 1 0000000000000000 100 0 0 10 0';
