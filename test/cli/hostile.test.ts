/**
 * Hostile names: a unix socket whose name holds escape sequences (clear screen, set the window title), a newline
 * and a forged row. The table shows every byte escaped and marks the planted rows; the JSON keeps the exact bytes.
 * Also checked on a terminal (through `script`, colour on): only procnet's own colour sequences reach it.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT, CAN_UNSHARE, CLI, type Holder, procnet, startHolder } from './helpers.js';

let holder: Holder;

/**
 * Every character a terminal could act on or that is invisible, except newline (and, with `sgr`, procnet's
 * `ESC[…m`): controls, format characters (bidi controls among them), line and paragraph separators, tag characters.
 */
function rawControls(text: string, sgr = false): string[] {
  const stripped = sgr ? text.replace(/\x1b\[[0-9;]*m/g, '') : text;
  return [...stripped.matchAll(/[\x00-\x09\x0b-\x1f\x7f\x80-\x9f\p{Cf}\p{Zl}\p{Zp}\u{e0000}-\u{e007f}]/gu)].map((m) =>
    JSON.stringify(m[0]),
  );
}

/** A name with a character of every class a terminal could act on. */
const EVIL = '@n\u009b2J\u001b]0;x\u0007\u007f\u202eevil\u2028\u2066\u061c\u00ad\u200b\u2060\u{e0041}end';

describe.skipIf(!BUILT)('hostile names in a dump', () => {
  const dir = mkdtempSync(join(tmpdir(), 'procnet-hostile-names-'));
  beforeAll(() => {
    mkdirSync(join(dir, 'net'));
    writeFileSync(
      join(dir, 'net', 'unix'),
      Buffer.from(
        'Num       RefCount Protocol Flags    Type St Inode Path\n' +
          `0000000000000001: 00000002 00000000 00010000 0001 01 424242 ${EVIL}\n`,
        'utf8',
      ),
    );
    writeFileSync(join(dir, 'env.json'), JSON.stringify({ byte_order: 'little', user_hz: 100 }));
    writeFileSync(
      join(dir, 'fds.json'),
      JSON.stringify({
        processes: [
          { pid: 7, comm: `c\u009b\u202e${EVIL}`, cmdline: [EVIL], uid: 0, fds: [{ fd: 3, link: 'socket:[424242]' }] },
        ],
      }),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('--json, --ndjson and the table write none of them raw; the JSON reads back exact', () => {
    for (const args of [
      ['-xa', '--json'],
      ['-xap', '--json'],
      ['-xa', '--ndjson'],
      ['-xap', '--ndjson'],
      ['-xap'],
      ['-xape'],
    ]) {
      const r = procnet(['--root', dir, ...args]);
      expect(r.status, r.stderr).toBe(0);
      expect(rawControls(r.stdout), args.join(' ')).toEqual([]);
      expect(rawControls(r.stderr), args.join(' ')).toEqual([]);
      if (!args.includes('--json') && !args.includes('--ndjson')) {
        expect(r.stdout).toContain('@n\\u{9b}2J\\x1b]0;x\\x07\\x7f\\u{202e}evil\\u{2028}');
        continue;
      }
      const rows = (
        args.includes('--json')
          ? JSON.parse(r.stdout)
          : r.stdout
              .trim()
              .split('\n')
              .map((l) => JSON.parse(l))
      ) as Array<{
        path: string;
        owners: Array<{ comm: string; cmdline: string[] }> | null;
      }>;
      expect(rows[0]?.path).toBe(EVIL);
      if (args.includes('-xap'))
        expect(rows[0]?.owners?.[0]).toMatchObject({ comm: `c\u009b\u202e${EVIL}`, cmdline: [EVIL] });
    }
  });
});

describe.skipIf(!CAN_UNSHARE || !BUILT)('hostile unix socket names', () => {
  beforeAll(async () => {
    holder = await startHolder(['--hostile']);
  });
  afterAll(async () => {
    await holder?.stop();
  });

  it('shows the name escaped, never raw, and marks the planted rows; footnotes go to stderr', () => {
    for (const args of [['-xa'], ['-xap'], ['-xae'], ['-a'], ['-xav']]) {
      const r = procnet(['--pid', String(holder.pid), ...args]);
      expect(r.status).toBe(0);
      expect(rawControls(r.stdout), args.join(' ')).toEqual([]);
      expect(rawControls(r.stderr)).toEqual([]);
      expect(r.stdout).toContain('@evil\\x1b[2J\\x1b]0;owned\\x07');
      const rows = r.stdout.split('\n');
      // The row planted with an invented inode: forged once a complete scan proves no process holds it; else only
      // "cannot be ruled out", marked with -v alone (and named on stderr when some process could not be read).
      const invented = rows.find((l) => l.includes(` ${holder.forgedInode} `) && l.includes('/run/forged.sock'));
      if (args.includes('-xav')) expect(invented).toMatch(/\[\?\]|\[FORGED ROW\?/);
      else if (!/\[FORGED ROW\?/.test(invented ?? '')) {
        expect(invented).not.toContain('[?]');
        expect(r.stderr).toMatch(/could be text planted through a socket name|^$/m);
      }
      // The row planted with a copied inode: forged, on the table's evidence alone.
      const copied = rows.find((l) => l.includes('/run/copied.sock'));
      expect(copied).toMatch(/\[FORGED ROW\? after-newline-path, duplicate-inode/);
      const victim = rows.find((l) => l.includes('@victim'));
      expect(victim).toMatch(/\[inode repeated by another row: duplicate-inode\]/);
      // Every footnote is on stderr: stdout holds the table only.
      expect(r.stdout).not.toMatch(/probably forged/);
      expect(r.stderr).toMatch(/^procnet: \d+ unix rows? (is|are) probably forged/m);
    }
  });

  it('keeps the exact bytes in JSON (base64 pathBytes) and escapes nothing', () => {
    const r = procnet(['--pid', String(holder.pid), '-xa', '--json']);
    expect(r.status).toBe(0);
    expect(rawControls(r.stdout)).toEqual([]); // JSON escapes control characters itself
    const rows = JSON.parse(r.stdout) as Array<{ path: string | null; pathBytes: string | null; suspicious: string[] }>;
    const evil = rows.find((s) => s.path?.startsWith('@evil'));
    expect(evil?.path?.startsWith('@evil\x1b[2J\x1b]0;owned\x07')).toBe(true);
    expect(Buffer.from(evil?.pathBytes as string, 'base64').toString('latin1')).toBe(evil?.path);
    const copied = rows.find((s) => s.path === '/run/copied.sock');
    expect(copied?.suspicious).toEqual(['after-newline-path', 'duplicate-inode']);
    const nd = procnet(['--pid', String(holder.pid), '-xa', '--ndjson']);
    // Streamed as read (no owner check, so no name given back): the same sockets, the same exact bytes.
    const streamed = nd.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l)) as typeof rows;
    expect(streamed.every((s) => (s as unknown as { owners: unknown }).owners === null)).toBe(true);
    const evil2 = streamed.find((s) => s.path?.startsWith('@evil'));
    expect(Buffer.from(evil2?.pathBytes as string, 'base64').toString('latin1')).toMatch(
      /^@evil\x1b\[2J\x1b\]0;owned\x07/,
    );
    expect(streamed.length).toBe(rows.length);
  });

  it('writes only its own colour sequences to a terminal, and none with NO_COLOR', () => {
    const run = (env: NodeJS.ProcessEnv) =>
      spawnSync('script', ['-qc', `${process.execPath} ${CLI} --pid ${holder.pid} -xa`, '/dev/null'], {
        encoding: 'utf8',
        env: { ...process.env, ...env },
      });
    const tty = run({ NO_COLOR: '' });
    expect(tty.status).toBe(0);
    const out = tty.stdout.replaceAll('\r\n', '\n');
    expect(out).toMatch(/\x1b\[1mActive UNIX domain sockets/);
    expect(out).toMatch(/\x1b\[1;31m\[FORGED ROW\?/);
    expect(rawControls(out, true)).toEqual([]);
    const plain = run({ NO_COLOR: '1' }).stdout.replaceAll('\r\n', '\n');
    expect(plain).not.toContain('\x1b');
    expect(plain).toContain('@evil\\x1b[2J');
  });
});
