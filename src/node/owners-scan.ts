/**
 * Which processes hold which sockets: the `/proc/<pid>/fd` scan (netstat -p, ss -p), or a dump's `fds.json`.
 * Only what the request needs is read: links of every descriptor (unavoidable), but `comm`, `cmdline` and
 * `status` only for processes that hold a wanted socket.
 * @module
 */
import { join } from 'node:path';
import { type FdDump, fdDumpFds, fdDumpInfo, parseFdDump } from '../owners/fd-dump.js';
import { findHolders, OwnerIndex, toOwners } from '../owners/owner-index.js';
import type { ProcessInfo, SocketOwner } from '../owners/types.js';
import { parseDumpJson } from './dump-meta.js';
import type { RawFdScan } from './fd-scan.js';
import { failureText, trustedFile } from './files.js';
import { batch, type FdScanHandle, type IoFailure, type IoPlan, isFailure, request } from './io.js';
import { sourceFile, type TableSource } from './source.js';
import type { ProcessScanStats } from './types.js';

/** Owners of the wanted sockets and the counts of the scan that found them. */
export interface OwnerScan {
  owners: Map<string, SocketOwner[]>;
  stats: ProcessScanStats;
}

/** The numeric entries of a procfs root: process ids (threads are not listed there). */
export function pidsOf(names: readonly string[]): number[] {
  const out: number[] = [];
  for (const n of names) {
    const c = n.charCodeAt(0);
    if (c < 0x31 || c > 0x39) continue;
    const v = Number(n);
    if (Number.isSafeInteger(v)) out.push(v);
  }
  return out.sort((a, b) => a - b);
}

/** Lists a procfs root's processes. */
export function* listPids(procRoot: string): IoPlan<number[]> {
  const names = yield* request({ op: 'readdir', path: procRoot });
  if (isFailure(names)) throw Object.assign(new Error(`procnet: cannot list ${procRoot} (${names.code})`), names);
  return pidsOf(names);
}

const utf8 = new TextDecoder();

function commOf(bytes: Uint8Array): string {
  const n = bytes.length > 0 && bytes[bytes.length - 1] === 0x0a ? bytes.length - 1 : bytes.length;
  return utf8.decode(bytes.subarray(0, n));
}

function cmdlineOf(bytes: Uint8Array): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0) {
      out.push(utf8.decode(bytes.subarray(start, i)));
      start = i + 1;
    }
  }
  // A process that rewrote its argv area may leave no final NUL.
  if (start < bytes.length) out.push(utf8.decode(bytes.subarray(start)));
  return out;
}

/** Real uid: the first number of the `Uid:` line of `/proc/<pid>/status` (what fds.json records too). */
function uidOf(bytes: Uint8Array): number | null {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const m = /\nUid:\s+(\d+)/.exec(text);
  return m ? Number(m[1]) : null;
}

/** The `hidepid` option of the procfs mounted at `procRoot`, when it hides processes from this reader. */
function* hidepidOf(procRoot: string): IoPlan<string | null> {
  if (process.geteuid?.() === 0) return null;
  const info = yield* request({
    op: 'read',
    file: trustedFile(join(procRoot, 'self/mountinfo'), 'system', undefined, 16384),
  });
  if (isFailure(info)) return null;
  const text = Buffer.from(info.buffer, info.byteOffset, info.byteLength).toString('utf8');
  for (const line of text.split('\n')) {
    const f = line.split(' ');
    if (f[4] !== procRoot) continue;
    const dash = f.indexOf('-', 6);
    if (dash < 0 || f[dash + 1] !== 'proc') continue;
    const opt = (f[dash + 3] ?? '').split(',').find((o) => o.startsWith('hidepid='));
    const v = opt?.slice('hidepid='.length);
    return v === undefined || v === '0' || v === 'off' ? null : v;
  }
  return null;
}

/**
 * Where the async readers run the descriptor scan: `true` in a worker thread, `false` on libuv's pool with
 * `concurrency` requests in flight, `'auto'` in a worker when the machine has at least
 * {@link WORKER_MIN_OPEN_FILES} open files. The sync readers always scan inline.
 */
export type ScanWorkerOption = boolean | 'auto';

/**
 * Below this many open files (`/proc/sys/fs/file-nr`, every process of the machine) a scan is short enough that
 * a worker's start (about 35 ms of CPU) would cost more than it saves.
 */
export const WORKER_MIN_OPEN_FILES = 10_000;

/** The first field of `/proc/sys/fs/file-nr`: allocated file handles, about the number of open descriptors. */
function openFilesOf(bytes: Uint8Array): number {
  let n = 0;
  let i = 0;
  while (i < bytes.length && (bytes[i] as number) >= 0x30 && (bytes[i] as number) <= 0x39) {
    n = n * 10 + (bytes[i] as number) - 0x30;
    i++;
  }
  return i === 0 ? -1 : n;
}

/** A started scan: see {@link startOwnerScan}. */
export interface StartedOwnerScan {
  root: string;
  pids: number[] | undefined;
  handle: FdScanHandle;
}

