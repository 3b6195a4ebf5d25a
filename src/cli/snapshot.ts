/**
 * `procnet snapshot DIR`: procnet/node's `writeSnapshot`, and what the command prints about it.
 * @module
 */
import { escapeTerminal } from '../netstat.js';
import { writeSnapshot } from '../node/index.js';
import { packageVersion } from './help.js';
import type { CliIo } from './io.js';
import type { CliOptions } from './options.js';

/** Makes the snapshot; prints where it went and how to read it. */
export async function runSnapshot(io: CliIo, o: CliOptions): Promise<void> {
  const arg = o.args[0] as string;
  const shown = escapeTerminal(arg);
  const r = await writeSnapshot(arg, {
    pid: o.pid ?? undefined,
    generator: `procnet ${packageVersion()} snapshot`,
  });
  const { denied } = r.stats;
  io.stdout.write(
    `procnet: saved ${r.tables.length} socket tables, ${r.counters.length} counter files and the socket descriptors of ${r.processes} process${r.processes === 1 ? '' : 'es'} to ${shown}\n` +
      `read it with: procnet --root ${shown} -tuanpx\n`,
  );
  if (denied > 0) {
    io.stderr.write(
      `procnet: ${denied} process${denied === 1 ? '' : 'es'} could not be read: their sockets have no owner in the snapshot${process.geteuid?.() === 0 ? '' : ' (run as root to see them all)'}\n`,
    );
  }
}
