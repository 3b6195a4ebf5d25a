/**
 * The option parser of the procnet command, hand-written (no runtime dependency): netstat's short options,
 * combinable (`-tunap`), GNU-style long options (`--root DIR`, `--root=DIR`), options anywhere on the line (as
 * getopt permutes them), the words that are not options as ss's filter, and the subcommands. Combinations that
 * cannot work are refused with a one-line reason.
 * @module
 */
import { parseSocketFilter, type SocketFilter, type SocketFilterFamily, type SocketFilterOptions } from '../index.js';
import { SORT_KEYS, type SortKey } from './sort.js';

/** Output format. */
export type OutputFormat = 'table' | 'json' | 'ndjson';

/** `--color`: `auto` (a terminal without `NO_COLOR` or `TERM=dumb`), `always`, `never`. */
export type ColorMode = 'auto' | 'always' | 'never';

/** Everything the command line can say. Every field is always present. */
export interface CliOptions {
  /** `list` (the netstat view, the default), `top`, `snapshot DIR`, `doctor …`, `exporter …`, `--help`, `--version`. */
  command: 'list' | 'top' | 'snapshot' | 'doctor' | 'exporter' | 'help' | 'version';
  /** [-t] TCP. */
  tcp: boolean;
  /** [-u] UDP and UDP-Lite. */
  udp: boolean;
  /** [-U] UDP-Lite only (netstat's `--udplite`). */
  udplite: boolean;
  /** [-w] raw sockets. */
  raw: boolean;
  /** [--icmp] ICMP ping sockets (unprivileged `ping`); netstat cannot show them. */
  icmp: boolean;
  /** [-x] unix sockets. */
  unix: boolean;
  /** [-4] IPv4 tables. */
  ipv4: boolean;
  /** [-6] IPv6 tables. */
  ipv6: boolean;
  /** [-l] listening sockets only. */
  listening: boolean;
  /** [-a] listening and connected sockets. */
  all: boolean;
  /** [-n] numeric ports and users (hosts are always numeric). */
  numericPorts: boolean;
  numericUsers: boolean;
  /** [-p] PID/Program name. */
  programs: boolean;
  /** [--cmdline] the owners' command lines instead of their names (implies -p). */
  cmdline: boolean;
  /** [-e] User and Inode. */
  extend: boolean;
  /** [-o] Timer. */
  timers: boolean;
  /** [-s] netstat's protocol statistics, from the counters (`snmp`, `netstat`, `snmp6`). */
  statistics: boolean;
  /** [--summary] counts of sockets by protocol and state (like ss -s). */
  summary: boolean;
  /** [--sort KEY] the order of the rows; `null` for the kernel's order. */
  sort: SortKey | null;
  /** [--color[=WHEN]] */
  color: ColorMode;
  /** [-v] print the read's notes (byte order of a dump, missing tables, …) and doubtful unix rows. */
  verbose: boolean;
  /** [-c [SECONDS]] repeat every SECONDS seconds; `null` for one listing. */
  continuous: number | null;
  /** [-d SECONDS, --interval SECONDS] `procnet top`'s refresh interval; `null` for its default. */
  interval: number | null;
  format: OutputFormat;
  /** [--root DIR] a saved dump or another procfs mount. */
  root: string | null;
  /** [--pid PID] the network namespace of that process. */
  pid: number | null;
  /** [--all-namespaces] every network namespace that has a process. */
  allNamespaces: boolean;
  /** [--byte-order big|little] the byte order of the machine a dump comes from; `null`: its env.json, else a guess. */
  byteOrder: 'big' | 'little' | null;
  /** [--user-hz N] USER_HZ of the machine a dump comes from; `null`: its env.json, else 100. */
  userHz: number | null;
  /** The words that are not options (ss's filter), joined with blanks, or `null` when there are none. */
  filterText: string | null;
  /** The parsed filter, `null` without one. */
  filter: SocketFilter | null;
  /** Arguments of a subcommand: the snapshot folder, or everything after `doctor` or `exporter`. */
  args: string[];
}

