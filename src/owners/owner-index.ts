/**
 * Socket inode → owners: the one mapping netstat -p and ss -p build from `/proc/<pid>/fd`, as pure code, used for a
 * live scan and for a dump's `fds.json` alike. The socket descriptors ({@link SocketFds}) are chained by numeric
 * inode in an {@link InodeTable} (maps and sets keyed by inode text cost several times more for 100k sockets); owners
 * are then found per inode asked for, so only the processes that hold a wanted socket need their details.
 * @module
 */
import { InodeTable, inodeNumber } from '../tables/inode-table.js';
import { parseFdLink } from './proc-link.js';
import type { FdRef, ProcessInfo, SocketOwner } from './types.js';

/** Descriptors that may hold sockets, as parallel arrays (what the fd scan gives; what `fds.json` is turned into). */
export interface SocketFds {
  pid: readonly number[];
  fd: readonly number[];
  /** The `readlink` text: `socket:[N]` (other links are ignored). */
  link: readonly string[];
}

function byPidThenFd(a: FdRef, b: FdRef): number {
  return a.pid - b.pid || a.fd - b.fd;
}

const UNKNOWN: ProcessInfo = Object.freeze({ comm: null, cmdline: null, uid: null });

/** The descriptors of each socket inode (read as `parseFdLink` reads a link). */
export class OwnerIndex {
  readonly #fds: SocketFds;
  /** Entry `k`'s next entry of the same inode, or -1. */
  readonly #next: Int32Array;
  readonly #heads: InodeTable;
  /** Inodes past 15 digits, by their text. */
  readonly #byText = new Map<string, number>();
  /** Every socket inode held, in first-seen order. */
  readonly inodes: string[] = [];

  constructor(fds: SocketFds) {
    this.#fds = fds;
    const n = fds.link.length;
    this.#heads = new InodeTable(n);
    this.#next = new Int32Array(n).fill(-1);
    for (let k = 0; k < n; k++) {
      const text = parseFdLink(fds.link[k] as string);
      if (text === null) continue;
      const inode = inodeNumber(text);
      let head: number;
      if (inode >= 0) {
        head = this.#heads.get(inode);
        this.#heads.set(inode, k);
      } else {
        head = this.#byText.get(text) ?? -1;
        this.#byText.set(text, k);
      }
      if (head < 0) this.inodes.push(text);
      this.#next[k] = head;
    }
  }

  /**
   * The descriptors holding `inode` (decimal text, as the tables print it), sorted by pid then fd, each pair once;
   * `[]` when none does.
   */
  holders(inode: string): FdRef[] {
    const v = inodeNumber(inode);
    const head = v >= 0 ? this.#heads.get(v) : (this.#byText.get(inode) ?? -1);
    const refs: FdRef[] = [];
    for (let k = head; k >= 0; k = this.#next[k] as number) {
      refs.push({ pid: this.#fds.pid[k] as number, fd: this.#fds.fd[k] as number });
    }
    if (refs.length < 2) return refs;
    refs.sort(byPidThenFd);
    let w = 1;
    for (let r = 1; r < refs.length; r++) {
      const prev = refs[w - 1] as FdRef;
      const cur = refs[r] as FdRef;
      if (cur.pid !== prev.pid || cur.fd !== prev.fd) refs[w++] = cur;
    }
    refs.length = w;
    return refs;
  }
}

/**
 * Owners found in two steps, so that process details are read only for the processes that hold a wanted socket:
 * {@link findHolders} (the descriptors of each inode asked for, and the pids among them), then {@link toOwners}.
 */
export interface Holders {
  /** Per inode asked for: its descriptors (`[]` when none holds it, or the inode is `'0'`). */
  refs: FdRef[][];
  /** The pids that hold at least one of them, ascending. */
  pids: number[];
}

/** The descriptors of each of `inodes` (`'0'`: none), and the pids holding any. */
export function findHolders(index: OwnerIndex, inodes: readonly string[]): Holders {
  const refs: FdRef[][] = new Array(inodes.length);
  const pids = new Set<number>();
  for (let i = 0; i < inodes.length; i++) {
    const inode = inodes[i] as string;
    const list = inode === '0' ? [] : index.holders(inode);
    refs[i] = list;
    for (const r of list) pids.add(r.pid);
  }
  return { refs, pids: [...pids].sort((a, b) => a - b) };
}

/** Each inode's owners with the process details `info` gives (`null` fields for a pid it does not know). */
export function toOwners(holders: Holders, info: (pid: number) => ProcessInfo | undefined): SocketOwner[][] {
  return holders.refs.map((list) =>
    list.map((r) => {
      const p = info(r.pid) ?? UNKNOWN;
      return { pid: r.pid, fd: r.fd, comm: p.comm, cmdline: p.cmdline, uid: p.uid };
    }),
  );
}
