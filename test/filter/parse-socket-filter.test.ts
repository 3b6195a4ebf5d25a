/**
 * The filter grammar word by word: states and groups, operators in both spellings, precedence, every host form,
 * errors with their column and caret frame, and what each condition selects on rows of known shape.
 */
import { describe, expect, it } from 'vitest';
import type { InetSocket, UnixSocket } from '../../src/index.js';
import {
  isSocketFilterError,
  parseSocketFilter,
  SOCKET_FILTER_ERROR_CODES,
  type SocketFilterError,
  type SocketFilterExpression,
  type SocketFilterOptions,
} from '../../src/index.js';
import { UNIX_LISTENER } from '../support/sockets.js';

function expr(text: string, options?: SocketFilterOptions): SocketFilterExpression | null {
  return parseSocketFilter(text, options).expression;
}

function error(text: string, options?: SocketFilterOptions): SocketFilterError {
  try {
    parseSocketFilter(text, options);
  } catch (e) {
    if (isSocketFilterError(e)) return e;
    throw e;
  }
  throw new Error(`no error for ${JSON.stringify(text)}`);
}

/** A TCP row with the fields a filter reads (state code, family, endpoints). */
function tcp(local: string, remote: string, stateCode = 1): InetSocket {
  const endpoint = (text: string) => {
    const i = text.lastIndexOf(':');
    const address = text.slice(0, i).replace(/^\[|\]$/g, '');
    return { address, port: Number(text.slice(i + 1)), family: address.includes(':') ? 'IPv6' : 'IPv4' } as const;
  };
  const l = endpoint(local);
  return {
    kind: l.family === 'IPv4' ? 'tcp' : 'tcp6',
    protocol: 'tcp',
    family: l.family,
    local: l,
    remote: endpoint(remote),
    stateCode,
  } as unknown as InetSocket;
}

function unix(path: string | null, options: Partial<UnixSocket> = {}): UnixSocket {
  return { ...UNIX_LISTENER, listening: false, stateCode: 3, path, ...options };
}

const port = (side: 'local' | 'remote', operator: string, p: number | null) => ({
  type: 'port',
  side,
  operator,
  port: p,
  familyPrefix: null,
});

describe('state words', () => {
  const states = (text: string) => parseSocketFilter(text).states;

  it('takes each of ss state names, any case, and the aliases', () => {
    expect(states('state established')).toEqual(['ESTABLISHED']);
    expect(states('state syn-sent')).toEqual(['SYN_SENT']);
    expect(states('state syn-recv')).toEqual(['SYN_RECV']);
    expect(states('state syn-rcv')).toEqual(['SYN_RECV']);
    expect(states('state fin-wait-1')).toEqual(['FIN_WAIT1']);
    expect(states('state fin-wait-2')).toEqual(['FIN_WAIT2']);
    expect(states('state time-wait')).toEqual(['TIME_WAIT']);
    expect(states('state closed')).toEqual(['CLOSE']);
    expect(states('state close')).toEqual(['CLOSE']);
    expect(states('state unconnected')).toEqual(['CLOSE']);
    expect(states('state close-wait')).toEqual(['CLOSE_WAIT']);
    expect(states('state last-ack')).toEqual(['LAST_ACK']);
    expect(states('state listening')).toEqual(['LISTEN']);
    expect(states('state listen')).toEqual(['LISTEN']);
    expect(states('state LISTENING')).toEqual(['LISTEN']);
    expect(states('state closing')).toEqual(['CLOSING']);
    expect(states('state unknown')).toEqual(['UNKNOWN']);
  });

  it('expands the groups as ss does', () => {
    const every = ['UNKNOWN', 'ESTABLISHED', 'SYN_SENT', 'SYN_RECV', 'FIN_WAIT1', 'FIN_WAIT2', 'TIME_WAIT', 'CLOSE'];
    const rest = ['CLOSE_WAIT', 'LAST_ACK', 'LISTEN', 'CLOSING'];
    const all = [...every, ...rest];
    expect(states('state all')).toEqual(all);
    expect(states('state connected')).toEqual(all.filter((s) => s !== 'CLOSE' && s !== 'LISTEN'));
    expect(states('state synchronized')).toEqual(all.filter((s) => !['CLOSE', 'LISTEN', 'SYN_SENT'].includes(s)));
    expect(states('state bucket')).toEqual(['SYN_RECV', 'TIME_WAIT']);
    expect(states('state big')).toEqual(all.filter((s) => s !== 'SYN_RECV' && s !== 'TIME_WAIT'));
  });

  it('starts a first state from none and a first exclude from all, then adds and takes away in order', () => {
    expect(states('')).toBeNull();
    expect(states('state time-wait state fin-wait-2')).toEqual(['FIN_WAIT2', 'TIME_WAIT']);
    expect(states('exclude bucket')).toEqual(parseSocketFilter('state big').states);
    expect(states('excl all')).toEqual([]);
    expect(states('exclude listening state listening')).toEqual(parseSocketFilter('state all').states);
    expect(states('state listening exclude listening')).toEqual([]);
    expect(states('state connected exclude established')).not.toContain('ESTABLISHED');
  });

  it('selects rows by state code; datagram and unix rows by the code ss gives them', () => {
    const listening = parseSocketFilter('state listening');
    expect(listening.matches(tcp('127.0.0.1:22', '0.0.0.0:0', 10))).toBe(true);
    expect(listening.matches(tcp('127.0.0.1:22', '127.0.0.1:5000', 1))).toBe(false);
    expect(listening.matches(unix('/run/a.sock', { listening: true, stateCode: 1 }))).toBe(true);
    const closed = parseSocketFilter('state closed');
    expect(closed.matches(unix('/run/a.sock', { stateCode: 1 }))).toBe(true);
    expect(parseSocketFilter('state established').matches(unix(null, { stateCode: 3 }))).toBe(true);
    expect(parseSocketFilter('state syn-sent').matches(unix(null, { stateCode: 2, inode: '0' }))).toBe(true);
    expect(parseSocketFilter('state closing').matches(unix(null, { stateCode: 4 }))).toBe(true);
    // A code the kernel does not define counts as `unknown`.
    expect(parseSocketFilter('state unknown').matches(tcp('127.0.0.1:1', '0.0.0.0:0', 12))).toBe(true);
    expect(parseSocketFilter('state all').matches(tcp('127.0.0.1:1', '0.0.0.0:0', 0))).toBe(true);
  });
});