/** A command line that cannot be run: the message says what is wrong (exit code 2). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function defaultOptions(): CliOptions {
  return {
    command: 'list',
    tcp: false,
    udp: false,
    udplite: false,
    raw: false,
    icmp: false,
    unix: false,
    ipv4: false,
    ipv6: false,
    listening: false,
    all: false,
    numericPorts: false,
    numericUsers: false,
    programs: false,
    cmdline: false,
    extend: false,
    timers: false,
    statistics: false,
    summary: false,
    sort: null,
    color: 'auto',
    verbose: false,
    continuous: null,
    interval: null,
    format: 'table',
    root: null,
    pid: null,
    allNamespaces: false,
    byteOrder: null,
    userHz: null,
    filterText: null,
    filter: null,
    args: [],
  };
}

type Flag = (o: CliOptions) => void;

/** Short options without a value. `-c`, `-d` and `-h`/`-V` are handled apart. */
const SHORT: Record<string, Flag> = {
  t: (o) => {
    o.tcp = true;
  },
  u: (o) => {
    o.udp = true;
  },
  U: (o) => {
    o.udplite = true;
  },
  w: (o) => {
    o.raw = true;
  },
  x: (o) => {
    o.unix = true;
  },
  '4': (o) => {
    o.ipv4 = true;
  },
  '6': (o) => {
    o.ipv6 = true;
  },
  l: (o) => {
    o.listening = true;
  },
  a: (o) => {
    o.all = true;
  },
  n: (o) => {
    o.numericPorts = true;
    o.numericUsers = true;
  },
  p: (o) => {
    o.programs = true;
  },
  e: (o) => {
    o.extend = true;
  },
  o: (o) => {
    o.timers = true;
  },
  s: (o) => {
    o.statistics = true;
  },
  v: (o) => {
    o.verbose = true;
  },
  // procnet never truncates: -W (netstat's --wide) is accepted and changes nothing.
  W: () => {},
  h: (o) => {
    o.command = 'help';
  },
  V: (o) => {
    o.command = 'version';
  },
};

/** Long options without a value, by name. */
const LONG: Record<string, Flag> = {
  tcp: SHORT.t as Flag,
  udp: SHORT.u as Flag,
  udplite: SHORT.U as Flag,
  raw: SHORT.w as Flag,
  unix: SHORT.x as Flag,
  icmp: (o) => {
    o.icmp = true;
  },
  inet: SHORT['4'] as Flag,
  inet6: SHORT['6'] as Flag,
  listening: SHORT.l as Flag,
  all: SHORT.a as Flag,
  numeric: SHORT.n as Flag,
  'numeric-ports': (o) => {
    o.numericPorts = true;
  },
  'numeric-users': (o) => {
    o.numericUsers = true;
  },
  // Hosts are never resolved (no DNS, ever): accepted for netstat compatibility.
  'numeric-hosts': () => {},
  programs: SHORT.p as Flag,
  cmdline: (o) => {
    o.cmdline = true;
  },
  extend: SHORT.e as Flag,
  timers: SHORT.o as Flag,
  statistics: SHORT.s as Flag,
  summary: (o) => {
    o.summary = true;
  },
  verbose: SHORT.v as Flag,
  wide: SHORT.W as Flag,
  help: SHORT.h as Flag,
  version: SHORT.V as Flag,
  'all-namespaces': (o) => {
    o.allNamespaces = true;
  },
};

/** Long options that take a value (`--root DIR` or `--root=DIR`). */
const LONG_VALUE = new Set(['root', 'pid', 'sort', 'byte-order', 'user-hz', 'interval']);

const SECONDS = /^(?:\d+(?:\.\d*)?|\.\d+)$/;
/** A word that is meant as a number even if it is not one (`-1`, `-0.5`): a value to refuse, not an option. */
const NUMBERISH = /^[-+]?(?:\d|\.\d)/;
/** The shortest interval of `-c` and `top`: a tenth of a second (each listing reads every table again). */
export const MIN_INTERVAL = 0.1;
const MAX_INTERVAL = 86_400;

