/**
 * The built command as a user and a script meet it: help and version, errors a person can act on (exit codes 1
 * and 2), a saved capture read with --root in every output format, the summary, a closed pipe and Ctrl-C with -c,
 * and netstat's warning for a user who cannot read other processes.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/paths.js';
import { BUILT, CLI, lines, procnet } from './helpers.js';

const CAPTURE = join(ROOT, 'fixtures/capture-2026-11-linux-6.18.44-fc-v782-x86_64');
const BIG_ENDIAN = `${CAPTURE}-as-big-endian`;

describe('the build', () => {
  it('has dist/cli.js (run npm run build before the CLI tests) and package.json points bin at it', () => {
    expect(BUILT, 'dist/cli.js is missing: run `npm run build` first').toBe(true);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.bin).toEqual({ procnet: 'dist/cli.js' });
    expect(readFileSync(CLI, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });
});

describe.skipIf(!BUILT)('procnet (built), offline and on this machine', () => {
  it('prints help and version', () => {
    const help = procnet(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: procnet/);
    // A URL, not a path: an installed command has no docs/ beside the user's working directory.
    expect(help.stdout).toContain('Docs: https://github.com/procnet/procnet/blob/main/docs/cli.md\n');
    for (const option of ['-t', '-u', '-w', '-x', '-l', '-a', '-n', '-p', '-e', '-o', '-c', '--json', '--ndjson']) {
      expect(help.stdout).toContain(`${option}`);
    }
    const version = procnet(['-V']);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(version.stdout).toBe(`procnet ${pkg.version}\n`);
  });

  it('rejects a wrong command line with exit code 2 and a hint', () => {
    const usage = [['-z'], ['-tuz'], ['--bogus'], ['--pid', 'abc'], ['--root'], ['-c', '-1x'], ['--json', '--ndjson']];
    for (const args of [...usage, ['-s', '-p'], ['-s', '-46'], ['-c', '-1'], ['-c', '0.001'], ['--sort', 'pid']]) {
      const r = procnet(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^procnet: .+\nTry 'procnet --help' for more information\.\n$/);
    }
    expect(procnet(['-c', '-1']).stderr).toMatch(/^procnet: -c takes a number of seconds from 0\.1 to 86400, not '-1'/);
    expect(procnet(['-s', '-p']).stderr).toMatch(/^procnet: -s prints the kernel's protocol counters, not sockets: -p/);
  });

  it('shows a filter that does not parse with a caret under the word (exit code 2)', () => {
    const r = procnet(['-tan', 'sport = :22 or dport == :ftpx']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'procnet: "ftpx" is not a port number or a known service name at column 25: ":ftpx"\n' +
        'sport = :22 or dport == :ftpx\n' +
        '                        ^^^^^\n',
    );
    // Hostile text in a filter is escaped in the message and shown as ? in the frame.
    const hostile = procnet(['src', '\x1b[2J']);
    expect(hostile.status).toBe(2);
    expect(hostile.stderr).not.toContain('\x1b[');
    expect(procnet(['70000']).stderr).toMatch(/a lone number is a port, and 70000 is not one/);
  });

  it('says what is wrong with an unreadable root or a missing process (exit code 1, no stack trace)', () => {
    const none = procnet(['--root', '/nonexistent/dump']);
    expect(none.status).toBe(1);
    expect(none.stderr).toBe('procnet: cannot read /nonexistent/dump (ENOENT)\n');
    const empty = procnet(['--root', join(ROOT, 'docs')]);
    expect(empty.status).toBe(1);
    expect(empty.stderr).toMatch(/is neither a procfs nor a dump/);
    const pid = procnet(['--pid', '999999999']);
    expect(pid.status).toBe(1);
    expect(pid.stderr).toBe('procnet: no process 999999999 in /proc\n');
    const hostile = procnet(['--root', '/nonexistent/\x1b[2Jx']);
    expect(hostile.stderr).toContain('\\x1b[2Jx');
    expect(hostile.stderr).not.toContain('\x1b');
  });

  it('prints the read notes with -v, and refuses --all-namespaces on a dump', () => {
    const quiet = procnet(['--root', CAPTURE, '-t']);
    expect(quiet.stderr).toBe('');
    const verbose = procnet(['--root', CAPTURE, '-t', '-v']);
    expect(verbose.status).toBe(0);
    expect(verbose.stderr).toMatch(/^procnet: the dump's byte order, little-endian, is from .*env\.json$/m);
    expect(verbose.stdout).toBe(quiet.stdout);
    const ns = procnet(['--root', CAPTURE, '--all-namespaces']);
    expect(ns.status).toBe(1);
    expect(ns.stderr).toMatch(/--all-namespaces needs a mounted procfs; .* is a dump/);
  });

  it('reads a saved capture: netstat columns, owners from fds.json, the forged row marked', () => {
    const r = procnet(['--root', CAPTURE, '-tuanpx']);
    expect(r.status).toBe(0);
    const out = lines(r.stdout);
    expect(out[0]).toBe('Active Internet connections (servers and established)');
    expect(out[1]).toMatch(/^Proto Recv-Q Send-Q Local Address +Foreign Address +State +PID\/Program name$/);
    expect(out).toContain(
      'tcp        0      0 127.1.2.3:40041         0.0.0.0:*               LISTEN      923/python3',
    );
    expect(out.some((l) => /^tcp6 .* ::ffff:127\.0\.0\.1:40401 +::ffff:127\.1\.2\.3:40402 +ESTABLISHED/.test(l))).toBe(
      true,
    );
    expect(out).toContain(
      'udp     2496      0 127.0.0.1:40101         0.0.0.0:*                           923/python3',
    );
    // UDP-Lite as netstat spells it.
    expect(out).toContain(
      'udpl6      0      0 ::1:40172               ::1:40171               ESTABLISHED 923/python3',
    );
    // A row that only could be planted text is not marked without -v (no footnote on stdout either).
    expect(out.find((l) => l.includes('/run/procnet-forged.sock'))).toMatch(/31337 +- +\/run\/procnet-forged\.sock$/);
    expect(r.stdout).not.toContain('[?]');
    const verbose = procnet(['--root', CAPTURE, '-tuanpxv']);
    expect(lines(verbose.stdout).find((l) => l.includes('/run/procnet-forged.sock'))).toMatch(
      /31337 +- +\/run\/procnet-forged\.sock +\[\?\]/,
    );
    expect(verbose.stderr).toMatch(/^\[\?\] 9 rows could be text inside the name/m);
    expect(out).toContain(
      'unix  2      [ ]         DGRAM                    368137   923/python3          /tmp/pnc-pXPBOD/new\\nline.sock',
    );
    // The same sockets from the big-endian copy (byte order from its env.json).
    const be = procnet(['--root', BIG_ENDIAN, '-tuanpx']);
    expect(be.stdout).toBe(r.stdout);
  });

  it('writes JSON and NDJSON with the same sockets; NDJSON streams them', () => {
    const json = procnet(['--root', CAPTURE, '-a', '--json']);
    expect(json.status).toBe(0);
    const rows = JSON.parse(json.stdout) as Array<Record<string, unknown>>;
    expect(rows.length).toBe(123);
    expect(json.stdout.split('\n').length).toBe(rows.length + 3); // "[", a row per line, "]", final newline
    const nd = procnet(['--root', CAPTURE, '-a', '--ndjson']);
    const ndRows = lines(nd.stdout).map((l) => JSON.parse(l));
    expect(ndRows.map((s) => s.inode)).toEqual(rows.map((s) => s.inode));
    // Without -p, owners are null (not looked up); with -p every row has a list.
    const tcp = rows.find((s) => s.kind === 'tcp');
    expect(Object.keys(tcp ?? {})).toEqual(
      expect.arrayContaining(['local', 'remote', 'state', 'inode', 'namespace', 'owners']),
    );
    expect(ndRows.every((s) => s.owners === null)).toBe(true);
    const withOwners = JSON.parse(procnet(['--root', CAPTURE, '-tap', '--json']).stdout) as Array<{
      owners: unknown[];
    }>;
    expect(withOwners.every((s) => Array.isArray(s.owners))).toBe(true);
    const unix = rows.find((s) => s.path === '/tmp/pnc-pXPBOD/new\nline.sock');
    expect(Buffer.from(unix?.pathBytes as string, 'base64').toString()).toBe('/tmp/pnc-pXPBOD/new\nline.sock');
  });

  it("prints netstat -s with -s (table and JSON), from the dump's counters", () => {
    for (const [args, golden] of [
      [['-s'], 's.txt'],
      [['-s', '-6'], 's6.txt'],
      [['-st'], 'st.txt'],
      [['-su'], 'su.txt'],
      [['--statistics', '-w'], 'sw.txt'],
    ] as const) {
      const r = procnet(['--root', CAPTURE, ...args]);
      expect(r.status, args.join(' ')).toBe(0);
      expect(r.stdout, args.join(' ')).toBe(readFileSync(join(CAPTURE, 'netstat-s', golden), 'utf8'));
    }
    const json = JSON.parse(procnet(['--root', CAPTURE, '-s', '--json']).stdout);
    expect(json.namespace).toBe(null);
    const tcp = json.sections.find((s: { title: string }) => s.title === 'Tcp');
    expect(tcp.entries.find((e: { name: string }) => e.name === 'ActiveOpens')).toEqual({
      name: 'ActiveOpens',
      value: 29,
      sentence: '29 active connection openings',
      text: '29 active connection openings',
      histogram: null,
    });
    // Counters are numbers while exact (2^53 - 1), strings beyond.
    expect(
      json.sections.every((s: { entries: { value: unknown }[] }) =>
        s.entries.every((e) => typeof e.value === 'number' || /^\d+$/.test(String(e.value))),
      ),
    ).toBe(true);
  });

  it('counts by protocol and state with --summary (table and JSON)', () => {
    const r = procnet(['--root', CAPTURE, '--summary']);
    expect(r.status).toBe(0);
    const out = lines(r.stdout);
    expect(out[0]).toBe('Proto      Total   IPv4   IPv6  States');
    expect(out[1]).toMatch(/^tcp +71 +37 +34 +LISTEN 17, ESTABLISHED 30, /);
    expect(out.find((l) => l.startsWith('total'))).toMatch(/^total +123 +50 +45$/);
    const json = JSON.parse(procnet(['--root', CAPTURE, '--summary', '--json']).stdout);
    expect(json.tables.find((t: { kind: string }) => t.kind === 'tcp')).toMatchObject({ sockets: 37, listeners: 9 });
    expect(json.tables.find((t: { kind: string }) => t.kind === 'unix')).toMatchObject({ sockets: 28 });
    const tcpOnly = lines(procnet(['--root', CAPTURE, '--summary', '-t4']).stdout);
    expect(tcpOnly.slice(1, 3)).toEqual([expect.stringMatching(/^tcp +37 +37 +- /), 'total         37     37      0']);
  });

  it('exits 0 without a word when the reader of its output goes away', async () => {
    for (const args of [['--root', CAPTURE, '-a', '--ndjson'], ['--root', CAPTURE, '-a', '-c', '0.1'], ['-a']]) {
      const r = spawnSync('sh', ['-c', `"${process.execPath}" "${CLI}" ${args.join(' ')} | head -c 10 >/dev/null`]);
      expect(r.stderr.toString(), args.join(' ')).toBe('');
      const code = await new Promise<number | null>((resolve) => {
        const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
        let err = '';
        child.stderr.on('data', (d: Buffer) => {
          err += d.toString();
        });
        child.stdout.once('data', () => child.stdout.destroy());
        child.once('exit', (c) => {
          expect(err, args.join(' ')).toBe('');
          resolve(c);
        });
      });
      expect(code, args.join(' ')).toBe(0);
    }
  });

  it('repeats with -c until Ctrl-C, then exits 0', async () => {
    const child = spawn(process.execPath, [CLI, '--root', CAPTURE, '-tl', '-c', '0.1'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    await new Promise((r) => setTimeout(r, 800));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(err).toBe('');
    expect(out.split('Active Internet connections (only servers)').length - 1).toBeGreaterThanOrEqual(2);
    expect(out.endsWith('\n')).toBe(true);
  });

  it('reports a missing doctor or runs it', () => {
    const r = procnet(['doctor', '--help']);
    if (r.stderr.includes('not available')) {
      expect(r.status).toBe(2);
      expect(r.stderr).toBe('procnet doctor is not available in this build\n');
    } else {
      expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    }
  });

  it.skipIf(process.geteuid?.() !== 0 || spawnSync('sh', ['-c', 'command -v setpriv']).status !== 0)(
    "prints netstat's warning (exit 0) to a user who cannot read every process",
    () => {
      const r = spawnSync(
        'setpriv',
        ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, CLI, '-tanp'],
        { encoding: 'utf8', cwd: '/' },
      );
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toBe(
        '(Not all processes could be identified, non-owned process info\n will not be shown, you would have to be root to see it all.)\n',
      );
      expect(r.stdout).toMatch(/^Active Internet connections/);
    },
  );
});
