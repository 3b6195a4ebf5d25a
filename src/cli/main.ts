#!/usr/bin/env node
/**
 * The `procnet` command: parses the command line and dispatches to the listing (netstat's view, the default),
 * `snapshot DIR`, `doctor` or `exporter`. Exit codes: 0 done (also when the reader of the output goes away, or on Ctrl-C with
 * `-c`), 1 the sockets could not be read, 2 a wrong command line.
 * @module
 */
import { isSocketFilterError } from '../index.js';
// entry: procnet/netstat
import { escapeTerminal } from '../netstat.js';
import { escapeLines } from './escape.js';
import { HELP, packageVersion } from './help.js';
import { type CliIo, processIo } from './io.js';
import { runList } from './list.js';
import { parseArgs, UsageError } from './options.js';
import { isPipeClosed } from './output.js';

// `snapshot`, `top` and `exporter` are loaded when they are asked for: a listing, the common case, does not pay for
// loading them (an HTTP server, a terminal UI, the snapshot writer) at every start.

/** The doctor subcommand lives in its own module; a build without it still runs everything else. */
const DOCTOR_MODULE = './doctor.js';

interface DoctorModule {
  runDoctor(argv: string[], io: CliIo): Promise<number>;
}

async function runDoctorCommand(argv: string[], io: CliIo): Promise<number> {
  let mod: DoctorModule;
  try {
    mod = (await import(DOCTOR_MODULE)) as DoctorModule;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('doctor')) {
      // 2, not 1: doctor's exit 1 means "findings", and a health check must not read a missing build as that.
      io.stderr.write('procnet doctor is not available in this build\n');
      return 2;
    }
    throw e;
  }
  return mod.runDoctor(argv, io);
}

/** What a person can do about a failed read ("as root" only to someone who is not). */
function hint(code: string | undefined): string {
  if (code !== 'EACCES' && code !== 'EPERM') return '';
  return process.geteuid?.() === 0
    ? ' (permission denied, even as root: check the path)'
    : ' (permission denied: run as root, or check the path)';
}

/** The message of an error that stopped the command, escaped for the terminal, with a hint when there is one. */
export function errorMessage(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  const prefixed = text.startsWith('procnet') ? text : `procnet: ${text}`;
  return escapeLines(prefixed) + hint((e as NodeJS.ErrnoException | null)?.code);
}

/**
 * Runs the command with the given arguments (without `node` and the script) and returns the exit code. `signal`
 * stops `-c` after the current listing.
 */
export async function runCli(argv: readonly string[], io: CliIo, signal?: AbortSignal): Promise<number> {
  let o: ReturnType<typeof parseArgs>;
  try {
    o = parseArgs(argv);
  } catch (e) {
    if (isSocketFilterError(e)) {
      // The message names the word and its column; the frame shows the filter with a caret line under the word.
      io.stderr.write(`procnet: ${escapeTerminal(e.message)}\n${e.frame}\n`);
      return 2;
    }
    if (!(e instanceof UsageError)) throw e;
    io.stderr.write(`procnet: ${escapeTerminal(e.message)}\nTry 'procnet --help' for more information.\n`);
    return 2;
  }
  try {
    switch (o.command) {
      case 'help':
        io.stdout.write(HELP);
        return 0;
      case 'version':
        io.stdout.write(`procnet ${packageVersion()}\n`);
        return 0;
      case 'doctor':
        return await runDoctorCommand(o.args, io);
      case 'exporter':
        return await (await import('./exporter.js')).runExporter(o.args, io, signal);
      case 'snapshot':
        await (await import('./snapshot.js')).runSnapshot(io, o);
        return 0;
      case 'top':
        return await (await import('./top.js')).runTop(io, o, signal);
      default:
        await runList(io, o, signal);
        return 0;
    }
  } catch (e) {
    if (isPipeClosed(e)) return 0;
    io.stderr.write(`${errorMessage(e)}\n`);
    return 1;
  }
}

function main(): void {
  const io = processIo();
  // A reader that goes away (`procnet | head`) ends the command quietly, wherever the write was.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
  });
  process.stderr.on('error', () => {});
  const argv = process.argv.slice(2);
  const controller = new AbortController();
  // Ctrl-C stops -c after the current listing, and the exporter after the scrapes in flight; a second Ctrl-C stops at
  // once (the default action).
  const exporter = argv.includes('exporter');
  if (exporter || argv.some((a) => a === '-c' || a.startsWith('--continuous') || /^-[^-]*c/.test(a))) {
    process.once('SIGINT', () => controller.abort());
    process.once('SIGTERM', () => controller.abort());
  }
  runCli(argv, io, controller.signal).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`procnet: internal error (please report it): ${errorMessage(e)}\n`);
      process.exitCode = 1;
    },
  );
}

main();
