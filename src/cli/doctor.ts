/**
 * `procnet doctor`: samples one network namespace, runs every analysis, prints the findings grouped by severity (or as
 * JSON) and exits 1 when any is a warning or critical, so it can serve as a health check.
 * @module
 */
import { takeSamples } from '../node/index.js';
import { DOCTOR_USAGE, DoctorUsageError, parseDoctorArgs } from './doctor-args.js';
import { buildDoctorReport } from './doctor-report.js';
import { formatDoctorText } from './doctor-text.js';
import { escapeLines } from './escape.js';
import { type CliIo, useColor } from './io.js';
import { jsonText } from './json-view.js';

export type { CliIo } from './io.js';

/** Exit codes of `procnet doctor`. */
export const DOCTOR_EXIT = Object.freeze({
  /** No finding, or info findings only. */
  healthy: 0,
  /** At least one warning or critical finding. */
  findings: 1,
  /** Bad arguments, or the sampling failed (no such process, unreadable root, a table that does not parse). */
  error: 2,
  /** Stopped by the caller's signal (Ctrl-C) before the report. */
  interrupted: 130,
});

function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve) => {
    if (stream.write(text)) resolve();
    else stream.once('drain', () => resolve());
  });
}

/** The message of an error, escaped for the terminal (it may quote a path or a name). */
function describeError(e: unknown): string {
  return escapeLines(e instanceof Error ? e.message.replace(/^procnet: /, '') : String(e));
}

/**
 * Runs `procnet doctor` with the arguments after `doctor`, writing to `io`; resolves to the exit code (see
 * {@link DOCTOR_EXIT}). Never rejects: errors are written to `io.stderr` and give exit code 2. An `io.signal` that
 * aborts stops the sampling (exit code 130).
 */
export async function runDoctor(argv: string[], io: CliIo & { signal?: AbortSignal | undefined }): Promise<number> {
  let args: ReturnType<typeof parseDoctorArgs>;
  try {
    args = parseDoctorArgs(argv);
  } catch (e) {
    const why = e instanceof DoctorUsageError ? e.message : describeError(e);
    await write(io.stderr, `procnet doctor: ${escapeLines(why)}\nTry 'procnet doctor --help'.\n`);
    return DOCTOR_EXIT.error;
  }
  if (args.help) {
    await write(io.stdout, DOCTOR_USAGE);
    return DOCTOR_EXIT.healthy;
  }
  try {
    const samples = await takeSamples({
      root: args.root,
      pid: args.pid,
      processes: args.processes,
      byteOrder: args.byteOrder,
      userHz: args.userHz,
      samples: args.samples,
      interval: args.interval * 1000,
      onInvalidRow: 'skip',
      signal: io.signal,
    });
    const report = buildDoctorReport(samples, args.options, {
      pid: args.pid ?? null,
      dropNotes: args.samplesGiven ? [] : ['DUMP_ONE_SAMPLE'],
    });
    const text = args.json ? `${jsonText(report, 2)}\n` : formatDoctorText(report, { color: useColor(io) });
    await write(io.stdout, text);
    return report.exitCode;
  } catch (e) {
    if (io.signal?.aborted) {
      await write(io.stderr, 'procnet doctor: interrupted\n');
      return DOCTOR_EXIT.interrupted;
    }
    await write(io.stderr, `procnet doctor: ${describeError(e)}\n`);
    return DOCTOR_EXIT.error;
  }
}
