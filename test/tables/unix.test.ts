import { readFileSync } from 'node:fs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { UNIX_PATH_MAX } from '../../src/decode/unix.js';
import type { ParseOptions, ProcNetParseError, UnixSocket } from '../../src/index.js';
import { lib } from '../support/lib.js';
import { CORPUS, readBytes, SPEC_CAPTURE } from '../support/paths.js';
import { UNIX_LISTENER } from '../support/sockets.js';
import { asLatin1, catchParseError, HEADER, latin1Bytes } from './unix-helpers.js';

const { formatRow, formatTable, parseTable, TABLE_HEADERS } = lib;
const parseUnix = (input: string | Uint8Array, options?: ParseOptions) => parseTable('unix', input, options);

const CAPTURE_UNIX = readBytes(`${SPEC_CAPTURE}proc-net-unix`);

/** The unix section of line-map.md: physical line → Type, St and Inode, as the reference decoder matched them. */
function lineMap(): Map<number, { type: string; st: string; inode: string }> {
  const text = readFileSync(`${SPEC_CAPTURE}line-map.md`, 'utf8');
  const section = text.slice(text.indexOf('## /proc/net/unix'), text.indexOf('## /proc/net/packet'));
  const map = new Map<number, { type: string; st: string; inode: string }>();
  for (const l of section.split('\n')) {
    const cells = l.split('|').map((c) => c.trim());
    const line = Number(cells[1]);
    if (!Number.isInteger(line) || cells[2] === '' || cells[2] === undefined) continue;
    map.set(line, { type: cells[2], st: cells[3] as string, inode: cells[4] as string });
  }
  return map;
}

/** The reference decoder's unix rows (decoded.json), in file order. */
function referenceRows(): {
  num: string;
  refcount: number;
  flags: number;
  type: number;
  st: number;
  inode: number;
  path: string | null;
}[] {
  return JSON.parse(readFileSync(`${SPEC_CAPTURE}decoded.json`, 'utf8')).unix.rows;
}

function byLine(rows: readonly UnixSocket[], line: number): UnixSocket {
  const row = rows.find((r) => r.line === line);
  if (row === undefined) throw new Error(`no row at line ${line}`);
  return row;
}

