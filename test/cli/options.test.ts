/** The option parser and netstat's table and row selection, tested directly. */
import { describe, expect, it } from 'vitest';
import { defaultOptions, parseArgs, UsageError } from '../../src/cli/options.js';
import { isListening, rowFilter, sectionScope, selectTables } from '../../src/cli/selection.js';
import type { InetSocket, UnixSocket } from '../../src/index.js';

const kinds = (...argv: string[]) => selectTables(parseArgs(argv)).kinds;

describe('parseArgs', () => {
  it('combines netstat short options in any order', () => {
    for (const argv of [['-tunap'], ['-t', '-u', '-n', '-a', '-p'], ['-pantu'], ['--tcp', '--udp', '-nap']]) {
      expect(parseArgs(argv)).toMatchObject({
        tcp: true,
        udp: true,
        all: true,
        numericPorts: true,
        numericUsers: true,
        programs: true,
        listening: false,
      });
    }
    expect(parseArgs(['-tulpn'])).toMatchObject({ tcp: true, udp: true, listening: true, programs: true });
    expect(parseArgs(['-xeo46lsvW'])).toMatchObject({
      unix: true,
      extend: true,
      timers: true,
      ipv4: true,
      ipv6: true,
      listening: true,
      summary: true,
      verbose: true,
    });
  });

  it('gives the defaults with no arguments', () => {
    expect(parseArgs([])).toEqual(defaultOptions());
  });

  it('takes --root and --pid with a space or an equals sign', () => {
    expect(parseArgs(['--root', '/d', '--pid', '42'])).toMatchObject({ root: '/d', pid: 42 });
    expect(parseArgs(['--root=/d=x', '--pid=7'])).toMatchObject({ root: '/d=x', pid: 7 });
    expect(parseArgs(['--all-namespaces', '--json'])).toMatchObject({ allNamespaces: true, format: 'json' });
    expect(parseArgs(['--ndjson'])).toMatchObject({ format: 'ndjson' });
  });

  it('reads -c with an optional number of seconds', () => {
    expect(parseArgs(['-c']).continuous).toBe(1);
    expect(parseArgs(['-c', '2']).continuous).toBe(2);
    expect(parseArgs(['-c0.5']).continuous).toBe(0.5);
    expect(parseArgs(['-tanc3']).continuous).toBe(3);
    expect(parseArgs(['-tanc', '-p'])).toMatchObject({ continuous: 1, programs: true });
    expect(parseArgs(['--continuous=5']).continuous).toBe(5);
    expect(parseArgs(['--continuous', '5']).continuous).toBe(5);
    expect(parseArgs(['--continuous']).continuous).toBe(1);
  });

  it('accepts netstat spellings that change nothing here', () => {
    expect(parseArgs(['-W', '--wide', '--numeric-hosts'])).toEqual(defaultOptions());
    expect(parseArgs(['--numeric-ports'])).toMatchObject({ numericPorts: true, numericUsers: false });
    expect(parseArgs(['--numeric-users'])).toMatchObject({ numericPorts: false, numericUsers: true });
  });

  it('recognises the subcommands; doctor keeps the rest of the line for itself', () => {
    expect(parseArgs(['snapshot', '/tmp/x'])).toMatchObject({ command: 'snapshot', args: ['/tmp/x'] });
    expect(parseArgs(['--pid', '5', 'snapshot', '/tmp/x'])).toMatchObject({ command: 'snapshot', pid: 5 });
    expect(parseArgs(['doctor', '--json', '-z', 'x'])).toMatchObject({
      command: 'doctor',
      args: ['--json', '-z', 'x'],
    });
    expect(parseArgs(['-h']).command).toBe('help');
    expect(parseArgs(['--version']).command).toBe('version');
  });

  it('rejects what it cannot run, with a message', () => {
    const bad: Array<[string[], RegExp]> = [
      [['-z'], /unknown option '-z'/],
      [['-tuz'], /unknown option '-z' \(in '-tuz'\)/],
      [['--bogus'], /unknown option '--bogus'/],
      [['--tcp=1'], /takes no value/],
      [['--root'], /--root needs a value/],
      [['--root='], /--root needs a folder/],
      [['--pid', '0'], /--pid takes a process id/],
      [['--pid', '12abc'], /--pid takes a process id/],
      [['-c0'], /between 0 and 86400/],
      [['-cx'], /number of seconds/],
      [['extra'], /unexpected argument 'extra'/],
      [['--', 'snapshot'], /unexpected argument 'snapshot'/],
      [['snapshot'], /snapshot takes one folder/],
      [['snapshot', 'a', 'b'], /snapshot takes one folder/],
      [['snapshot', 'a', '--root', '/x'], /--root cannot be used/],
      [['--all-namespaces', '--pid', '1'], /cannot be used together/],
    ];
    for (const [argv, message] of bad) {
      expect(() => parseArgs(argv), argv.join(' ')).toThrow(UsageError);
      expect(() => parseArgs(argv), argv.join(' ')).toThrow(message);
    }
  });
});