describe('operators', () => {
  it('reads every spelling of each port operator the same way', () => {
    const spellings: Record<string, string[]> = {
      '=': ['=', '==', 'eq'],
      '!=': ['!=', 'ne', 'neq'],
      '<': ['<', 'lt'],
      '>': ['>', 'gt'],
      '<=': ['<=', 'le', 'leq'],
      '>=': ['>=', 'ge', 'geq'],
    };
    for (const [operator, words] of Object.entries(spellings)) {
      for (const word of words) {
        expect(expr(`sport ${word} :22`)).toEqual(port('local', operator, 22));
        expect(expr(`dport ${word} 22`)).toEqual(port('remote', operator, 22));
      }
    }
    expect(expr('sport :22')).toEqual(port('local', '=', 22));
  });

  it('compares ports', () => {
    const row = tcp('127.0.0.1:8080', '127.0.0.1:40000');
    const holds = (text: string) => parseSocketFilter(text).matches(row);
    expect([holds('sport = :8080'), holds('sport != :8080'), holds('sport < :8080'), holds('sport > :8079')]).toEqual([
      true,
      false,
      false,
      true,
    ]);
    expect([
      holds('sport <= :8080'),
      holds('sport >= :8081'),
      holds('dport >= 40000'),
      holds('dport lt 40000'),
    ]).toEqual([true, false, true, false]);
    expect([holds('sport = *'), holds('sport != *'), holds('dport = :*')]).toEqual([true, false, true]);
    expect(holds('sport = 0x1f90')).toBe(true);
    expect(holds('sport = 017620')).toBe(true);
    expect(holds('sport = :http-alt')).toBe(true);
    expect(parseSocketFilter('dport = :mysvc', { services: { mysvc: 40000 } }).matches(row)).toBe(true);
    // A raw socket's local "port" is its protocol number, as ss shows it.
    const raw = { ...row, kind: 'raw', protocol: 'raw', ipProtocol: 253 } as unknown as InetSocket;
    expect(parseSocketFilter('sport = :253').matches(raw)).toBe(true);
  });

  it('joins with and, &&, &, juxtaposition; or, ||, |; not, !', () => {
    const a = port('local', '=', 1);
    const b = port('remote', '=', 2);
    for (const word of ['and', '&&', '&'])
      expect(expr(`sport = :1 ${word} dport = :2`)).toEqual({ type: 'and', left: a, right: b });
    expect(expr('sport = :1 dport = :2')).toEqual({ type: 'and', left: a, right: b });
    for (const word of ['or', '||', '|'])
      expect(expr(`sport = :1 ${word} dport = :2`)).toEqual({ type: 'or', left: a, right: b });
    for (const word of ['not', '!']) expect(expr(`${word} sport = :1`)).toEqual({ type: 'not', operand: a });
  });

  it('reads and and or left to right at one precedence, as ss parses (not as its manual says); not binds tightest', () => {
    const [a, b, c] = [port('local', '=', 1), port('local', '=', 2), port('remote', '=', 3)];
    expect(expr('sport = :1 or sport = :2 and dport = :3')).toEqual({
      type: 'and',
      left: { type: 'or', left: a, right: b },
      right: c,
    });
    expect(expr('sport = :1 or ( sport = :2 and dport = :3 )')).toEqual({
      type: 'or',
      left: a,
      right: { type: 'and', left: b, right: c },
    });
    expect(expr('not sport = :1 and sport = :2')).toEqual({ type: 'and', left: { type: 'not', operand: a }, right: b });
    expect(expr('\\( sport = :1 or sport = :2 \\) dport = :3')).toEqual(
      expr('( sport = :1 or sport = :2 ) dport = :3'),
    );
  });

  it('splits words at blanks only, and a backslash escapes', () => {
    expect(expr('sport\t=\n:1')).toEqual(port('local', '=', 1));
    expect(expr('src unix:/tmp/my\\ sock')).toEqual({
      type: 'host',
      side: 'local',
      host: { kind: 'unix', pattern: '/tmp/my sock', familyPrefix: 'unix' },
    });
    // ss's lexer resolves the escape before it looks for keywords: `\and` is `and`.
    expect(expr('sport = :1 \\and dport = :2')).toEqual(expr('sport = :1 and dport = :2'));
  });
});

