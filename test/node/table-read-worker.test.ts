/**
 * Reading a table in a worker and parsing the batches as they arrive gives what reading it whole and parsing it
 * gives: the same rows, the same bad rows (lenient) or the same throw, and the same failure for a missing file;
 * and the reader hands over every byte, whether the worker reads it all or this thread reads first.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { InetColumns } from '../../src/column-types.js';
import { ProcNetParseError } from '../../src/errors.js';
import {
  finishTable,
  newAccumulator,
  openTable,
  type ParsedTable,
  readRequest,
  type TableShape,
} from '../../src/node/assemble.js';
import { driveAsync, driveSync } from '../../src/node/drive.js';
import { trustedFile } from '../../src/node/files.js';
import { IoFailure, type IoPlan, isFailure, request, type SinkThrew } from '../../src/node/io.js';
import { idleReaders, readInWorker } from '../../src/node/table-read-worker.js';
import { parseTable } from '../../src/tables/parse-table.js';
import type { InetSocket, InetTableKind } from '../../src/types.js';
import { CORPUS, ROOT } from '../support/paths.js';

const tmp = mkdtempSync(join(tmpdir(), 'procnet-table-worker-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const FIXTURE = join(ROOT, 'fixtures', 'capture-2026-11-linux-6.18.44-fc-v782-x86_64', 'net');

/** What one table read along the one path gives: rows or columns, bad rows, what a strict parse threw, repeats. */
interface TableRead {
  rows: InetSocket[];
  columns: InetColumns | null;
  errors: ProcNetParseError[];
  thrown: unknown;
  dropped: number;
}

/** One table read along the readers' path (open, read into the feed in a worker or whole, finish). */
function* readParse(
  path: string,
  kind: InetTableKind,
  worker: boolean,
  lenient: boolean,
  shape: TableShape = 'rows',
): IoPlan<TableRead | IoFailure> {
  const settings = {
    byteOrder: 'little' as const,
    userHz: 100,
    onInvalidRow: lenient ? ('skip' as const) : ('throw' as const),
  };
  const job = openTable(kind, path, settings, shape);
  const read = yield* request(readRequest(job, trustedFile(path, 'table'), worker));
  if (isFailure(read)) return read;
  const log = newAccumulator();
  let parsed: ParsedTable | null = null;
  let thrown: unknown;
  try {
    parsed = finishTable(log, job, read as Uint8Array | SinkThrew | null);
  } catch (e) {
    thrown = e;
  }
  return {
    rows: parsed !== null && 'rows' in parsed ? (parsed.rows as InetSocket[]) : [],
    columns: parsed !== null && 'columns' in parsed ? (parsed.columns as InetColumns) : null,
    errors: log.errors,
    thrown,
    dropped: log.duplicatesDropped,
  };
}

/** A file of `size` bytes in a pattern that shows any byte lost, repeated or moved. */
function patterned(name: string, size: number): { path: string; bytes: Buffer } {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 37 + 1) & 0xff;
  const path = join(tmp, name);
  writeFileSync(path, bytes);
  return { path, bytes };
}

describe('readInWorker', () => {
  it('hands over every byte, in order, in batches of the size asked', async () => {
    const { path, bytes } = patterned('bytes', 100_003);
    const chunks: Uint8Array[] = [];
    expect(await readInWorker(trustedFile(path, 'table'), (c) => chunks.push(c), 4096)).toBeNull();
    expect(chunks.length).toBe(Math.ceil(bytes.length / 4096));
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
  });

  it('reports a file that cannot be opened by its errno code', async () => {
    expect(await readInWorker(trustedFile(join(tmp, 'missing'), 'table'), () => {})).toEqual(new IoFailure('ENOENT'));
  });

  it('stops and rejects when the consumer throws', async () => {
    const path = join(tmp, 'stop');
    writeFileSync(path, Buffer.alloc(50_000, 0x20));
    let calls = 0;
    const boom = new Error('consumer');
    const consumer = () => {
      calls++;
      throw boom;
    };
    await expect(readInWorker(trustedFile(path, 'table'), consumer, 1024)).rejects.toBe(boom);
    expect(calls).toBe(1);
  });
});

