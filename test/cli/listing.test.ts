/**
 * The listing's other new options on the built command and in-process: `--sort` (every key, stable), `--cmdline` (two
 * python3 processes told apart, hostile arguments quoted and escaped), `-c`'s time line and `time` field, the dump
 * flags `--byte-order` and `--user-hz` and the notes that name them, and `--color`.
 */

import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commandLineText } from '../../src/cli/list.js';
import { compareBy, type SortRow, sortRows } from '../../src/cli/sort.js';
import { closeAll, startChild } from '../support/live.js';
import { ROOT } from '../support/paths.js';
import { BUILT, CLI, lines, procnet } from './helpers.js';

const CAPTURE = join(ROOT, 'fixtures/capture-2026-11-linux-6.18.44-fc-v782-x86_64');
const BIG_ENDIAN = `${CAPTURE}-as-big-endian`;
const work = mkdtempSync(join(tmpdir(), 'procnet-listing-'));

afterAll(async () => {
  await closeAll();
  rmSync(work, { recursive: true, force: true });
});

/** A made-up inet row for the sort. */
function row(over: Record<string, unknown>): SortRow {
  return {
    kind: 'tcp',
    protocol: 'tcp',
    family: 'IPv4',
    state: 'ESTABLISHED',
    stateCode: 1,
    local: { address: '10.0.0.1', port: 80 },
    remote: { address: '10.0.0.9', port: 5000 },
    rxQueue: 0,
    txQueue: 0,
    owners: null,
    ...over,
  } as unknown as SortRow;
}

describe('sortRows', () => {
  it('orders addresses numerically, IPv4 before IPv6, then by port', () => {
    const rows = [
      row({ local: { address: '10.0.0.10', port: 1 } }),
      row({ local: { address: '::1', port: 1 }, family: 'IPv6', kind: 'tcp6' }),
      row({ local: { address: '10.0.0.2', port: 443 } }),
      row({ local: { address: '10.0.0.2', port: 22 } }),
      row({ local: { address: '::ffff:10.0.0.1', port: 1 }, family: 'IPv6', kind: 'tcp6' }),
      row({ local: { address: '2001:db8::1', port: 1 }, family: 'IPv6', kind: 'tcp6' }),
    ];
    expect(
      sortRows(rows, 'local').map(
        (r) => `${r.kind === 'unix' ? '' : r.local.address}:${r.kind === 'unix' ? '' : r.local.port}`,
      ),
    ).toEqual(['10.0.0.2:22', '10.0.0.2:443', '10.0.0.10:1', '::1:1', '::ffff:10.0.0.1:1', '2001:db8::1:1']);
  });

  it('puts the most queued first, listeners first by state, owners by pid and name; equal rows keep their order', () => {
    const rows = [
      row({ rxQueue: 5, inode: 'a' }),
      row({ state: 'CLOSE_WAIT', rxQueue: 1, txQueue: 9, inode: 'b' }),
      row({ state: 'LISTEN', remote: { address: '0.0.0.0', port: 0 }, inode: 'c' }),
      row({ rxQueue: 5, inode: 'd' }),
      row({ inode: 'e', owners: [{ pid: 30, fd: 3, comm: 'alpha', cmdline: null, uid: 0 }] }),
      row({ inode: 'f', owners: [{ pid: 7, fd: 3, comm: 'zeta', cmdline: null, uid: 0 }] }),
    ];
    const ids = (key: Parameters<typeof sortRows>[1]) =>
      sortRows(rows, key)
        .map((r) => (r as unknown as { inode: string }).inode)
        .join('');
    expect(ids('queue')).toBe('badcef');
    expect(ids('state')).toBe('cadefb');
    expect(ids('pid')).toBe('feabcd');
    expect(ids('program')).toBe('efabcd');
    expect(ids('remote')).toBe('cabdef');
    // A comparison of a row with itself is 0 for every key (the sort is stable on ties).
    for (const key of ['queue', 'state', 'local', 'remote', 'pid', 'program'] as const) {
      for (const r of rows) expect(compareBy(key)(r, r)).toBe(0);
    }
  });
});

