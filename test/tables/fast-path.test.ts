/**
 * The fast path (a line laid out exactly as the kernel prints it is decoded without tokenizing) must give what
 * the checking decoder gives. Each input is parsed twice: as it is, and with one more space after every `sl:`,
 * which no fast path accepts, so every line goes through the tokenizing decoder. Rows, errors and verdicts must
 * be the same (error columns move by the inserted space, so positions are compared by line and field).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { InetTableKind, ParseOptions, ProcNetParseError } from '../../src/index.js';
import { INET_KINDS, tableRowsOf } from '../support/arbitraries.js';
import { INET_SAMPLES } from '../support/corpus-samples.js';
import { lib } from '../support/lib.js';
import { CORPUS, ROOT } from '../support/paths.js';

/** The same table with every data line pushed off the fast path (an extra blank after `sl:`). */
function slowForm(text: Buffer): Buffer {
  const lines = text.toString('latin1').split('\n');
  return Buffer.from(lines.map((l, i) => (i === 0 ? l : l.replace(/^(\s*\d+:) /, '$1  '))).join('\n'), 'latin1');
}

function outcome(kind: InetTableKind, bytes: Buffer, options: ParseOptions = {}) {
  const errors: ProcNetParseError[] = [];
  const rows = lib.parseTable(kind, bytes, { ...options, onInvalidRow: (e) => errors.push(e) });
  const summary = lib.summarizeTable(kind, bytes, { ...options, onInvalidRow: () => {} });
  // The columns too: every typed array and side map, and the rows they give back.
  const columns = lib.parseColumns(kind, bytes, { ...options, onInvalidRow: () => {} });
  return {
    rows,
    errors: errors.map((e) => [e.code, e.line, e.field]),
    summary,
    columns: { ...columns },
    columnRows: [...columns],
  };
}

function expectSame(kind: InetTableKind, bytes: Buffer, options?: ParseOptions) {
  const slow = slowForm(bytes);
  expect(slow.equals(bytes) && bytes.includes(':  ')).toBe(false);
  expect(outcome(kind, bytes, options)).toEqual(outcome(kind, slow, options));
}

const FIXTURES = join(ROOT, 'fixtures');
/** Bytes that a change may put in: blanks, digit and hex edges, signs, separators, line ends, junk. */
const BYTES = [0x20, 0x30, 0x39, 0x41, 0x46, 0x67, 0x2d, 0x3a, 0x09, 0x0d, 0x00, 0xff];
const captures = readdirSync(FIXTURES).filter((d) => d.startsWith('capture-'));

describe('fast path = checking decoder', () => {
  for (const dir of captures) {
    for (const kind of INET_KINDS) {
      it(`${dir}/net/${kind}`, () => {
        const bytes = readFileSync(join(FIXTURES, dir, 'net', kind));
        const byteOrder = dir.endsWith('-as-big-endian') ? 'big' : 'little';
        expectSame(kind, bytes, { byteOrder });
        expectSame(kind, bytes, { byteOrder, filter: { states: ['LISTEN', 'unconnected'], ports: [22, 53] } });
      });
    }
  }

  it('every inet table of the corpus', () => {
    for (const [file, [kind]] of Object.entries(INET_SAMPLES)) expectSame(kind, readFileSync(CORPUS + file));
  });

  for (const kind of INET_KINDS) {
    test.prop([tableRowsOf(kind, { minLength: 1, maxLength: 6 }), fc.nat(), fc.nat(), fc.constantFrom(...BYTES)], {
      numRuns: 200,
    })(`agrees on ${kind} rows with one byte changed`, (rows, at, lineAt, byte) => {
      const text = Buffer.from(lib.formatTable(kind, rows as never), 'latin1');
      expectSame(kind, text);
      // Change one byte of one data line (never its newline or the `sl:` prefix the slow form relies on).
      const lines = text.toString('latin1').split('\n');
      const li = 1 + (lineAt % rows.length);
      const line = lines[li] as string;
      const start = line.indexOf(': ') + 2;
      const pos = start + (at % (line.length - start));
      lines[li] = line.slice(0, pos) + String.fromCharCode(byte) + line.slice(pos + 1);
      expectSame(kind, Buffer.from(lines.join('\n'), 'latin1'));
    });
  }

  for (const kind of INET_KINDS) {
    it(`agrees on every single-byte change of real ${kind} lines`, () => {
      const bytes = readFileSync(join(FIXTURES, captures[0] as string, 'net', kind)).toString('latin1');
      const lines = bytes.split('\n');
      // The header and up to three rows of different shapes (field counts).
      const picked = new Map<number, string>();
      for (const l of lines.slice(1)) if (l.trim() !== '') picked.set(l.trim().split(/\s+/).length, l);
      for (const line of picked.values()) {
        const start = line.indexOf(': ') + 2;
        for (let pos = start; pos < line.length; pos++) {
          for (const byte of BYTES) {
            const changed = line.slice(0, pos) + String.fromCharCode(byte) + line.slice(pos + 1);
            expectSame(kind, Buffer.from(`${lines[0]}\n${changed}\n`, 'latin1'));
          }
        }
      }
    });
  }

  it('takes the same decisions on cut-off tables at every length', () => {
    const bytes = readFileSync(join(FIXTURES, captures[0] as string, 'net', 'tcp'));
    for (let end = bytes.length - 400; end <= bytes.length; end += 7) {
      const cut = bytes.subarray(0, end);
      expect(outcome('tcp', cut)).toEqual(outcome('tcp', slowForm(cut)));
    }
  });
});
