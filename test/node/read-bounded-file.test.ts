/**
 * `readBoundedFileSync`: procnet's file rules for one file: it reads a regular file, refuses a FIFO without blocking
 * on it, a file over its limit, a link out of `root`, and says a missing file by its errno code.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeLib } from '../support/node-lib.js';

const tmp = mkdtempSync(join(tmpdir(), 'procnet-bounded-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('readBoundedFileSync', () => {
  const dump = join(tmp, 'dump');
  mkdirSync(join(dump, 'etc'), { recursive: true });
  writeFileSync(join(dump, 'etc/services'), 'ssh 22/tcp\n');
  writeFileSync(join(tmp, 'secret'), 'not in the dump\n');
  symlinkSync(join(tmp, 'secret'), join(dump, 'etc/passwd'));
  execFileSync('mkfifo', [join(dump, 'etc/fifo')]);

  it('reads a regular file, inside a root or not', () => {
    const want = 'ssh 22/tcp\n';
    expect(Buffer.from(nodeLib.readBoundedFileSync(join(dump, 'etc/services'))).toString()).toBe(want);
    const inside = nodeLib.readBoundedFileSync(join(dump, 'etc/services'), { root: dump, limit: 11 });
    expect(Buffer.from(inside).toString()).toBe(want);
  });

  it('refuses, by code: a file over its limit, a link out of root, a FIFO (without blocking), a missing file', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as { code?: string }).code;
      }
      return 'read';
    };
    expect(code(() => nodeLib.readBoundedFileSync(join(dump, 'etc/services'), { limit: 10 }))).toBe('FILE_TOO_LARGE');
    expect(code(() => nodeLib.readBoundedFileSync(join(dump, 'etc/passwd'), { root: dump }))).toBe('OUTSIDE_DUMP');
    // Without a root, a link is followed (this machine's own files).
    expect(code(() => nodeLib.readBoundedFileSync(join(dump, 'etc/passwd')))).toBe('read');
    expect(code(() => nodeLib.readBoundedFileSync(join(dump, 'etc/fifo'), { root: dump }))).toBe('NOT_A_FILE');
    expect(code(() => nodeLib.readBoundedFileSync(join(dump, 'etc/none')))).toBe('ENOENT');
    expect(code(() => nodeLib.readBoundedFileSync(join(dump, 'etc/services'), { root: join(tmp, 'none') }))).toBe(
      'ENOENT',
    );
    expect(() => nodeLib.readBoundedFileSync(join(dump, 'etc/services'), { limit: -1 })).toThrow(RangeError);
  });
});
