/**
 * procnet against net-tools netstat and iproute2 ss, on a fixed set of loopback sockets held by a process in a
 * network namespace of its own: `procnet --pid P …` and `nsenter -t P -n netstat …` must print the same rows.
 *
 * Intended differences (docs/cli.md), applied here and nowhere else:
 * - an IPv4-mapped address stays IPv6 (`::ffff:127.0.0.1:9000`); netstat prints `127.0.0.1:9000` in a tcp6 row;
 * - procnet never resolves hosts, so it is compared with `netstat --numeric-hosts` when names are on;
 * - trailing spaces (netstat pads its last column);
 * - unix rows the parser doubts carry a mark and the table a footnote (compared without them).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT, CAN_UNSHARE, type Holder, lines, procnet, startHolder, tool } from './helpers.js';

let holder: Holder;
const dir = mkdtempSync(join(tmpdir(), 'procnet-cli-'));

/** netstat's view of the mapped rows: `::ffff:A.B.C.D:port` → `A.B.C.D:port`, column width kept. */
function unmapped(line: string): string {
  return line.replace(/::ffff:(\d+\.\d+\.\d+\.\d+:\S+)( *)/g, (_m, addr: string, pad: string) => {
    return addr + ' '.repeat(7 + pad.length);
  });
}

/** Our lines with the unix marks and footnotes removed. */
function withoutMarks(text: string): string[] {
  return lines(text)
    .filter((l) => !l.startsWith('[?]') && !/probably forged/.test(l))
    .map((l) => l.replace(/ {2}\[(\?|FORGED|inode repeated)[^\]]*\].*$/, '').trimEnd());
}

