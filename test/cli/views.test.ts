/** The renderers and lookups of the command, tested directly on a saved capture and on made-up rows. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePasswd, parseServices } from '../../src/cli/names.js';
import { parseArgs } from '../../src/cli/options.js';
import { NO_PAINT, type Paint } from '../../src/cli/paint.js';
import type { Listing } from '../../src/cli/read-listing.js';
import { selectTables } from '../../src/cli/selection.js';
import { readSummaries, renderSummary } from '../../src/cli/summary-view.js';
import { renderTable, unixFootnotes } from '../../src/cli/table-view.js';
import {
  forgedFootnote,
  ownerlessFootnote,
  unixMark,
  unixVerdict,
  unverifiedFootnote,
} from '../../src/cli/unix-marks.js';
import type { UnixSocket } from '../../src/index.js';
import { readSockets } from '../../src/node/index.js';
import { ROOT } from '../support/paths.js';

const CAPTURE = join(ROOT, 'fixtures/capture-2026-11-linux-6.18.44-fc-v782-x86_64');
const COLOUR: Paint = {
  enabled: true,
  bold: (t) => `<b>${t}</b>`,
  red: (t) => `<r>${t}</r>`,
  yellow: (t) => `<y>${t}</y>`,
  dim: (t) => `<d>${t}</d>`,
  state: (t, key = t) => `<${key}>${t}</${key}>`,
};

async function listing(argv: string[]): Promise<{ lines: string[]; footnotes: string[]; listing: Listing }> {
  const o = parseArgs(['--root', CAPTURE, ...argv]);
  const sel = selectTables(o);
  const r = await readSockets({ root: CAPTURE, kinds: sel.kinds, processes: o.programs });
  const l: Listing = {
    sockets: r.sockets,
    notes: r.notes,
    errors: r.errors,
    processes: r.processes,
    live: false,
    netDir: r.source.netDir,
    namespaces: null,
    unixCheck: null,
    byteOrder: r.byteOrder,
    byteOrderSource: r.byteOrderSource,
  };
  const unix = l.sockets.filter((s) => s.kind === 'unix');
  return {
    lines: [...renderTable(l, sel, o, { services: undefined, users: undefined }, NO_PAINT)],
    footnotes: unixFootnotes(unix, l, o),
    listing: l,
  };
}

describe('names from /etc/services and /etc/passwd', () => {
  it('takes the first name for a port and protocol, as getservbyport does', () => {
    const services = parseServices(
      '# comment\nhttp\t\t80/tcp\t\twww # WorldWideWeb\nhttp 80/udp\nwww-alt 80/tcp\nmdns 5353/udp\nbad 99999/tcp\n\x1b[31mevil 81/tcp\n',
    );
    expect(services.get('80/tcp')).toBe('http');
    expect(services.get('80/udp')).toBe('http');
    expect(services.get('80/udplite')).toBe('http');
    expect(services.get('5353/udplite')).toBe('mdns');
    expect(services.has('99999/tcp')).toBe(false);
    expect(services.get('81/tcp')).toBe('\\x1b[31mevil');
  });

  it('maps uids to user names, escaped', () => {
    const users = parsePasswd(
      'root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534::/:/bin/false\nroot2:x:0:0::/:\nbad\n\x1bx:x:5:5::/:\n',
    );
    expect([...users]).toEqual([
      [0, 'root'],
      [65534, 'nobody'],
      [5, '\\x1bx'],
    ]);
  });
});

describe('unix marks', () => {
  const row = (suspicious: UnixSocket['suspicious'], owners: unknown[] | null = null) =>
    ({ kind: 'unix', inode: '5', suspicious, owners }) as unknown as UnixSocket & { owners: unknown[] | null };

  it('grades the reasons: evidence is a verdict, "cannot be ruled out" a short mark only with -v', () => {
    expect(unixVerdict(row([]))).toBeNull();
    expect(unixVerdict(row(['after-newline-path']))).toBe('unverified');
    expect(unixVerdict(row(['after-newline-path', 'no-owner']))).toBe('forged');
    expect(unixVerdict(row(['after-newline-path', 'duplicate-inode']))).toBe('forged');
    expect(unixVerdict(row(['duplicate-inode']))).toBe('copied');
    expect(unixMark(row([]), COLOUR, true)).toBe('');
    expect(unixMark(row(['after-newline-path']), COLOUR, true)).toBe('  <y>[?]</y>');
    expect(unixMark(row(['after-newline-path']), COLOUR, false)).toBe('');
    expect(unixMark(row(['after-newline-path'], []), COLOUR, true)).toBe('  <y>[?] no readable process holds it</y>');
    expect(unixMark(row(['after-newline-path'], []), COLOUR, false)).toBe('');
    for (const verbose of [false, true]) {
      expect(unixMark(row(['after-newline-path', 'no-owner']), COLOUR, verbose)).toBe(
        '  <r>[FORGED ROW? after-newline-path, no-owner: text planted through a socket name]</r>',
      );
      expect(unixMark(row(['duplicate-inode']), NO_PAINT, verbose)).toBe(
        '  [inode repeated by another row: duplicate-inode]',
      );
    }
  });

  it('explains the mark once, with why the rows stay unverified', () => {
    expect(unverifiedFootnote(1, 0, 'not-root', 0)).toMatch(/^\[\?\] row could be text .*run as root/);
    expect(unverifiedFootnote(3, 3, 'done', 0)).toMatch(/^\[\?\] 3 rows .*a process holds each of them/);
    expect(unverifiedFootnote(3, 1, 'done', 2)).toMatch(/2 processes could not be read/);
    expect(unverifiedFootnote(2, 0, 'dump', 0)).toMatch(/no fds\.json/);
    expect(forgedFootnote(1)).toMatch(/^procnet: 1 unix row is probably forged/);
    expect(forgedFootnote(2)).toMatch(/^procnet: 2 unix rows are probably forged/);
    expect(ownerlessFootnote(1, 3)).toBe(
      'procnet: 1 unix row could be text planted through a socket name, and no readable process holds it (3 processes could not be read); -v marks it [?]',
    );
  });
});

describe('renderTable', () => {
  it("prints netstat's sections, titles and columns", async () => {
    const { lines, footnotes } = await listing(['-tuanxpv']);
    expect(lines[0]).toBe('Active Internet connections (servers and established)');
    const unixTitle = lines.indexOf('Active UNIX domain sockets (servers and established)');
    expect(unixTitle).toBeGreaterThan(2);
    expect(lines[unixTitle + 1]).toMatch(
      /^Proto RefCnt Flags {7}Type {7}State {9}I-Node {3}PID\/Program name {5}Path$/,
    );
    // The footnote is not a line of the table (it goes to stderr).
    expect(lines.at(-1)).toMatch(/^unix /);
    expect(footnotes).toEqual([expect.stringMatching(/^\[\?\] 9 rows could be text inside the name of the socket/)]);
    expect((await listing(['-tuanxp'])).footnotes).toEqual([]);
  });

  it('marks planted rows only with -v, and escapes names', async () => {
    const { lines } = await listing(['-xav']);
    expect(lines.find((l) => l.includes('31337'))).toMatch(/\/run\/procnet-forged\.sock {2}\[\?\]$/);
    const quiet = await listing(['-xa']);
    expect(quiet.lines.find((l) => l.includes('31337'))).toMatch(/\/run\/procnet-forged\.sock$/);
    expect(quiet.lines.join('\n')).not.toContain('[?]');
    expect(lines.some((l) => l.includes('@pnc@nul\\tTAB\\nNEWLINE'))).toBe(true);
    expect(lines.join('\n')).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f]/);
  });

  it('adds the namespace column with --all-namespaces and colours only what procnet writes', async () => {
    const o = parseArgs(['-t', '--all-namespaces']);
    const sel = selectTables(o);
    const r = await readSockets({ root: CAPTURE, kinds: sel.kinds });
    for (const s of r.sockets) s.namespace = '4026531840';
    const l: Listing = {
      sockets: r.sockets.filter((s) => s.kind !== 'unix' && s.remote.port !== 0),
      notes: [],
      errors: [],
      processes: null,
      live: true,
      netDir: '',
      namespaces: null,
      unixCheck: null,
      byteOrder: 'little',
      byteOrderSource: 'host',
    };
    const lines = [...renderTable(l, sel, o, { services: undefined, users: undefined }, COLOUR)];
    expect(lines[0]).toBe('<b>Active Internet connections (w/o servers)</b>');
    expect(lines[1]).toMatch(/^<b>Net-NS {5}Proto Recv-Q/);
    expect(lines[2]).toMatch(/^4026531840 tcp /);
    // The state word is coloured in place: the columns after it stay where they were.
    const plain = [...renderTable(l, sel, o, { services: undefined, users: undefined }, NO_PAINT)];
    for (const [i, line] of lines.entries()) {
      if (i < 2) continue;
      expect(line.replace(/<\/?[A-Z_0-9]+>/g, '')).toBe(plain[i]);
      expect(line).toMatch(
        /<(ESTABLISHED|SYN_SENT|SYN_RECV|FIN_WAIT1|FIN_WAIT2|TIME_WAIT|CLOSE_WAIT|LAST_ACK|CLOSING)>/,
      );
    }
    expect(lines.some((line) => line.includes('<CLOSE_WAIT>CLOSE_WAIT</CLOSE_WAIT>'))).toBe(true);
  });
});

describe('renderSummary', () => {
  it('counts the capture by protocol and state', async () => {
    const [summary] = await readSummaries(parseArgs(['--root', CAPTURE]), selectTables(parseArgs([])).kinds);
    const lines = renderSummary(summary as NonNullable<typeof summary>);
    expect(lines.slice(0, 8)).toEqual([
      'Proto      Total   IPv4   IPv6  States',
      'tcp           71     37     34  LISTEN 17, ESTABLISHED 30, SYN_SENT 2, SYN_RECV 2, FIN_WAIT1 2, FIN_WAIT2 8, TIME_WAIT 2, CLOSE_WAIT 4, LAST_ACK 2, CLOSING 2',
      'udp           12      6      6  connected 4, unconnected 8',
      'udplite        4      2      2  connected 2, unconnected 2',
      'raw            6      4      2  connected 2, unconnected 4',
      'icmp           2      1      1  unconnected 2',
      'unix          28                LISTENING 5, CONNECTED 17, unconnected 5, CONNECTING 1 (stream 14, seqpacket 5, dgram 9)',
      'total        123     50     45',
    ]);
    expect(lines).toContain('udp: 396 datagrams dropped');
  });
});
