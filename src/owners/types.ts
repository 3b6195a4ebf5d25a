/**
 * Socket ownership types: which processes hold a socket's inode through a file descriptor.
 * @module
 */

/** One `/proc/<pid>/fd/<fd>` symlink: the process, the descriptor number and the link text (`socket:[12345]`). */
export interface FdLinkEntry {
  pid: number;
  fd: number;
  /** What `readlink` returned: `socket:[12345]`, `pipe:[…]`, `/dev/null`, … */
  link: string;
}

/** A descriptor that holds a socket: process id and fd number. */
export interface FdRef {
  pid: number;
  fd: number;
}

/** What is known about a process besides its descriptors. Each field is `null` when it could not be read. */
export interface ProcessInfo {
  /** `/proc/<pid>/comm`: the command name (at most 15 bytes, set by the program or from the executable name). */
  comm: string | null;
  /** `/proc/<pid>/cmdline` split at NUL bytes. Empty for kernel threads and zombies. */
  cmdline: readonly string[] | null;
  /** Real uid from `/proc/<pid>/status` (`Uid:` line, first value), in the reader's user namespace. */
  uid: number | null;
}

/**
 * A process that holds a socket: netstat -p / ss -p, but every holder, not only the first one found.
 * An inherited or passed socket has several owners (a parent and its children, a pre-fork server's workers).
 */
export interface SocketOwner extends ProcessInfo {
  pid: number;
  /** The descriptor number in that process. */
  fd: number;
}