describe('--cmdline', () => {
  it('quotes arguments that are not plain words without backslashes, and names a process without a command line [comm]', () => {
    expect(commandLineText({ comm: 'python3', cmdline: ['python3', '-m', 'http.server', '8080'] })).toBe(
      'python3 -m http.server 8080',
    );
    expect(commandLineText({ comm: 'sh', cmdline: ['sh', '-c', "echo 'hi' there"] })).toBe(`sh -c "echo 'hi' there"`);
    expect(commandLineText({ comm: 'sh', cmdline: ['sh', '-c', `echo 'hi' "$HOME"`] })).toBe(
      `sh -c 'echo '"'"'hi'"'"' "$HOME"'`,
    );
    expect(commandLineText({ comm: 'x', cmdline: ['x', ''] })).toBe("x ''");
    expect(commandLineText({ comm: 'kworker/0:1', cmdline: [] })).toBe('[kworker/0:1]');
    expect(commandLineText({ comm: null, cmdline: null })).toBeNull();
  });

  it.skipIf(!BUILT || process.platform !== 'linux')('tells two python3 listeners apart, escaped', async () => {
    const listener = (tag: string) =>
      startChild(
        'python3',
        [
          '-c',
          'import socket,sys,time; s=socket.socket(); s.bind(("127.0.0.1",0)); s.listen(); print(s.getsockname()[1], flush=True); time.sleep(120)',
          tag,
        ],
        { ready: '\n' },
      );
    const a = await listener('first\x1b[2J');
    const b = await listener('second one');
    const rowOf = (pid: number | undefined) =>
      lines(procnet(['-tlnp', '--cmdline']).stdout).find((l) => l.includes(` ${pid}/`));
    const first = rowOf(a.pid);
    const second = rowOf(b.pid);
    expect(first).toMatch(new RegExp(`${a.pid}/\\S*python3 -c 'import socket,sys,time; `));
    expect(first).toContain('first\\x1b[2J');
    expect(second).toContain("'second one'");
    expect(first).not.toBe(second);
    const header = lines(procnet(['-tlnp', '--cmdline']).stdout)[1];
    expect(header).toMatch(/ PID\/Command line/);
    expect(procnet(['-tlnp', '--cmdline']).stdout).not.toContain('\x1b');
  });
});