function seconds(text: string, option: string): number {
  const v = Number(text);
  if (!SECONDS.test(text) || !(v >= MIN_INTERVAL) || v > MAX_INTERVAL) {
    throw new UsageError(`${option} takes a number of seconds from ${MIN_INTERVAL} to ${MAX_INTERVAL}, not '${text}'`);
  }
  return v;
}

/**
 * The seconds of `-c` or `-d` when they are not in the same word: the next argument when it looks like a number
 * (a negative or malformed one is refused, not read as an option), else `undefined`.
 */
function secondsAfter(next: string | undefined, option: string): number | undefined {
  if (next === undefined || !NUMBERISH.test(next)) return undefined;
  return seconds(next, option);
}

function setValue(o: CliOptions, name: string, value: string): void {
  switch (name) {
    case 'root':
      if (value === '') throw new UsageError('--root needs a folder');
      o.root = value;
      return;
    case 'pid':
      if (!/^[1-9]\d{0,9}$/.test(value) || !Number.isSafeInteger(Number(value))) {
        throw new UsageError(`--pid takes a process id (a positive integer), not '${value}'`);
      }
      o.pid = Number(value);
      return;
    case 'sort':
      if (!(SORT_KEYS as readonly string[]).includes(value)) {
        throw new UsageError(`--sort takes one of ${SORT_KEYS.join(', ')}, not '${value}'`);
      }
      o.sort = value as SortKey;
      return;
    case 'byte-order':
      if (value !== 'big' && value !== 'little')
        throw new UsageError(`--byte-order takes big or little, not '${value}'`);
      o.byteOrder = value;
      return;
    case 'user-hz':
      if (!/^[1-9]\d{0,6}$/.test(value)) {
        throw new UsageError(
          `--user-hz takes the ticks per second of the dump's machine (such as 100), not '${value}'`,
        );
      }
      o.userHz = Number(value);
      return;
    case 'interval':
      o.interval = seconds(value, '--interval');
      return;
  }
}

function setColor(o: CliOptions, value: string | undefined): void {
  if (value === undefined || value === 'always' || value === 'yes' || value === 'force') o.color = 'always';
  else if (value === 'never' || value === 'no' || value === 'none') o.color = 'never';
  else if (value === 'auto' || value === 'tty' || value === 'if-tty') o.color = 'auto';
  else throw new UsageError(`--color takes auto, always or never, not '${value}'`);
}

function setFormat(o: CliOptions, format: OutputFormat, given: Set<OutputFormat>): void {
  given.add(format);
  o.format = format;
}

/** A command line's table families as ss's `-f`: `-x` alone is unix, `-4` or `-6` alone that family. */
export function filterFamily(o: CliOptions): SocketFilterFamily | undefined {
  const inetProto = o.tcp || o.udp || o.udplite || o.raw || o.icmp;
  if (o.unix && !inetProto && !o.ipv4 && !o.ipv6) return 'unix';
  if (o.unix) return undefined;
  if (o.ipv4 && !o.ipv6) return 'IPv4';
  if (o.ipv6 && !o.ipv4) return 'IPv6';
  return undefined;
}

/**
 * The filter text of the words: ss's words joined with blanks, and procnet's one addition: a lone port number
 * (`procnet -tlnp 8765`) means `( sport = :8765 or dport = :8765 )`.
 */
export function filterTextOf(words: readonly string[]): string {
  if (words.length === 1 && /^\d+$/.test(words[0] as string)) {
    const port = Number(words[0]);
    if (port > 65535) throw new UsageError(`a lone number is a port, and ${words[0]} is not one (0 to 65535)`);
    return `( sport = :${port} or dport = :${port} )`;
  }
  return words.join(' ');
}