describe('parseUnix on the 6.18 capture', () => {
  const rows = parseUnix(CAPTURE_UNIX);

  it('finds the 16 records of the 19 physical lines, at the lines line-map.md names', () => {
    expect(rows).toHaveLength(16);
    const map = lineMap();
    expect(rows.map((r) => r.line)).toEqual([...map.keys()]);
    for (const row of rows) {
      const want = map.get(row.line);
      expect({
        type: row.typeCode.toString(16).padStart(4, '0'),
        st: row.stateCode.toString(16).padStart(2, '0'),
        inode: row.inode,
      }).toEqual(want);
    }
  });

  it('agrees with the reference decoder on every column', () => {
    expect(
      rows.map((r) => ({
        num: r.pointer,
        refcount: r.refcount,
        flags: r.flags,
        type: r.typeCode,
        st: r.stateCode,
        inode: Number(r.inode),
        path: r.path,
      })),
    ).toEqual(
      referenceRows().map(({ num, refcount, flags, type, st, inode, path }) => ({
        num,
        refcount,
        flags,
        type,
        st,
        inode,
        path,
      })),
    );
  });

  it('keeps a path with a space whole (netstat cuts it at the space)', () => {
    expect(byLine(rows, 2)).toMatchObject({
      pointer: '00000000d843f6d1',
      refcount: 2,
      protocol: 0,
      flags: 0x10000,
      listening: true,
      type: 'stream',
      typeCode: 1,
      state: 'unconnected',
      stateCode: 1,
      inode: '104034',
      path: '/run/pnc/with space.sock',
      abstract: false,
    });
  });

  it('joins the line after a path with a newline back into that path', () => {
    const row = byLine(rows, 4);
    expect(row.path).toBe('/run/pnc/new\nline.sock');
    expect(asLatin1(row.pathBytes)).toBe('/run/pnc/new\nline.sock');
    expect(row.type).toBe('dgram');
    expect(rows.some((r) => r.line === 5)).toBe(false);
  });

  it('keeps the abstract name with NUL (@), TAB and LF byte for byte', () => {
    const row = byLine(rows, 17);
    expect(asLatin1(row.pathBytes)).toBe('@pnc@nul\tTAB\nNEWLINE');
    expect(row.path).toBe('@pnc@nul\tTAB\nNEWLINE');
    expect(row.abstract).toBe(true);
    expect(row.inode).toBe('104033');
  });

  it('reads the embryo: St 02, inode 0, the listener path, no struct socket yet', () => {
    expect(byLine(rows, 9)).toMatchObject({
      state: 'connecting',
      stateCode: 2,
      inode: '0',
      path: '/run/pnc/listen.sock',
      listening: false,
      refcount: 3,
    });
    // The accepted server side (line 12) and the listener (line 14) print the same path.
    expect(byLine(rows, 12)).toMatchObject({ state: 'connected', path: '/run/pnc/listen.sock', listening: false });
    expect(byLine(rows, 14)).toMatchObject({ state: 'unconnected', path: '/run/pnc/listen.sock', listening: true });
  });

  it('reads autobind, seqpacket and sockets without a name', () => {
    expect(byLine(rows, 16)).toMatchObject({ path: '@7da98', abstract: true, type: 'dgram', inode: '104041' });
    expect(byLine(rows, 19)).toMatchObject({
      path: '@pnc-seqpacket',
      type: 'seqpacket',
      typeCode: 5,
      listening: true,
      abstract: true,
    });
    const unnamed = rows.filter((r) => r.path === null).map((r) => r.line);
    expect(unnamed).toEqual([3, 7, 8, 10, 11, 13]);
    for (const line of unnamed) expect(byLine(rows, line)).toMatchObject({ pathBytes: null, abstract: false });
  });

  it('marks exactly the rows a preceding name could have planted, and no duplicate inodes', () => {
    // Each marked row ends at most 108 bytes after the first byte of the path just before it.
    expect(rows.filter((r) => r.suspicious.length > 0).map((r) => r.line)).toEqual([3, 6, 7, 10, 13, 15, 16, 17, 19]);
    for (const row of rows) expect(row.suspicious.every((s) => s === 'after-newline-path')).toBe(true);
    // Line 8 starts right after a pathless row whose predecessor's path began 139 bytes before line 8 ends.
    expect(byLine(rows, 8).suspicious).toEqual([]);
  });

  it('formats back to the exact bytes', () => {
    expect(Buffer.from(formatTable('unix', rows)).equals(CAPTURE_UNIX)).toBe(true);
    expect(asLatin1(formatRow(byLine(rows, 9)))).toBe(
      '0000000006e9505d: 00000003 00000000 00000000 0001 02     0 /run/pnc/listen.sock',
    );
    expect(asLatin1(formatRow(byLine(rows, 3)))).toBe('00000000feb7e550: 00000003 00000000 00000000 0001 03 104036');
  });

  it('gives the same rows for the text as for the bytes, and through parseTable', () => {
    expect(parseUnix(CAPTURE_UNIX.toString('utf8'))).toEqual(rows);
    const viaTable = parseTable('unix', CAPTURE_UNIX);
    expectTypeOf(viaTable).toEqualTypeOf<UnixSocket[]>();
    expect(viaTable).toEqual(rows);
  });

  it('reads a CRLF-converted copy the same way (paths keep LF, not CRLF)', () => {
    const crlf = Buffer.from(CAPTURE_UNIX.toString('latin1').replaceAll('\n', '\r\n'), 'latin1');
    expect(parseUnix(crlf)).toEqual(rows);
  });
});

