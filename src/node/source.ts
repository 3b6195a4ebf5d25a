/**
 * Where the tables are: a mounted procfs (live) or a saved dump in one of its layouts.
 * @module
 */

import { dirname, join } from 'node:path';
import { parseNamespaceLink } from '../owners/proc-link.js';
import { INET_TABLES } from '../tables/inet.js';
import type { TableKind } from '../types.js';
import { DEFAULT_READ_LIMITS, dumpFile, type FileClass, type FileSpec, type ReadLimits, trustedFile } from './files.js';
import { batch, type IoPlan, isFailure, PROC_SUPER_MAGIC, request } from './io.js';

/** How a dump stores its tables. `proc`: a live procfs. */
export type SourceLayout = 'proc' | 'net' | 'proc/net' | 'flat' | 'tables';

/** A resolved place to read tables from. */
export interface TableSource {
  /** A mounted procfs (statfs says so), not a copy. */
  live: boolean;
  root: string;
  layout: SourceLayout;
  /** The folder holding the tables (the root itself for `flat` and `tables`). */
  netDir: string;
  /** Folders that may hold `env.json`, `manifest.json` and `fds.json` (dumps), nearest first. */
  metaDirs: string[];
  /** Live: the `ns/net` link of the process whose namespace is read. */
  nsLink: string | null;
  /** A dump's root with every link resolved: no file outside it is read (files.ts). `null` for a live procfs. */
  confine: string | null;
  /** The size limits of the read. */
  limits: ReadLimits;
}

/** The path of one table in a source. */
export function tablePath(source: TableSource, kind: TableKind): string {
  return source.layout === 'flat' ? join(source.root, `proc-net-${kind}`) : join(source.netDir, kind);
}

/** A file of a source, to read with its checks and limit (`hint`: first buffer size of a procfs file). */
export function sourceFile(source: TableSource, path: string, cls: FileClass, hint?: number): FileSpec {
  return source.confine === null
    ? trustedFile(path, cls, source.limits, hint)
    : dumpFile(path, source.confine, cls, source.limits, hint);
}

/** One table of a source. */
export function tableFile(source: TableSource, kind: TableKind): FileSpec {
  return sourceFile(source, tablePath(source, kind), 'table');
}

const TABLE_NAMES: ReadonlySet<string> = new Set([...Object.keys(INET_TABLES), 'unix']);

/** An error about the root or pid itself (not a missing table): the read cannot start. */
function notFound(message: string, code: string): Error {
  return Object.assign(new Error(`procnet: ${message}`), { code });
}

/** Resolves `root` (and `pid`) to a {@link TableSource}; throws when there is nothing to read there. */
export function* resolveSource(
  rootIn: string,
  pid: number | undefined,
  limits: ReadLimits = DEFAULT_READ_LIMITS,
): IoPlan<TableSource> {
  const root = rootIn.length > 1 ? rootIn.replace(/\/+$/, '') : rootIn;
  if (pid !== undefined && !(Number.isSafeInteger(pid) && pid > 0)) {
    throw new TypeError(`procnet: pid must be a positive integer, not ${pid}`);
  }
  const fsType = yield* request({ op: 'statfs', path: root });
  if (isFailure(fsType)) throw notFound(`cannot read ${root} (${fsType.code})`, fsType.code);
  if (fsType === PROC_SUPER_MAGIC) {
    const who = pid === undefined ? 'self' : String(pid);
    const netDir = pid === undefined ? join(root, 'net') : join(root, who, 'net');
    const st = yield* request({ op: 'stat', path: netDir });
    if (st !== 'dir') {
      const code = isFailure(st) ? st.code : 'ENOTDIR';
      throw notFound(pid === undefined ? `${netDir} is not readable (${code})` : `no process ${pid} in ${root}`, code);
    }
    const nsLink = join(root, who, 'ns/net');
    return { live: true, root, layout: 'proc', netDir, metaDirs: [], nsLink, confine: null, limits };
  }
  const confine = yield* request({ op: 'realpath', path: root });
  if (isFailure(confine)) throw notFound(`cannot read ${root} (${confine.code})`, confine.code);
  const names = yield* request({ op: 'readdir', path: root });
  if (isFailure(names)) throw notFound(`cannot list ${root} (${names.code})`, names.code);
  const has = new Set(names);
  const candidates: Array<{ dir: string; layout: SourceLayout }> = [];
  if (pid !== undefined) {
    if (has.has(String(pid))) candidates.push({ dir: join(root, String(pid), 'net'), layout: 'net' });
    if (has.has('proc')) candidates.push({ dir: join(root, 'proc', String(pid), 'net'), layout: 'proc/net' });
  } else {
    if (has.has('net')) candidates.push({ dir: join(root, 'net'), layout: 'net' });
    if (has.has('proc')) candidates.push({ dir: join(root, 'proc', 'net'), layout: 'proc/net' });
  }
  const kinds = yield* batch(candidates.map((c) => ({ op: 'stat' as const, path: c.dir })));
  const found = candidates.find((_, i) => kinds[i] === 'dir');
  if (found !== undefined) {
    const near = dirname(found.dir);
    const metaDirs = near === root ? [root] : [near, root];
    return { live: false, root, layout: found.layout, netDir: found.dir, metaDirs, nsLink: null, confine, limits };
  }
  if (pid !== undefined) throw notFound(`no ${pid}/net or proc/${pid}/net in the dump ${root}`, 'ENOENT');
  if (names.some((n) => n.startsWith('proc-net-'))) {
    return { live: false, root, layout: 'flat', netDir: root, metaDirs: [root], nsLink: null, confine, limits };
  }
  if (names.some((n) => TABLE_NAMES.has(n))) {
    return { live: false, root, layout: 'tables', netDir: root, metaDirs: [root], nsLink: null, confine, limits };
  }
  throw notFound(`${root} is neither a procfs nor a dump (no net/, proc/net/, proc-net-* or table files)`, 'ENOENT');
}

/** The network namespace (`net:[N]` inode) a `ns/net` link names, or `null` (no link, or it cannot be read). */
export function* readNamespaceLink(path: string | null): IoPlan<string | null> {
  if (path === null) return null;
  const link = yield* request({ op: 'readlink', path });
  return isFailure(link) ? null : parseNamespaceLink(link);
}
