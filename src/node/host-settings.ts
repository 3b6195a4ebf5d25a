/**
 * The host settings the analyses want (`net.ipv6.bindv6only`, `net.ipv4.ip_local_port_range`, `net.ipv4.tcp_mem`,
 * the page size) and `net.core.somaxconn` (the cap on listen backlogs), read from a live procfs or from what a dump
 * says about itself.
 * @module
 */

import { join } from 'node:path';
import type { AnalysisOptions } from '../analysis/options.js';
import { metaScopes, own, parseDumpJson } from './dump-meta.js';
import { failureText, trustedFile } from './files.js';
import { auxvValue } from './host.js';
import { batch, type IoFailure, type IoPlan, isFailure } from './io.js';
import { sourceFile, type TableSource } from './source.js';
import type { ReadNote } from './types.js';

/**
 * The host settings that could be read, as analysis options: spread them into the options of `diagnose`. A setting
 * that could not be read is absent (the analyses then use their default) and a `SETTING_UNKNOWN` note says why.
 */
export type HostSettings = Pick<AnalysisOptions, 'bindv6only' | 'localPortRange' | 'tcpMem' | 'pageSize'> & {
  /**
   * `net.core.somaxconn` of the namespace read: the cap the kernel puts on every `listen()` backlog (a listener's
   * accept queue holds at most `min(backlog, somaxconn)` connections, plus one). Not an analysis option: `diagnose`
   * ignores it.
   */
  somaxconn?: number | undefined;
};

type SettingName = 'bindv6only' | 'localPortRange' | 'tcpMem' | 'pageSize' | 'somaxconn';

/** Each setting's sysctl, as a path under `sys/` and as the dotted name. */
const SYSCTLS = {
  bindv6only: 'net/ipv6/bindv6only',
  localPortRange: 'net/ipv4/ip_local_port_range',
  tcpMem: 'net/ipv4/tcp_mem',
  somaxconn: 'net/core/somaxconn',
} as const;

/** Spellings of the page size in a dump's `env.json` (`getconf PAGESIZE` is what a capture would record). */
const PAGE_SIZE_KEYS = ['page_size', 'pageSize', 'PAGESIZE', 'PAGE_SIZE', 'pagesize'];

const dotted = (path: string) => path.replaceAll('/', '.');

const AT_PAGESZ = 6;

/** The page size from the `AT_PAGESZ` entry of `/proc/self/auxv` (what `getconf PAGESIZE` asks the kernel), or `null`. */
export function pageSizeFromAuxv(auxv: Uint8Array): number | null {
  return auxvValue(auxv, AT_PAGESZ);
}

/** Whitespace-separated non-negative integers of a sysctl's text, or `null` when it is not exactly `count` of them. */
function integers(text: string, count: number): number[] | null {
  const parts = text.trim().split(/\s+/);
  if (parts.length !== count || !parts.every((p) => /^\d{1,15}$/.test(p))) return null;
  return parts.map(Number);
}

/** Sets one setting from a sysctl's text; returns why not when the text is not a valid value. */
function apply(out: HostSettings, name: Exclude<SettingName, 'pageSize'>, text: string): string | null {
  if (name === 'bindv6only') {
    const v = integers(text, 1);
    if (v === null || (v[0] !== 0 && v[0] !== 1)) return `not 0 or 1: ${JSON.stringify(text.trim())}`;
    out.bindv6only = v[0] === 1;
  } else if (name === 'localPortRange') {
    const v = integers(text, 2);
    if (v === null || !v.every((p) => p >= 1 && p <= 65535) || (v[0] as number) > (v[1] as number)) {
      return `not two ports, lowest first: ${JSON.stringify(text.trim())}`;
    }
    out.localPortRange = [v[0] as number, v[1] as number];
  } else if (name === 'somaxconn') {
    const v = integers(text, 1);
    if (v === null || (v[0] as number) > 0x7fffffff)
      return `not a number of connections: ${JSON.stringify(text.trim())}`;
    out.somaxconn = v[0] as number;
  } else {
    const v = integers(text, 3);
    if (v === null || (v[0] as number) > (v[1] as number) || (v[1] as number) > (v[2] as number)) {
      return `not three ascending numbers: ${JSON.stringify(text.trim())}`;
    }
    out.tcpMem = [v[0] as number, v[1] as number, v[2] as number];
  }
  return null;
}