describe('parseUnix on the corpus', () => {
  it('jc/net_unix: 130 rows, 64-bit real pointers, abstract names, 70 without a path', () => {
    const bytes = readBytes(`${CORPUS}jc/net_unix`);
    const rows = parseUnix(bytes);
    expect(rows).toHaveLength(130);
    expect(rows.filter((r) => r.path === null)).toHaveLength(70);
    expect(rows[0]).toMatchObject({
      line: 2,
      pointer: 'ffff9b61ac49c400',
      listening: true,
      type: 'stream',
      inode: '42776',
      path: '/var/snap/lxd/common/lxd/unix.socket',
    });
    expect(rows[7]).toMatchObject({ path: '@/org/kernel/linux/storage/multipathd', abstract: true, inode: '29777' });
    expect(rows[2]).toMatchObject({ type: 'seqpacket', path: '/run/udev/control' });
    expect(rows.some((r) => r.suspicious.includes('duplicate-inode'))).toBe(false);
    expect(Buffer.from(formatTable('unix', rows)).equals(bytes)).toBe(true);
  });

  it('goprocinfo/unix: 140 rows, 32-bit pointers, right-aligned inodes, relative paths', () => {
    const bytes = readBytes(`${CORPUS}goprocinfo/unix`);
    const rows = parseUnix(bytes);
    expect(rows).toHaveLength(140);
    expect(rows.filter((r) => r.path === null)).toHaveLength(97);
    expect(rows[0]).toMatchObject({ pointer: 'eb505e00', inode: '11', path: '@/com/ubuntu/upstart', abstract: true });
    expect(rows[2]).toMatchObject({ inode: '8505', path: 'private/local', abstract: false, listening: true });
    expect(rows.find((r) => r.inode === '680')).toMatchObject({ refcount: 12, type: 'dgram', path: '/dev/log' });
    expect(Buffer.from(formatTable('unix', rows)).equals(bytes)).toBe(true);
  });

  it('node_exporter/unix: no final newline, a 5-wide inode, names ending in @', () => {
    const bytes = readBytes(`${CORPUS}node_exporter/unix`);
    const rows = parseUnix(bytes);
    expect(rows).toHaveLength(11);
    expect(rows[0]?.path).toBe(
      '@/containerd-shim/moby/16b1cd05b9b6e6268fc6cc3271fc09a6384dac585f1d0ba419ab1afebe99ae95/shim.sock@',
    );
    expect(rows[3]).toMatchObject({ inode: '9704', path: '@/com/ubuntu/upstart' });
    expect(rows[10]).toMatchObject({
      line: 12,
      inode: '4787297',
      state: 'connected',
      path: '/var/run/postgresql/.s.PGSQL.5432',
    });
    expect(Buffer.from(formatTable('unix', rows)).equals(Buffer.concat([bytes, Buffer.from('\n')]))).toBe(true);
  });

  it('procfs/unix: zeroed pointers, a lower-case hex RefCount, a row without a path', () => {
    const rows = parseUnix(readBytes(`${CORPUS}procfs/unix`));
    expect(rows.map((r) => [r.inode, r.refcount, r.type, r.state, r.path])).toEqual([
      ['3442596', 2, 'stream', 'unconnected', '/var/run/postgresql/.s.PGSQL.5432'],
      ['10061', 10, 'seqpacket', 'unconnected', '/run/udev/control'],
      ['12392', 7, 'dgram', 'unconnected', '/dev/log'],
      ['4787297', 3, 'stream', 'connected', '/var/run/postgresql/.s.PGSQL.5432'],
      ['5091797', 3, 'stream', 'connected', null],
    ]);
    expect(rows.every((r) => r.pointer === '0000000000000000')).toBe(true);
  });

  it('procfs/unix_without_inode: the layout without Inode gives the same paths, inode "0"', () => {
    const old = parseUnix(readBytes(`${CORPUS}procfs/unix_without_inode`));
    const current = parseUnix(readBytes(`${CORPUS}procfs/unix`));
    expect(old).toHaveLength(5);
    expect(old.map((r) => r.path)).toEqual(current.map((r) => r.path));
    expect(old.map((r) => r.inode)).toEqual(['0', '0', '0', '0', '0']);
    expect(old.map((r) => r.listening)).toEqual([true, true, false, false, false]);
  });
});

