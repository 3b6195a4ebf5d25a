/**
 * `procnet top`: a live full-screen view of the sockets (TCP and UDP unless told otherwise), refreshed every
 * `-d SECONDS`, grouped under their listener or their process, sorted by queue, with how long each queue has stayed
 * non-zero, the CLOSE_WAIT piles per process and each accept queue against `net.core.somaxconn`. Keys sort, filter
 * (ss's language), group, scroll and quit; the terminal is given back on every way out.
 * @module
 */
import { parseSocketFilter } from '../index.js';
import { readCounters, readSockets } from '../node/index.js';
import type { CliIo } from './io.js';
import { isProcfs } from './list.js';
import { type CliOptions, filterFamily } from './options.js';
import { paintFor } from './paint.js';
import { selectTables } from './selection.js';
import { SORT_KEYS, type SortKey } from './sort.js';
import {
  cellText,
  QueueTracker,
  type TopGroup,
  type TopRow,
  type TopSnapshot,
  type TopView,
  topScreen,
} from './top-model.js';
import { type Key, type StopReason, TopTerminal } from './top-terminal.js';

/** The refresh interval without `-d`, in seconds. */
export const DEFAULT_TOP_INTERVAL = 2;

/** The status line's list of keys. */
export const TOP_KEYS = 'q quit  s sort  / filter  l p n group  arrows scroll  r refresh';

const GROUPS: readonly TopGroup[] = ['listener', 'process', 'flat'];

/** Where the rows come from, for the title line. */
function sourceText(o: CliOptions): string {
  if (o.root !== null) return `${isProcfs(o.root) ? 'procfs' : 'dump'} ${o.root}`;
  return o.pid === null ? 'this namespace' : `pid ${o.pid}'s namespace`;
}

/** Reads one refresh: the inet tables with their owners, and the cap of the listen backlogs. */
async function readSnapshot(o: CliOptions, kinds: TopSnapshot['rows'][number]['kind'][]): Promise<TopSnapshot> {
  const time = Date.now();
  const where = { ...(o.root === null ? {} : { root: o.root }), ...(o.pid === null ? {} : { pid: o.pid }) };
  const [r, c] = await Promise.all([
    readSockets({
      ...where,
      kinds,
      processes: true,
      onInvalidRow: 'skip',
      ...(o.byteOrder === null ? {} : { byteOrder: o.byteOrder }),
      ...(o.userHz === null ? {} : { userHz: o.userHz }),
    }),
    readCounters({ ...where, files: [], settings: true }),
  ]);
  return {
    time,
    rows: r.sockets as unknown as TopRow[],
    somaxconn: c.settings.somaxconn ?? null,
    // Another namespace's sysctls are only visible from inside it.
    somaxconnHint: o.pid === null || o.root !== null ? null : `run it as nsenter -n -t ${o.pid} procnet top`,
    processes: r.processes,
    source: sourceText(o),
  };
}

/**
 * Runs top until `q`, Ctrl-C or a signal (or `signal`); returns the exit code: 0 after a key, 128 + the signal's
 * number after a signal, 1 when the first read fails or there is no terminal.
 */
