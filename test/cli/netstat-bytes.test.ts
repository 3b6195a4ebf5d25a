/**
 * The byte writer of the streamed table view prints exactly what the string renderer prints for the same row:
 * on arbitrary IPv4 TCP records in either byte order (every state code, queues up to 2^32-1, port 0), on the
 * project's captures and on every IPv4 TCP table of the corpus, written from `parseColumns`' columns as the table view
 * writes them from `streamSocketColumns`' batches; and the columns' listening test of the table view (no remote port)
 * agrees with the row's.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { NetstatLineWriter, netstatBytesFit, netstatBytesRoom } from '../../src/cli/netstat-bytes.js';
import { isListening } from '../../src/cli/selection.js';
import type { InetColumns } from '../../src/column-types.js';
import { formatTable } from '../../src/format/kernel.js';
import { formatNetstatInetLine, layoutNetstatInet, type NetstatInetLayout } from '../../src/format/netstat.js';
import { parseColumns } from '../../src/tables/parse-columns.js';
import type { ByteOrder, InetSocket, InetTableKind } from '../../src/types.js';
import { tableRowsOf } from '../support/arbitraries.js';
import { CORPUS, ROOT } from '../support/paths.js';

const KINDS = ['tcp'] as const;

/** Every line of `text` twice: written by the byte writer, and rendered from the built row. */
function both(kind: InetTableKind, text: Uint8Array | string, byteOrder: ByteOrder, layout?: NetstatInetLayout) {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'latin1') : text;
  const columns = parseColumns(kind, bytes, { byteOrder, onInvalidRow: 'skip' }) as InetColumns;
  const rows: InetSocket[] = [...columns];
  const l = layout ?? layoutNetstatInet(rows);
  const writer = new NetstatLineWriter(byteOrder === 'little', l);
  const out = Buffer.alloc(rows.length * netstatBytesRoom(l) + 1);
  let pos = 0;
  const listening: boolean[] = [];
  for (let i = 0; i < columns.length; i++) {
    const before = pos;
    pos = writer.line(columns, i, out, pos);
    expect(pos - before).toBeLessThanOrEqual(netstatBytesRoom(l));
    listening.push(columns.remotePort[i] === 0);
  }
  return {
    written: out.subarray(0, pos).toString('latin1'),
    rendered: rows.map((s) => `${formatNetstatInetLine(s, l)}\n`).join(''),
    listening,
    expectedListening: rows.map(isListening),
    rows: rows.length,
  };
}

describe('NetstatLineWriter', () => {
  for (const kind of KINDS) {
    test.prop([tableRowsOf(kind, { minLength: 1, maxLength: 8 }), fc.constantFrom<ByteOrder>('little', 'big')], {
      numRuns: 200,
    })(`writes what formatNetstatInetLine renders for arbitrary ${kind} rows`, (rows, byteOrder) => {
      const r = both(kind, formatTable(kind, rows as never, { byteOrder }), byteOrder);
      expect(r.rows).toBe(rows.length);
      expect(r.written).toBe(r.rendered);
      expect(r.listening).toEqual(r.expectedListening);
    });
  }

  it('pads to a layout widened by other rows (IPv6 addresses of the same listing)', () => {
    const text = readFileSync(join(ROOT, 'fixtures/capture-2026-11-linux-6.18.44-fc-v782-x86_64/net/tcp'));
    const wide = { ...layoutNetstatInet([]), local: 41, remote: 30 };
    const r = both('tcp', text, 'little', wide);
    expect(r.rows).toBeGreaterThan(0);
    expect(r.written).toBe(r.rendered);
  });

  it('writes the captures (both byte orders) and every IPv4 TCP table of the corpus as rendered', () => {
    let tables = 0;
    for (const [dir, order] of [
      ['capture-2026-11-linux-6.18.44-fc-v782-x86_64', 'little'],
      ['capture-2026-11-linux-6.18.44-fc-v782-x86_64-as-big-endian', 'big'],
    ] as const) {
      for (const kind of KINDS) {
        const r = both(kind, readFileSync(join(ROOT, 'fixtures', dir, 'net', kind)), order);
        expect(r.written).toBe(r.rendered);
        expect(r.listening).toEqual(r.expectedListening);
        tables++;
      }
    }
    const files = readdirSync(CORPUS, { recursive: true, encoding: 'utf8' }).filter((f) => /(^|\/)tcp$/.test(f));
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const f of files) {
      const kind = f.split('/').pop() as (typeof KINDS)[number];
      const r = both(kind, readFileSync(join(CORPUS, f)), 'little');
      expect(r.written, f).toBe(r.rendered);
      tables++;
    }
    expect(tables).toBeGreaterThanOrEqual(7);
  });

  it('is used only where it prints the same as the renderer', () => {
    expect(netstatBytesFit('tcp', {})).toBe(true);
    expect(netstatBytesFit('tcp', { numeric: true, services: new Map([['22/tcp', 'ssh']]) })).toBe(true);
    expect(netstatBytesFit('tcp', { services: new Map([['22/tcp', 'ssh']]) })).toBe(false);
    for (const o of [{ extend: true }, { programs: true }, { timers: true }])
      expect(netstatBytesFit('tcp', o)).toBe(false);
    for (const kind of ['tcp6', 'udp', 'udplite', 'raw', 'icmp', 'udp6'] as const)
      expect(netstatBytesFit(kind, {})).toBe(false);
  });
});