/**
 * Parses the arguments after `procnet` (not including the node binary and script). Throws a {@link UsageError}
 * for anything it cannot accept, so the caller can print it with the usage hint, and a `SocketFilterError` for a
 * filter that does not parse (the caller prints its frame).
 *
 * `-c` takes an optional number of seconds: in the same word (`-c2`, `-tanc2`) or as the next argument when that is
 * a number (`-c 2`). Everything after `doctor` (or `exporter`) is left to that subcommand; `--` ends the options.
 */
export function parseArgs(argv: readonly string[]): CliOptions {
  const o = defaultOptions();
  const words: string[] = [];
  const formats = new Set<OutputFormat>();
  let onlyArgs = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (onlyArgs || arg === '-' || !arg.startsWith('-')) {
      const first = !onlyArgs && o.command === 'list' && words.length === 0;
      if (first && (arg === 'snapshot' || arg === 'doctor' || arg === 'exporter' || arg === 'top')) {
        o.command = arg;
        if (arg === 'doctor' || arg === 'exporter') {
          o.args = argv.slice(i + 1);
          return o;
        }
        continue;
      }
      words.push(arg);
      continue;
    }
    if (arg === '--') {
      onlyArgs = true;
      continue;
    }
    const next = argv[i + 1];
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      const inline = eq < 0 ? undefined : arg.slice(eq + 1);
      if (LONG_VALUE.has(name)) {
        const value = inline ?? next;
        if (value === undefined) throw new UsageError(`--${name} needs a value`);
        if (inline === undefined) i++;
        setValue(o, name, value);
      } else if (name === 'continuous') {
        if (inline !== undefined) o.continuous = seconds(inline, '--continuous');
        else {
          const v = secondsAfter(next, '--continuous');
          if (v !== undefined) i++;
          o.continuous = v ?? 1;
        }
      } else if (name === 'color' || name === 'colour') {
        setColor(o, inline);
      } else if (name === 'json' || name === 'ndjson') {
        if (inline !== undefined) throw new UsageError(`option '--${name}' takes no value`);
        setFormat(o, name, formats);
      } else {
        const flag = LONG[name];
        if (flag === undefined) throw new UsageError(`unknown option '--${name}'`);
        if (inline !== undefined) throw new UsageError(`option '--${name}' takes no value`);
        flag(o);
      }
      continue;
    }
    // A cluster of short options: -tunap, -c2, -tanc 2, -d 0.5.
    for (let j = 1; j < arg.length; j++) {
      const c = arg[j] as string;
      if (c === 'c' || c === 'd') {
        const option = `-${c}`;
        const rest = arg.slice(j + 1);
        let v: number | undefined;
        if (rest !== '') v = seconds(rest, option);
        else {
          v = secondsAfter(next, option);
          if (v !== undefined) i++;
        }
        if (c === 'c') o.continuous = v ?? 1;
        else if (v === undefined) throw new UsageError('-d needs a number of seconds (procnet top -d 2)');
        else o.interval = v;
        break;
      }
      const flag = SHORT[c];
      if (flag === undefined) throw new UsageError(`unknown option '-${c}'${arg.length > 2 ? ` (in '${arg}')` : ''}`);
      flag(o);
    }
  }
  if (formats.size > 1) throw new UsageError('--json and --ndjson cannot be used together: choose one output');
  if (o.cmdline) o.programs = true;
  return checkOptions(o, words);
}

/** The name of the first option of `checks` that is set, for a message, or `undefined`. */
function given(checks: ReadonlyArray<readonly [boolean, string]>): string | undefined {
  return checks.find(([on]) => on)?.[1];
}

/** Options that only make sense for a listing of sockets, set in `o`. */
function socketOptions(o: CliOptions): string | undefined {
  return given([
    [o.programs, o.cmdline ? '--cmdline' : '-p'],
    [o.extend, '-e'],
    [o.timers, '-o'],
    [o.listening, '-l'],
    [o.all, '-a'],
    [o.sort !== null, '--sort'],
  ]);
}

