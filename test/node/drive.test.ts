/**
 * The file reads of both drivers: whole files, exact bytes, whatever the first buffer size, for saved files
 * (sized from fstat) and for /proc files (which report size 0 and grow the buffer).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { driveAsync, driveSync } from '../../src/node/drive.js';
import { trustedFile } from '../../src/node/files.js';
import { type IoFailure, request } from '../../src/node/io.js';

const tmp = mkdtempSync(join(tmpdir(), 'procnet-drive-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const read = (path: string, size: number) => request({ op: 'read', file: trustedFile(path, 'table', undefined, size) });

describe('reading whole files', () => {
  for (const length of [0, 1, 4095, 65536, 300_001]) {
    it(`gives every byte of a ${length}-byte file, sync and async, for any first buffer size`, async () => {
      const bytes = Buffer.alloc(length);
      for (let i = 0; i < length; i++) bytes[i] = (i * 131 + 7) & 0xff;
      const path = join(tmp, `f${length}`);
      writeFileSync(path, bytes);
      for (const size of [1, 4096, 65536]) {
        expect(Buffer.from(driveSync(read(path, size)) as Uint8Array).equals(bytes)).toBe(true);
        expect(Buffer.from((await driveAsync(read(path, size), 4)) as Uint8Array).equals(bytes)).toBe(true);
      }
    });
  }

  it('sizes the buffer from the file, not by doubling: the result is not a view into a much larger buffer', async () => {
    const path = join(tmp, 'sized');
    writeFileSync(path, Buffer.alloc(1_000_000, 0x41));
    const sync = driveSync(read(path, 65536)) as Uint8Array;
    const async = (await driveAsync(read(path, 65536), 4)) as Uint8Array;
    expect(sync.length).toBe(1_000_000);
    expect(sync.buffer.byteLength).toBeLessThanOrEqual(1_000_001);
    expect(async.buffer.byteLength).toBeLessThanOrEqual(1_000_001);
  });

  it('reads a /proc file, which reports size 0, to its end', async () => {
    const expected = readFileSync('/proc/self/mountinfo');
    const sync = driveSync(read('/proc/self/mountinfo', 16)) as Uint8Array;
    expect(Buffer.from(sync).equals(expected)).toBe(true);
    const async = (await driveAsync(read('/proc/self/mountinfo', 16), 4)) as Uint8Array;
    expect(async.length).toBeGreaterThan(0);
    expect(async[async.length - 1]).toBe(0x0a);
  });

  it('gives a failure with the errno code for a missing file', async () => {
    expect((driveSync(read(join(tmp, 'none'), 16)) as IoFailure).code).toBe('ENOENT');
    expect(((await driveAsync(read(join(tmp, 'none'), 16), 4)) as IoFailure).code).toBe('ENOENT');
  });
});
