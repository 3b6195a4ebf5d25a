/**
 * Hostile names: a unix socket whose name holds escape sequences (clear screen, set the window title), a newline
 * and a forged row. The table shows every byte escaped and marks the planted rows; the JSON keeps the exact bytes.
 * Also checked on a terminal (through `script`, colour on): only procnet's own colour sequences reach it.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT, CAN_UNSHARE, CLI, type Holder, procnet, startHolder } from './helpers.js';

let holder: Holder;

/** Every control character a terminal could act on, except newline (and, with `sgr`, procnet's `ESC[…m`). */
function rawControls(text: string, sgr = false): string[] {
  const stripped = sgr ? text.replace(/\x1b\[[0-9;]*m/g, '') : text;
  return [...stripped.matchAll(/[\x00-\x09\x0b-\x1f\x7f\x80-\x9f]/g)].map((m) => JSON.stringify(m[0]));
}

describe.skipIf(!CAN_UNSHARE || !BUILT)('hostile unix socket names', () => {
  beforeAll(async () => {
    holder = await startHolder(['--hostile']);
  });
  afterAll(async () => {
    await holder?.stop();
  });

  it('shows the name escaped, never raw, and marks the planted rows', () => {
    for (const args of [['-xa'], ['-xap'], ['-xae'], ['-a']]) {
      const r = procnet(['--pid', String(holder.pid), ...args]);
      expect(r.status).toBe(0);
      expect(rawControls(r.stdout), args.join(' ')).toEqual([]);
      expect(rawControls(r.stderr)).toEqual([]);
      expect(r.stdout).toContain('@evil\\x1b[2J\\x1b]0;owned\\x07');
      const rows = r.stdout.split('\n');
      // The row planted with an invented inode: unverified at least (forged once a complete scan proves it).
      const invented = rows.find((l) => l.includes(` ${holder.forgedInode} `) && l.includes('/run/forged.sock'));
      expect(invented).toMatch(/\[\?\]|\[FORGED ROW\?/);
      // The row planted with a copied inode: forged, on the table's evidence alone.
      const copied = rows.find((l) => l.includes('/run/copied.sock'));
      expect(copied).toMatch(/\[FORGED ROW\? after-newline-path, duplicate-inode/);
      const victim = rows.find((l) => l.includes('@victim'));
      expect(victim).toMatch(/\[inode repeated by another row: duplicate-inode\]/);
      expect(r.stdout).toMatch(/probably forged/);
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