describe.skipIf(!CAN_UNSHARE || !BUILT)('procnet = netstat, row for row (own network namespace)', () => {
  beforeAll(async () => {
    holder = await startHolder(['--unix', dir]);
  });
  afterAll(async () => {
    await holder?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const netstat = (args: string[]) => tool('nsenter', ['-t', String(holder.pid), '-n', 'netstat', ...args]);
  const ours = (args: string[]) => procnet(['--pid', String(holder.pid), ...args]);

  for (const args of [['-tuanW'], ['-tuan'], ['-tulnW'], ['-tunW'], ['-tuanWe'], ['-4tuanW'], ['-6tuanW']]) {
    it(`procnet ${args.join(' ')} = netstat ${args.join(' ')}`, () => {
      const n = netstat(args);
      const p = ours(args);
      expect(n.status).toBe(0);
      expect(p.status).toBe(0);
      expect(p.stderr).toBe('');
      expect(lines(p.stdout).map(unmapped)).toEqual(lines(n.stdout));
      expect(lines(p.stdout).length).toBeGreaterThan(2);
    });
  }

  it('prints timers like netstat -o (the seconds left move between the two reads)', () => {
    const seconds = (l: string) => l.replace(/\((\d+\.\d\d)\//, '(S/');
    const n = lines(netstat(['-tuanoW']).stdout).map(seconds);
    const p = lines(ours(['-tuanoW']).stdout).map(seconds);
    expect(p.map(unmapped)).toEqual(n);
    expect(p.some((l) => / FIN_WAIT2 +timewait \(S\/0\/0\)$/.test(l))).toBe(true);
  });

  it('names ports from /etc/services like netstat --numeric-hosts (and shows mapped addresses as IPv6)', () => {
    const n = netstat(['-tuaW', '--numeric-hosts']);
    const p = ours(['-tuaW']);
    expect(lines(p.stdout).map(unmapped)).toEqual(lines(n.stdout));
    expect(p.stdout).toMatch(/127\.0\.0\.1:http-alt/);
    expect(p.stdout).toMatch(/tcp6 +0 +0 ::ffff:127\.0\.0\.1:9000 +::ffff:127\.0\.0\.1:\d+ +ESTABLISHED/);
  });

  it('names users like netstat -e (root), and -n keeps them numeric', () => {
    const n = netstat(['-tuaeW', '--numeric-hosts']);
    const p = ours(['-tuaeW']);
    expect(lines(p.stdout).map(unmapped)).toEqual(lines(n.stdout));
    expect(p.stdout).toMatch(/LISTEN +root +\d+/);
  });

  it('shows netstat default (connected sockets of every kind) and unix rows like netstat -x', () => {
    for (const args of [[], ['-xa'], ['-x'], ['-xl'], ['-a']]) {
      const n = netstat([...args, '--numeric-hosts']);
      const p = ours(args);
      expect(withoutMarks(p.stdout).map(unmapped), args.join(' ')).toEqual(lines(n.stdout));
    }
  });

  it('agrees with netstat -p and ss -p on every socket with a single owner', () => {
    const p = lines(ours(['-tuanpW']).stdout).slice(2);
    const n = lines(netstat(['-tuanpW']).stdout).slice(2);
    expect(p.map(unmapped)).toEqual(n);
    // ss -p: users:(("comm",pid=N,fd=M)) by local and peer address.
    const ss = lines(tool('nsenter', ['-t', String(holder.pid), '-n', 'ss', '-tuanpH']).stdout);
    const ssOwner = new Map<string, string>();
    for (const l of ss) {
      const f = l.split(/\s+/);
      const m = /users:\(\("([^"]*)",pid=(\d+),fd=\d+\)\)$/.exec(l);
      const addr = (a: string) => a.replace(/^\[(.*)\]:/, '$1:').replace(/^\*:/, ':::');
      if (m) ssOwner.set(`${addr(f[4] as string)} ${addr(f[5] as string)}`, `${m[2]}/${m[1]}`);
    }
    let compared = 0;
    for (const l of p) {
      const f = l.split(/\s+/);
      const program = f.at(-1) as string;
      if (program === '-' || program.includes(',')) continue;
      const ssProgram = ssOwner.get(`${f[3]} ${f[4]}`);
      if (ssProgram === undefined) continue;
      expect(program, l).toBe(ssProgram);
      compared++;
    }
    expect(compared).toBeGreaterThan(10);
    expect(p.join('\n')).toMatch(new RegExp(`${holder.pid}/python3`));
  });

  it('shows netstat section titles for -l and -a', () => {
    expect(ours(['-tl']).stdout.split('\n')[0]).toBe('Active Internet connections (only servers)');
    expect(ours(['-ta']).stdout.split('\n')[0]).toBe('Active Internet connections (servers and established)');
    expect(ours(['-t']).stdout.split('\n')[0]).toBe('Active Internet connections (w/o servers)');
  });

  it('answers the common questions of docs/cli.md', () => {
    // Who listens on port 8080?
    const who = lines(ours(['-tlnp']).stdout).filter((l) => /:8080 /.test(l));
    expect(who).toEqual([expect.stringMatching(new RegExp(`127\\.0\\.0\\.1:8080 .* LISTEN +${holder.pid}/python3`))]);
    // The same with the filter the docs give, and a lone port number.
    expect(lines(ours(['-tlnp', 'sport', '=', ':8080']).stdout).slice(2)).toEqual(who);
    expect(lines(ours(['-tlnp', '8080']).stdout).slice(2)).toEqual(who);
    // CLOSE_WAIT by process.
    const cw = lines(ours(['-tnp']).stdout).filter((l) => / CLOSE_WAIT /.test(l));
    expect(cw).toEqual([
      expect.stringMatching(new RegExp(`127\\.0\\.0\\.1:5432 .* CLOSE_WAIT +${holder.pid}/python3`)),
    ]);
    expect(lines(ours(['-tnp', 'state', 'close-wait', '--sort', 'pid']).stdout).slice(2)).toEqual(cw);
    // Loopback only or reachable from outside: 22 is on 0.0.0.0 (every address), 8080 on 127.0.0.1.
    const listeners = lines(ours(['-tln']).stdout);
    expect(listeners.some((l) => /^tcp +0 +0 0\.0\.0\.0:22 /.test(l))).toBe(true);
    expect(listeners.some((l) => /^tcp +0 +0 127\.0\.0\.1:8080 /.test(l))).toBe(true);
  });
});
