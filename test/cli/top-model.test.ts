/**
 * `procnet top`'s pure parts: the screen from rows (the fixture capture's sockets and owners, and made-up rows), the
 * tracking of queues that stay non-zero, the durations and counts, and the keys decoded from terminal bytes.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { NO_PAINT, type Paint } from '../../src/cli/paint.js';
import {
  QueueTracker,
  shortCount,
  shortDuration,
  type TopRow,
  type TopSnapshot,
  type TopView,
  topScreen,
} from '../../src/cli/top-model.js';
import { decodeKeys } from '../../src/cli/top-terminal.js';
import { parseSocketFilter } from '../../src/index.js';
import { readSockets } from '../../src/node/index.js';
import { ROOT } from '../support/paths.js';

const CAPTURE = join(ROOT, 'fixtures/capture-2026-11-linux-6.18.44-fc-v782-x86_64');
const COLOUR: Paint = {
  enabled: true,
  bold: (t) => `\x1b[1m${t}\x1b[0m`,
  red: (t) => `\x1b[31m${t}\x1b[0m`,
  yellow: (t) => `\x1b[33m${t}\x1b[0m`,
  dim: (t) => `\x1b[2m${t}\x1b[0m`,
  state: (t, key = t) => (key === 'CLOSE_WAIT' ? `\x1b[31m${t}\x1b[0m` : `\x1b[32m${t}\x1b[0m`),
};
const visible = (line: string) => line.replace(/\x1b\[[0-9;]*m/g, '');

let rows: TopRow[];

beforeAll(async () => {
  const r = await readSockets({ root: CAPTURE, kinds: ['tcp', 'tcp6', 'udp', 'udp6'], processes: true });
  rows = r.sockets as unknown as TopRow[];
});

function snapshot(time: number, these: readonly TopRow[] = rows): TopSnapshot {
  return { time, rows: these, somaxconn: 4096, somaxconnHint: null, processes: null, source: 'the dump' };
}

function view(over: Partial<TopView> = {}): TopView {
  return {
    sort: 'queue',
    group: 'listener',
    filter: null,
    interval: 2,
    width: 80,
    height: 40,
    scroll: 0,
    status: 'q quit',
    root: true,
    ...over,
  };
}

/** A tracker that has seen the rows at two refreshes, 12 seconds apart. */
function tracked(): QueueTracker {
  const t = new QueueTracker();
  t.update(rows, 1_000_000);
  t.update(rows, 1_012_000);
  return t;
}

describe('QueueTracker', () => {
  const row = (rxQueue: number, txQueue = 0) =>
    ({
      kind: 'tcp',
      local: { address: '127.0.0.1', port: 8080 },
      remote: { address: '127.0.0.1', port: 5000 },
      inode: '77',
      rxQueue,
      txQueue,
    }) as unknown as TopRow;

  it('says how long a queue has stayed non-zero, from the first refresh that saw it', () => {
    const t = new QueueTracker();
    t.update([row(5)], 1000);
    expect(t.stuckFor(row(5), 1000)).toBeNull(); // one refresh says nothing about staying
    t.update([row(9)], 3000);
    expect(t.stuckFor(row(9), 3000)).toBe(2000);
    t.update([row(0, 4)], 5000);
    expect(t.stuckFor(row(0, 4), 5000)).toBe(4000);
    // Empty once: it starts again.
    t.update([row(0)], 7000);
    expect(t.stuckFor(row(0), 7000)).toBeNull();
    t.update([row(1)], 9000);
    t.update([row(1)], 11000);
    expect(t.stuckFor(row(1), 11000)).toBe(2000);
    // Gone: forgotten.
    t.update([], 13000);
    t.update([row(1)], 15000);
    expect(t.stuckFor(row(1), 15000)).toBeNull();
  });

  it('tells sockets apart by their ends and inode', () => {
    const t = new QueueTracker();
    const other = { ...row(3), inode: '78' } as TopRow;
    t.update([row(3)], 0);
    t.update([row(3), other], 1000);
    expect(t.stuckFor(row(3), 1000)).toBe(1000);
    expect(t.stuckFor(other, 1000)).toBeNull();
  });
});

