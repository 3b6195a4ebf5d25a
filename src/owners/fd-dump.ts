/**
 * `fds.json`: a saved listing of every process's socket descriptors, written beside `net/` in a dump so owners
 * can be mapped offline. See docs/node.md for the format.
 * @module
 */
import type { SocketFds } from './owner-index.js';
import type { ProcessInfo } from './types.js';

/** One descriptor in `fds.json`. */
export interface FdDumpEntry {
  fd: number;
  /** The `readlink` text, e.g. `socket:[12345]`. Non-socket links may be present and are ignored. */
  link: string;
}

/** One process in `fds.json`. */
export interface FdDumpProcess extends ProcessInfo {
  pid: number;
  fds: readonly FdDumpEntry[];
}

/** The whole `fds.json` document. */
export interface FdDump {
  processes: readonly FdDumpProcess[];
  /** Optional: processes whose descriptors the capture could not read (`null` when the file does not say). */
  denied: number | null;
  /** Optional: processes that exited during the capture (`null` when the file does not say). */
  vanished: number | null;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

function fail(path: string, what: string): never {
  throw new TypeError(`procnet: fds.json ${path} ${what}`);
}

function optionalCount(doc: Record<string, unknown>, key: string): number | null {
  const v = doc[key];
  if (v === undefined || v === null) return null;
  if (!isCount(v)) fail(key, 'must be a non-negative integer');
  return v;
}

/**
 * Checks a parsed `fds.json` (untrusted input) and returns it in canonical form. Required: `processes[]` with
 * `pid` and `fds[]` of `{ fd, link }`. Optional (`null` when absent): `comm`, `cmdline` (array of strings), `uid`,
 * and the top-level `denied`/`vanished` counts. Unknown fields are ignored. Throws a `TypeError` naming the
 * first bad field.
 */
export function parseFdDump(value: unknown): FdDump {
  if (!isRecord(value)) fail('', 'must be an object with a "processes" array');
  const list = value.processes;
  if (!Array.isArray(list)) fail('processes', 'must be an array');
  const processes: FdDumpProcess[] = new Array(list.length);
  for (let i = 0; i < list.length; i++) {
    const p: unknown = list[i];
    const at = `processes[${i}]`;
    if (!isRecord(p)) fail(at, 'must be an object');
    if (!isCount(p.pid)) fail(`${at}.pid`, 'must be a non-negative integer');
    const comm = p.comm ?? null;
    if (comm !== null && typeof comm !== 'string') fail(`${at}.comm`, 'must be a string');
    const cmdline = p.cmdline ?? null;
    if (cmdline !== null && !(Array.isArray(cmdline) && cmdline.every((a) => typeof a === 'string'))) {
      fail(`${at}.cmdline`, 'must be an array of strings');
    }
    const uid = p.uid ?? null;
    if (uid !== null && !isCount(uid)) fail(`${at}.uid`, 'must be a non-negative integer');
    const fdsIn = p.fds;
    if (!Array.isArray(fdsIn)) fail(`${at}.fds`, 'must be an array');
    const fds: FdDumpEntry[] = new Array(fdsIn.length);
    for (let j = 0; j < fdsIn.length; j++) {
      const e: unknown = fdsIn[j];
      if (!isRecord(e) || !isCount(e.fd) || typeof e.link !== 'string') {
        fail(`${at}.fds[${j}]`, 'must be { "fd": integer, "link": string }');
      }
      fds[j] = { fd: e.fd, link: e.link };
    }
    processes[i] = { pid: p.pid, comm, cmdline: cmdline as string[] | null, uid, fds };
  }
  return { processes, denied: optionalCount(value, 'denied'), vanished: optionalCount(value, 'vanished') };
}

/** Every descriptor of a dump, as the owner index takes them. */
export function fdDumpFds(dump: FdDump): SocketFds {
  const fds: { pid: number[]; fd: number[]; link: string[] } = { pid: [], fd: [], link: [] };
  for (const p of dump.processes) {
    for (const e of p.fds) {
      fds.pid.push(p.pid);
      fds.fd.push(e.fd);
      fds.link.push(e.link);
    }
  }
  return fds;
}

/** Each process's details in a dump (the first entry of a pid listed twice). */
export function fdDumpInfo(dump: FdDump): Map<number, ProcessInfo> {
  const info = new Map<number, ProcessInfo>();
  for (const p of dump.processes)
    if (!info.has(p.pid)) info.set(p.pid, { comm: p.comm, cmdline: p.cmdline, uid: p.uid });
  return info;
}
