/**
 * Which processes hold which sockets: the `/proc/<pid>/fd` scan (netstat -p, ss -p), or a dump's `fds.json`.
 * Only what the request needs is read: links of every descriptor (unavoidable), but `comm`, `cmdline` and
 * `status` only for processes that hold a wanted socket.
 * @module
 */
import { join } from 'node:path';
import { type FdDump, ownersFromFdDump, parseFdDump } from '../owners/fd-dump.js';
import { buildOwnerIndex, ownerPids, resolveOwners, socketOwner, sortUniqueRefs } from '../owners/owner-index.js';
import { parseFdLink } from '../owners/proc-link.js';
import type { FdLinkEntry, FdRef, ProcessInfo, SocketOwner } from '../owners/types.js';
import { parseDumpJson } from './dump-meta.js';
import type { RawFdScan } from './fd-scan.js';
import { failureText, trustedFile } from './files.js';
import { InodeTable, inodeNumber } from './inode-table.js';
import {
  batch,
  type FdScanHandle,
  type IoFailure,
  type IoPlan,
  isFailure,
  type ReadlinkRequest,
  request,
} from './io.js';
import { sourceFile, type TableSource } from './source.js';
import type { ProcessScanStats } from './types.js';

/** Owners of the wanted sockets and the counts of the scan that found them. */
export interface OwnerScan {
  owners: Map<string, SocketOwner[]>;
  stats: ProcessScanStats;
}

const SOCKET_PREFIX = 'socket:[';

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

const isDenied = (f: IoFailure) => f.code === 'EACCES' || f.code === 'EPERM';
const isGone = (f: IoFailure) => f.code === 'ENOENT' || f.code === 'ESRCH';

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
  handle: FdScanHandle | null;
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
  return { root: procRoot, pids: pidList, handle: isFailure(handle) ? null : handle };
}

/** The scan with one batch of `readdir` and one of `readlink` requests (async driver without a worker). */
function* scanWithRequests(procRoot: string, pidList: number[] | undefined): IoPlan<RawFdScan> {
  // No `??` around a yield: the CJS build rewrites `??` into an arrow function, where yield is a syntax error.
  const pids = pidList !== undefined ? pidList : yield* listPids(procRoot);
  const fdDirs = pids.map((pid) => join(procRoot, String(pid), 'fd'));
  const listings = yield* batch(fdDirs.map((path) => ({ op: 'readdir' as const, path })));
  const raw: RawFdScan = {
    rootError: null,
    pids,
    listing: new Array(pids.length).fill(0),
    fdCount: new Array(pids.length).fill(0),
    linksGone: new Array(pids.length).fill(0),
    linksDenied: new Array(pids.length).fill(0),
    sockPid: [],
    sockFd: [],
    sockLink: [],
  };
  const links: ReadlinkRequest[] = [];
  const linkOf: number[] = [];
  const linkFd: number[] = [];
  for (let i = 0; i < pids.length; i++) {
    const names = listings[i] as string[] | IoFailure;
    if (isFailure(names)) {
      raw.listing[i] = isGone(names) ? 2 : 1;
      continue;
    }
    raw.fdCount[i] = names.length;
    const dir = fdDirs[i] as string;
    for (const name of names) {
      links.push({ op: 'readlink', path: `${dir}/${name}` });
      linkOf.push(i);
      linkFd.push(Number(name));
    }
  }
  const targets = yield* batch(links);
  for (let k = 0; k < targets.length; k++) {
    const link = targets[k] as string | IoFailure;
    const i = linkOf[k] as number;
    if (isFailure(link)) {
      if (isDenied(link)) raw.linksDenied[i] = 1;
      else raw.linksGone[i] = (raw.linksGone[i] as number) + 1;
      continue;
    }
    if (link.startsWith(SOCKET_PREFIX)) {
      raw.sockPid.push(pids[i] as number);
      raw.sockFd.push(linkFd[k] as number);
      raw.sockLink.push(link);
    }
  }
  return raw;
}