export async function runTop(io: CliIo, o: CliOptions, signal?: AbortSignal): Promise<number> {
  const input = io.stdin;
  const output = io.stdout as NodeJS.WriteStream;
  if (input === undefined || !io.isTTY || (input as NodeJS.ReadStream).isTTY !== true) {
    io.stderr.write(
      'procnet: procnet top needs a terminal on stdin and stdout; for a listing, use procnet -tanp --sort queue\n',
    );
    return 1;
  }
  if (o.unix) {
    io.stderr.write('procnet: procnet top shows inet sockets (unix sockets have no queues in /proc/net/unix)\n');
    return 2;
  }
  // TCP and UDP unless protocols are named; every row (listeners and connections); no unix.
  const anyProto = o.tcp || o.udp || o.udplite || o.raw || o.icmp;
  const sel = selectTables({ ...o, tcp: o.tcp || !anyProto, udp: o.udp || !anyProto, all: true });
  const kinds = sel.kinds.filter((k) => k !== 'unix') as TopSnapshot['rows'][number]['kind'][];
  // The first read happens before the screen is taken: a wrong --pid or --root is an ordinary error message.
  let snap = await readSnapshot(o, kinds);
  const tracker = new QueueTracker();
  tracker.update(snap.rows, snap.time);
  const paint = paintFor(io, o.color);
  const terminal = new TopTerminal({ input: input as NodeJS.ReadStream, output });
  const interval = o.interval ?? DEFAULT_TOP_INTERVAL;
  const view: TopView = {
    sort: o.sort ?? 'queue',
    group: 'listener',
    filter: o.filter,
    interval,
    ...terminal.size,
    scroll: 0,
    status: TOP_KEYS,
    root: process.geteuid?.() === 0,
  };
  /** The filter being typed after `/`, or `null`. */
  let typing: string | null = null;
  /** The largest scroll offset of the last screen drawn. */
  let last = 0;
  let stopped: StopReason | null = null;
  let wake: (() => void) | null = null;
  const refreshNow = () => wake?.();

  const draw = () => {
    Object.assign(view, terminal.size);
    const status = typing === null ? view.status : `filter: ${cellText(typing)}_  (Enter applies, Esc cancels)`;
    const screen = topScreen(snap, tracker, { ...view, status }, paint);
    view.scroll = screen.scroll;
    last = screen.maxScroll;
    terminal.draw(screen.lines);
  };
  const setFilter = (text: string) => {
    if (text.trim() === '') {
      view.filter = null;
      view.status = TOP_KEYS;
      return;
    }
    try {
      view.filter = parseSocketFilter(text, { family: filterFamily(o) });
      view.status = TOP_KEYS;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      view.status = `bad filter (the last one is kept): ${cellText(message)}`;
    }
  };
  const stop = (reason: StopReason) => {
    stopped = reason;
    refreshNow();
  };
  const onKey = (key: Key) => {
    if (typing !== null) {
      if (key.name === 'enter') {
        const text = typing;
        typing = null;
        view.status = TOP_KEYS;
        setFilter(text);
        view.scroll = 0;
      } else if (key.name === 'escape' || key.name === 'ctrl-c') {
        typing = null;
        view.status = TOP_KEYS;
      } else if (key.name === 'backspace') typing = typing.slice(0, -1);
      else if (key.name === 'char' && typing.length < 500) typing += key.char;
      draw();
      return;
    }
    const page = Math.max(1, view.height - 7);
    switch (key.name) {
      case 'ctrl-c':
      case 'ctrl-d':
        return stop('quit');
      case 'up':
        view.scroll = Math.max(0, view.scroll - 1);
        break;
      case 'down':
        view.scroll = Math.min(last, view.scroll + 1);
        break;
      case 'page-up':
        view.scroll = Math.max(0, view.scroll - page);
        break;
      case 'page-down':
        view.scroll = Math.min(last, view.scroll + page);
        break;
      case 'home':
        view.scroll = 0;
        break;
      case 'end':
        view.scroll = last;
        break;
      case 'char':
        if (!charKey(key.char)) return;
        break;
      default:
        return;
    }
    draw();
  };
  /** The letter keys; `false` for a key that does nothing. */
  const charKey = (c: string): boolean => {
    switch (c) {
      case 'q':
      case 'Q':
        stop('quit');
        return false;
      case 's':
      case 'S': {
        const i = SORT_KEYS.indexOf(view.sort);
        const step = c === 's' ? 1 : SORT_KEYS.length - 1;
        view.sort = SORT_KEYS[(i + step) % SORT_KEYS.length] as SortKey;
        return true;
      }
      case '/':
        typing = view.filter?.text ?? '';
        return true;
      case 'g':
        view.group = GROUPS[(GROUPS.indexOf(view.group) + 1) % GROUPS.length] as TopGroup;
        view.scroll = 0;
        return true;
      case 'l':
      case 'p':
      case 'n':
        view.group = c === 'l' ? 'listener' : c === 'p' ? 'process' : 'flat';
        view.scroll = 0;
        return true;
      case 'j':
        onKey({ name: 'down' });
        return false;
      case 'k':
        onKey({ name: 'up' });
        return false;
      case 'r':
      case ' ':
        refreshNow();
        return false;
      default:
        return false;
    }
  };

  terminal.start({ onKey, onResize: draw, onStop: stop });
  const onAbort = () => stop('quit');
  signal?.addEventListener('abort', onAbort);
  try {
    draw();
    while (stopped === null) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, interval * 1000);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
      if (stopped !== null) break;
      try {
        snap = await readSnapshot(o, kinds);
        tracker.update(snap.rows, snap.time);
        if (view.status.startsWith('read failed')) view.status = TOP_KEYS;
      } catch (e) {
        // The namespace's last process exited, a dump went away: say so and keep the last screen.
        view.status = `read failed: ${cellText(e instanceof Error ? e.message : String(e))}`;
      }
      if (stopped === null) draw();
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    terminal.restore();
  }
  const reason = stopped as StopReason | null;
  return reason === null || reason === 'quit' ? 0 : 128 + (reason === 'SIGHUP' ? 1 : reason === 'SIGINT' ? 2 : 15);
}
