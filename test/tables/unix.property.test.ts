import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { UNIX_PATH_MAX } from '../../src/decode/unix.js';
import type { ParseOptions, ProcNetParseError, UnixSocket } from '../../src/index.js';
import { lib } from '../support/lib.js';
import { HEADER } from './unix-helpers.js';

const { formatTable, isProcNetParseError, parseTable } = lib;
const parseUnix = (input: string | Uint8Array, options?: ParseOptions) => parseTable('unix', input, options);

/**
 * The oracle for "this path segment would be read as a row": the spec's record regex (§5.3), widened the way procnet
 * documents (leading blanks, lower-case hex, 1–16 digit Num, at most 20 inode digits). Independent of the parser.
 */
const RECORD =
  /^[ \t]*(?:[0-9A-Fa-f]{1,16}|\(_*ptrval_*\)): [0-9A-Fa-f]{8} [0-9A-Fa-f]{8} [0-9A-Fa-f]{8} [0-9A-Fa-f]{4} [0-9A-Fa-f]{2} +\d{1,20}(?: |$)/;

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('latin1');
}

function count(bytes: Uint8Array, byte: number): number {
  let n = 0;
  for (const b of bytes) if (b === byte) n++;
  return n;
}

const hex = (digits: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: digits, maxLength: digits });

/** A row as the kernel could print it, with a short pointer so that one fits inside a 108-byte name. */
const plantedRow = fc
  .record({
    pointer: hex(8),
    inode: fc.integer({ min: 0, max: 99_999 }),
    st: fc.integer({ min: 0, max: 4 }),
    path: fc.option(fc.constantFrom('/run/x', '@y', 'a b'), { nil: null }),
  })
  .map(
    ({ pointer, inode, st, path }) =>
      `${pointer}: 00000002 00000000 00010000 0001 0${st} ${String(inode).padStart(5)}${path === null ? '' : ` ${path}`}`,
  );

/** Name bytes: any byte but NUL, with newlines, spaces, `@` and whole planted rows over-represented. */
const pathBytes = fc
  .array(
    fc.oneof(
      { weight: 4, arbitrary: fc.uint8Array({ min: 1, max: 255, minLength: 1, maxLength: 12 }) },
      { weight: 2, arbitrary: fc.constantFrom('\n', ' ', '\t', '@', '\r', '\n\n').map((s) => Buffer.from(s)) },
      { weight: 1, arbitrary: plantedRow.map((row) => Buffer.from(`\n${row}`, 'latin1')) },
    ),
    { minLength: 1, maxLength: 8 },
  )
  .map((parts) => Uint8Array.from(Buffer.concat(parts).subarray(0, UNIX_PATH_MAX)))
  .filter((bytes) => bytes.length > 0);

const socket: fc.Arbitrary<UnixSocket> = fc
  .record({
    pointer: fc.oneof(hex(16), hex(8), fc.constant('(____ptrval____)')),
    refcount: fc.nat({ max: 0xffffffff }),
    protocol: fc.constantFrom(0, 0, 0, 0xffffffff),
    flags: fc.constantFrom(0, 0x10000, 0x30000),
    typeCode: fc.oneof(fc.constantFrom(1, 2, 5), fc.nat({ max: 0xffff })),
    stateCode: fc.oneof(fc.integer({ min: 0, max: 4 }), fc.nat({ max: 0xff })),
    // A small pool makes repeated inodes common; 0 is the embryo.
    inode: fc.oneof(
      fc.integer({ min: 0, max: 6 }).map(String),
      fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map(String),
    ),
    pathBytes: fc.option(pathBytes, { nil: null, freq: 3 }),
  })
  .map((s) => ({
    kind: 'unix',
    ...s,
    listening: (s.flags & 0x10000) !== 0,
    type: 'unknown',
    state: 'unknown',
    path: null,
    abstract: false,
    suspicious: [],
    line: 0,
  }));

/** Splits a path into its lines (the first is on the row's own line). */
function segments(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      out.push(bytes.subarray(start, i));
      start = i + 1;
    }
  }
  return out;
}

/** A path is ambiguous by construction when one of its later lines would be read as a row. */
function ambiguous(bytes: Uint8Array | null): boolean {
  return (
    bytes !== null &&
    segments(bytes)
      .slice(1)
      .some((s) => RECORD.test(latin1(s)))
  );
}

function isPrefixAtLineBreak(prefix: Uint8Array, whole: Uint8Array): boolean {
  if (prefix.length > whole.length) return false;
  for (let i = 0; i < prefix.length; i++) if (prefix[i] !== whole[i]) return false;
  return prefix.length === whole.length || whole[prefix.length] === 0x0a;
}