describe('forged rows (a socket name with a newline and a row in it)', () => {
  const LONG_PATH = '/run/pnc/a real service/with a long directory name/listen.sock';
  const NEXT_PATH = '/var/lib/some-service/with-a-rather-long-name/control.sock';
  // The attacker binds the abstract name "\0evil\n<row>": the row copies the victim's pointer and inode.
  const FORGED = '00000000aaaa0001: 00000002 00000000 00010000 0001 01 500001 /run/x';
  const table =
    HEADER +
    `00000000aaaa0001: 00000002 00000000 00010000 0001 01 500001 ${LONG_PATH}\n` +
    '00000000aaaa0002: 00000003 00000000 00000000 0001 03 500002\n' +
    `00000000aaaa0003: 00000002 00000000 00000000 0002 01 500003 @evil\n${FORGED}\n` +
    `00000000aaaa0004: 00000002 00000000 00010000 0001 01 500004 ${NEXT_PATH}\n`;

  it('does not fail the table, keeps the real paths whole, and marks the forged row', () => {
    const rows = parseUnix(table);
    expect(rows.map((r) => [r.line, r.inode, r.path, r.suspicious])).toEqual([
      [2, '500001', LONG_PATH, ['duplicate-inode']],
      [3, '500002', null, []],
      [4, '500003', '@evil', []],
      [5, '500001', '/run/x', ['after-newline-path', 'duplicate-inode']],
      [6, '500004', NEXT_PATH, []],
    ]);
  });

  it('tells the real row of a duplicated inode from the planted one', () => {
    const rows = parseUnix(table);
    // A name can only plant rows directly after its own line(s): the copy that could not have been planted is real.
    const twins = rows.filter((r) => r.inode === '500001');
    const real = twins.filter((r) => !r.suspicious.includes('after-newline-path'));
    expect(real.map((r) => [r.line, r.path])).toEqual([[2, LONG_PATH]]);
  });

  it('folds planted rows back into the name when a later line proves they were inside it', () => {
    // "\0evil\n<row without a path>\ntail": "tail" can only be part of a path, and the only path it fits in is the
    // attacker's, so the row between them was text in that name too.
    const planted = '00000000bbbb0002: 00000003 00000000 00000000 0001 03 600002';
    const rows = parseUnix(
      HEADER +
        `00000000bbbb0001: 00000002 00000000 00000000 0002 01 600001 @evil\n${planted}\ntail\n` +
        `00000000bbbb0003: 00000002 00000000 00010000 0001 01 600003 ${NEXT_PATH}\n`,
    );
    expect(rows.map((r) => [r.line, r.inode, r.path, r.suspicious])).toEqual([
      [2, '600001', `@evil\n${planted}\ntail`, []],
      [5, '600003', NEXT_PATH, []],
    ]);
  });

  it('does not fold past the 108 bytes a name can hold: such a line is an error', () => {
    const planted = '00000000bbbb0002: 00000003 00000000 00000000 0001 03 600002';
    const tail = 'x'.repeat(108);
    const input = `${HEADER}00000000bbbb0001: 00000002 00000000 00000000 0002 01 600001 @e\n${planted}\n${tail}\n`;
    const error = catchParseError(() => parseUnix(input));
    expect(error).toMatchObject({ code: 'BAD_HEX', line: 4, column: 1, field: 'Num' });
    expect(error.offset).toBe(input.indexOf(tail));
  });

  it('marks a forged row that uses a fresh inode, even as the last line of the file', () => {
    const rows = parseUnix(
      `${HEADER}00000000cccc0001: 00000002 00000000 00000000 0002 01 700001 @x\n` +
        '00000000cccc0002: 00000002 00000000 00010000 0001 01 799999 /run/fake.sock',
    );
    expect(rows.map((r) => [r.inode, r.path, r.suspicious])).toEqual([
      ['700001', '@x', []],
      ['799999', '/run/fake.sock', ['after-newline-path']],
    ]);
  });

  it('treats a header-shaped line inside a name as path text', () => {
    const rows = parseUnix(
      `${HEADER}00000000dddd0001: 00000002 00000000 00000000 0002 01 800001 @n\n${HEADER}` +
        '00000000dddd0002: 00000002 00000000 00000000 0002 01 800002\n',
    );
    expect(rows.map((r) => r.path)).toEqual([`@n\n${HEADER.slice(0, -1)}`, null]);
  });
});

