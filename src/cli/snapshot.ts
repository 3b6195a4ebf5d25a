/**
 * `procnet snapshot DIR`: a dump of this machine's socket tables that `procnet --root DIR` (and `readSockets({ root })`)
 * reads back offline with the same result, owners included. Layout (docs/node.md, "Dumps"): `net/<table>` byte for
 * byte, `fds.json` (the capture tool's format) and `env.json` (byte order, USER_HZ, kernel, time).
 * @module
 */
import { mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { machine, release, version } from 'node:os';
import { join } from 'node:path';
import { escapeTerminal } from '../format/escape.js';
import { hostByteOrder, userHzFromAuxv } from '../node/host.js';
import { ALL_KINDS } from '../node/read-sockets.js';
import { readSocketOwners } from '../node/socket-owners.js';
import { parseTable } from '../tables/parse-table.js';
import type { TableKind } from '../types.js';
import { packageVersion } from './help.js';
import type { CliIo } from './io.js';
import type { CliOptions } from './options.js';

/** Counter files copied beside the socket tables when they exist (procnet doctor and parseSnmp read them). */
const COUNTER_FILES = ['snmp', 'snmp6', 'netstat', 'sockstat', 'sockstat6'];

/** A snapshot that cannot be made; the message says why (exit code 1). */
export class SnapshotError extends Error {
  override readonly name = 'SnapshotError';
  /** The errno code behind it, when there is one (`EACCES`, …). */
  readonly code: string | undefined;
  constructor(message: string, code?: string) {
    super(message);
    this.code = code;
  }
}

function readTable(path: string): Buffer | null {
  try {
    return readFileSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    const code = (e as NodeJS.ErrnoException).code;
    throw new SnapshotError(`cannot read ${path} (${code})`, code);
  }
}

function prepareDir(dir: string): boolean {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') throw new SnapshotError(`cannot use ${dir} (${code})`, code);
    mkdirSync(dir, { recursive: true });
    return true;
  }
  if (names.length > 0) throw new SnapshotError(`${dir} is not empty; give a new or empty folder`);
  return false;
}

/** The socket inodes of the tables read (the owners worth recording). */
function inodesOf(tables: ReadonlyMap<TableKind, Buffer>): Set<string> {
  const inodes = new Set<string>();
  for (const [kind, bytes] of tables) {
    for (const s of parseTable(kind, bytes, { onInvalidRow: 'skip' })) if (s.inode !== '0') inodes.add(s.inode);
  }
  return inodes;
}

/** Makes the snapshot; prints where it went and how to read it. */
export async function runSnapshot(io: CliIo, o: CliOptions): Promise<void> {
  const dir = o.args[0] as string;
  const procDir = o.pid === null ? '/proc/self' : `/proc/${o.pid}`;
  const netDir = `${procDir}/net`;
  try {
    readdirSync(netDir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new SnapshotError(
      o.pid === null
        ? `cannot read ${netDir} (${code})`
        : `no process ${o.pid}, or its network namespace cannot be read (${code})`,
    );
  }
  let netns: string | null = null;
  try {
    netns = readlinkSync(`${procDir}/ns/net`);
  } catch {
    // another user's process: the tables are still readable
  }
  const created = prepareDir(dir);
  try {
    // The tables first, then the owners straight after: the same order and moment as a live `procnet -p`.
    const capturedAt = new Date().toISOString();
    const tables = new Map<TableKind, Buffer>();
    const counters = new Map<string, Buffer>();
    for (const kind of ALL_KINDS) {
      const bytes = readTable(`${netDir}/${kind}`);
      if (bytes !== null) tables.set(kind, bytes);
    }
    for (const name of COUNTER_FILES) {
      const bytes = readTable(`${netDir}/${name}`);
      if (bytes !== null) counters.set(name, bytes);
    }
    const scan = await readSocketOwners({ inodes: inodesOf(tables) });
    const byPid = new Map<
      number,
      {
        pid: number;
        comm: string | null;
        cmdline: readonly string[] | null;
        uid: number | null;
        fds: Array<{ fd: number; link: string }>;
      }
    >();
    for (const [inode, owners] of scan.owners) {
      for (const w of owners) {
        let p = byPid.get(w.pid);
        if (p === undefined) {
          p = { pid: w.pid, comm: w.comm, cmdline: w.cmdline, uid: w.uid, fds: [] };
          byPid.set(w.pid, p);
        }
        p.fds.push({ fd: w.fd, link: `socket:[${inode}]` });
      }
    }
    const processes = [...byPid.values()].sort((a, b) => a.pid - b.pid);
    for (const p of processes) p.fds.sort((a, b) => a.fd - b.fd);
    const auxv = readTable('/proc/self/auxv');
    const env = {
      generator: `procnet ${packageVersion()} snapshot`,
      kernel_release: release(),
      kernel_version: version(),
      machine: machine(),
      byte_order: hostByteOrder(),
      user_hz: (auxv === null ? null : userHzFromAuxv(auxv)) ?? 100,
      euid: process.geteuid?.() ?? null,
      captured_at: capturedAt,
      pid: o.pid,
      netns,
      tables_captured: [...tables.keys(), ...counters.keys()],
      tables_missing: [...ALL_KINDS, ...COUNTER_FILES].filter((k) => !tables.has(k as TableKind) && !counters.has(k)),
      processes: { with_sockets: processes.length, ...scan.stats },
    };
    mkdirSync(join(dir, 'net'), { recursive: true });
    for (const [name, bytes] of [...tables, ...counters]) writeFileSync(join(dir, 'net', name), bytes);
    const fds = { processes, denied: scan.stats.denied, vanished: scan.stats.vanished };
    writeFileSync(join(dir, 'fds.json'), `${JSON.stringify(fds, null, 2)}\n`);
    writeFileSync(join(dir, 'env.json'), `${JSON.stringify(env, null, 2)}\n`);
    const shown = escapeTerminal(dir);
    io.stdout.write(
      `procnet: saved ${tables.size} socket tables, ${counters.size} counter files and the socket descriptors of ${processes.length} process${processes.length === 1 ? '' : 'es'} to ${shown}\n` +
        `read it with: procnet --root ${shown} -tuanpx\n`,
    );
    if (scan.stats.denied > 0) {
      io.stderr.write(
        `procnet: ${scan.stats.denied} process${scan.stats.denied === 1 ? '' : 'es'} could not be read: their sockets have no owner in the snapshot${process.geteuid?.() === 0 ? '' : ' (run as root to see them all)'}\n`,
      );
    }
  } catch (e) {
    if (created) rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
