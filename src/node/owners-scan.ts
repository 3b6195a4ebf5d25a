/**
 * Which processes hold which sockets: the `/proc/<pid>/fd` scan (netstat -p, ss -p), or a dump's `fds.json`.
 * Only what the request needs is read: links of every descriptor (unavoidable), but `comm`, `cmdline` and
 * `status` only for processes that hold a wanted socket.
 * @module
 */
import { join } from 'node:path';
import { type FdDump, ownersFromFdDump, parseFdDump } from '../owners/fd-dump.js';
import { buildOwnerIndex, ownerPids, resolveOwners } from '../owners/owner-index.js';
import type { FdLinkEntry, ProcessInfo, SocketOwner } from '../owners/types.js';
import { batch, type IoFailure, type IoPlan, isFailure, type ReadlinkRequest, request } from './io.js';
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
  const info = yield* request({ op: 'read', path: join(procRoot, 'self/mountinfo'), size: 16384 });
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
 * Scans `<procRoot>/<pid>/fd` of every process and maps the `wanted` socket inodes (default: all) to their owners.
 * Unreadable processes are counted, never thrown: `denied` (another user's), `vanished` (exited mid-scan).
 */
export function* scanOwners(
  procRoot: string,
  wanted: ReadonlySet<string> | undefined,
  pidList?: number[],
): IoPlan<OwnerScan> {
  const hidepid = yield* hidepidOf(procRoot);
  // No `??` around a yield: the CJS build rewrites `??` into an arrow function, where yield is a syntax error.
  const pids = pidList !== undefined ? pidList : yield* listPids(procRoot);
  const fdDirs = pids.map((pid) => join(procRoot, String(pid), 'fd'));
  const listings = yield* batch(fdDirs.map((path) => ({ op: 'readdir' as const, path })));
  let scanned = 0;
  let denied = 0;
  let vanished = 0;
  const links: ReadlinkRequest[] = [];
  const linkPid: number[] = [];
  const linkFd: number[] = [];
  const perPid = new Map<number, number>();
  for (let i = 0; i < pids.length; i++) {
    const names = listings[i] as string[] | IoFailure;
    const pid = pids[i] as number;
    if (isFailure(names)) {
      if (isGone(names)) vanished++;
      else denied++;
      continue;
    }
    scanned++;
    perPid.set(pid, names.length);
    const dir = fdDirs[i] as string;
    for (const name of names) {
      links.push({ op: 'readlink', path: `${dir}/${name}` });
      linkPid.push(pid);
      linkFd.push(Number(name));
    }
  }
  const targets = yield* batch(links);
  const entries: FdLinkEntry[] = [];
  const gonePerPid = new Map<number, number>();
  const deniedPids = new Set<number>();
  for (let i = 0; i < targets.length; i++) {
    const link = targets[i] as string | IoFailure;
    const pid = linkPid[i] as number;
    if (isFailure(link)) {
      // A listable fd folder whose links are denied (a non-dumpable process, no CAP_SYS_PTRACE) is unread too.
      if (isDenied(link)) deniedPids.add(pid);
      else gonePerPid.set(pid, (gonePerPid.get(pid) ?? 0) + 1);
      continue;
    }
    if (link.startsWith(SOCKET_PREFIX)) entries.push({ pid, fd: linkFd[i] as number, link });
  }
  scanned -= deniedPids.size;
  denied += deniedPids.size;
  // Every descriptor gone between the listing and the links: the process exited.
  for (const [pid, gone] of gonePerPid) {
    if (gone === perPid.get(pid) && !deniedPids.has(pid)) {
      scanned--;
      vanished++;
    }
  }
  const index = buildOwnerIndex(entries, wanted);
  const info = yield* readProcessInfo(procRoot, ownerPids(index));
  return {
    owners: resolveOwners(index, (pid) => info.get(pid)),
    stats: { source: 'live', scanned, denied, vanished, hidepid },
  };
}

/** `comm`, `cmdline` and effective uid of each pid (fields `null` where unreadable). */
function* readProcessInfo(procRoot: string, pids: number[]): IoPlan<Map<number, ProcessInfo>> {
  const reqs = pids.flatMap((pid) => {
    const dir = join(procRoot, String(pid));
    return [
      { op: 'read' as const, path: `${dir}/comm`, size: 64 },
      { op: 'read' as const, path: `${dir}/cmdline`, size: 512 },
      { op: 'read' as const, path: `${dir}/status`, size: 2048 },
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
 * Owners from a dump's `fds.json` (first found in `metaDirs`), or `null` when there is none. A file that is not
 * valid JSON or not in the documented shape throws a `TypeError` naming it.
 */
export function* ownersFromDumpFile(
  metaDirs: readonly string[],
  wanted: ReadonlySet<string>,
): IoPlan<OwnerScan | null> {
  for (const dir of metaDirs) {
    const path = join(dir, 'fds.json');
    const bytes = yield* request({ op: 'read', path, size: 65536 });
    if (isFailure(bytes)) {
      if (bytes.code === 'ENOENT') continue;
      throw new Error(`procnet: cannot read ${path} (${bytes.code})`);
    }
    let dump: FdDump;
    try {
      dump = parseFdDump(JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')));
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
