/**
 * inode → owners: the mapping netstat -p and ss -p build from `/proc/<pid>/fd`, as pure functions, so a saved fd
 * listing maps owners offline exactly as a live scan does.
 * @module
 */
import { parseFdLink } from './proc-link.js';
import type { FdLinkEntry, FdRef, ProcessInfo, SocketOwner } from './types.js';

/** Socket inode (decimal string, as in the tables' `inode` column) → every descriptor that holds it. */
export type OwnerIndex = Map<string, FdRef[]>;

function byPidThenFd(a: FdRef, b: FdRef): number {
  return a.pid - b.pid || a.fd - b.fd;
}

/**
 * Builds the inode → owners index from descriptor links. Links that are not sockets are ignored; with `wanted`,
 * so are sockets not in it. Each inode's list is sorted by pid, then fd, and holds each (pid, fd) once, so the
 * result does not depend on the order of the entries.
 *
 * ```ts
 * buildOwnerIndex([{ pid: 10, fd: 3, link: 'socket:[777]' }, { pid: 11, fd: 3, link: 'socket:[777]' }])
 * // Map { '777' => [{ pid: 10, fd: 3 }, { pid: 11, fd: 3 }] }
 * ```
 */
export function buildOwnerIndex(entries: Iterable<FdLinkEntry>, wanted?: ReadonlySet<string>): OwnerIndex {
  const index: OwnerIndex = new Map();
  for (const e of entries) {
    const inode = parseFdLink(e.link);
    if (inode === null || (wanted !== undefined && !wanted.has(inode))) continue;
    const list = index.get(inode);
    if (list === undefined) index.set(inode, [{ pid: e.pid, fd: e.fd }]);
    else list.push({ pid: e.pid, fd: e.fd });
  }
  for (const list of index.values()) sortUniqueRefs(list);
  return index;
}

/**
 * Sorts one socket's descriptors by pid, then fd, and drops repeated (pid, fd) pairs (a listing taken twice, or
 * merged from two sources), in place.
 * @internal
 */
export function sortUniqueRefs(list: FdRef[]): void {
  if (list.length < 2) return;
  list.sort(byPidThenFd);
  let w = 1;
  for (let r = 1; r < list.length; r++) {
    const prev = list[w - 1] as FdRef;
    const cur = list[r] as FdRef;
    if (cur.pid !== prev.pid || cur.fd !== prev.fd) list[w++] = cur;
  }
  list.length = w;
}

/** The pids that hold at least one socket of the index (the processes whose details are worth reading). */
export function ownerPids(index: OwnerIndex): number[] {
  const pids = new Set<number>();
  for (const list of index.values()) for (const r of list) pids.add(r.pid);
  return [...pids].sort((a, b) => a - b);
}

const UNKNOWN: ProcessInfo = Object.freeze({ comm: null, cmdline: null, uid: null });

/**
 * One descriptor's owner: its pid and fd with the process's details (`null` fields for a pid `info` does not know).
 * @internal
 */
export function socketOwner(r: FdRef, info: (pid: number) => ProcessInfo | undefined): SocketOwner {
  const p = info(r.pid) ?? UNKNOWN;
  return { pid: r.pid, fd: r.fd, comm: p.comm, cmdline: p.cmdline, uid: p.uid };
}

/**
 * Adds process details to an index: inode → {@link SocketOwner} list, same order. `info` gives a pid's details;
 * a pid it does not know (a process that exited before its details were read) gets `null` fields.
 */
export function resolveOwners(
  index: OwnerIndex,
  info: (pid: number) => ProcessInfo | undefined,
): Map<string, SocketOwner[]> {
  const out = new Map<string, SocketOwner[]>();
  for (const [inode, list] of index) {
    const owners: SocketOwner[] = new Array(list.length);
    for (let i = 0; i < list.length; i++) owners[i] = socketOwner(list[i] as FdRef, info);
    out.set(inode, owners);
  }
  return out;
}