describe('hosts', () => {
  const host = (text: string, options?: SocketFilterOptions) => {
    const node = expr(`src ${text}`, options);
    if (node?.type !== 'host') throw new Error('not a host');
    return node.host;
  };
  const inet = (family: 'IPv4' | 'IPv6' | null, address: string | null, prefixLength: number, p: number | null) => ({
    kind: 'inet',
    family,
    address,
    prefixLength,
    port: p,
    familyPrefix: null,
  });

  it('reads each address form', () => {
    expect(host('10.0.0.0/8')).toEqual(inet('IPv4', '10.0.0.0', 8, null));
    expect(host('127.0.0.1')).toEqual(inet('IPv4', '127.0.0.1', 32, null));
    expect(host('127.0.0.1:22')).toEqual(inet('IPv4', '127.0.0.1', 32, 22));
    expect(host('193.233.7/24')).toEqual(inet('IPv4', '193.233.7.0', 24, null));
    expect(host('127.1')).toEqual(inet('IPv4', '127.1.0.0', 32, null));
    expect(host('0177.0.0.0x1')).toEqual(inet('IPv4', '127.0.0.1', 32, null));
    expect(host('10.1.2.3/255.255.0.0')).toEqual(inet('IPv4', '10.1.2.3', 16, null));
    expect(host('10.0.0.0/0x8')).toEqual(inet('IPv4', '10.0.0.0', 8, null));
    expect(host('[::1]')).toEqual(inet('IPv6', '::1', 128, null));
    expect(host('[::1]:22')).toEqual(inet('IPv6', '::1', 128, 22));
    expect(host('[::1/128]')).toEqual(inet('IPv6', '::1', 128, null));
    expect(host('[::1]/128')).toEqual(inet('IPv6', '::1', 128, null));
    expect(host('[fe80::/10]:443')).toEqual(inet('IPv6', 'fe80::', 10, 443));
    expect(host('[fe80::]/10:443')).toEqual(inet('IPv6', 'fe80::', 10, 443));
    expect(host('::1/128')).toEqual(inet('IPv6', '::1', 128, null));
    expect(host('fe80::1:22')).toEqual(inet('IPv6', 'fe80::1', 128, 22));
    expect(host('[0:0:0:0:0:FFFF:7F00:1]')).toEqual(inet('IPv6', '::ffff:127.0.0.1', 128, null));
    expect(host('[::ffff:127.0.0.0/104]')).toEqual(inet('IPv6', '::ffff:127.0.0.0', 104, null));
    expect(host('[127.0.0.1]')).toEqual(inet('IPv4', '127.0.0.1', 32, null));
    expect(host('*')).toEqual(inet(null, null, 0, null));
    expect(host('*:22')).toEqual(inet(null, null, 0, 22));
    expect(host(':22')).toEqual(inet(null, null, 0, 22));
    expect(host('127.0.0.1:*')).toEqual(inet('IPv4', '127.0.0.1', 32, null));
    expect(host('any')).toEqual(inet(null, null, 0, null));
    expect(host('all:22')).toEqual(inet(null, null, 0, 22));
    expect(host('default')).toEqual(inet(null, null, 0, null));
    expect(host('10.0.0.1:ssh')).toEqual(inet('IPv4', '10.0.0.1', 32, 22));
  });

  it('reads family prefixes; they narrow the listing, the last one written wins', () => {
    expect(host('inet6:[::1]')).toEqual({ ...inet('IPv6', '::1', 128, null), familyPrefix: 'inet6' });
    expect(host('inet:*:22')).toEqual({ ...inet(null, null, 0, 22), familyPrefix: 'inet' });
    expect(parseSocketFilter('src inet:*:22').family).toBe('IPv4');
    expect(parseSocketFilter('src inet:*:22 or src inet6:*:22').family).toBe('IPv6');
    expect(parseSocketFilter('sport = inet6::22').family).toBe('IPv6');
    expect(parseSocketFilter('src unix:/run/*').family).toBe('unix');
    expect(parseSocketFilter('src 10.0.0.1').family).toBeNull();
    const filter = parseSocketFilter('not src inet6:*:22');
    expect(filter.matches(tcp('127.0.0.1:1', '0.0.0.0:0'))).toBe(false);
    expect(filter.matches(tcp('[::1]:1', '[::]:0'))).toBe(true);
  });

  it('reads every host as a name pattern with family unix, as ss -x does', () => {
    expect(host('/run/*.sock', { family: 'unix' })).toEqual({
      kind: 'unix',
      pattern: '/run/*.sock',
      familyPrefix: null,
    });
    expect(parseSocketFilter('src /run/*', { family: 'unix' }).family).toBeNull();
    expect(host('unix:@abs*')).toEqual({ kind: 'unix', pattern: '@abs*', familyPrefix: 'unix' });
  });

  it('reads bare hosts in the family given', () => {
    expect(host('10.0.0.1', { family: 'IPv4' })).toEqual(inet('IPv4', '10.0.0.1', 32, null));
    expect(error('src [::1]', { family: 'IPv4' }).code).toBe('BAD_ADDRESS');
    expect(error('src 10.0.0.1', { family: 'IPv6' }).code).toBe('BAD_ADDRESS');
  });

  it('matches prefixes, and IPv4 patterns against IPv4-mapped addresses', () => {
    const v4 = tcp('10.1.2.3:5000', '192.168.0.9:443');
    const mapped = tcp('[::ffff:10.1.2.3]:5000', '[::ffff:192.168.0.9]:443');
    const v6 = tcp('[2001:db8::5]:5000', '[::1]:443');
    const holds = (text: string) => [v4, mapped, v6].map((row) => parseSocketFilter(text).matches(row));
    expect(holds('src 10.0.0.0/8')).toEqual([true, true, false]);
    expect(holds('src 10.1.2.3')).toEqual([true, true, false]);
    expect(holds('src 10.1.2.4')).toEqual([false, false, false]);
    expect(holds('dst 192.168.0.0/16:443')).toEqual([true, true, false]);
    expect(holds('dst 192.168.0.0/16:80')).toEqual([false, false, false]);
    expect(holds('src [::ffff:10.0.0.0/104]')).toEqual([false, true, false]);
    expect(holds('src [2001:db8::/32]')).toEqual([false, false, true]);
    expect(holds('dst [::1]')).toEqual([false, false, true]);
    expect(holds('src 0.0.0.0/0')).toEqual([true, true, false]);
    expect(holds('src [::/0]')).toEqual([false, true, true]);
    expect(holds('src *:5000')).toEqual([true, true, true]);
    expect(holds('src any')).toEqual([true, true, true]);
    // Under `not`, ss's own check also applies, which compares leading bits across families (see docs/filters.md).
    expect(holds('not dst 0.0.0.0/8')).toEqual([true, false, false]);
    expect(holds('not src [::/0]')).toEqual([false, false, false]);
  });

  it('matches unix names with shell patterns, without regard to ASCII case', () => {
    const options: SocketFilterOptions = { family: 'unix' };
    const holds = (text: string, row: UnixSocket) => parseSocketFilter(text, options).matches(row);
    const run = unix('/run/App.sock');
    expect(holds('src /run/*', run)).toBe(true);
    expect(holds('src /RUN/app.SOCK', run)).toBe(true);
    expect(holds('src /run/?pp.sock', run)).toBe(true);
    expect(holds('src /run/[a-c]pp.sock', run)).toBe(true);
    expect(holds('src /run/[!a-c]pp.sock', run)).toBe(false);
    expect(holds('src /run/[[:upper:]]pp.sock', run)).toBe(true);
    expect(holds('src /run', run)).toBe(false);
    expect(holds('src *', unix(null))).toBe(true);
    expect(holds('src ?*', unix(null))).toBe(false);
    expect(holds('src @abs*', unix('@abstract'))).toBe(true);
    expect(holds('src /run/*', unix('/run/new\nline'))).toBe(true);
    // The peer's name is not in /proc/net/unix: only `*` matches it.
    expect(holds('dst *', run)).toBe(true);
    expect(holds('dst /run/*', run)).toBe(false);
    // No inet condition matches a unix row, and no name pattern an inet row; unix rows have no ports.
    expect(parseSocketFilter('src *').matches(run)).toBe(false);
    expect(parseSocketFilter('src unix:*').matches(tcp('127.0.0.1:1', '0.0.0.0:0'))).toBe(false);
    expect(parseSocketFilter('sport >= :0').matches(run)).toBe(false);
    expect(parseSocketFilter('not sport = :1').matches(run)).toBe(true);
  });

  it('takes autobound for unix sockets: unnamed, or @ and five hex digits', () => {
    const autobound = parseSocketFilter('autobound', { family: 'unix' });
    expect(autobound.matches(unix(null))).toBe(true);
    expect(autobound.matches(unix('@0a1f3'))).toBe(true);
    expect(autobound.matches(unix('@0A1F3'))).toBe(false);
    expect(autobound.matches(unix('@0a1f'))).toBe(false);
    expect(autobound.matches(unix('/run/x'))).toBe(false);
  });
});