describe.skipIf(!BUILT)('the built command', () => {
  it('sorts the capture by queue, by local address, by program', () => {
    const queue = lines(procnet(['--root', CAPTURE, '-tan', '--sort', 'queue']).stdout).slice(2);
    const sizes = queue.map((l) => {
      const f = l.split(/\s+/);
      return Number(f[1]) + Number(f[2]);
    });
    expect(sizes).toEqual([...sizes].sort((x, y) => y - x));
    expect(sizes[0]).toBeGreaterThan(0);
    const local = lines(procnet(['--root', CAPTURE, '-t4an', '--sort', 'local']).stdout)
      .slice(2)
      .map((l) => l.split(/\s+/)[3] as string);
    const key = (e: string) => {
      const [a, p] = e.split(':');
      return (a as string).split('.').reduce((n, x) => n * 256 + Number(x), 0) * 65536 + Number(p === '*' ? 0 : p);
    };
    expect(local.map(key)).toEqual([...local.map(key)].sort((x, y) => x - y));
    const state = lines(procnet(['--root', CAPTURE, '-tan', '--sort', 'state']).stdout).slice(2);
    expect(state[0]).toMatch(/ LISTEN/);
    expect(state.at(-1)).toMatch(/ CLOSING/);
  });

  it('dates each listing of -c: a line before each table, a time field in each JSON object', async () => {
    const run = (args: string[]) =>
      new Promise<string>((resolve) => {
        const child = spawn(process.execPath, [CLI, '--root', CAPTURE, '-c', '0.1', ...args], {
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
        });
        setTimeout(() => child.kill('SIGINT'), 700);
        child.once('close', () => resolve(out));
      });
    const table = await run(['-tl']);
    const stamps = table.split('\n').filter((l) => l.startsWith('--- '));
    expect(stamps.length).toBeGreaterThanOrEqual(2);
    expect(stamps[0]).toMatch(/^--- \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z ---$/);
    expect(table.startsWith('--- ')).toBe(true);
    const nd = lines(await run(['-tl', '--ndjson'])).map((l) => JSON.parse(l) as { time: string; kind: string });
    const times = [...new Set(nd.map((s) => s.time))];
    expect(times.length).toBeGreaterThanOrEqual(2);
    expect([...times].sort()).toEqual(times);
    expect(nd.every((s) => s.kind === 'tcp' || s.kind === 'tcp6')).toBe(true);
    const json = await run(['-tl', '--json']);
    const arrays = json
      .split(/^\]\n/m)
      .filter((t) => t.trim() !== '')
      .map((t) => JSON.parse(`${t}]`) as { time: string }[]);
    expect(arrays.length).toBeGreaterThanOrEqual(2);
    for (const a of arrays) expect(new Set(a.map((s) => s.time)).size).toBe(1);
    const s = JSON.parse(`${(await run(['-s', '--json'])).split(/^\}\n/m)[0]}}`) as {
      time: string;
      sections: unknown[];
    };
    expect(s.time).toMatch(/Z$/);
    expect(s.sections.length).toBeGreaterThan(3);
    // Without -c, no time.
    expect(procnet(['--root', CAPTURE, '-tl', '--json']).stdout).not.toContain('"time"');
  });

  it('reads a dump without metadata with --byte-order and --user-hz, and its notes name those flags', () => {
    const bare = join(work, 'bare-be');
    cpSync(join(BIG_ENDIAN, 'net'), join(bare, 'net'), { recursive: true });
    const little = procnet(['--root', CAPTURE, '-tuanx']);
    const guessed = procnet(['--root', bare, '-tuanxv']);
    expect(guessed.status).toBe(0);
    expect(guessed.stderr).toMatch(
      /^procnet: the dump does not say its byte order: big-endian was guessed from its loopback and link-local addresses; if the addresses look wrong, give --byte-order little/m,
    );
    expect(guessed.stderr).toMatch(/^procnet: the dump does not say its USER_HZ: 100 ticks per second .*--user-hz N/m);
    const said = procnet(['--root', bare, '--byte-order', 'big', '-tuanx']);
    expect(said.stdout).toBe(little.stdout);
    const wrong = procnet(['--root', bare, '--byte-order=little', '-tan']);
    expect(wrong.stdout).not.toBe(procnet(['--root', CAPTURE, '-tan']).stdout);
    // USER_HZ scales the timers: 1000 ticks a second make them a tenth as long as 100 do.
    const timer = (args: string[]) =>
      lines(procnet(['--root', bare, '--byte-order', 'big', '-tano', ...args]).stdout)
        .map((l) => /\((\d+\.\d\d)\/\d+\/\d+\)$/.exec(l)?.[1])
        .filter((t) => t !== undefined && t !== '0.00')
        .map(Number);
    const hz100 = timer([]);
    const hz1000 = timer(['--user-hz', '1000']);
    expect(hz100.length).toBeGreaterThan(0);
    expect(hz1000.length).toBe(hz100.length);
    // (Each printed with two decimals: a tenth of the value, rounded, is within 0.01 of the value at 1000.)
    for (const [i, t] of hz1000.entries()) expect(Math.abs(t - (hz100[i] as number) / 10)).toBeLessThanOrEqual(0.0101);
    // -p on a dump without fds.json: the note names the flag and the file.
    const owners = procnet(['--root', bare, '--byte-order', 'big', '-tanp']);
    expect(owners.stderr).toContain(`has no fds.json beside it, so the sockets' owners (-p) are not known`);
    for (const r of [guessed, said, owners]) expect(r.stderr).not.toMatch(/pass byteOrder|pass userHz|processes: true/);
    // doctor takes the same flags, and speaks the same words.
    const doctor = procnet(['doctor', '--root', bare, '--no-processes']);
    expect(doctor.stdout).toMatch(/give --byte-order big or little/);
    expect(doctor.stdout).not.toMatch(/pass byteOrder|pass userHz/);
    expect(procnet(['doctor', '--root', bare, '--byte-order', 'big', '--no-processes']).stdout).not.toMatch(
      /byte order/,
    );
  });

  it('colours the states with --color=always, never with --color=never', () => {
    const always = procnet(['--root', CAPTURE, '-tan', '--color=always'], { NO_COLOR: '1', TERM: 'dumb' });
    expect(always.stdout).toContain('\x1b[31mCLOSE_WAIT\x1b[0m');
    expect(always.stdout).toContain('\x1b[36mLISTEN\x1b[0m');
    expect(always.stdout.replace(/\x1b\[[0-9;]*m/g, '')).toBe(procnet(['--root', CAPTURE, '-tan']).stdout);
    expect(procnet(['--root', CAPTURE, '-tan', '--color=never']).stdout).not.toContain('\x1b');
  });
});
