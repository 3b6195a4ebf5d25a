/**
 * The outside world of the procnet command: where it writes, what environment it sees and whether
 * stdout is a terminal. Subcommands take a `CliIo` instead of touching `process` so tests can run
 * them in-process with captured streams.
 */
export interface CliIo {
  /** Where tables and JSON go. */
  stdout: NodeJS.WritableStream;
  /** Where warnings and errors go. */
  stderr: NodeJS.WritableStream;
  /** The environment (`NO_COLOR`, `LC_ALL`, …). */
  env: NodeJS.ProcessEnv;
  /** True when stdout is a terminal: colour and terminal-only niceties are allowed. */
  isTTY: boolean;
}

/** The real process's streams and environment. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    isTTY: process.stdout.isTTY === true,
  };
}

/** True when colour may be written: a terminal, and `NO_COLOR` unset or empty (https://no-color.org). */
export function useColor(io: CliIo): boolean {
  const noColor = io.env.NO_COLOR;
  return io.isTTY && (noColor === undefined || noColor === '');
}