describe('selectTables (netstat rules)', () => {
  it('shows every inet table and unix without options, like netstat', () => {
    expect(kinds()).toEqual([
      'tcp',
      'tcp6',
      'udp',
      'udp6',
      'udplite',
      'udplite6',
      'raw',
      'raw6',
      'icmp',
      'icmp6',
      'unix',
    ]);
    expect(selectTables(parseArgs([]))).toMatchObject({ inet: true, unix: true, rows: 'connected' });
  });

  it('picks protocols and families', () => {
    expect(kinds('-t')).toEqual(['tcp', 'tcp6']);
    expect(kinds('-u')).toEqual(['udp', 'udp6', 'udplite', 'udplite6']);
    expect(kinds('-U')).toEqual(['udplite', 'udplite6']);
    expect(kinds('-w')).toEqual(['raw', 'raw6']);
    expect(kinds('--icmp')).toEqual(['icmp', 'icmp6']);
    expect(kinds('-x')).toEqual(['unix']);
    expect(kinds('-tx')).toEqual(['tcp', 'tcp6', 'unix']);
    expect(kinds('-t4')).toEqual(['tcp']);
    expect(kinds('-6u')).toEqual(['udp6', 'udplite6']);
    // -4 or -6 alone: every inet protocol of that family, and no unix (netstat does the same).
    expect(kinds('-4')).toEqual(['tcp', 'udp', 'udplite', 'raw', 'icmp']);
    expect(kinds('-46')).toEqual(kinds('-tuw', '--icmp'));
  });

  it('picks rows: connected by default, -l servers, -a both', () => {
    expect(selectTables(parseArgs(['-l'])).rows).toBe('listening');
    expect(selectTables(parseArgs(['-a'])).rows).toBe('all');
    expect(selectTables(parseArgs(['-al'])).rows).toBe('all');
    expect(sectionScope(selectTables(parseArgs([])))).toBe('(w/o servers)');
    expect(sectionScope(selectTables(parseArgs(['-l'])))).toBe('(only servers)');
    expect(sectionScope(selectTables(parseArgs(['-a'])))).toBe('(servers and established)');
  });

  it("uses netstat's notion of a server socket", () => {
    const tcp = (remotePort: number) => ({
      kind: 'tcp',
      protocol: 'tcp',
      remote: { address: '0.0.0.0', port: remotePort },
    });
    const udp = (address: string) => ({ kind: 'udp6', protocol: 'udp', remote: { address, port: 0 } });
    const unix = (state: string, listening: boolean) => ({ kind: 'unix', state, listening });
    const s = (x: object) => x as unknown as InetSocket | UnixSocket;
    expect(isListening(s(tcp(0)))).toBe(true);
    expect(isListening(s(tcp(80)))).toBe(false);
    expect(isListening(s(udp('::')))).toBe(true);
    expect(isListening(s(udp('::1')))).toBe(false);
    expect(isListening(s(unix('unconnected', true)))).toBe(true);
    expect(isListening(s(unix('unconnected', false)))).toBe(false);
    expect(isListening(s(unix('connected', false)))).toBe(false);
    const connected = rowFilter(selectTables(parseArgs([])));
    expect(connected(s(tcp(80)))).toBe(true);
    expect(connected(s(tcp(0)))).toBe(false);
    expect(rowFilter(selectTables(parseArgs(['-a'])))(s(tcp(0)))).toBe(true);
  });
});
