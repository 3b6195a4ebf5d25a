/**
 * The netstat renderer against real `netstat -tuanpxeo` output taken at the moment of the reference capture.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { InetSocket, InetTableKind } from '../../src/index.js';
import { netstatLib } from '../support/entry-libs.js';
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
    const ours = netstatLib.formatNetstatInet(rows, { numeric: true, extend: true, timers: true });
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
    const [h, line] = netstatLib.formatNetstatInet(long, { numeric: true });
    expect(line).toContain('2001:db8:1234:5678:9abc:def0:aabb:ccdd:80 2001:db8::1:50000');
    expect(h?.indexOf('Foreign Address')).toBe(line?.indexOf('2001:db8::1:50000'));
  });

  it('names ports from a services map without -n, never addresses', () => {
    const services = new Map([['40005/tcp', 'pnc-svc']]);
    const [, first] = netstatLib.formatNetstatInet(rows.slice(0, 1), { services });
    expect(first).toMatch(/^tcp +0 +0 127\.0\.0\.1:pnc-svc +0\.0\.0\.0:\* +LISTEN/);
    const [, numeric] = netstatLib.formatNetstatInet(rows.slice(0, 1), { services, numeric: true });
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
    const [, line] = netstatLib.formatNetstatInet([owned], { numeric: true, programs: true });
    expect(line).toContain('1/a\\x1b[2Jb,2/two');
    expect(line).not.toMatch(/\p{Cc}/u);
  });
});

describe('escapeTerminal', () => {
  it('escapes control characters, C1, bidi overrides and backslashes, and keeps printable text', () => {
    expect(netstatLib.escapeTerminal('a\nb\tc\u001b[31m\u0007\u009b\u202e\\ é😀')).toBe(
      'a\\nb\\tc\\x1b[31m\\x07\\u{9b}\\u{202e}\\\\ é😀',
    );
    expect(netstatLib.escapeTerminal('/run/plain.sock')).toBe('/run/plain.sock');
  });

  it('escapes every bidi control, line and paragraph separator, invisible format character and tag character', () => {
    const cases: Array<[string, string]> = [
      ['\u061c', '\\u{61c}'],
      ['\u200e\u200f', '\\u{200e}\\u{200f}'],
      ['\u202a\u202b\u202c\u202d\u202e', '\\u{202a}\\u{202b}\\u{202c}\\u{202d}\\u{202e}'],
      ['\u2066\u2067\u2068\u2069', '\\u{2066}\\u{2067}\\u{2068}\\u{2069}'],
      ['\u2028\u2029', '\\u{2028}\\u{2029}'],
      ['\u00ad', '\\u{ad}'],
      ['\u200b\u200c\u200d', '\\u{200b}\\u{200c}\\u{200d}'],
      ['\u2060\u2061\u2062\u2063\u2064', '\\u{2060}\\u{2061}\\u{2062}\\u{2063}\\u{2064}'],
      ['\ufeff\ufff9\u0600', '\\u{feff}\\u{fff9}\\u{600}'],
      ['\u{e0001}\u{e0041}\u{e007f}\u{e0000}', '\\u{e0001}\\u{e0041}\\u{e007f}\\u{e0000}'],
      ['\u007f\u0080\u009f', '\\x7f\\u{80}\\u{9f}'],
      ['a\ud800b', 'a\\u{d800}b'],
    ];
    for (const [raw, escaped] of cases) expect(netstatLib.escapeTerminal(`x${raw}y`), escaped).toBe(`x${escaped}y`);
    // Every character of Unicode's Cc, Cf, Zl and Zp categories, and the tag block: none is left.
    let all = '';
    for (let c = 0; c <= 0x10ffff; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      const ch = String.fromCodePoint(c);
      if (/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u.test(ch) || (c >= 0xe0000 && c <= 0xe007f)) all += ch;
    }
    expect(all.length).toBeGreaterThan(200);
    expect(netstatLib.escapeTerminal(all)).toMatch(/^[\x20-\x7e]*$/);
    // Letters, combining marks and emoji are kept.
    expect(netstatLib.escapeTerminal('Größe 東京 😀 e\u0301')).toBe('Größe 東京 😀 e\u0301');
  });
});