describe('readInWorker with this thread reading first', () => {
  it('hands over every byte, in order, whoever read it', async () => {
    const { path, bytes } = patterned('bytes-here-first', 3_000_003);
    const chunks: Uint8Array[] = [];
    expect(await readInWorker(trustedFile(path, 'table'), (c) => chunks.push(c), 64 * 1024, true)).toBeNull();
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
  });

  it('ends at once when this thread read a small file to its end before the worker was ready', async () => {
    const path = join(FIXTURE, 'udp');
    const chunks: Uint8Array[] = [];
    expect(await readInWorker(trustedFile(path, 'table'), (c) => chunks.push(c), 256 * 1024, true)).toBeNull();
    expect(Buffer.concat(chunks).equals(readFileSync(path))).toBe(true);
  });

  it('reports a file that cannot be opened, and rejects with what the consumer threw', async () => {
    expect(await readInWorker(trustedFile(join(tmp, 'missing'), 'table'), () => {}, 4096, true)).toEqual(
      new IoFailure('ENOENT'),
    );
    const boom = new Error('consumer');
    await expect(
      readInWorker(
        trustedFile(join(FIXTURE, 'tcp'), 'table'),
        () => {
          throw boom;
        },
        4096,
        true,
      ),
    ).rejects.toBe(boom);
  });
});

describe('reader reuse', () => {
  it('keeps finished readers for the next reads (two at most) and drops one whose consumer threw', async () => {
    const path = join(FIXTURE, 'tcp');
    const want = readFileSync(path);
    const collect = async () => {
      const chunks: Uint8Array[] = [];
      expect(await readInWorker(trustedFile(path, 'table'), (c) => chunks.push(c), 512)).toBeNull();
      return Buffer.concat(chunks);
    };
    expect((await collect()).equals(want)).toBe(true);
    const before = idleReaders();
    expect(before).toBeGreaterThanOrEqual(1);
    // Three at once: each gets its own reader and the whole file; two are kept afterwards.
    const three = await Promise.all([collect(), collect(), collect()]);
    for (const b of three) expect(b.equals(want)).toBe(true);
    expect(idleReaders()).toBe(2);
    await expect(
      readInWorker(
        trustedFile(path, 'table'),
        () => {
          throw new Error('stop');
        },
        512,
      ),
    ).rejects.toThrow('stop');
    expect(idleReaders()).toBe(1);
    // The kept one serves the next read and is kept again.
    expect((await collect()).equals(want)).toBe(true);
    expect(idleReaders()).toBe(1);
  });

  it.runIf(existsSync(join(ROOT, 'dist', 'node.js')))(
    'does not keep a process alive with an idle reader (built package)',
    () => {
      const script = `import(${JSON.stringify(join(ROOT, 'dist', 'node.js'))}).then(async (m) => {
        const r = await m.readSockets({ kinds: ['tcp'] });
        console.log('rows', r.sockets.length >= 0);
      });`;
      const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 20_000 });
      expect(r.stdout.trim()).toBe('rows true');
      expect(r.status).toBe(0);
    },
  );
});

