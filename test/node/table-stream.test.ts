/**
 * A table streamed row by row (what the streamed table view and `--ndjson` read) gives what `readSockets` gives:
 * the rows of `parseTable` with the read's repeats dropped (the rule of test/support/repeats.ts), whether it is read in a worker,
 * read ahead with this thread reading until the worker is ready, or read as a plain stream; and the same failure
 * for a missing file.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { trustedFile } from '../../src/node/files.js';
import { IoFailure } from '../../src/node/io.js';
import { readInWorkerAhead, streamTableRows } from '../../src/node/table-stream.js';
import { parseTable } from '../../src/tables/parse-table.js';
import type { InetSocket, InetTableKind } from '../../src/types.js';
import { ROOT } from '../support/paths.js';
import { withoutRepeats } from '../support/repeats.js';

const tmp = mkdtempSync(join(tmpdir(), 'procnet-table-stream-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const FIXTURE = join(ROOT, 'fixtures', 'capture-2026-11-linux-6.18.44-fc-v782-x86_64', 'net');

const HEADER = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';

/**
 * A tcp table of `n` sockets (inodes 100000 + i, a fifth of them inode-less TIME_WAIT rows) in which every
 * seventh line is printed again further on, as a live read can: the repeats a read drops.
 */
function tableWithRepeats(n: number): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const port = (1024 + (i % 60000)).toString(16).toUpperCase().padStart(4, '0');
    const tw = i % 5 === 0;
    const ptr = (0xffff8880_00000000n + BigInt(i) * 64n).toString(16).toUpperCase().padStart(16, '0');
    lines.push(
      tw
        ? `${String(i).padStart(4)}: 0100007F:${port} 0100007F:1F90 06 00000000:00000000 03:00000DA5 00000000     0        0 0 3 ${ptr}\n`
        : `${String(i).padStart(4)}: 0100007F:${port} 0100007F:1F90 01 00000000:00000000 00:00000000 00000000  1000        0 ${100000 + i} 1 ${ptr} 20 4 30 10 -1\n`,
    );
  }
  const out = [HEADER];
  lines.forEach((l, i) => {
    out.push(l);
    if (i % 7 === 3 && i + 40 < lines.length) out.push(lines[i - 3] as string); // a repeat of an earlier line
  });
  return out.join('');
}

/** What readSockets gives for a whole table: parseTable's rows, repeats dropped. */
function expected(kind: InetTableKind, bytes: Uint8Array): InetSocket[] {
  return withoutRepeats(parseTable(kind, bytes));
}

async function streamed(path: string, kind: InetTableKind, how: 'plain' | 'worker' | 'ahead') {
  const rows: InetSocket[] = [];
  const worker =
    how === 'plain' ? false : how === 'worker' ? true : readInWorkerAhead(trustedFile(path, 'table'), true);
  const end = await streamTableRows(trustedFile(path, 'table'), kind, { file: path }, (r) => void rows.push(r), worker);
  return { end, rows };
}

describe('streamTableRows', () => {
  const big = join(tmp, 'tcp-repeats');
  writeFileSync(big, tableWithRepeats(30_000));

  for (const how of ['plain', 'worker', 'ahead'] as const) {
    it(`gives readSockets' rows (${how}): a table with repeats, 30k rows`, async () => {
      const want = expected('tcp', readFileSync(big));
      expect(want.length).toBe(30_000);
      const got = await streamed(big, 'tcp', how);
      expect(got.end).toBeNull();
      expect(got.rows.length).toBe(want.length);
      expect(got.rows).toEqual(want);
    });

    it(`gives readSockets' rows (${how}): the capture's tcp, tcp6, udp`, async () => {
      for (const kind of ['tcp', 'tcp6', 'udp'] as const) {
        const path = join(FIXTURE, kind);
        const got = await streamed(path, kind, how);
        expect(got.end).toBeNull();
        expect(got.rows).toEqual(expected(kind, readFileSync(path)));
      }
    });

    it(`reports a missing table by its errno code (${how})`, async () => {
      const got = await streamed(join(tmp, 'missing'), 'tcp', how);
      expect(got.end).toEqual(new IoFailure('ENOENT'));
      expect(got.rows).toEqual([]);
    });
  }

  it('keeps inode-less rows that differ in any one field of their identity, and drops exact repeats', async () => {
    const base = [
      '0100007F',
      '1F90',
      '0200007F',
      'A0B0',
      '06',
      '00000000:00000000 03:00000DA5 00000000     0        0 0 3',
      'ffff888000000040',
    ] as const;
    const line = (f: readonly string[], i: number) =>
      `${String(i).padStart(4)}: ${f[0]}:${f[1]} ${f[2]}:${f[3]} ${f[4]} ${f[5]} ${f[6]}\n`;
    const variants: string[][] = [[...base]];
    const changes: Array<[number, string]> = [
      [0, '0300007F'],
      [1, '1F91'],
      [2, '0200007E'],
      [3, 'A0B1'],
      [4, '05'],
      [6, 'ffff888000000080'],
      [6, 'ffff8880'], // a 32-bit kernel's pointer: another text
    ];
    for (const [at, value] of changes) {
      const v: string[] = [...base];
      v[at] = value;
      variants.push(v);
    }
    const lines = [...variants, ...variants].map((v, i) => line(v, i));
    const path = join(tmp, 'tcp-tuples');
    writeFileSync(path, HEADER + lines.join(''));
    const want = expected('tcp', readFileSync(path));
    expect(want.length).toBe(variants.length);
    for (const how of ['plain', 'worker'] as const) {
      const got = await streamed(path, 'tcp', how);
      expect(got.rows).toEqual(want);
    }
  });

  it('waits for each row the handler asks it to wait for', async () => {
    const path = join(FIXTURE, 'tcp');
    const order: string[] = [];
    await streamTableRows(
      trustedFile(path, 'table'),
      'tcp',
      {},
      (r) => {
        order.push(`row ${r.inode}`);
        return new Promise<void>((resolve) =>
          setTimeout(() => {
            order.push(`done ${r.inode}`);
            resolve();
          }, 1),
        );
      },
      true,
    );
    expect(order.length).toBeGreaterThan(2);
    for (let i = 0; i < order.length; i += 2) expect(order[i + 1]).toBe(order[i]?.replace('row', 'done'));
  });
});