describe('paths as bytes', () => {
  const row = (path: string) => `00000000eeee0001: 00000002 00000000 00000000 0002 01 900001 ${path}`;

  it('keeps bytes that are not UTF-8 exactly, with U+FFFD in the text', () => {
    const rows = parseUnix(latin1Bytes(`${HEADER}${row('/tmp/\xff\xfe name\t.sock')}\n`));
    expect(asLatin1(rows[0]?.pathBytes ?? null)).toBe('/tmp/\xff\xfe name\t.sock');
    expect(rows[0]?.path).toBe('/tmp/\ufffd\ufffd name\t.sock');
  });

  it('encodes a string input as UTF-8 (and keeps a leading BOM and trailing spaces)', () => {
    const rows = parseUnix(`${HEADER}${row('\ufeff/run/ü dir/ñ.sock  ')}\n`);
    expect(Buffer.from(rows[0]?.pathBytes ?? []).toString('hex')).toBe(
      Buffer.from('\ufeff/run/ü dir/ñ.sock  ', 'utf8').toString('hex'),
    );
    expect(rows[0]?.path).toBe('\ufeff/run/ü dir/ñ.sock  ');
  });

  it('copies the path: the row does not share memory with the input', () => {
    const input = latin1Bytes(`${HEADER}${row('/run/a.sock')}\n`);
    const rows = parseUnix(input);
    input.fill(0x78);
    expect(asLatin1(rows[0]?.pathBytes ?? null)).toBe('/run/a.sock');
    expect(rows[0]?.pathBytes?.buffer).not.toBe(input.buffer);
  });

  it('keeps the raw NUL bytes of very old kernels, and shows them as @ in the text', () => {
    const name = `@pnc\0nul${'\0'.repeat(20)}`;
    const rows = parseUnix(latin1Bytes(`${HEADER}${row(name)}\n`));
    expect(asLatin1(rows[0]?.pathBytes ?? null)).toBe(name);
    expect(rows[0]?.path).toBe(`@pnc@nul${'@'.repeat(20)}`);
    expect(rows[0]?.abstract).toBe(true);
  });

  it('joins a line of NUL bytes after a name to that name (psutil #766)', () => {
    const nuls = '\0'.repeat(100);
    const rows = parseUnix(latin1Bytes(`${HEADER}${row('@nvim')}\n${nuls}\n${row('@next')}\n`));
    expect(rows.map((r) => asLatin1(r.pathBytes))).toEqual([`@nvim\n${nuls}`, '@next']);
  });

  it('reads a name that ends with a newline (an empty line follows it)', () => {
    const rows = parseUnix(`${HEADER}${row('@n')}\n\n${row('/x')}\n`);
    expect(rows.map((r) => r.path)).toEqual(['@n\n', '/x']);
  });

  it('formats a socket built by hand from its path text', () => {
    const socket: UnixSocket = { ...UNIX_LISTENER, inode: '42', path: '/run/ü.sock', line: 0 };
    expect(Buffer.from(formatRow(socket)).toString('utf8')).toBe(
      '0000000000000000: 00000002 00000000 00010000 0001 01    42 /run/ü.sock',
    );
    expect(parseUnix(formatTable('unix', [socket]))[0]).toMatchObject({ path: '/run/ü.sock', inode: '42' });
  });
});

describe('old layouts', () => {
  it('reads the 1.x layout: no Inode column and a decimal slot for Num', () => {
    const rows = parseUnix(
      'Num RefCount Protocol Flags    Type St Path\n' +
        ' 0: 00000002 00000000 00010000 0001 01 /dev/printer\n' +
        ' 1: 00000001 00000000 00000000 0002 01 /dev/log\n' +
        '12: 00000001 00000000 00000000 0001 03\n',
    );
    expect(rows.map((r) => [r.pointer, r.inode, r.listening, r.type, r.state, r.path])).toEqual([
      ['0', '0', true, 'stream', 'unconnected', '/dev/printer'],
      ['1', '0', false, 'dgram', 'unconnected', '/dev/log'],
      ['12', '0', false, 'stream', 'connected', null],
    ]);
  });

  it('reads real (pre-4.15), 32-bit and early-boot placeholder pointers', () => {
    const rows = parseUnix(
      `${HEADER}ffff880115776040: 00000002 00000000 00010000 0001 01 8301 /tmp/.X11-unix/X0\n` +
        'c7a41e00: 00000002 00000000 00000000 0002 01  1240 /dev/log\n' +
        '(____ptrval____): 00000002 00000000 00000000 0001 03 1241\n' +
        '(ptrval): 00000002 00000000 00000000 0001 03 1242\n',
    );
    expect(rows.map((r) => r.pointer)).toEqual(['ffff880115776040', 'c7a41e00', '(____ptrval____)', '(ptrval)']);
  });

  it('keeps inodes beyond 2^53 exact, and finds repeats among them', () => {
    const rows = parseUnix(
      `${HEADER}0000000000000001: 00000002 00000000 00000000 0001 03 18446744073709551615\n` +
        '0000000000000002: 00000002 00000000 00000000 0001 03 18446744073709551614\n' +
        '0000000000000003: 00000002 00000000 00000000 0001 03 18446744073709551615\n' +
        '0000000000000004: 00000002 00000000 00000000 0001 03 0000000000000000042\n' +
        '0000000000000005: 00000002 00000000 00000000 0001 03 42\n',
    );
    expect(rows.map((r) => [r.inode, r.suspicious])).toEqual([
      ['18446744073709551615', ['duplicate-inode']],
      ['18446744073709551614', []],
      ['18446744073709551615', ['duplicate-inode']],
      ['42', ['duplicate-inode']],
      ['42', ['duplicate-inode']],
    ]);
  });

  it('decodes unknown Type and St codes without failing', () => {
    const rows = parseUnix(`${HEADER}0000000000000001: 00000002 00000000 00000000 0009 07 5\n`);
    expect(rows[0]).toMatchObject({ type: 'unknown', typeCode: 9, state: 'unknown', stateCode: 7 });
  });
});

