/**
 * The option parser of the procnet command, hand-written (no runtime dependency): netstat's short options,
 * combinable (`-tunap`), GNU-style long options (`--root DIR`, `--root=DIR`), and the subcommands.
 * @module
 */

/** Output format. */
export type OutputFormat = 'table' | 'json' | 'ndjson';

/** Everything the command line can say. Every field is always present. */
export interface CliOptions {
  /** `list` (the netstat view, the default), `snapshot DIR`, `doctor …`, `exporter …`, `--help`, `--version`. */
  command: 'list' | 'snapshot' | 'doctor' | 'exporter' | 'help' | 'version';
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
  /** [-e] User and Inode. */
  extend: boolean;
  /** [-o] Timer. */
  timers: boolean;
  /** [-s] counts by protocol and state. */
  summary: boolean;
  /** [-v] print the read's notes (byte order of a dump, missing tables, …) to stderr. */
  verbose: boolean;
  /** [-c [SECONDS]] repeat every SECONDS seconds; `null` for one listing. */
  continuous: number | null;
  format: OutputFormat;
  /** [--root DIR] a saved dump or another procfs mount. */
  root: string | null;
  /** [--pid PID] the network namespace of that process. */
  pid: number | null;
  /** [--all-namespaces] every network namespace that has a process. */
  allNamespaces: boolean;
  /** Arguments that are not options: the snapshot folder, or everything after `doctor` or `exporter`. */
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
    extend: false,
    timers: false,
    summary: false,
    verbose: false,
    continuous: null,
    format: 'table',
    root: null,
    pid: null,
    allNamespaces: false,
    args: [],
  };
}

type Flag = (o: CliOptions) => void;

/** Short options without a value. `-c` and `-h`/`-V` are handled apart. */
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
    o.summary = true;
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
  extend: SHORT.e as Flag,
  timers: SHORT.o as Flag,
  summary: SHORT.s as Flag,
  verbose: SHORT.v as Flag,
  wide: SHORT.W as Flag,
  help: SHORT.h as Flag,
  version: SHORT.V as Flag,
  json: (o) => {
    o.format = 'json';
  },
  ndjson: (o) => {
    o.format = 'ndjson';
  },
  'all-namespaces': (o) => {
    o.allNamespaces = true;
  },
};

/** Long options that take a value (`--root DIR` or `--root=DIR`). */
const LONG_VALUE = new Set(['root', 'pid']);

const SECONDS = /^(?:\d+(?:\.\d*)?|\.\d+)$/;

function seconds(text: string, option: string): number {
  const v = Number(text);
  if (!SECONDS.test(text) || !(v > 0) || v > 86_400) {
    throw new UsageError(`${option} takes a number of seconds between 0 and 86400, not '${text}'`);
  }
  return v;
}

function setValue(o: CliOptions, name: string, value: string): void {
  if (name === 'root') {
    if (value === '') throw new UsageError('--root needs a folder');
    o.root = value;
    return;
  }
  if (!/^[1-9]\d{0,9}$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`--pid takes a process id (a positive integer), not '${value}'`);
  }
  o.pid = Number(value);
}

/**
 * Parses the arguments after `procnet` (not including the node binary and script). Throws a {@link UsageError}
 * for anything it cannot accept, so the caller can print it with the usage hint.
 *
 * `-c` takes an optional number of seconds: in the same word (`-c2`, `-tanc2`) or as the next argument when that is
 * a number (`-c 2`). Everything after `doctor` (or `exporter`) is left to that subcommand; `--` ends the options.
 */
export function parseArgs(argv: readonly string[]): CliOptions {
  const o = defaultOptions();
  let onlyArgs = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (onlyArgs || arg === '-' || !arg.startsWith('-')) {
      const first = !onlyArgs && o.command === 'list' && o.args.length === 0;
      if (first && (arg === 'snapshot' || arg === 'doctor' || arg === 'exporter')) {
        o.command = arg;
        if (arg === 'doctor' || arg === 'exporter') {
          o.args = argv.slice(i + 1);
          return o;
        }
        continue;
      }
      o.args.push(arg);
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
        else if (next !== undefined && SECONDS.test(next)) {
          o.continuous = seconds(next, '--continuous');
          i++;
        } else o.continuous = 1;
      } else {
        const flag = LONG[name];
        if (flag === undefined) throw new UsageError(`unknown option '--${name}'`);
        if (inline !== undefined) throw new UsageError(`option '--${name}' takes no value`);
        flag(o);
      }
      continue;
    }
    // A cluster of short options: -tunap, -c2, -tanc 2.
    for (let j = 1; j < arg.length; j++) {
      const c = arg[j] as string;
      if (c === 'c') {
        const rest = arg.slice(j + 1);
        if (rest !== '') {
          o.continuous = seconds(rest, '-c');
        } else if (next !== undefined && SECONDS.test(next)) {
          o.continuous = seconds(next, '-c');
          i++;
        } else o.continuous = 1;
        break;
      }
      const flag = SHORT[c];
      if (flag === undefined) throw new UsageError(`unknown option '-${c}'${arg.length > 2 ? ` (in '${arg}')` : ''}`);
      flag(o);
    }
  }
  return checkOptions(o);
}

/** Combinations that cannot work. */
function checkOptions(o: CliOptions): CliOptions {
  if (o.command === 'help' || o.command === 'version') return o;
  if (o.command === 'snapshot') {
    if (o.args.length !== 1) throw new UsageError('snapshot takes one folder: procnet snapshot DIR');
    if (o.root !== null) throw new UsageError('snapshot reads this machine; --root cannot be used with it');
    if (o.allNamespaces) throw new UsageError('snapshot saves one namespace; use --pid PID to choose it');
    return o;
  }
  if (o.args.length > 0) {
    throw new UsageError(`unexpected argument '${o.args[0]}' (subcommands: snapshot, doctor, exporter)`);
  }
  if (o.allNamespaces && o.pid !== null) throw new UsageError('--all-namespaces and --pid cannot be used together');
  return o;
}