describe('short texts', () => {
  it('fits durations and counts in their columns', () => {
    expect(
      [0, 12_999, 60_000, 184_000, 3_600_000 * 2 + 300_000, 86_400_000 * 3 + 7_200_000].map(shortDuration),
    ).toEqual(['0s', '12s', '1m00', '3m04', '2h05', '3d02']);
    expect(shortDuration(86_400_000 * 150).length).toBeLessThanOrEqual(5);
    expect([0, 999_999, 1_000_000, 12_345_678, 999_999_999, 5e9].map(shortCount)).toEqual([
      '0',
      '999999',
      '1.0M',
      '12M',
      '999M',
      '5.0G',
    ]);
  });
});

describe('topScreen', () => {
  it('fills the screen, every line within the width, at 80 columns and others', () => {
    for (const [width, height] of [
      [80, 24],
      [60, 12],
      [132, 50],
      [40, 8],
    ] as const) {
      for (const group of ['listener', 'process', 'flat'] as const) {
        for (const paint of [NO_PAINT, COLOUR]) {
          const screen = topScreen(snapshot(1_012_000), tracked(), view({ width, height, group }), paint);
          expect(screen.lines.length).toBe(height);
          for (const line of screen.lines)
            expect(visible(line).length, `${width} ${group}: ${line}`).toBeLessThanOrEqual(width);
        }
      }
    }
  });

  it('groups under listeners: the accept queue against somaxconn, the listener first, the rest last', () => {
    const { lines } = topScreen(snapshot(1_012_000), tracked(), view({ height: 200, width: 120 }), NO_PAINT);
    expect(lines[0]).toMatch(/^procnet top {2}\d\d:\d\d:\d\d {2}every 2s {2}the dump {2}\d+ sockets$/);
    expect(lines[1]).toMatch(/^states: LISTEN \d+, ESTAB \d+, .*CLOSE-WAIT 4/);
    expect(lines[3]).toBe("accept queue cap: somaxconn 4096 (a listener's own backlog is not in /proc)");
    expect(lines[4]).toBe('sort queue  group listener  filter -');
    expect(lines[5]).toMatch(/^Proto Local +Peer +State +Recv-Q Send-Q Stuck Process$/);
    // The listener of port 40003 took the CLOSE_WAIT connections of the capture.
    const title = lines.findIndex((l) =>
      /^-- tcp 127\.0\.0\.1:40003 accept queue \d+\/4096, \d+ connections: /.test(l),
    );
    expect(title).toBeGreaterThan(5);
    expect(lines[title]).toContain('CLOSE-WAIT 2');
    expect(lines[title + 1]).toMatch(/^tcp +127\.0\.0\.1:40003 +0\.0\.0\.0:\* +LISTEN /);
    expect(lines.findIndex((l) => l.startsWith('-- not under a listener:'))).toBeGreaterThan(title);
    // The queues stayed non-zero for the two refreshes: 12 seconds.
    const closeWait = lines.find((l) => /^tcp +127\.0\.0\.1:40003 +127\.0\.0\.1:40016 +CLOSE-WAIT/.test(l));
    expect(closeWait).toMatch(/ 1 +0 +12s 923\/python3/);
  });

  it('groups under processes with their CLOSE_WAIT piles, and lists the sockets no process holds last', () => {
    const { lines } = topScreen(snapshot(1_012_000), tracked(), view({ group: 'process', height: 200 }), NO_PAINT);
    expect(lines[2]).toMatch(/^CLOSE-WAIT by process: 923\/python3 \d+$/);
    expect(lines).toContainEqual(expect.stringMatching(/^-- 923\/python3: \d+ sockets, CLOSE-WAIT \d+, queued \d+: /));
    const last = lines.filter((l) => l.startsWith('-- ')).at(-1);
    expect(last).toMatch(/^-- owners not looked up: \d+ sockets$/);
    const incomplete = topScreen(
      { ...snapshot(1_012_000), processes: { source: 'live', scanned: 9, denied: 2, vanished: 0, hidepid: null } },
      tracked(),
      view({ group: 'process', height: 200, root: false }),
      NO_PAINT,
    );
    expect(incomplete.lines).toContainEqual(
      expect.stringMatching(/^-- no readable process \(2 processes could not be read: run as root\): \d+ sockets$/),
    );
  });

  it('sorts, filters and scrolls', () => {
    const flat = (o: Partial<TopView>) =>
      topScreen(snapshot(1_012_000), tracked(), view({ group: 'flat', height: 200, ...o }), NO_PAINT).lines.filter(
        (l) => /^(tcp|udp)/.test(l),
      );
    const byQueue = flat({});
    const queue = (l: string) => {
      const f = l.split(/\s+/);
      return Number(f[4]) + Number(f[5]);
    };
    expect(byQueue.map(queue)).toEqual([...byQueue.map(queue)].sort((a, b) => b - a));
    expect(flat({ sort: 'state' })[0]).toMatch(/ LISTEN /);
    const filtered = flat({ filter: parseSocketFilter('state close-wait') });
    expect(filtered.length).toBe(4);
    expect(filtered.every((l) => l.includes('CLOSE-WAIT'))).toBe(true);
    const all = topScreen(snapshot(1_012_000), tracked(), view({ group: 'flat', height: 12 }), NO_PAINT);
    expect(all.maxScroll).toBeGreaterThan(10);
    const scrolled = topScreen(
      snapshot(1_012_000),
      tracked(),
      view({ group: 'flat', height: 12, scroll: 9999 }),
      NO_PAINT,
    );
    expect(scrolled.scroll).toBe(all.maxScroll);
    expect(scrolled.lines.at(-1)).toBe('q quit');
    expect(all.lines.at(-1)).toMatch(/^q quit {2}\(\d+ more lines\)$/);
  });

  it('colours states and stuck queues only with colour, and never lets a name through raw', () => {
    const hostile = rows.map((s) =>
      s.owners === null || s.owners.length === 0
        ? s
        : ({ ...s, owners: s.owners.map((o) => ({ ...o, comm: 'x\x1b[2J\u202e\u00e9' })) } as TopRow),
    );
    const t = new QueueTracker();
    t.update(hostile, 0);
    t.update(hostile, 5000);
    const plain = topScreen(snapshot(5000, hostile), t, view({ group: 'process', height: 200 }), NO_PAINT).lines.join(
      '\n',
    );
    expect(plain).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
    expect(plain).not.toMatch(/[^\x00-\x7f]/);
    expect(plain).toContain('-- 923/x\\x1b[2J\\u{202e}?: ');
    const coloured = topScreen(snapshot(5000, hostile), t, view({ group: 'process', height: 200 }), COLOUR).lines;
    expect(coloured.some((l) => l.includes('\x1b[31mCLOSE-WAIT\x1b[0m'))).toBe(true);
    expect(coloured.join('\n').replace(/\x1b\[[0-9;]*m/g, '')).toBe(plain);
  });
});

describe('decodeKeys', () => {
  it('decodes letters, Enter, Backspace, Ctrl-C, arrows and pages, and skips what it does not know', () => {
    expect(decodeKeys('q')).toEqual([{ name: 'char', char: 'q' }]);
    expect(decodeKeys('\x1b[A\x1b[B\x1bOA\x1b[5~\x1b[6~\x1b[H\x1b[F')).toEqual(
      ['up', 'down', 'up', 'page-up', 'page-down', 'home', 'end'].map((name) => ({ name })),
    );
    expect(decodeKeys('\r\x7f\x03\x04\t')).toEqual(
      ['enter', 'backspace', 'ctrl-c', 'ctrl-d', 'tab'].map((name) => ({ name })),
    );
    expect(decodeKeys('\x1b')).toEqual([{ name: 'escape' }]);
    // Ctrl-Right (ESC [1;5C) is not a key of top: skipped whole, not read as Escape and letters.
    expect(decodeKeys('\x1b[1;5Cs')).toEqual([{ name: 'char', char: 's' }]);
    expect(decodeKeys('sport = :22')).toHaveLength(11);
    expect(decodeKeys('\x01\x9b')).toEqual([]);
  });
});
