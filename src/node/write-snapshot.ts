/**
 * `writeSnapshot(dir)` (and `procnet snapshot DIR`): a dump of this machine's socket tables that `readSockets({ root })`
 * (and `procnet --root DIR`) reads back offline with the same result, owners included. Layout (docs/node.md, "Dumps"): `net/<table>` byte for
 * byte, `fds.json` (the capture tool's format) and `env.json` (byte order, USER_HZ, kernel, time, and the size of
 * every file written, so a copy cut short says so).
 *
 * Written privately and atomically, as root runs it (docs/cli.md): every folder on the way to DIR must be safe from
 * other users; everything is written into a new folder beside DIR (mode 0700, files 0600, each created exclusively,
 * never through a link, and flushed to disk), with an `INCOMPLETE` marker until the last file is written; that
 * folder is then renamed to DIR. A snapshot that fails leaves nothing behind; one that is killed leaves a hidden
 * folder that says it is incomplete.
 * @module
 */
import { lstatSync, readdirSync, readlinkSync, realpathSync, type Stats, statfsSync } from 'node:fs';
import { machine, release, version } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { escapeTerminal } from '../format/escape.js';
import { parseTable } from '../tables/parse-table.js';
import type { TableKind } from '../types.js';
import { INCOMPLETE_MARKER } from './dump-check.js';
import {
  failureText,
  makePrivateDirSync,
  makeTempDirSync,
  readFileSync,
  removeFileSync,
  removeTreeSync,
  renameSync,
  syncDirSync,
  trustedFile,
  writeNewFileSync,
} from './files.js';
import { hostByteOrder, userHzFromAuxv } from './host.js';
import { IoFailure, PROC_SUPER_MAGIC } from './io.js';
import { ALL_KINDS } from './read-sockets.js';
import { readSocketOwners } from './socket-owners.js';
import type { ProcessScanStats } from './types.js';

/** Counter files copied beside the socket tables when they exist (procnet doctor and parseSnmp read them). */
const COUNTER_FILES = ['snmp', 'snmp6', 'netstat', 'sockstat', 'sockstat6'];

/**
 * A snapshot that cannot be made (an unsafe or unusable folder, a table that cannot be read, a failed write); the
 * message says why, with the path escaped for a terminal. Nothing is left behind.
 */
export class SnapshotError extends Error {
  override readonly name = 'SnapshotError';
  /** The errno code behind it, when there is one (`EACCES`, …). */
  readonly code: string | undefined;
  constructor(message: string, code?: string) {
    super(message);
    this.code = code;
  }
}

