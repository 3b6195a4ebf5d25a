/**
 * The options of `procnet doctor`, parsed from its arguments.
 * @module
 */
import { type AnalysisOptions, DEFAULT_ANALYSIS_OPTIONS, diagnose } from '../analysis/index.js';
import { DOCS_URL } from './docs-url.js';

/** What `procnet doctor` was asked to do. */
export interface DoctorArgs {
  /** Seconds between samples (`--interval`). */
  interval: number;
  /** Number of samples (`--samples`). */
  samples: number;
  /** Whether `--samples` was given (a dump then says that it gave only one). */
  samplesGiven: boolean;
  /** `--json`: print the report as JSON. */
  json: boolean;
  /** `--root DIR`: a mounted procfs or a dump. */
  root: string | undefined;
  /** `--pid PID`: the network namespace of that process. */
  pid: number | undefined;
  /** `--no-processes`: do not look for the processes that hold each socket. */
  processes: boolean;
  /** `--byte-order big|little`: the byte order of a dump's machine, when the dump does not say it. */
  byteOrder: 'big' | 'little' | undefined;
  /** `--user-hz N`: USER_HZ of a dump's machine, when the dump does not say it. */
  userHz: number | undefined;
  /** `--set NAME=VALUE`: analysis options (thresholds, host settings). */
  options: AnalysisOptions;
  /** `--help`. */
  help: boolean;
}

/** A usage error: the arguments are wrong (exit code 2). */
export class DoctorUsageError extends Error {
  override readonly name = 'DoctorUsageError';
}

export const DOCTOR_USAGE = `Usage: procnet doctor [options]

Samples the socket tables and kernel counters of one network namespace, then says what is wrong:
findings grouped by severity, each with the sockets and processes involved and what to check next.

Options:
  --interval S      seconds between samples (default 1; fractions allowed)
  --samples N       number of samples (default 3; a dump gives one)
  --json            print the report as JSON
  --root DIR        a mounted procfs (default /proc) or a saved dump
  --pid PID         the network namespace of process PID
  --byte-order big|little   a dump's byte order, when it does not say (default: a guess)
  --user-hz N       a dump's USER_HZ, when it does not say (default 100)
  --no-processes    do not look for the processes that hold each socket (faster)
  --set NAME=VALUE  an analysis option, e.g. --set closeWaitWarning=3 --set localPortRange=40000-40999
                    (repeatable; names and defaults: ${DOCS_URL}findings/README.md)
  -h, --help        show this help

Exit status: 0 no warning or critical finding (info findings only, or none); 1 at least one warning or
critical finding; 2 usage or runtime error.
`;

const OPTION_NAMES = Object.keys(DEFAULT_ANALYSIS_OPTIONS) as (keyof AnalysisOptions)[];

function number(flag: string, text: string): number {
  const v = text.trim() === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(v)) throw new DoctorUsageError(`${flag} wants a number, not ${JSON.stringify(text)}`);
  return v;
}

function integers(name: string, text: string, count: number): number[] {
  const parts = text.split(/[\s,:-]+/).filter((p) => p !== '');
  if (parts.length !== count || !parts.every((p) => /^\d+$/.test(p))) {
    throw new DoctorUsageError(`--set ${name} wants ${count} integers (e.g. ${count === 2 ? '40000-40999' : '1,2,3'})`);
  }
  return parts.map(Number);
}

/** One `--set NAME=VALUE`, typed after the option's default. */
function setOption(options: Record<string, unknown>, text: string): void {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new DoctorUsageError(`--set wants NAME=VALUE, not ${JSON.stringify(text)}`);
  const name = text.slice(0, eq) as keyof AnalysisOptions;
  const value = text.slice(eq + 1);
  if (!OPTION_NAMES.includes(name)) {
    throw new DoctorUsageError(`--set: unknown option ${JSON.stringify(name)} (one of ${OPTION_NAMES.join(', ')})`);
  }
  if (name === 'bindv6only') {
    if (!['0', '1', 'true', 'false'].includes(value)) throw new DoctorUsageError('--set bindv6only wants 0 or 1');
    options[name] = value === '1' || value === 'true';
  } else if (name === 'localPortRange') {
    options[name] = integers(name, value, 2);
  } else if (name === 'tcpMem') {
    options[name] = value === 'null' ? null : integers(name, value, 3);
  } else {
    options[name] = number(`--set ${name}`, value);
  }
}