/** Collects a started scan (or scans with requests when it could not run) and counts what it could read. */
function* collectScan(started: StartedOwnerScan): IoPlan<{ raw: RawFdScan; stats: ProcessScanStats }> {
  const procRoot = started.root;
  const hidepid = yield* hidepidOf(procRoot);
  let raw: RawFdScan | IoFailure | null = null;
  if (started.handle !== null) raw = yield* request({ op: 'finishFdScan', handle: started.handle });
  if (raw === null || isFailure(raw)) raw = yield* scanWithRequests(procRoot, started.pids);
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

/**
 * Collects a scan started by {@link startOwnerScan} (or scans now, with requests, when it could not run) and maps
 * the `wanted` socket inodes (default: all) to their owners. Unreadable processes are counted, never thrown:
 * `denied` (another user's), `vanished` (exited mid-scan).
 */
export function* finishOwnerScan(
  started: StartedOwnerScan,
  wanted: ReadonlySet<string> | undefined,
): IoPlan<OwnerScan> {
  const { raw, stats } = yield* collectScan(started);
  const entries: FdLinkEntry[] = new Array(raw.sockLink.length);
  for (let k = 0; k < entries.length; k++) {
    entries[k] = { pid: raw.sockPid[k] as number, fd: raw.sockFd[k] as number, link: raw.sockLink[k] as string };
  }
  const index = buildOwnerIndex(entries, wanted);
  const info = yield* readProcessInfo(started.root, ownerPids(index));
  return { owners: resolveOwners(index, (pid) => info.get(pid)), stats };
}

/** Each row's owners (by its position in the rows given), and the counts of the scan that found them. */
export interface RowOwners {
  stats: ProcessScanStats;
  /** The owners of `rows[i]` (`undefined`: none). */
  at(i: number): readonly SocketOwner[] | undefined;
}

/**
 * {@link finishOwnerScan} for rows already read, as `readSockets` needs it: the owners of each row, with the same
 * lists (sorted by pid then fd, each pair once; process details read only for the pids that hold a row's socket),
 * found through a table of numeric inodes instead of maps and sets keyed by inode text, which for 100k sockets
 * cost several times more.
 */
export function* finishOwnerScanFor(started: StartedOwnerScan, rows: readonly { inode: string }[]): IoPlan<RowOwners> {
  const { raw, stats } = yield* collectScan(started);
  const links = new LinkIndex(raw);
  // Each row's chain of descriptors, and the pids that hold at least one of the rows' sockets.
  const heads = new Int32Array(rows.length).fill(-1);
  const held = new Set<number>();
  for (let i = 0; i < rows.length; i++) {
    const inode = (rows[i] as { inode: string }).inode;
    if (inode === '0') continue;
    const head = links.find(inode);
    heads[i] = head;
    for (let k = head; k >= 0; k = links.next[k] as number) held.add(raw.sockPid[k] as number);
  }
  const info = yield* readProcessInfo(
    started.root,
    [...held].sort((a, b) => a - b),
  );
  const ownerInfo = (pid: number) => info.get(pid);
  const lists: (SocketOwner[] | undefined)[] = new Array(rows.length);
  const refs: FdRef[] = [];
  for (let i = 0; i < rows.length; i++) {
    const head = heads[i] as number;
    if (head < 0) continue;
    refs.length = 0;
    for (let k = head; k >= 0; k = links.next[k] as number) {
      refs.push({ pid: raw.sockPid[k] as number, fd: raw.sockFd[k] as number });
    }
    sortUniqueRefs(refs);
    lists[i] = refs.map((r) => socketOwner(r, ownerInfo));
  }
  return { stats, at: (i) => lists[i] };
}

/**
 * The scan's socket links by inode, read as `parseFdLink` reads them: each inode heads a chain of the scan's
 * entries (`next`), in an {@link InodeTable}, or, past 15 digits, in a map by its text.
 */
class LinkIndex {
  readonly next: Int32Array;
  readonly #heads: InodeTable;
  readonly #byText = new Map<string, number>();

  constructor(raw: RawFdScan) {
    const n = raw.sockLink.length;
    this.#heads = new InodeTable(n);
    this.next = new Int32Array(n).fill(-1);
    for (let k = 0; k < n; k++) {
      const text = parseFdLink(raw.sockLink[k] as string);
      if (text === null) continue;
      const inode = inodeNumber(text);
      if (inode >= 0) {
        this.next[k] = this.#heads.get(inode);
        this.#heads.set(inode, k);
      } else {
        this.next[k] = this.#byText.get(text) ?? -1;
        this.#byText.set(text, k);
      }
    }
  }

  /** The first entry of the chain of a row's inode (decimal text), or -1 when no descriptor holds it. */
  find(inode: string): number {
    const v = inodeNumber(inode);
    return v >= 0 ? this.#heads.get(v) : (this.#byText.get(inode) ?? -1);
  }
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

/**
 * Owners from a dump's `fds.json` (first found in its metadata folders), or `null` when there is none. A file that
 * cannot be read (refused by files.ts: a link out of the dump, a FIFO, over `limits.fdsJson`) throws an `Error` with
 * its `code` and `path`; one that is not valid JSON or not in the documented shape throws a `TypeError` naming it.
 */
export function* ownersFromDumpFile(source: TableSource, wanted: ReadonlySet<string>): IoPlan<OwnerScan | null> {
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
    return {
      owners: ownersFromFdDump(dump, wanted),
      stats: {
        source: 'fds.json',
        scanned: dump.processes.length,
        denied: dump.denied ?? 0,
        vanished: dump.vanished ?? 0,
        hidepid: null,
      },
    };
  }
  return null;
}
