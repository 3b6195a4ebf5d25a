/**
 * parseColumnsStream: batches of columns whose rows, joined, are parseTable's rows, at any chunking; the same
 * errors (positions included) in every onInvalidRow mode; and the source released when a loop stops early.
 */
import { createReadStream, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { InetSocket, InetTableKind, ParseOptions, ProcNetParseError } from '../../src/index.js';
import { INET_KINDS, socketOf } from '../support/arbitraries.js';
import { gen, split } from '../support/chunks.js';
import { lib } from '../support/lib.js';
import { ROOT } from '../support/paths.js';

const FIXTURES = join(ROOT, 'fixtures');
const CAPTURE = join(FIXTURES, readdirSync(FIXTURES).find((d) => d.startsWith('capture-')) as string);

/** The rows of every batch, the batch sizes, and the errors reported (or thrown). */
async function streamed(kind: InetTableKind, parts: Uint8Array[], options: ParseOptions = {}) {
  const rows: InetSocket[] = [];
  const sizes: number[] = [];
  let thrown: unknown;
  try {
    for await (const batch of lib.parseColumnsStream(kind, gen(parts), options)) {
      expect(batch.kind).toBe(kind);
      sizes.push(batch.length);
      rows.push(...batch);
    }
  } catch (e) {
    thrown = e;
  }
  return { rows, sizes, thrown };
}

describe('parseColumnsStream', () => {
  for (const kind of INET_KINDS) {
    test.prop(
      [fc.array(socketOf(kind), { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 6 }), fc.nat(), fc.nat(255)],
      { numRuns: 60 },
    )(`gives parseTable's ${kind} rows and errors at any chunking`, async (sockets, at, pos, byte) => {
      const text = lib.formatTable(kind, sockets as never);
      // Sometimes one byte of a data line changed, so some rows are bad.
      const head = text.indexOf('\n') + 1;
      const at1 = head + (pos % Math.max(1, text.length - head));
      const changed =
        byte % 3 === 0 || text.length === head
          ? text
          : text.slice(0, at1) + String.fromCharCode(byte) + text.slice(at1 + 1);
      const bytes = Buffer.from(changed, 'latin1');
      const errors: ProcNetParseError[] = [];
      const streamErrors: ProcNetParseError[] = [];
      const onInvalidRow = (e: ProcNetParseError) => errors.push(e);
      const expected = lib.parseTable(kind, bytes, { onInvalidRow });
      const got = await streamed(kind, split(bytes, at), { onInvalidRow: (e) => streamErrors.push(e) });
      expect(got.thrown).toBeUndefined();
      expect(got.rows).toEqual(expected);
      expect(streamErrors).toEqual(errors);
      expect(got.sizes.every((n) => n > 0)).toBe(true);
      // 'throw': the rows before the first bad one (as parseTableStream gives them), then its error.
      const strict = await streamed(kind, split(bytes, at));
      expect(strict.thrown).toEqual(errors[0]);
      const before: InetSocket[] = [];
      try {
        for await (const row of lib.parseTableStream(kind, gen(split(bytes, at)))) before.push(row);
      } catch {}
      expect(strict.rows).toEqual(before);
    });
  }

  it('gives one batch per chunk for a file stream, with the filter applied', async () => {
    const file = join(CAPTURE, 'net', 'tcp');
    const filter = { states: ['LISTEN' as const] };
    const expected = lib.parseTable('tcp', readFileSync(file), { filter });
    const sizes: number[] = [];
    const rows: InetSocket[] = [];
    for await (const batch of lib.parseColumnsStream('tcp', createReadStream(file, { highWaterMark: 512 }), {
      filter,
    })) {
      sizes.push(batch.length);
      rows.push(...batch);
    }
    expect(rows).toEqual(expected);
    expect(sizes.length).toBeGreaterThan(1);
  });

  it('releases the source when the loop stops early', async () => {
    const file = join(CAPTURE, 'net', 'tcp');
    const stream = createReadStream(file, { highWaterMark: 300 });
    for await (const batch of lib.parseColumnsStream('tcp', stream)) if (batch.length > 0) break;
    expect(stream.destroyed).toBe(true);
  });
});