describe('unix round trip (kernel-format tables from arbitrary sockets)', () => {
  test.prop([fc.array(socket, { maxLength: 12 })], { numRuns: 400 })(
    'gives back every path byte for byte unless the name holds a row by construction',
    (sockets) => {
      const rows = parseUnix(formatTable('unix', sockets));
      const lines = new Map(rows.map((r) => [r.line, r]));
      let line = 2;
      const genuineLines = new Set<number>();
      for (const s of sockets) {
        genuineLines.add(line);
        const row = lines.get(line);
        expect(row, `socket at line ${line}`).toBeDefined();
        const r = row as UnixSocket;
        expect([r.pointer, r.refcount, r.protocol, r.flags, r.typeCode, r.stateCode, r.inode]).toEqual([
          s.pointer,
          s.refcount,
          s.protocol,
          s.flags,
          s.typeCode,
          s.stateCode,
          s.inode,
        ]);
        expect(r.listening).toBe(s.listening);
        if (s.pathBytes === null) {
          expect(r.pathBytes).toBeNull();
        } else if (!ambiguous(s.pathBytes)) {
          expect(r.pathBytes).toEqual(s.pathBytes);
          expect(r.abstract).toBe(s.pathBytes[0] === 0x40);
        } else {
          // Cut where a planted row begins, or whole when a later line proved the rows were name text.
          expect(isPrefixAtLineBreak(r.pathBytes as Uint8Array, s.pathBytes)).toBe(true);
        }
        line += 1 + (s.pathBytes === null ? 0 : count(s.pathBytes, 0x0a));
      }
      // Every row that is not a socket was planted by a name, and is marked so.
      for (const r of rows) {
        if (!genuineLines.has(r.line)) expect(r.suspicious).toContain('after-newline-path');
      }
      // duplicate-inode marks exactly the rows whose non-zero inode is on another row.
      for (const r of rows) {
        const twins = rows.filter((o) => o.inode === r.inode).length;
        expect(r.suspicious.includes('duplicate-inode')).toBe(r.inode !== '0' && twins > 1);
      }
      expect(rows.map((r) => r.line)).toEqual([...rows.map((r) => r.line)].sort((a, b) => a - b));
    },
  );
});

/** Line and column of `offset`, counted independently of the parser. */
function where(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

const fragment = fc.oneof(
  fc.uint8Array({ maxLength: 40 }),
  plantedRow.map((row) => Buffer.from(row, 'latin1')),
  plantedRow.map((row) => Buffer.from(row.slice(0, row.length >> 1), 'latin1')),
  fc
    .constantFrom('\n', ' ', '\r\n', '\0', HEADER, 'Num RefCount Protocol Flags    Type St Path\n')
    .map((s) => Buffer.from(s, 'latin1')),
);

const hostile = fc.oneof(
  fc.uint8Array({ maxLength: 300 }),
  fc.array(fragment, { maxLength: 12 }).map((parts) => Uint8Array.from(Buffer.concat(parts))),
  fc.array(fragment, { maxLength: 12 }).map((parts) => Uint8Array.from(Buffer.concat([Buffer.from(HEADER), ...parts]))),
);

describe('unix on arbitrary bytes', () => {
  test.prop([hostile], { numRuns: 1000 })('returns rows or throws a ProcNetParseError', (bytes) => {
    try {
      const rows = parseUnix(bytes);
      for (const r of rows) expect(r.line).toBeGreaterThanOrEqual(1);
    } catch (error) {
      expect(isProcNetParseError(error)).toBe(true);
    }
  });

  test.prop([hostile], { numRuns: 1000 })('places every error inside the input, at its line and column', (bytes) => {
    const errors: ProcNetParseError[] = [];
    try {
      parseUnix(bytes, { onInvalidRow: (e) => errors.push(e) });
    } catch (error) {
      // Only a wrong header is thrown whatever onInvalidRow says.
      expect(isProcNetParseError(error) && error.code).toBe('UNKNOWN_HEADER');
      errors.push(error as ProcNetParseError);
    }
    for (const e of errors) {
      if (bytes.length === 0) expect(e.offset).toBe(0);
      else expect(e.offset).toBeLessThan(bytes.length);
      expect(e.offset).toBeGreaterThanOrEqual(0);
      expect({ line: e.line, column: e.column }).toEqual(where(bytes, e.offset));
    }
  });
});