/** Combinations that cannot work, and the filter. */
function checkOptions(o: CliOptions, words: string[]): CliOptions {
  if (o.command === 'help' || o.command === 'version') return o;
  if (o.command === 'snapshot') {
    o.args = words;
    if (o.args.length !== 1) throw new UsageError('snapshot takes one folder: procnet snapshot DIR');
    if (o.root !== null) throw new UsageError('snapshot reads this machine; --root cannot be used with it');
    if (o.allNamespaces) throw new UsageError('snapshot saves one namespace; use --pid PID to choose it');
    return o;
  }
  if (o.allNamespaces && o.pid !== null) throw new UsageError('--all-namespaces and --pid cannot be used together');
  if ((o.byteOrder !== null || o.userHz !== null) && o.root === null) {
    const flag = o.byteOrder !== null ? '--byte-order' : '--user-hz';
    throw new UsageError(`${flag} describes a dump's machine: use it with --root DIR (live tables are this machine's)`);
  }
  if (o.interval !== null && o.command !== 'top') {
    throw new UsageError("-d/--interval is procnet top's refresh interval; a listing repeats with -c SECONDS");
  }
  if (o.sort === 'pid' || o.sort === 'program') {
    if (!o.programs && o.command !== 'top') throw new UsageError(`--sort ${o.sort} needs the owners: add -p`);
  }
  if (o.statistics && o.summary) {
    throw new UsageError('-s (the protocol statistics) and --summary (counts of sockets) cannot be used together');
  }
  if (o.command === 'top') checkTop(o);
  else if (o.statistics) checkStatistics(o, words);
  else if (o.summary) checkSummary(o, words);
  if (words.length > 0) {
    o.filterText = filterTextOf(words);
    const options: SocketFilterOptions = { family: filterFamily(o) };
    o.filter = parseSocketFilter(o.filterText, options);
  }
  return o;
}

function checkTop(o: CliOptions): void {
  const bad = given([
    [o.format !== 'table', `--${o.format}`],
    [o.statistics, '-s'],
    [o.summary, '--summary'],
    [o.continuous !== null, '-c'],
    [o.extend, '-e'],
    [o.timers, '-o'],
    [o.listening, '-l'],
    [o.all, '-a'],
    [o.cmdline, '--cmdline'],
  ]);
  if (bad !== undefined) {
    throw new UsageError(
      `procnet top cannot be used with ${bad}: it shows every socket of the tables, live, with its owners`,
    );
  }
  if (o.allNamespaces) throw new UsageError('procnet top shows one network namespace; use --pid PID to choose it');
}

function checkStatistics(o: CliOptions, words: string[]): void {
  const bad = socketOptions(o);
  if (bad !== undefined)
    throw new UsageError(`-s prints the kernel's protocol counters, not sockets: ${bad} does not apply`);
  if (words.length > 0)
    throw new UsageError(`-s prints the kernel's protocol counters: a filter ('${words[0]}') does not apply`);
  if (o.unix) throw new UsageError('-s has no statistics for unix sockets (netstat -s -x refuses too)');
  if (o.udplite || o.icmp) {
    throw new UsageError(`-s selects statistics with -t, -u and -w; ${o.udplite ? '-U' : '--icmp'} is not one of them`);
  }
  if (o.ipv4 && o.ipv6) throw new UsageError('-s shows one family at a time: -4 or -6 (netstat -s refuses both)');
  if (o.format === 'ndjson') throw new UsageError('-s writes one JSON document: use --json');
  if (o.allNamespaces) throw new UsageError('-s reads the counters of one namespace; use --pid PID to choose it');
}

function checkSummary(o: CliOptions, words: string[]): void {
  const bad = socketOptions(o);
  if (bad !== undefined) throw new UsageError(`--summary counts every socket of the tables: ${bad} does not apply`);
  if (words.length > 0)
    throw new UsageError(`--summary counts every socket of the tables: a filter ('${words[0]}') does not apply`);
}