/** Kernel file systems a snapshot must not be written into (`statfs` f_type), by name. */
const KERNEL_FILE_SYSTEMS: ReadonlyMap<number, string> = new Map([
  [PROC_SUPER_MAGIC, 'procfs'],
  [0x62656572, 'sysfs'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'],
  [0xcafe4a11, 'bpf'],
  [0x1cd1, 'devpts'],
  [0x6165676c, 'pstore'],
]);

const errnoOf = (e: unknown) => (e as NodeJS.ErrnoException).code;

/** One table or counter file of `/proc/<pid>/net`, or `null` when the kernel has none. */
function readTable(path: string): Uint8Array | null {
  const bytes = readFileSync(trustedFile(path, 'table'));
  if (!(bytes instanceof IoFailure)) return bytes;
  if (bytes.code === 'ENOENT') return null;
  throw new SnapshotError(failureText(path, bytes), bytes.code);
}

/** Why a folder on the way to the snapshot is not safe from other users, or `null`. */
function unsafeFolder(st: Stats): string | null {
  const me = process.geteuid?.() ?? 0;
  if (!st.isDirectory()) return 'is not a folder';
  if (st.uid !== 0 && st.uid !== me) return `belongs to another user (uid ${st.uid})`;
  if ((st.mode & 0o022) !== 0 && (st.mode & 0o1000) === 0) return 'can be written by other users (and is not sticky)';
  return null;
}

/**
 * The folder the snapshot goes into, resolved, with the missing folders on the way created (mode 0700). Every folder
 * from it up to `/` must belong to root or the caller and be writable by nobody else (or be sticky, as `/tmp`): else
 * another user could swap a folder on the way for a link between the checks and the writes.
 */
function prepareParent(parent: string, shown: string): string {
  const missing: string[] = [];
  let existing = parent;
  for (;;) {
    try {
      lstatSync(existing);
      break;
    } catch (e) {
      if (errnoOf(e) !== 'ENOENT' || dirname(existing) === existing) {
        throw new SnapshotError(`cannot use ${shown} (${errnoOf(e)})`, errnoOf(e));
      }
      missing.unshift(basename(existing));
      existing = dirname(existing);
    }
  }
  // Before anything is created: Node's recursive mkdir loops forever on procfs, and a dump there makes no sense.
  const fsName = KERNEL_FILE_SYSTEMS.get(statfsSync(existing).type);
  if (fsName !== undefined) {
    throw new SnapshotError(
      `${shown} is on ${fsName}, a kernel file system: a snapshot must be written to an ordinary folder (such as /tmp/snap or /root/snap)`,
    );
  }
  let real = realpathSync.native(existing);
  checkFolders(real, shown);
  for (const name of missing) {
    real = join(real, name);
    try {
      makePrivateDirSync(real);
    } catch (e) {
      if (errnoOf(e) !== 'EEXIST') throw new SnapshotError(`cannot create ${real} (${errnoOf(e)})`, errnoOf(e));
    }
    const why = unsafeFolder(lstatSync(real));
    if (why !== null) throw new SnapshotError(`cannot use ${shown}: ${real} ${why}`);
  }
  return real;
}

/** Checks `dir` and every folder above it with {@link unsafeFolder}. */
function checkFolders(dir: string, shown: string): void {
  for (let d = dir; ; d = dirname(d)) {
    const why = unsafeFolder(lstatSync(d));
    if (why !== null) {
      throw new SnapshotError(
        `cannot write ${shown} safely: ${d} ${why}, so another user could replace a folder on the way with a link; choose a folder only you (or root) can write`,
      );
    }
    if (dirname(d) === d) return;
  }
}

/** An existing target is only taken when it is an empty folder of the caller's that nobody else can write. */
function checkTarget(target: string, shown: string): void {
  let st: Stats;
  try {
    st = lstatSync(target);
  } catch (e) {
    if (errnoOf(e) === 'ENOENT') return;
    throw new SnapshotError(`cannot use ${shown} (${errnoOf(e)})`, errnoOf(e));
  }
  const me = process.geteuid?.() ?? 0;
  if (!st.isDirectory()) throw new SnapshotError(`${shown} exists and is not a folder; give a new or empty folder`);
  if (st.uid !== me) throw new SnapshotError(`${shown} belongs to another user (uid ${st.uid}); give a new folder`);
  if ((st.mode & 0o022) !== 0) {
    throw new SnapshotError(
      `${shown} can be written by other users; give a new folder (or an empty one only you can write)`,
    );
  }
  if (readdirSync(target).length > 0) throw new SnapshotError(`${shown} is not empty; give a new or empty folder`);
}

/** The socket inodes of the tables read (the owners worth recording). */
function inodesOf(tables: ReadonlyMap<TableKind, Uint8Array>): Set<string> {
  const inodes = new Set<string>();
  for (const [kind, bytes] of tables) {
    for (const s of parseTable(kind, bytes, { onInvalidRow: 'skip' })) if (s.inode !== '0') inodes.add(s.inode);
  }
  return inodes;
}

/** Writes every file into the new folder `tmp`, the marker first and gone last, each flushed to disk. */
function writeFiles(tmp: string, files: ReadonlyArray<[string, Uint8Array | string]>): void {
  const marker = join(tmp, INCOMPLETE_MARKER);
  writeNewFileSync(marker, 'This procnet snapshot was not finished: its tables may be missing or cut short.\n');
  makePrivateDirSync(join(tmp, 'net'));
  for (const [name, data] of files) writeNewFileSync(join(tmp, name), data);
  syncDirSync(join(tmp, 'net'));
  removeFileSync(marker);
  syncDirSync(tmp);
}

/** Options of {@link writeSnapshot}. */
export interface WriteSnapshotOptions {
  /** Save the network namespace of this process instead of the caller's own. */
  pid?: number | undefined;
  /** What `env.json` names as the writer (`generator`). Default `'procnet writeSnapshot'`. */
  generator?: string | undefined;
}

/** What {@link writeSnapshot} saved. */
export interface WrittenSnapshot {
  /** The snapshot's folder, resolved. */
  path: string;
  /** The socket tables saved (the kernel has no file for the others). */
  tables: TableKind[];
  /** The counter files saved (`snmp`, `netstat`, …). */
  counters: string[];
  /** Processes holding at least one of the saved sockets (their descriptors are in `fds.json`). */
  processes: number;
  /** The descriptor scan's counts: `denied` processes' sockets have no owner in the snapshot. */
  stats: ProcessScanStats;
}

/**
 * Saves this machine's socket tables (this namespace, or `pid`'s), counter files, the socket descriptors of every
 * process (`fds.json`) and `env.json` into `dir`, a new or empty folder, as a dump that `readSockets({ root: dir })`
 * reads back offline with the same result, owners included. Written privately and atomically, as root runs it: every
 * folder on the way must be safe from other users, files are created exclusively (0600, folders 0700) in a new folder
 * beside `dir` with an `INCOMPLETE` marker, flushed, and renamed to `dir` at the end; a snapshot that fails leaves
 * nothing behind ({@link SnapshotError}). See docs/node.md, "Snapshots".
 */
export async function writeSnapshot(dir: string, options: WriteSnapshotOptions = {}): Promise<WrittenSnapshot> {
  const arg = dir;
  const pid = options.pid ?? null;
  const shown = escapeTerminal(arg);
  const procDir = pid === null ? '/proc/self' : `/proc/${pid}`;
  const netDir = `${procDir}/net`;
  try {
    readdirSync(netDir);
  } catch (e) {
    const code = errnoOf(e);
    throw new SnapshotError(
      pid === null
        ? `cannot read ${netDir} (${code})`
        : `no process ${pid}, or its network namespace cannot be read (${code})`,
    );
  }
  let netns: string | null = null;
  try {
    netns = readlinkSync(`${procDir}/ns/net`);
  } catch {
    // another user's process: the tables are still readable
  }
  const target = resolve(arg);
  const parent = prepareParent(dirname(target), shown);
  const name = basename(target);
  checkTarget(join(parent, name), shown);

  // The tables first, then the owners straight after: the same order and moment as a live `procnet -p`.
  const capturedAt = new Date().toISOString();
  const tables = new Map<TableKind, Uint8Array>();
  const counters = new Map<string, Uint8Array>();
  for (const kind of ALL_KINDS) {
    const bytes = readTable(`${netDir}/${kind}`);
    if (bytes !== null) tables.set(kind, bytes);
  }
  for (const file of COUNTER_FILES) {
    const bytes = readTable(`${netDir}/${file}`);
    if (bytes !== null) counters.set(file, bytes);
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
  const auxv = readFileSync(trustedFile('/proc/self/auxv', 'system', undefined, 512));
  const fds = `${JSON.stringify({ processes, denied: scan.stats.denied, vanished: scan.stats.vanished }, null, 2)}\n`;
  const files: Array<[string, Uint8Array | string]> = [...tables, ...counters].map(([n, b]) => [`net/${n}`, b]);
  files.push(['fds.json', fds]);
  const env = {
    generator: options.generator ?? 'procnet writeSnapshot',
    kernel_release: release(),
    kernel_version: version(),
    machine: machine(),
    byte_order: hostByteOrder(),
    user_hz: (auxv instanceof IoFailure ? null : userHzFromAuxv(auxv)) ?? 100,
    euid: process.geteuid?.() ?? null,
    captured_at: capturedAt,
    pid,
    netns,
    tables_captured: [...tables.keys(), ...counters.keys()],
    tables_missing: [...ALL_KINDS, ...COUNTER_FILES].filter((k) => !tables.has(k as TableKind) && !counters.has(k)),
    processes: { with_sockets: processes.length, ...scan.stats },
    // Written last: a copy of the snapshot that lost or cut a file says so when it is read (docs/node.md).
    complete: true,
    files: Object.fromEntries(
      files.map(([n, d]) => [n, { bytes: typeof d === 'string' ? Buffer.byteLength(d) : d.length }]),
    ),
  };
  files.push(['env.json', `${JSON.stringify(env, null, 2)}\n`]);

  let tmp: string;
  try {
    tmp = makeTempDirSync(join(parent, `.${name}.procnet-`));
  } catch (e) {
    throw new SnapshotError(`cannot write ${shown} (${errnoOf(e)})`, errnoOf(e));
  }
  try {
    writeFiles(tmp, files);
    // Replaces an empty folder of the caller's; fails on anything else that appeared there meanwhile.
    renameSync(tmp, join(parent, name));
    syncDirSync(parent);
  } catch (e) {
    removeTreeSync(tmp);
    const code = errnoOf(e);
    const why =
      code === 'ENOSPC'
        ? 'no space left on the device'
        : code === 'ENOTEMPTY' || code === 'EEXIST'
          ? `${shown} appeared meanwhile and is not empty`
          : code;
    throw new SnapshotError(`cannot write ${shown} (${why}); nothing was left behind`, code);
  }
  return {
    path: join(parent, name),
    tables: [...tables.keys()],
    counters: [...counters.keys()],
    processes: processes.length,
    stats: scan.stats,
  };
}
