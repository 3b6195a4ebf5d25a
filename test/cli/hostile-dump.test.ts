/**
 * The command on hostile dumps, as a child process: FIFOs, links out of the dump, sparse multi-GiB files, folders
 * where files are expected. Every view ends in bounded time with the exact notes on stderr (exit 0), `-p` with a
 * refused `fds.json` is an error (exit 1) naming it, nothing of a refused file is printed, and `-s` notes the tables
 * it could not read, as the listing does.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT, procnet } from './helpers.js';

const SECRET = 'root:$6$SECRET-HASH-THAT-MUST-NOT-LEAK:19000:0:99999:7:::';
const TCP6 =
  '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n' +
  '   0: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1 0000000000000000 100 0 0 10 0\n';
const TIMEOUT = 30_000;

let tmp: string;
let dir: string;

function must(cmd: string, args: string[]): void {
  expect(spawnSync(cmd, args).status, `${cmd} ${args.join(' ')}`).toBe(0);
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'procnet-hostile-cli-'));
  chmodSync(tmp, 0o700);
  writeFileSync(join(tmp, 'shadow'), `${SECRET}\n`);
  dir = join(tmp, 'dump');
  mkdirSync(join(dir, 'net'), { recursive: true });
  writeFileSync(join(dir, 'net', 'tcp6'), TCP6);
  must('mkfifo', [join(dir, 'net', 'tcp')]);
  symlinkSync(join(tmp, 'shadow'), join(dir, 'net', 'udp'));
  symlinkSync('/dev/zero', join(dir, 'net', 'udp6'));
  must('truncate', ['-s', '3G', join(dir, 'net', 'raw')]);
  mkdirSync(join(dir, 'net', 'unix'));
  must('mkfifo', [join(dir, 'env.json')]);
  must('mkfifo', [join(dir, 'fds.json')]);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const path = (rel: string) => join(dir, rel);

describe.skipIf(!BUILT)('procnet --root on a hostile dump', () => {
  it('lists, in every view, in bounded time, with a note naming each file it refused and quoting none', () => {
    for (const view of [
      ['-tuwanx'],
      ['-tuwanxe'],
      ['-tuwanx', '--json'],
      ['-tuwanx', '--ndjson'],
      ['-a'],
      ['-tuwanxW'],
    ]) {
      const r = procnet(['--root', dir, ...view], {}, TIMEOUT);
      const what = view.join(' ');
      expect(r.signal, what).toBeNull();
      expect(r.status, `${what}: ${r.stderr}`).toBe(0);
      expect(r.stdout + r.stderr, what).not.toContain('SECRET');
      expect(r.stderr).toContain(
        `procnet: ${path('net/tcp')} is a FIFO, not a regular file: it was not read (NOT_A_FILE)`,
      );
      expect(r.stderr).toContain(
        `procnet: ${path('net/udp')} leads out of the dump (through a link): it was not read (OUTSIDE_DUMP)`,
      );
      expect(r.stderr).toContain(`procnet: ${path('net/udp6')} leads out of the dump`);
      expect(r.stderr).toContain(
        `procnet: ${path('net/raw')} has 3221225472 bytes, more than the 2147483648-byte limit of a table (limits.table): it was not read (FILE_TOO_LARGE)`,
      );
      expect(r.stderr).toContain(
        `procnet: ${path('net/unix')} is a folder, not a regular file: it was not read (NOT_A_FILE)`,
      );
      expect(r.stderr).toContain(
        `procnet: ${path('env.json')} is a FIFO, not a regular file: it was not read (NOT_A_FILE)`,
      );
      if (view.includes('--json'))
        expect(JSON.parse(r.stdout).map((s: { inode: string }) => s.inode)).toEqual(['4242']);
      else if (view.includes('--ndjson')) expect(JSON.parse(r.stdout).inode).toBe('4242');
      else expect(r.stdout).toMatch(/::1:(8080|http-alt) /);
    }
  });

  it('--summary counts what it could read and notes every table it could not, as the listing does', () => {
    for (const view of [['--summary'], ['--summary', '--json'], ['--summary', '-t']]) {
      const r = procnet(['--root', dir, ...view], {}, TIMEOUT);
      expect(r.signal).toBeNull();
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toContain(
        `procnet: ${path('net/tcp')} is a FIFO, not a regular file: it was not read (NOT_A_FILE)`,
      );
      if (view.length === 1) {
        expect(r.stderr).toContain(`procnet: ${path('net/unix')} is a folder`);
        expect(r.stderr).toContain(`procnet: ${path('net/raw')} has 3221225472 bytes`);
      }
      expect(r.stdout + r.stderr).not.toContain('SECRET');
    }
    const s = procnet(['--root', dir, '--summary'], {}, TIMEOUT);
    expect(s.stdout).toMatch(/^tcp +1 +- +1 +LISTEN 1$/m);
  });

  it('-p with an fds.json it refuses is an error naming it (exit 1), never a hang', () => {
    const r = procnet(['--root', dir, '-tuanp'], {}, TIMEOUT);
    expect(r.signal).toBeNull();
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      `procnet: ${path('fds.json')} is a FIFO, not a regular file: it was not read (NOT_A_FILE)`,
    );
  });

  it('doctor reads the same dump in bounded time and reports the notes, not a crash', () => {
    const r = procnet(['doctor', '--root', dir, '--no-processes'], {}, TIMEOUT);
    expect(r.signal).toBeNull();
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('net/raw has 3221225472 bytes');
    expect(r.stdout + r.stderr).not.toContain('SECRET');
  });
});