/**
 * Starts the descriptor scan of `<procRoot>/<pid>/fd` (every process, or `pidList`) so it can run while the plan
 * reads and parses the tables; {@link finishOwnerScan} collects it. A scan never finished is stopped with the plan.
 */
export function* startOwnerScan(
  procRoot: string,
  pidList: number[] | undefined,
  worker: ScanWorkerOption = 'auto',
): IoPlan<StartedOwnerScan> {
  let inWorker = worker === true;
  if (worker === 'auto') {
    const nr = yield* request({
      op: 'read',
      file: trustedFile(join(procRoot, 'sys/fs/file-nr'), 'system', undefined, 128),
    });
    inWorker = !isFailure(nr) && openFilesOf(nr) >= WORKER_MIN_OPEN_FILES;
  }
  const handle = yield* request({ op: 'startFdScan', root: procRoot, pids: pidList ?? null, worker: inWorker });
  const fallback: FdScanHandle = { root: procRoot, pids: pidList ?? null };
  return { root: procRoot, pids: pidList, handle: isFailure(handle) ? fallback : handle };
}

/** Collects a started scan (or scans with requests when it could not run) and counts what it could read. */
function* collectScan(started: StartedOwnerScan): IoPlan<{ raw: RawFdScan; stats: ProcessScanStats }> {
  const procRoot = started.root;
  const hidepid = yield* hidepidOf(procRoot);
  const raw = yield* request({ op: 'finishFdScan', handle: started.handle });
  if (isFailure(raw)) {
    throw Object.assign(new Error(`procnet: cannot scan ${procRoot} (${raw.code})`), { code: raw.code });
  }
  if (raw.rootError !== null) {
    throw Object.assign(new Error(`procnet: cannot list ${procRoot} (${raw.rootError})`), { code: raw.rootError });
  }
  let scanned = 0;
  let denied = 0;
  let vanished = 0;
  for (let i = 0; i < raw.pids.length; i++) {
    const fds = raw.fdCount[i] as number;
    if (raw.listing[i] === 1) denied++;
    else if (raw.listing[i] === 2) vanished++;
    // A listable fd folder whose links are denied (a non-dumpable process, no CAP_SYS_PTRACE) is unread too.
    else if (raw.linksDenied[i] === 1) denied++;
    // Every descriptor gone between the listing and the links: the process exited.
    else if (fds > 0 && raw.linksGone[i] === fds) vanished++;
    else scanned++;
  }
  return { raw, stats: { source: 'live', scanned, denied, vanished, hidepid } };
}

/** The owner index of a live scan's socket descriptors. */
const indexOf = (raw: RawFdScan) => new OwnerIndex({ pid: raw.sockPid, fd: raw.sockFd, link: raw.sockLink });

/**
 * The owners of each of `inodes` (`[]`: none) from the one owner index, with process details read (`details`) only
 * for the pids that hold one of them.
 */
function* ownersOf(
  index: OwnerIndex,
  inodes: readonly string[],
  details: (pids: number[]) => IoPlan<ReadonlyMap<number, ProcessInfo>>,
): IoPlan<SocketOwner[][]> {
  const holders = findHolders(index, inodes);
  const info = yield* details(holders.pids);
  return toOwners(holders, (pid) => info.get(pid));
}

/**
 * Collects a scan started by {@link startOwnerScan} and maps the `wanted` socket inodes (default: every one held)
 * to their owners. Unreadable processes are counted, never thrown: `denied` (another user's), `vanished` (exited
 * mid-scan).
 */
export function* finishOwnerScan(
  started: StartedOwnerScan,
  wanted: ReadonlySet<string> | undefined,
): IoPlan<OwnerScan> {
  const { raw, stats } = yield* collectScan(started);
  const index = indexOf(raw);
  const inodes = wanted === undefined ? index.inodes : [...wanted];
  const lists = yield* ownersOf(index, inodes, (pids) => readProcessInfo(started.root, pids));
  return { owners: ownerMap(inodes, lists), stats };
}

/** `inodes[i]` → `lists[i]`, for the inodes that have owners. */
function ownerMap(inodes: readonly string[], lists: readonly SocketOwner[][]): Map<string, SocketOwner[]> {
  const owners = new Map<string, SocketOwner[]>();
  lists.forEach((list, i) => {
    if (list.length > 0) owners.set(inodes[i] as string, list);
  });
  return owners;
}

/** Each row's owners (by its position in the rows given), and the counts of the scan that found them. */
export interface RowOwners {
  stats: ProcessScanStats;
  /** The owners of `rows[i]` (`[]`: none). */
  at(i: number): readonly SocketOwner[];
}

/**
 * {@link finishOwnerScan} for rows already read, as `readSockets` needs it: the owners of each row (the same lists:
 * sorted by pid then fd, each pair once; process details read only for the pids that hold a row's socket).
 */
export function* finishOwnerScanFor(started: StartedOwnerScan, rows: readonly { inode: string }[]): IoPlan<RowOwners> {
  const { raw, stats } = yield* collectScan(started);
  const lists = yield* ownersOf(
    indexOf(raw),
    rows.map((r) => r.inode),
    (pids) => readProcessInfo(started.root, pids),
  );
  return { stats, at: (i) => lists[i] as SocketOwner[] };
}

