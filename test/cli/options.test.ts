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
    expect(parseArgs(['-xeo46lvW'])).toMatchObject({
      unix: true,
      extend: true,
      timers: true,
      ipv4: true,
      ipv6: true,
      listening: true,
      verbose: true,
    });
    expect(parseArgs(['-stuv6'])).toMatchObject({ statistics: true, tcp: true, udp: true, ipv6: true, verbose: true });
    expect(parseArgs(['--summary', '-tu'])).toMatchObject({ summary: true, statistics: false });
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

  it('takes the words that are not options as the filter, wherever the options are', () => {
    const o = parseArgs(['-tan', 'state', 'established', '( dport = :443 or sport = :443 )', '--json']);
    expect(o).toMatchObject({ tcp: true, all: true, format: 'json' });
    expect(o.filterText).toBe('state established ( dport = :443 or sport = :443 )');
    expect(o.filter?.states).toEqual(['ESTABLISHED']);
    // A lone port number is procnet's shorthand for either end.
    expect(parseArgs(['-tlnp', '8765']).filterText).toBe('( sport = :8765 or dport = :8765 )');
    // -x alone reads hosts as unix name patterns (ss -x); -4 and -6 alone read them in that family.
    expect(parseArgs(['-x', 'src', '/run/*']).filter?.expression).toMatchObject({ host: { kind: 'unix' } });
    expect(() => parseArgs(['-4', 'src', '[::1]'])).toThrow(/an IPv4 address is expected/);
    // After --, words that look like options are filter words (and this one is not a filter).
    expect(() => parseArgs(['--', '-t'])).toThrow();
    expect(() => parseArgs(['--', 'snapshot'])).toThrow(/"snapshot" is not a condition/);
    expect(parseArgs(['--', 'sport', '=', ':22']).filterText).toBe('sport = :22');
  });

  it('reads the new options and their values', () => {
    expect(parseArgs(['--sort', 'queue']).sort).toBe('queue');
    expect(parseArgs(['--sort=program', '-p']).sort).toBe('program');
    expect(parseArgs(['--cmdline'])).toMatchObject({ cmdline: true, programs: true });
    expect(parseArgs(['--color']).color).toBe('always');
    expect(parseArgs(['--color=never']).color).toBe('never');
    expect(parseArgs(['--root', '/d', '--byte-order', 'big', '--user-hz=250'])).toMatchObject({
      byteOrder: 'big',
      userHz: 250,
    });
    expect(parseArgs(['top', '-d', '0.5', '--sort', 'state'])).toMatchObject({
      command: 'top',
      interval: 0.5,
      sort: 'state',
    });
    expect(parseArgs(['top', '--interval=3']).interval).toBe(3);
    expect(parseArgs(['top', '--sort', 'pid']).sort).toBe('pid');
    // netstat takes -4 -6 together for a listing (both families).
    expect(parseArgs(['-46t'])).toMatchObject({ ipv4: true, ipv6: true });
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
      [['-c0'], /from 0\.1 to 86400, not '0'/],
      [['-c', '0.05'], /-c takes a number of seconds from 0\.1 to 86400, not '0\.05'/],
      [['-c', '-1'], /-c takes a number of seconds from 0\.1 to 86400, not '-1'/],
      [['--continuous=100000'], /--continuous takes/],
      [['-cx'], /number of seconds/],
      [['snapshot'], /snapshot takes one folder/],
      [['snapshot', 'a', 'b'], /snapshot takes one folder/],
      [['snapshot', 'a', '--root', '/x'], /--root cannot be used/],
      [['--all-namespaces', '--pid', '1'], /cannot be used together/],
      [['--json', '--ndjson'], /^--json and --ndjson cannot be used together/],
      [['-s', '--summary'], /-s \(the protocol statistics\) and --summary/],
      [['-sp'], /-s prints the kernel's protocol counters, not sockets: -p does not apply/],
      [['-s', '--cmdline'], /--cmdline does not apply/],
      [['-sx'], /no statistics for unix sockets/],
      [['-s46'], /-4 or -6 \(netstat -s refuses both\)/],
      [['-s', '--ndjson'], /use --json/],
      [['-s', 'state', 'established'], /a filter \('state'\) does not apply/],
      [['--summary', '-p'], /--summary counts every socket of the tables: -p does not apply/],
      [['--summary', '-l'], /-l does not apply/],
      [['--sort', 'size'], /--sort takes one of queue, state, local, remote, pid, program, not 'size'/],
      [['--sort', 'pid'], /--sort pid needs the owners: add -p/],
      [['--color=sometimes'], /--color takes auto, always or never/],
      [['--byte-order', 'middle', '--root', '/d'], /--byte-order takes big or little/],
      [['--byte-order', 'big'], /--byte-order describes a dump's machine: use it with --root DIR/],
      [['--user-hz', '0', '--root', '/d'], /--user-hz takes the ticks per second/],
      [['-d', '2'], /-d\/--interval is procnet top's refresh interval/],
      [['top', '--json'], /procnet top cannot be used with --json/],
      [['top', '-c'], /procnet top cannot be used with -c/],
      [['top', '--all-namespaces'], /one network namespace/],
      [['top', '-d', '0.01'], /-d takes a number of seconds from 0\.1/],
      [['99999'], /a lone number is a port, and 99999 is not one/],
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
