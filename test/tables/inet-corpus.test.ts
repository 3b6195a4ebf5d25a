/**
 * Every inet table in the corpus (fixtures/corpus: 16 projects' test data, kernels 2.6 to 6.x, 32- and 64-bit) parses.
 * Counts are the data rows of each file; value checks pick rows whose meaning PROVENANCE.md states.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { InetTableKind, ProcNetParseError, RawSocket, TcpRow } from '../../src/index.js';
import { INET_SAMPLES as SAMPLES } from '../support/corpus-samples.js';
import { lib } from '../support/lib.js';
import { CORPUS } from '../support/paths.js';

function parse(file: string) {
  const [kind] = SAMPLES[file] as [InetTableKind, number, number];
  const errors: ProcNetParseError[] = [];
  const rows = lib.parseTable(kind, readFileSync(CORPUS + file), { onInvalidRow: (e) => errors.push(e) });
  return { rows, errors };
}

describe('corpus', () => {
  for (const [file, [kind, count, invalid]] of Object.entries(SAMPLES)) {
    it(`${file} (${kind}): ${count} rows, ${invalid} invalid`, () => {
      const { rows, errors } = parse(file);
      expect(rows).toHaveLength(count);
      expect(errors).toHaveLength(invalid);
      for (const r of rows) expect(r.kind).toBe(kind);
    });
  }

  it('reports the anonymised row of treadmill with its position and keeps the rest', () => {
    const { rows, errors } = parse('treadmill/proc.net.tcp.data') as { rows: TcpRow[]; errors: ProcNetParseError[] };
    expect(errors[0]).toMatchObject({
      code: 'BAD_ADDRESS',
      line: 4,
      column: 7,
      field: 'local_address',
      text: 'ABCDEFGH',
    });
    // The 6-digit uid that breaks column alignment still parses.
    expect(rows.map((r) => r.uid)).toEqual([29, 0, 0, 0]);
    expect(rows[2]).toMatchObject({ record: 'timewait', state: 'TIME_WAIT' });
    expect(() => lib.parseTable('tcp', readFileSync(`${CORPUS}treadmill/proc.net.tcp.data`))).toThrow(
      /tcp:4:7 \(field local_address\)/,
    );
  });

  it('reads 32-bit pointers, old TIME_WAIT rows and the 3 s initial RTO of a 2.6/3.x kernel (goprocinfo)', () => {
    const rows = parse('goprocinfo/tcp').rows as TcpRow[];
    expect(rows.every((r) => r.pointer.length === 8)).toBe(true);
    expect(rows.filter((r) => r.record === 'timewait').length).toBeGreaterThan(0);
    const listen = rows.find((r) => r.record === 'socket' && r.state === 'LISTEN');
    expect(listen).toMatchObject({ rtoMs: 2990 });
  });

  it('reads inodes above 2^31 and tab-indented rows (go-netstat raw)', () => {
    const rows = parse('go-netstat/raw').rows as RawSocket[];
    expect(rows.map((r) => [r.ipProtocol, r.inode])).toEqual([
      [1, expect.stringMatching(/^\d{10}$/)],
      [17, expect.stringMatching(/^\d{10}$/)],
    ]);
    expect(rows.some((r) => r.inode === '4229902743')).toBe(true);
  });

  it('reads a link-local IPv6 listener and IPv6 peers (lima, tailscale, scope)', () => {
    expect(parse('lima/tcp6').rows[0]?.local.address).toMatch(/^fe80::/);
    const ts = parse('tailscale/tcp6').rows;
    expect(ts.map((r) => r.local.address)).toContain('::1');
    expect(ts.some((r) => r.remote.address.startsWith('2606:4700:'))).toBe(true);
    expect(parse('scope/tcp6').rows.some((r) => r.remote.address.startsWith('2a00:1450:'))).toBe(true);
  });

  it('reads UDP bucket collisions and a last row without a final newline (lima udp)', () => {
    const { rows } = parse('lima/udp');
    expect(rows.map((r) => r.slot)).toEqual([716, 716, 731, 731, 1768]);
    expect(rows[0]).toMatchObject({ local: { address: '127.0.0.54', port: 53 }, uid: 991, drops: 0 });
    expect(rows[4]).toMatchObject({ local: { address: '0.0.0.0', port: 5201 }, uid: 502 });
  });

  it('reads two captures joined in one file (jc net_tcp) and the systemd-resolved listener', () => {
    const rows = parse('jc/net_tcp').rows as TcpRow[];
    expect(rows[0]).toMatchObject({ local: { address: '127.0.0.53', port: 53 }, fastOpenQueueLimit: 5 });
    expect(rows.filter((r) => r.slot === 0)).toHaveLength(2);
  });
});