/** What the analyses do without each setting. */
const WITHOUT: Record<SettingName, string> = {
  bindv6only: 'the analyses assume 0 (a socket bound to :: accepts IPv4 too)',
  localPortRange: 'the analyses assume 32768-60999',
  tcpMem: 'TCP memory is judged from the TCPMemoryPressures counter alone',
  pageSize: 'the analyses assume 4096 bytes',
  somaxconn: 'the cap on listen backlogs is unknown',
};

function unknown(notes: ReadNote[], name: SettingName, why: string, path: string | null): void {
  const what = name === 'pageSize' ? 'the page size' : dotted(SYSCTLS[name]);
  notes.push({ code: 'SETTING_UNKNOWN', message: `${what}: ${why}; ${WITHOUT[name]}`, kind: null, path });
}

function text(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/**
 * Live: `<root>/sys/net/...` shows the sysctls of the **reader's** network namespace, whatever process's tables are
 * read, so with a `pid` in another namespace the per-namespace settings (`bindv6only`, `ip_local_port_range`) are
 * unknown. `tcp_mem` is host-wide, and visible only from the host's initial namespace. The page size comes from
 * `<root>/self/auxv` (`AT_PAGESZ`).
 */
function* liveSettings(source: TableSource, pid: number | undefined, notes: ReadNote[]): IoPlan<HostSettings> {
  const out: HostSettings = {};
  let sameNamespace = true;
  if (pid !== undefined) {
    const [theirs, ours] = yield* batch([
      { op: 'readlink' as const, path: join(source.root, String(pid), 'ns/net') },
      { op: 'readlink' as const, path: join(source.root, 'self/ns/net') },
    ]);
    sameNamespace = !isFailure(theirs) && !isFailure(ours) && theirs === ours;
  }
  const names = (Object.keys(SYSCTLS) as (keyof typeof SYSCTLS)[]).filter((n) => n === 'tcpMem' || sameNamespace);
  for (const n of Object.keys(SYSCTLS) as (keyof typeof SYSCTLS)[]) {
    if (!names.includes(n)) {
      unknown(
        notes,
        n,
        `process ${pid} is in another network namespace, and /proc/sys shows the reader's own (run procnet inside that namespace, e.g. with nsenter -n -t ${pid}, to read it)`,
        null,
      );
    }
  }
  const paths = names.map((n) => join(source.root, 'sys', SYSCTLS[n]));
  const auxvPath = join(source.root, 'self/auxv');
  const read = yield* batch(
    [...paths, auxvPath].map((path) => ({ op: 'read' as const, file: trustedFile(path, 'system', undefined, 512) })),
  );
  names.forEach((n, i) => {
    const bytes = read[i] as Uint8Array | IoFailure;
    const path = paths[i] as string;
    if (isFailure(bytes)) {
      const why =
        bytes.code === 'ENOENT' && n === 'tcpMem'
          ? 'host-wide, it can only be read from the initial network namespace'
          : failureText(path, bytes);
      unknown(notes, n, why, path);
      return;
    }
    const bad = apply(out, n, text(bytes));
    if (bad !== null) unknown(notes, n, `${path} is ${bad}`, path);
  });
  const auxv = read[names.length] as Uint8Array | IoFailure;
  const page = isFailure(auxv) ? null : pageSizeFromAuxv(auxv);
  if (page !== null) out.pageSize = page;
  else unknown(notes, 'pageSize', `no AT_PAGESZ in ${auxvPath}`, auxvPath);
  return out;
}

/**
 * The `sysctl` object and page size a metadata document carries (top level, or inside `env`). Keys are read as own
 * fields into a map, so a `__proto__` key is a sysctl named `__proto__`, never a prototype.
 */
function fromDocument(doc: unknown): { sysctl: Map<string, unknown>; pageSize: unknown } {
  const out: { sysctl: Map<string, unknown>; pageSize: unknown } = { sysctl: new Map(), pageSize: undefined };
  for (const scope of metaScopes(doc)) {
    const sysctl = own(scope, 'sysctl');
    if (typeof sysctl === 'object' && sysctl !== null && !Array.isArray(sysctl)) {
      for (const [k, v] of Object.entries(sysctl)) if (!out.sysctl.has(k)) out.sysctl.set(k, v);
    }
    for (const k of PAGE_SIZE_KEYS)
      if (out.pageSize === undefined && own(scope, k) !== undefined) out.pageSize = own(scope, k);
  }
  return out;
}

/**
 * A dump: each setting from a `sys/net/...` file in a metadata folder (a copy of `/proc/sys`; sosreport has
 * `proc/sys/net/...`), else from the `sysctl` object of `env.json`/`manifest.json` (dotted names, as the capture tool
 * writes them); the page size from `page_size` (or `pageSize`, `PAGESIZE`) there.
 */
function* dumpSettings(source: TableSource, notes: ReadNote[]): IoPlan<HostSettings> {
  const out: HostSettings = {};
  const names = Object.keys(SYSCTLS) as (keyof typeof SYSCTLS)[];
  const filePaths = source.metaDirs.flatMap((d) => names.map((n) => join(d, 'sys', SYSCTLS[n])));
  const metaPaths = source.metaDirs.flatMap((d) => [join(d, 'env.json'), join(d, 'manifest.json')]);
  const files = yield* batch(
    [...filePaths, ...metaPaths].map((path) => ({ op: 'read' as const, file: sourceFile(source, path, 'metadata') })),
  );
  const docs: Array<{ path: string; doc: ReturnType<typeof fromDocument> }> = [];
  metaPaths.forEach((path, i) => {
    const bytes = files[filePaths.length + i] as Uint8Array | IoFailure;
    if (isFailure(bytes)) return;
    try {
      docs.push({ path, doc: fromDocument(parseDumpJson(bytes)) });
    } catch {
      // Not JSON: readSockets notes it (METADATA_INVALID); it says nothing about settings.
    }
  });
  for (const n of names) {
    let found = false;
    for (let d = 0; d < source.metaDirs.length && !found; d++) {
      const i = d * names.length + names.indexOf(n);
      const bytes = files[i] as Uint8Array | IoFailure;
      if (isFailure(bytes)) continue;
      found = true;
      const bad = apply(out, n, text(bytes));
      if (bad !== null) unknown(notes, n, `${filePaths[i]} is ${bad}`, filePaths[i] as string);
    }
    for (const { path, doc } of docs) {
      if (found) break;
      const v = doc.sysctl.get(dotted(SYSCTLS[n]));
      if (v === undefined) continue;
      found = true;
      const bad = typeof v === 'string' || typeof v === 'number' ? apply(out, n, String(v)) : 'not a string';
      if (bad !== null) unknown(notes, n, `sysctl ${dotted(SYSCTLS[n])} in ${path} is ${bad}`, path);
    }
    if (!found) unknown(notes, n, 'the dump does not say', null);
  }
  const page = docs.find((d) => d.doc.pageSize !== undefined);
  if (page === undefined) {
    unknown(notes, 'pageSize', 'the dump does not say', null);
  } else if (
    typeof page.doc.pageSize === 'number' &&
    Number.isSafeInteger(page.doc.pageSize) &&
    page.doc.pageSize > 0
  ) {
    out.pageSize = page.doc.pageSize;
  } else {
    unknown(notes, 'pageSize', `page_size in ${page.path} is not a positive integer`, page.path);
  }
  return out;
}

/** Reads the host settings of a source (see {@link liveSettings} and {@link dumpSettings}). */
export function* readHostSettings(
  source: TableSource,
  pid: number | undefined,
  notes: ReadNote[],
): IoPlan<HostSettings> {
  return source.live ? yield* liveSettings(source, pid, notes) : yield* dumpSettings(source, notes);
}