/**
 * Scans `<procRoot>/<pid>/fd` of every process (or `pidList`) and maps the `wanted` socket inodes (default: all)
 * to their owners: {@link startOwnerScan} then {@link finishOwnerScan}.
 */
export function* scanOwners(
  procRoot: string,
  wanted: ReadonlySet<string> | undefined,
  pidList?: number[],
  worker: ScanWorkerOption = 'auto',
): IoPlan<OwnerScan> {
  const started = yield* startOwnerScan(procRoot, pidList, worker);
  return yield* finishOwnerScan(started, wanted);
}

/** `comm`, `cmdline` and effective uid of each pid (fields `null` where unreadable). */
function* readProcessInfo(procRoot: string, pids: number[]): IoPlan<Map<number, ProcessInfo>> {
  const reqs = pids.flatMap((pid) => {
    const dir = join(procRoot, String(pid));
    return [
      { op: 'read' as const, file: trustedFile(`${dir}/comm`, 'system', undefined, 64) },
      { op: 'read' as const, file: trustedFile(`${dir}/cmdline`, 'system', undefined, 512) },
      { op: 'read' as const, file: trustedFile(`${dir}/status`, 'system', undefined, 2048) },
    ];
  });
  const res = yield* batch(reqs);
  const info = new Map<number, ProcessInfo>();
  for (let i = 0; i < pids.length; i++) {
    const comm = res[3 * i] as Uint8Array | IoFailure;
    const cmdline = res[3 * i + 1] as Uint8Array | IoFailure;
    const status = res[3 * i + 2] as Uint8Array | IoFailure;
    info.set(pids[i] as number, {
      comm: isFailure(comm) ? null : commOf(comm),
      cmdline: isFailure(cmdline) ? null : cmdlineOf(cmdline),
      uid: isFailure(status) ? null : uidOf(status),
    });
  }
  return info;
}

/** A dump's `fds.json` as an owner index, the details of its processes and the counts it records. */
interface DumpOwners {
  index: OwnerIndex;
  info: ReadonlyMap<number, ProcessInfo>;
  stats: ProcessScanStats;
}

/**
 * A dump's `fds.json` (first found in its metadata folders), or `null` when there is none. A file that cannot be read
 * (refused by files.ts: a link out of the dump, a FIFO, over `limits.fdsJson`) throws an `Error` with its `code` and
 * `path`; one that is not valid JSON or not in the documented shape throws a `TypeError` naming it.
 */
function* readDumpOwners(source: TableSource): IoPlan<DumpOwners | null> {
  for (const dir of source.metaDirs) {
    const path = join(dir, 'fds.json');
    const bytes = yield* request({ op: 'read', file: sourceFile(source, path, 'fdsJson') });
    if (isFailure(bytes)) {
      if (bytes.code === 'ENOENT') continue;
      throw Object.assign(new Error(`procnet: ${failureText(path, bytes)}`), { code: bytes.code, path });
    }
    let dump: FdDump;
    try {
      dump = parseFdDump(parseDumpJson(bytes));
    } catch (e) {
      throw new TypeError(`procnet: ${path} is not a valid fds.json: ${(e as Error).message}`);
    }
    const stats: ProcessScanStats = {
      source: 'fds.json',
      scanned: dump.processes.length,
      denied: dump.denied ?? 0,
      vanished: dump.vanished ?? 0,
      hidepid: null,
    };
    return { index: new OwnerIndex(fdDumpFds(dump)), info: fdDumpInfo(dump), stats };
  }
  return null;
}

/** The owners of each of `inodes` from a dump's index (no I/O: the details are in the dump). */
function* dumpOwnersOf(dump: DumpOwners, inodes: readonly string[]): IoPlan<SocketOwner[][]> {
  return yield* ownersOf(
    dump.index,
    inodes,
    // biome-ignore lint/correctness/useYield: the details are in the dump, no I/O
    function* () {
      return dump.info;
    },
  );
}

/**
 * Each row's owners from a dump's `fds.json`, mapped by the same index as a live scan, or `null` when there is none
 * (errors: see {@link readDumpOwners}).
 */
export function* ownersFromDumpFile(source: TableSource, rows: readonly { inode: string }[]): IoPlan<RowOwners | null> {
  const dump = yield* readDumpOwners(source);
  if (dump === null) return null;
  const lists = yield* dumpOwnersOf(
    dump,
    rows.map((r) => r.inode),
  );
  return { stats: dump.stats, at: (i) => lists[i] as SocketOwner[] };
}

/**
 * The owners of every socket a dump's `fds.json` lists, by inode, or `null` when there is none (errors: see
 * {@link readDumpOwners}).
 */
export function* ownerMapFromDumpFile(source: TableSource): IoPlan<OwnerScan | null> {
  const dump = yield* readDumpOwners(source);
  if (dump === null) return null;
  const inodes = dump.index.inodes;
  const lists = yield* dumpOwnersOf(dump, inodes);
  return { owners: ownerMap(inodes, lists), stats: dump.stats };
}