describe('errors', () => {
  const cases: [string, SocketFilterError['code'], number, string][] = [
    ['sport =', 'UNEXPECTED_END', 8, ''],
    ['( sport = :1', 'UNEXPECTED_END', 13, ''],
    ['not', 'UNEXPECTED_END', 4, ''],
    ['state', 'UNEXPECTED_END', 6, ''],
    ['sport = :1 and', 'UNEXPECTED_END', 15, ''],
    ['sport = = :1', 'UNEXPECTED_WORD', 9, '='],
    ['sport = :1 )', 'UNEXPECTED_WORD', 12, ')'],
    ['and sport = :1', 'UNEXPECTED_WORD', 1, 'and'],
    ['sport = :1 or or dport = :2', 'UNEXPECTED_WORD', 15, 'or'],
    ['(sport = :1)', 'UNEXPECTED_WORD', 1, '(sport'],
    ['!sport = :1', 'UNEXPECTED_WORD', 1, '!sport'],
    ['sport = :1 state listening', 'UNEXPECTED_WORD', 12, 'state'],
    ['dst != 10.0.0.1', 'UNEXPECTED_WORD', 5, '!='],
    ['src > 10.0.0.1', 'UNEXPECTED_WORD', 5, '>'],
    ['src and', 'UNEXPECTED_WORD', 5, 'and'],
    ['10.0.0.1', 'UNEXPECTED_WORD', 1, '10.0.0.1'],
    ['state listenning', 'UNKNOWN_STATE', 7, 'listenning'],
    ['exclude estab', 'UNKNOWN_STATE', 9, 'estab'],
    ['src ::1', 'BAD_ADDRESS', 5, '::1'],
    ['src example.com', 'BAD_ADDRESS', 5, 'example.com'],
    ['src 256.0.0.1', 'BAD_ADDRESS', 5, '256.0.0.1'],
    ['src 10.0.0.0/33', 'BAD_ADDRESS', 5, '10.0.0.0/33'],
    ['src 10.0.0.0/255.0.255.0', 'BAD_ADDRESS', 5, '10.0.0.0/255.0.255.0'],
    ['src [::1', 'BAD_ADDRESS', 5, '[::1'],
    ['src [::1]x', 'BAD_ADDRESS', 5, '[::1]x'],
    ['src [1::2::3]', 'BAD_ADDRESS', 5, '[1::2::3]'],
    ['src any/0', 'BAD_ADDRESS', 5, 'any/0'],
    ['sport = :65536', 'BAD_PORT', 9, ':65536'],
    ['dport = :-1', 'BAD_PORT', 9, ':-1'],
    ['dport = :nosuchservice', 'BAD_PORT', 9, ':nosuchservice'],
    ['sport > *', 'BAD_PORT', 9, '*'],
    ['sport > unix:/x', 'BAD_PORT', 9, 'unix:/x'],
    ['dev = eth0', 'UNSUPPORTED', 1, 'dev'],
    ['fwmark = 0x1', 'UNSUPPORTED', 1, 'fwmark'],
    ['cgroup = /x', 'UNSUPPORTED', 1, 'cgroup'],
    ['autobound', 'UNSUPPORTED', 1, 'autobound'],
    ['src link:eth0', 'UNSUPPORTED', 5, 'link:eth0'],
    ['src netlink:kernel', 'UNSUPPORTED', 5, 'netlink:kernel'],
  ];

  it.each(cases)('%j: %s at column %d', (text, code, column, word) => {
    const e = error(text);
    expect([e.code, e.column, e.word]).toEqual([code, column, word]);
    expect(e.offset).toBe(column - 1);
    expect(e.filter).toBe(text);
    expect(e.message).toContain(`column ${column}`);
    expect(e.name).toBe('SocketFilterError');
    expect(SOCKET_FILTER_ERROR_CODES).toContain(e.code);
  });

  it('points a caret at the word, and says what to do', () => {
    const text = 'state established ( dport = :443 or sport = :https';
    const e = error(text);
    expect(e.frame).toBe([text, `${' '.repeat(text.length)}^`].join('\n'));
    expect(e.message).toBe(`the "(" at column 19 is not closed at the end (column ${text.length + 1})`);
    const bad = error('src 10.0.0.1 and dport == :ftpx');
    expect(bad.frame).toBe(['src 10.0.0.1 and dport == :ftpx', `${' '.repeat(26)}^^^^^`].join('\n'));
    expect(bad.message).toBe('"ftpx" is not a port number or a known service name at column 27: ":ftpx"');
    expect(error('(sport = :1)').message).toContain('put spaces around');
    expect(error('src ::1').message).toContain('brackets');
    expect(error('src example.com').message).toContain('not looked up');
    expect(error('dst != 10.0.0.1').message).toContain('not dst');
  });

  it('keeps the caret on its word when the filter holds control characters', () => {
    const e = error('sport\t=\t:x\u001b[2J');
    expect(e.frame.split('\n')[0]).toBe('sport?=?:x?[2J');
    expect(e.frame.split('\n')[1]).toBe('        ^^^^^^');
    expect(e.message).toContain('":x?[2J"');
  });

  it('refuses hostile nesting quickly with a typed error, never a stack overflow', () => {
    const start = performance.now();
    expect(error(`${'( '.repeat(100_000)}sport = :1${' )'.repeat(100_000)}`).code).toBe('UNSUPPORTED');
    expect(error(`${'not '.repeat(100_000)}sport = :1`).code).toBe('UNSUPPORTED');
    expect(error(`sport = :1${' or sport = :2 and dport = :3'.repeat(10_000)}`).code).toBe('UNSUPPORTED');
    expect(performance.now() - start).toBeLessThan(5_000);
    // A long run of one operator is one level: a generated list of ports is fine.
    const ports = Array.from({ length: 20_000 }, (_, i) => `sport = :${i}`).join(' or ');
    const filter = parseSocketFilter(ports);
    expect(filter.matches(tcp('127.0.0.1:19999', '0.0.0.0:0'))).toBe(true);
    expect(filter.matches(tcp('127.0.0.1:20000', '0.0.0.0:0'))).toBe(false);
  });
});
