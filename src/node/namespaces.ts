/**
 * `readNamespaces`: every network namespace that has a process in it, each read once (through one of its
 * processes), every socket tagged with its namespace inode.
 * @module
 */
import { join } from 'node:path';
import { parseNamespaceLink } from '../owners/proc-link.js';
import type { TableKind } from '../types.js';
import { addRows, attachOwners, newAccumulator, openTable, readRequest, type TableJob, toResult } from './assemble.js';
import { driveAsync, driveSync } from './drive.js';
import { checkLimits, trustedFile } from './files.js';
import { batch, type IoFailure, type IoPlan, isFailure, PROC_SUPER_MAGIC, request, type SinkThrew } from './io.js';
import { listPids, startOwnerScan } from './owners-scan.js';
import { AUTO_THREADS, checkConcurrency, checkKinds, ownersFor, type Threads, tableWorkers } from './read-sockets.js';
import { checkUserHz, decideSettings } from './settings.js';
import { readNamespaceLink, type TableSource } from './source.js';
import type { NetNamespace, ReadNamespacesOptions, ReadNamespacesResult, ReadNote } from './types.js';

interface Candidate {
  ns: NetNamespace;
  /** Index of the next pid of `order` to try. */
  next: number;
  /** The pids to read the namespace through, in order. */
  order: number[];
}

/** The network namespaces of a procfs root, as {@link findNamespaces} finds them. */
export interface FoundNamespaces {
  /** The reader's own namespace first, then by inode; `readFrom` still `null`. */
  namespaces: NetNamespace[];
  /** Every pid listed. */
  pids: number[];
  /** This process's pid in that procfs, or `null`. */
  selfPid: number | null;
  /** A `NAMESPACE_UNREADABLE` note when some processes' namespaces could not be read, else `null`. */
  unreadable: ReadNote | null;
}

/**
 * Lists the processes of `root` (a mounted procfs, else a `TypeError`) and groups them by network namespace
 * (`/proc/<pid>/ns/net`).
 */
export function* findNamespaces(root: string): IoPlan<FoundNamespaces> {
  const fsType = yield* request({ op: 'statfs', path: root });
  if (fsType !== PROC_SUPER_MAGIC) {
    throw new TypeError(
      `procnet: readNamespaces needs a mounted procfs; ${root} is not one (dumps hold one namespace)`,
    );
  }
  const pids = yield* listPids(root);
  const links = yield* batch([
    { op: 'readlink' as const, path: join(root, 'self/ns/net') },
    { op: 'readlink' as const, path: join(root, 'self') },
    ...pids.map((pid) => ({ op: 'readlink' as const, path: join(root, String(pid), 'ns/net') })),
  ]);
  const self = isFailure(links[0]) ? null : parseNamespaceLink(links[0] as string);
  const selfPid = isFailure(links[1]) ? null : Number(links[1]);
  const byInode = new Map<string, NetNamespace>();
  let denied = 0;
  for (let i = 0; i < pids.length; i++) {
    const link = links[i + 2] as string | IoFailure;
    if (isFailure(link)) {
      if (link.code !== 'ENOENT' && link.code !== 'ESRCH') denied++;
      continue;
    }
    const inode = parseNamespaceLink(link);
    if (inode === null) continue;
    let ns = byInode.get(inode);
    if (ns === undefined) {
      ns = { inode, pids: [], readFrom: null, current: inode === self };
      byInode.set(inode, ns);
    }
    ns.pids.push(pids[i] as number);
  }
  const namespaces = [...byInode.values()].sort(
    (a, b) => Number(b.current) - Number(a.current) || a.inode.length - b.inode.length || (a.inode < b.inode ? -1 : 1),
  );
  const unreadable: ReadNote | null =
    denied === 0
      ? null
      : {
          code: 'NAMESPACE_UNREADABLE',
          message: `the namespace of ${denied} process${denied === 1 ? '' : 'es'} could not be read (another user's, or no ptrace access): namespaces only they are in are missing`,
          kind: null,
          path: null,
        };
  return { namespaces, pids, selfPid, unreadable };
}

/**
 * The pids to read namespace `ns` through, in order: the reader itself first for its own namespace (it cannot exit or
 * move meanwhile), else ascending.
 */
export function readOrder(ns: NetNamespace, selfPid: number | null): number[] {
  if (ns.current && selfPid !== null && ns.pids.includes(selfPid)) {
    return [selfPid, ...ns.pids.filter((p) => p !== selfPid)];
  }
  return ns.pids;
}

/** The note of a namespace none of whose processes could be read. */
export function namespaceUnreadable(inode: string): ReadNote {
  return {
    code: 'NAMESPACE_UNREADABLE',
    message: `namespace net:[${inode}]: no process of it could be read`,
    kind: null,
    path: null,
  };
}

