/**
 * The unix marks of the built command on real tables: honest ones from other projects' test data (an Ubuntu host, a
 * 32-bit one, node_exporter's and prometheus/procfs' samples) get no mark and no footnote by default, and `[?]` with a
 * footnote on stderr with `-v` only; a row planted through a socket name that copies another row's inode is marked
 * forged by default, with its footnote on stderr. (A row planted live, proven by the owner scan, is in hostile.test.ts.)
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/paths.js';
import { BUILT, lines, procnet } from './helpers.js';

const CORPUS = join(ROOT, 'fixtures/corpus');
const HONEST = ['jc/net_unix', 'goprocinfo/unix', 'node_exporter/unix', 'procfs/unix'];
const work = mkdtempSync(join(tmpdir(), 'procnet-marks-'));

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A dump that holds only `net/unix` (with its byte order said, so no note about it). */
function dump(name: string, unix: Buffer | string): string {
  const dir = join(work, name.replaceAll('/', '-'));
  mkdirSync(join(dir, 'net'), { recursive: true });
  writeFileSync(join(dir, 'net/unix'), unix);
  writeFileSync(join(dir, 'env.json'), JSON.stringify({ byte_order: 'little', user_hz: 100 }));
  return dir;
}

const MARKS = /\[\?\]|\[FORGED ROW\?|\[inode repeated/;

describe.skipIf(!BUILT)('unix marks on real tables', () => {
  it.each(HONEST)('%s: no mark and no footnote by default; [?] and the footnote on stderr with -v', (sample) => {
    const dir = dump(sample, readFileSync(join(CORPUS, sample)));
    const r = procnet(['--root', dir, '-xa']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).not.toMatch(MARKS);
    const rows = lines(r.stdout).filter((l) => l.startsWith('unix '));
    expect(rows.length).toBeGreaterThan(4);
    const v = procnet(['--root', dir, '-xav']);
    expect(v.status).toBe(0);
    // The table is the same but for the marks; every footnote is on stderr.
    expect(lines(v.stdout).map((l) => l.replace(/ {2}\[\?\].*$/, '').trimEnd())).toEqual(lines(r.stdout));
    const marked = lines(v.stdout).filter((l) => l.endsWith('[?]')).length;
    if (marked > 0) {
      expect(v.stderr).toMatch(
        new RegExp(
          `^\\[\\?\\] ${marked === 1 ? 'row' : `${marked} rows`} could be text inside the name .*the dump has no fds\\.json`,
          'm',
        ),
      );
    }
    expect(v.stdout).not.toMatch(/could be text|probably forged/);
    if (sample === 'jc/net_unix') expect(marked).toBe(20); // the issue's count: 20 of the Ubuntu table's 130 rows
  });

  it('marks a planted row that copies an inode as forged by default, and says so on stderr', () => {
    const honest = readFileSync(join(CORPUS, 'procfs/unix'), 'latin1');
    // A socket bound to a name with a newline: its name's second line reads as a row, with the inode of the postgres
    // listener (the kernel prints the name raw).
    const planted = `${honest}0000000000000000: 00000002 00000000 00010000 0001 01 777001 /tmp/x\n0000000000000000: 00000002 00000000 00010000 0001 01 3442596 /run/forged.sock\n`;
    const r = procnet(['--root', dump('planted', planted), '-xa']);
    expect(r.status).toBe(0);
    const out = lines(r.stdout);
    expect(out.find((l) => l.includes('/run/forged.sock'))).toMatch(
      /\[FORGED ROW\? after-newline-path, duplicate-inode: text planted through a socket name\]$/,
    );
    expect(out.find((l) => l.includes('.s.PGSQL.5432') && l.includes('3442596'))).toMatch(
      /\[inode repeated by another row: duplicate-inode\]$/,
    );
    expect(r.stdout).not.toMatch(/probably forged/);
    expect(r.stderr).toBe(
      'procnet: 1 unix row is probably forged: text a local user planted through the name of the socket listed before it. ss -x shows the real sockets.\n',
    );
    // JSON keeps the reasons as data, whatever the marks.
    const json = JSON.parse(procnet(['--root', dump('planted', planted), '-xa', '--json']).stdout) as {
      path: string;
      suspicious: string[];
    }[];
    expect(json.find((s) => s.path === '/run/forged.sock')?.suspicious).toEqual([
      'after-newline-path',
      'duplicate-inode',
    ]);
  });
});