describe('a table read into its feed (in a worker) or whole', () => {
  for (const kind of ['tcp', 'tcp6', 'udp', 'udp6', 'raw6'] as const) {
    it(`gives parseTable's rows for ${kind}, in a worker and not`, async () => {
      const path = join(FIXTURE, kind);
      const want = parseTable(kind, readFileSync(path), { file: path });
      for (const worker of [true, false]) {
        const got = (await driveAsync(readParse(path, kind, worker, false), 4)) as TableRead;
        expect(got.thrown).toBeUndefined();
        expect(got.rows).toEqual(want);
      }
      expect((driveSync(readParse(path, kind, true, false)) as TableRead).rows).toEqual(want);
      // Columns, in a worker (collected across batches) and not: row(i) is the same row.
      for (const worker of [true, false]) {
        const got = (await driveAsync(readParse(path, kind, worker, false, 'columns'), 4)) as TableRead;
        expect(got.columns?.length).toBe(want.length);
        expect([...(got.columns as InetColumns)]).toEqual(want);
      }
    });
  }

  it('splits a big table at many batch boundaries and still parses every row exactly', async () => {
    // 40k rows: many 256 KiB batches, rows split across them.
    const lines = readFileSync(join(FIXTURE, 'tcp'), 'latin1').split('\n');
    const rows = lines.slice(1).filter((l) => l.trim() !== '');
    const body: string[] = [];
    // Each copy made a socket of its own (a new inode, or for inode-less rows a new pointer), so no row is a
    // repeat the read drops; the last 500 are exact repeats of earlier lines, which it does drop.
    for (let i = 0; i < 40_000; i++) {
      const t = (rows[i % rows.length] as string).trim().split(/\s+/);
      if (t[9] !== '0') t[9] = String(5_000_000 + i);
      else t[11] = `${(t[11] as string).slice(0, 8)}${i.toString(16).padStart(8, '0')}`;
      body.push(t.join(' '));
    }
    for (let i = 0; i < 500; i++) body.push(body[i * 7] as string);
    const path = join(tmp, 'big-tcp');
    writeFileSync(path, `${lines[0]}\n${body.join('\n')}\n`, 'latin1');
    const want = parseTable('tcp', readFileSync(path), { file: path });
    expect(want.length).toBe(40_500);
    want.length = 40_000;
    const got = (await driveAsync(readParse(path, 'tcp', true, false), 4)) as TableRead;
    expect(got.rows.length).toBe(40_000);
    expect(got.dropped).toBe(500);
    expect(got.rows).toEqual(want);
    const columns = (await driveAsync(readParse(path, 'tcp', true, false, 'columns'), 4)) as TableRead;
    expect(columns.dropped).toBe(500);
    expect([...(columns.columns as InetColumns)]).toEqual(want);
  });

  it('collects the same bad rows in lenient mode, and gives the same throw in strict mode', async () => {
    const path = `${CORPUS}treadmill/proc.net.tcp.data`;
    const errors: ProcNetParseError[] = [];
    const want = parseTable('tcp', readFileSync(path), { file: path, onInvalidRow: (e) => errors.push(e) });
    const lenient = (await driveAsync(readParse(path, 'tcp', true, true), 4)) as TableRead;
    expect(lenient.rows).toEqual(want);
    expect(lenient.errors.map((e) => e.message)).toEqual(errors.map((e) => e.message));
    const strict = (await driveAsync(readParse(path, 'tcp', true, false), 4)) as TableRead;
    expect(strict.thrown).toBeInstanceOf(ProcNetParseError);
    expect((strict.thrown as ProcNetParseError).message).toBe(errors[0]?.message);
  });

  it('says a cut-off table is cut off, with the same error as a whole read', async () => {
    const whole = readFileSync(join(FIXTURE, 'tcp'));
    const path = join(tmp, 'cut-tcp');
    writeFileSync(path, whole.subarray(0, whole.length - 40));
    const strict = (await driveAsync(readParse(path, 'tcp', true, false), 4)) as TableRead;
    expect((strict.thrown as ProcNetParseError).code).toBe('TRUNCATED_ROW');
    const plain = (await driveAsync(readParse(path, 'tcp', false, false), 4)) as TableRead;
    expect((strict.thrown as ProcNetParseError).message).toBe((plain.thrown as ProcNetParseError).message);
  });

  it('fails a missing table as the plain read does', async () => {
    const r = (await driveAsync(readParse(join(tmp, 'none'), 'tcp', true, false), 4)) as IoFailure;
    expect(r.code).toBe('ENOENT');
  });
});