/**
 * Parses the arguments after `doctor`. Flags take their value as the next argument or after `=` (`--samples=5`).
 *
 * @throws {DoctorUsageError} for an unknown flag, a missing or bad value, or an analysis option out of range.
 */
export function parseDoctorArgs(argv: readonly string[]): DoctorArgs {
  const args: DoctorArgs = {
    interval: 1,
    samples: 3,
    samplesGiven: false,
    json: false,
    root: undefined,
    pid: undefined,
    processes: true,
    byteOrder: undefined,
    userHz: undefined,
    options: {},
    help: false,
  };
  const options: Record<string, unknown> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    const value = (): string => {
      if (eq !== -1) return arg.slice(eq + 1);
      const next = argv[++i];
      if (next === undefined) throw new DoctorUsageError(`${flag} wants a value`);
      return next;
    };
    const noValue = () => {
      if (eq !== -1) throw new DoctorUsageError(`${flag} takes no value`);
    };
    switch (flag) {
      case '-h':
      case '--help':
        noValue();
        args.help = true;
        break;
      case '--json':
        noValue();
        args.json = true;
        break;
      case '--no-processes':
        noValue();
        args.processes = false;
        break;
      case '--interval': {
        const v = number(flag, value());
        if (v < 0) throw new DoctorUsageError('--interval wants seconds >= 0');
        args.interval = v;
        break;
      }
      case '--samples': {
        const v = number(flag, value());
        if (!Number.isSafeInteger(v) || v < 1) throw new DoctorUsageError('--samples wants an integer >= 1');
        args.samples = v;
        args.samplesGiven = true;
        break;
      }
      case '--root': {
        const v = value();
        if (v === '') throw new DoctorUsageError('--root wants a folder');
        args.root = v;
        break;
      }
      case '--pid': {
        const v = value();
        if (!/^[1-9]\d{0,9}$/.test(v)) throw new DoctorUsageError(`--pid wants a process id, not ${JSON.stringify(v)}`);
        args.pid = Number(v);
        break;
      }
      case '--set':
        setOption(options, value());
        break;
      case '--byte-order': {
        const v = value();
        if (v !== 'big' && v !== 'little')
          throw new DoctorUsageError(`--byte-order wants big or little, not ${JSON.stringify(v)}`);
        args.byteOrder = v;
        break;
      }
      case '--user-hz': {
        const v = value();
        if (!/^[1-9]\d{0,6}$/.test(v))
          throw new DoctorUsageError(
            `--user-hz wants a number of ticks per second (such as 100), not ${JSON.stringify(v)}`,
          );
        args.userHz = Number(v);
        break;
      }
      default:
        throw new DoctorUsageError(
          arg.startsWith('-') ? `unknown option ${JSON.stringify(flag)}` : `unexpected argument ${JSON.stringify(arg)}`,
        );
    }
  }
  if ((args.byteOrder !== undefined || args.userHz !== undefined) && args.root === undefined) {
    throw new DoctorUsageError(
      `${args.byteOrder !== undefined ? '--byte-order' : '--user-hz'} describes a dump's machine: use it with --root DIR`,
    );
  }
  try {
    // The analyses check their options before anything else: on no samples that check is all they do.
    diagnose([], options as AnalysisOptions);
  } catch (e) {
    throw new DoctorUsageError(`--set: ${(e as Error).message.replace(/^procnet: /, '')}`);
  }
  args.options = options as AnalysisOptions;
  return args;
}
