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
  /** Where keys come from (`procnet top`); absent when there is no input to read. */
  stdin?: NodeJS.ReadableStream | undefined;
}

/** The real process's streams and environment. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    isTTY: process.stdout.isTTY === true,
    stdin: process.stdin,
  };
}

/**
 * True when colour may be written. `'auto'` (the default): a terminal, `NO_COLOR` unset or empty
 * (https://no-color.org) and `TERM` not `dumb`; `'always'` and `'never'` (`--color=`) decide alone.
 */
export function useColor(io: CliIo, mode: 'auto' | 'always' | 'never' = 'auto'): boolean {
  if (mode !== 'auto') return mode === 'always';
  const noColor = io.env.NO_COLOR;
  return io.isTTY && (noColor === undefined || noColor === '') && io.env.TERM !== 'dumb';
}
