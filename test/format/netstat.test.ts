/**
 * The netstat renderer against real `netstat -tuanpxeo` output taken at the moment of the reference capture.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { InetSocket, InetTableKind } from '../../src/index.js';
import { lib } from '../support/lib.js';
import { SPEC_CAPTURE } from '../support/paths.js';

const kinds: InetTableKind[] = ['tcp', 'tcp6', 'udp', 'udp6'];
const rows = kinds.flatMap((k) => lib.parseTable(k, readFileSync(`${SPEC_CAPTURE}proc-net-${k}`)) as InetSocket[]);
const netstat = readFileSync(`${SPEC_CAPTURE}netstat-tuanpxeo.txt`, 'utf8').split('\n');
const inetEnd = netstat.indexOf('Active UNIX domain sockets (servers and established)');
const header = netstat[1] as string;
const pidAt = header.indexOf('PID/Program name');
const timerAt = header.indexOf('Timer');

/** A netstat line without the PID column, and with the timer's seconds masked (read later than /proc). */
function normalise(line: string, hasPid: boolean): string {
  let l = hasPid ? line.slice(0, pidAt) + line.slice(pidAt + 21) : line;
  l = l.replace(/\((\d+\.\d+)\//, '(#/');
  // Keep the column width when dropping the '::ffff:' prefix (7 characters).
  return l.replace(/::ffff:(\d+\.\d+\.\d+\.\d+:\S+)/g, (_, a: string) => `${a}       `).trimEnd();
}

describe('formatNetstatInet', () => {
  it('prints every row as netstat -tuaneo does (minus the intended differences)', () => {
    const ours = lib.formatNetstatInet(rows, { numeric: true, extend: true, timers: true });
    const theirs = netstat.slice(1, inetEnd).filter((l) => l.trim() !== '');
    expect(timerAt).toBeGreaterThan(pidAt);
    expect(ours.length).toBe(theirs.length);
    // netstat shows IPv4-mapped IPv6 addresses as IPv4; procnet keeps ::ffff: (docs/cli.md lists the differences).
    expect(ours.map((l) => normalise(l, false))).toEqual(theirs.map((l) => normalise(l, true)));
  });

  it('widens the address columns instead of cutting long IPv6 addresses', () => {
    const long = lib.parseTable(
      'tcp6',
      `${lib.TABLE_HEADERS.tcp6}\n   0: B80D012078563412F0DEBC9ADDCCBBAA:0050 B80D0120000000000000000001000000:C350 01 00000000:00000000 00:00000000 00000000  1000        0 42 1 0000000000000000 20 4 0 10 -1\n`,
    );
    const [h, line] = lib.formatNetstatInet(long, { numeric: true });
    expect(line).toContain('2001:db8:1234:5678:9abc:def0:aabb:ccdd:80 2001:db8::1:50000');
    expect(h?.indexOf('Foreign Address')).toBe(line?.indexOf('2001:db8::1:50000'));
  });

  it('names ports from a services map without -n, never addresses', () => {
    const services = new Map([['40005/tcp', 'pnc-svc']]);
    const [, first] = lib.formatNetstatInet(rows.slice(0, 1), { services });
    expect(first).toMatch(/^tcp +0 +0 127\.0\.0\.1:pnc-svc +0\.0\.0\.0:\* +LISTEN/);
    const [, numeric] = lib.formatNetstatInet(rows.slice(0, 1), { services, numeric: true });
    expect(numeric).toContain('127.0.0.1:40005');
  });

  it('shows every owner and escapes their names', () => {
    const owned = {
      ...(rows[0] as InetSocket),
      owners: [
        { pid: 1, comm: 'a\u001b[2Jb' },
        { pid: 2, comm: 'two' },
      ],
    };
    const [, line] = lib.formatNetstatInet([owned], { numeric: true, programs: true });
    expect(line).toContain('1/a\\x1b[2Jb,2/two');
    expect(line).not.toMatch(/\p{Cc}/u);
  });
});

describe('escapeTerminal', () => {
  it('escapes control characters, C1, bidi overrides and backslashes, and keeps printable text', () => {
    expect(lib.escapeTerminal('a\nb\tc\u001b[31m\u0007\u009b\u202e\\ é😀')).toBe(
      'a\\nb\\tc\\x1b[31m\\x07\\u{9b}\\u{202e}\\\\ é😀',
    );
    expect(lib.escapeTerminal('/run/plain.sock')).toBe('/run/plain.sock');
  });
});