/** The whole read, as a plan of I/O batches. */
export function* readNamespacesPlan(
  options: ReadNamespacesOptions = {},
  threads: Readonly<Threads> = AUTO_THREADS,
): IoPlan<ReadNamespacesResult> {
  const kinds = checkKinds(options.kinds);
  checkUserHz(options.userHz);
  const worker = threads.scan;
  const root = (options.root ?? '/proc').replace(/(.)\/+$/, '$1');
  const limits = checkLimits(options.limits);
  const acc = newAccumulator();
  const { namespaces, pids, selfPid, unreadable } = yield* findNamespaces(root);
  // The descriptor scan of the same processes, in a worker while the namespaces are read.
  const started = options.processes === true ? yield* startOwnerScan(root, pids, worker) : null;
  if (unreadable !== null) acc.notes.push(unreadable);
  // Read each namespace through its lowest pid; verify afterwards that the pid is still in it (a process can exit
  // or move with setns), else try the next one.
  const source: TableSource = {
    live: true,
    root,
    layout: 'proc',
    netDir: root,
    metaDirs: [],
    nsLink: null,
    confine: null,
    limits,
  };
  const settings = yield* decideSettings(acc, source, options, []);
  let pending: Candidate[] = namespaces.map((ns) => ({ ns, next: 0, order: readOrder(ns, selfPid) }));
  while (pending.length > 0) {
    const tries = pending.filter((c) => c.next < c.order.length);
    for (const c of pending) {
      if (c.next >= c.order.length) acc.notes.push(namespaceUnreadable(c.ns.inode));
    }
    if (tries.length === 0) break;
    const dirs = tries.map((c) => join(root, String(c.order[c.next++]), 'net'));
    const workers: boolean[][] = [];
    for (const d of dirs) workers.push(yield* tableWorkers(d, kinds, threads.table, limits));
    const jobs = dirs.flatMap((d) => kinds.map((k) => openTable(k, `${d}/${k}`, settings, 'rows')));
    const reads = yield* batch(
      jobs.map((job, j) =>
        readRequest(
          job,
          trustedFile(job.path, 'table', limits),
          workers[Math.floor(j / kinds.length)]?.[j % kinds.length] === true,
        ),
      ),
    );
    const verify = yield* batch(
      tries.map((c) => ({ op: 'readlink' as const, path: join(root, String(c.order[c.next - 1]), 'ns/net') })),
    );
    pending = [];
    for (let t = 0; t < tries.length; t++) {
      const c = tries[t] as Candidate;
      const link = verify[t] as string | IoFailure;
      if (isFailure(link) || parseNamespaceLink(link) !== c.ns.inode) {
        pending.push(c);
        continue;
      }
      c.ns.readFrom = c.order[c.next - 1] as number;
      for (let k = 0; k < kinds.length; k++) {
        const j = t * kinds.length + k;
        addRows(acc, jobs[j] as TableJob, reads[j] as Uint8Array | IoFailure | SinkThrew | null, c.ns.inode);
      }
    }
  }
  let processes: ReadNamespacesResult['processes'] = null;
  if (options.processes === true) {
    const scan = yield* ownersFor(acc, source, started, worker, pids);
    if (scan !== null) {
      attachOwners(acc, scan);
      processes = scan.stats;
    }
  }
  const result = toResult(acc, {
    byteOrder: settings.byteOrder,
    byteOrderSource: settings.byteOrderSource,
    userHz: settings.userHz,
    source: { live: true, netDir: root },
    processes,
  });
  return { ...result, namespaces };
}

/**
 * Lists every network namespace on the machine by `/proc/<pid>/ns/net`, reads each one's tables once (not once
 * per process, which would count sockets many times) and tags every socket with its namespace inode. Needs a
 * mounted procfs; other users' processes' namespaces need root (see the notes).
 */
export function readNamespaces<K extends TableKind = TableKind>(
  options?: ReadNamespacesOptions<K>,
): Promise<ReadNamespacesResult<K>> {
  try {
    return driveAsync(readNamespacesPlan(options), checkConcurrency(options?.concurrency)) as Promise<
      ReadNamespacesResult<K>
    >;
  } catch (e) {
    return Promise.reject(e);
  }
}

/** {@link readNamespaces}, blocking. */
export function readNamespacesSync<K extends TableKind = TableKind>(
  options?: ReadNamespacesOptions<K>,
): ReadNamespacesResult<K> {
  checkConcurrency(options?.concurrency);
  return driveSync(readNamespacesPlan(options)) as ReadNamespacesResult<K>;
}

/** {@link findNamespaces}, run (for readers that read each namespace themselves: the Prometheus scrape). */
export function listNamespaces(root: string, concurrency: number): Promise<FoundNamespaces> {
  return driveAsync(findNamespaces(root), concurrency);
}

/** The namespace of process `pid` now (`/proc/<pid>/ns/net`), or `null` when it cannot be read. */
export function namespaceOfPid(root: string, pid: number, concurrency: number): Promise<string | null> {
  return driveAsync(readNamespaceLink(join(root, String(pid), 'ns/net')), concurrency);
}