describe('errors', () => {
  const PATHLESS = '00000000feb7e550: 00000003 00000000 00000000 0001 03 104036\n';

  it('rejects another table by its header, even when skipping bad rows', () => {
    const tcp = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
    const error = catchParseError(() => parseUnix(tcp, { onInvalidRow: 'skip' }));
    expect(error).toMatchObject({ code: 'UNKNOWN_HEADER', line: 1, column: 3, offset: 2, file: 'unix', text: 'sl' });
    expect(error.message).toContain('this is the header of a tcp table, not of a unix table');
  });

  it('reports an empty input as MISSING_HEADER', () => {
    expect(catchParseError(() => parseUnix(''))).toMatchObject({ code: 'MISSING_HEADER', line: 1, offset: 0 });
    expect(parseUnix(new Uint8Array(0), { onInvalidRow: 'skip' })).toEqual([]);
  });

  it('reports a missing header and still reads the rows when asked to', () => {
    const errors: ProcNetParseError[] = [];
    const rows = parseUnix(PATHLESS + PATHLESS.replace('104036', '104037'), { onInvalidRow: (e) => errors.push(e) });
    expect(errors.map((e) => [e.code, e.line])).toEqual([['MISSING_HEADER', 1]]);
    expect(rows.map((r) => [r.line, r.inode])).toEqual([
      [1, '104036'],
      [2, '104037'],
    ]);
  });

  it('points at the first bad field of a line that is neither a row nor part of a path', () => {
    const input = `${HEADER}${PATHLESS}00000000feb7e551: 00000003 0000000G 00000000 0001 03 1\n`;
    const error = catchParseError(() => parseUnix(input, { file: '/proc/net/unix' }));
    expect(error).toMatchObject({
      code: 'BAD_HEX',
      field: 'Protocol',
      line: 3,
      column: 28,
      offset: input.lastIndexOf('0000000G'),
      text: '0000000G',
      file: '/proc/net/unix',
    });
    expect(error.message).toBe(
      '/proc/net/unix:3:28 (field Protocol): Protocol must be 8 hexadecimal digits (a line that is not a row can only ' +
        'continue a path, and the row before it has no path): "0000000G"',
    );
  });

  it('says so when the first line after the header is not a row', () => {
    const error = catchParseError(() => parseUnix(`${HEADER}hello\n`));
    expect(error).toMatchObject({ code: 'BAD_HEX', field: 'Num', line: 2, column: 1, text: 'hello' });
    expect(error.reason).toContain('no row comes before it');
  });

  it('reports a dump cut in the middle of its last row as TRUNCATED_ROW', () => {
    const input = `${HEADER}${PATHLESS}00000000d843f6d1: 00000002 0000`;
    expect(catchParseError(() => parseUnix(input))).toMatchObject({
      code: 'TRUNCATED_ROW',
      field: 'Protocol',
      line: 3,
      column: 1,
      offset: HEADER.length + PATHLESS.length,
    });
  });

  it('reports rows without an Inode under a header that has one', () => {
    const input = `${HEADER}0000000000000000: 00000002 00000000 00010000 0001 01 /var/run/x.sock\n`;
    expect(catchParseError(() => parseUnix(input))).toMatchObject({
      code: 'BAD_NUMBER',
      field: 'Inode',
      line: 2,
      column: 54,
      text: '/var/run/x.sock',
    });
  });

  it('skips bad lines and keeps every good row', () => {
    const errors: ProcNetParseError[] = [];
    const rows = parseUnix(`${HEADER}${PATHLESS}garbage here\n\n   \n${PATHLESS.replace('104036', '7')}`, {
      onInvalidRow: (e) => errors.push(e),
    });
    expect(errors.map((e) => [e.code, e.line, e.text])).toEqual([['BAD_HEX', 3, 'garbage']]);
    expect(rows.map((r) => r.inode)).toEqual(['104036', '7']);
    expect(parseUnix(`${HEADER}${PATHLESS}garbage here\n`, { onInvalidRow: 'skip' })).toHaveLength(1);
  });

  it('exports the header the kernel prints', () => {
    expect(`${TABLE_HEADERS.unix}\n`).toBe(HEADER);
    expect(CAPTURE_UNIX.toString('latin1').startsWith(HEADER)).toBe(true);
  });
});

describe('hostile sizes', () => {
  const row = '0000000000000001: 00000002 00000000 00000000 0002 01 1';

  it('refuses a 10 MB path in one line quickly: PATH_TOO_LONG for that row, the next row kept', () => {
    const path = `/${'a b\t'.repeat(2_500_000)}`;
    const input = Buffer.from(`${HEADER}${row} ${path}\n${row.replace(' 1', ' 2')}\n`, 'latin1');
    const errors: ProcNetParseError[] = [];
    const t0 = performance.now();
    const rows = parseUnix(input, { onInvalidRow: (e) => errors.push(e) });
    const ms = performance.now() - t0;
    expect(rows.map((r) => r.inode)).toEqual(['2']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'PATH_TOO_LONG', line: 2, column: row.length + 2, field: 'Path' });
    expect(errors[0]?.offset).toBe(HEADER.length + row.length + 1);
    expect(errors[0]?.text).toBe(`/${'a b\\t'.repeat(19)}a b…`); // its first 80 bytes, escaped
    expect(() => parseUnix(input)).toThrow(expect.objectContaining({ code: 'PATH_TOO_LONG', line: 2 }));
    expect(ms).toBeLessThan(2000);
  });

  it('a path of 108 bytes is whole; one byte more, or a line that would make it longer, is PATH_TOO_LONG', () => {
    const longest = `/${'p'.repeat(UNIX_PATH_MAX - 1)}`;
    expect(parseUnix(`${HEADER}${row} ${longest}\n`)[0]?.path).toBe(longest);
    const over = parseUnix(`${HEADER}${row} ${longest}x\n`, { onInvalidRow: 'skip' });
    expect(over).toEqual([]);
    // 100 bytes, then a piece that would make the name 109 bytes: the row and its lines go, the next row stays.
    const errors: ProcNetParseError[] = [];
    const text = `${HEADER}${row} @${'n'.repeat(99)}\nabcdefgh\nmore\n${row.replace(' 1', ' 3')}\n`;
    const rows = parseUnix(text, { onInvalidRow: (e) => errors.push(e) });
    expect(rows.map((r) => r.inode)).toEqual(['3']);
    expect(errors.map((e) => [e.code, e.line, e.column])).toEqual([['PATH_TOO_LONG', 2, row.length + 2]]);
    // 100 bytes and a piece that fits (\n + 7 bytes = 108): one path with a newline in it.
    expect(parseUnix(`${HEADER}${row} @${'n'.repeat(99)}\nabcdefg\n`)[0]?.path).toBe(`@${'n'.repeat(99)}\nabcdefg`);
  });

  it('refuses a million newline-only lines after a name quickly, without recursion', () => {
    const input = Buffer.from(`${HEADER}${row} @n${'\n'.repeat(1_000_000)}${row.replace(' 1', ' 4')}\n`, 'latin1');
    const errors: ProcNetParseError[] = [];
    const t0 = performance.now();
    const rows = parseUnix(input, { onInvalidRow: (e) => errors.push(e) });
    const ms = performance.now() - t0;
    // A name holds at most 108 bytes: the empty lines past that cannot be in it.
    expect(rows.map((r) => r.inode)).toEqual(['4']);
    expect(errors.map((e) => [e.code, e.line])).toEqual([['PATH_TOO_LONG', 2]]);
    expect(ms).toBeLessThan(2000);
  });

  it('skips a million empty lines after a row without a path quickly', () => {
    const input = Buffer.from(`${HEADER}${row}${'\n'.repeat(1_000_000)}`, 'latin1');
    const t0 = performance.now();
    expect(parseUnix(input)).toHaveLength(1);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});
