/**
 * `-s` / `--summary`: counts by protocol and state, like `ss -s`, from `summarizeTable` (one pass over each table's
 * bytes, no socket objects) and, for unix, the parsed rows. Counts every row of the selected tables (-l / -a do
 * not apply, as with `ss -s`).
 * @module
 */
import {
  INET_TABLES,
  type InetTableKind,
  type ProcNetParseError,
  parseTable,
  summarizeTable,
  type TableKind,
  type TableSummary,
} from '../index.js';
import { driveSync } from '../node/drive.js';
import { checkDump } from '../node/dump-check.js';
import { type FileSpec, failureText, readFileSync, trustedFile } from '../node/files.js';
import { type ReadNote, readNamespaces } from '../node/index.js';
import { IoFailure } from '../node/io.js';
import { resolveSource, tableFile } from '../node/source.js';
import { DOCS_URL } from './docs-url.js';
import type { CliOptions } from './options.js';

/** Counts of the unix table. */
export interface UnixSummary {
  kind: 'unix';
  sockets: number;
  /** By netstat's state word (`LISTENING`, `CONNECTED`, `unconnected`, …). */
  byState: Record<string, number>;
  /** By type (`stream`, `dgram`, `seqpacket`, …). */
  byType: Record<string, number>;
  /** Rows the parser or reader doubted (docs/unix.md). */
  suspicious: number;
}

/** One namespace's summary (`namespace` is `null` for a dump or the reader's own namespace without `--all-namespaces`). */
export interface Summary {
  namespace: string | null;
  tables: Array<TableSummary | UnixSummary>;
  /** Rows that did not parse (counted in each table's `invalid` too). */
  errors: ProcNetParseError[];
  /** Tables that are missing (`TABLE_MISSING`) or could not be read (`TABLE_UNREADABLE`), as the listing notes them. */
  notes: ReadNote[];
}

function unixState(state: string, listening: boolean): string {
  if (state === 'unconnected') return listening ? 'LISTENING' : 'unconnected';
  return state.toUpperCase();
}

function summarizeUnix(bytes: Uint8Array, onInvalidRow: (e: ProcNetParseError) => void): UnixSummary {
  const sum: UnixSummary = { kind: 'unix', sockets: 0, byState: {}, byType: {}, suspicious: 0 };
  for (const s of parseTable('unix', bytes, { onInvalidRow })) {
    sum.sockets++;
    const st = unixState(s.state, s.listening);
    sum.byState[st] = (sum.byState[st] ?? 0) + 1;
    sum.byType[s.type] = (sum.byType[s.type] ?? 0) + 1;
    if (s.suspicious.length > 0) sum.suspicious++;
  }
  return sum;
}

/** Summarizes the tables `fileOf(kind)`; a table that is missing or cannot be read is left out, with a note. */
function summarizeAt(kinds: readonly TableKind[], fileOf: (k: TableKind) => FileSpec): Omit<Summary, 'namespace'> {
  const errors: ProcNetParseError[] = [];
  const notes: ReadNote[] = [];
  const onInvalidRow = (e: ProcNetParseError) => {
    errors.push(e);
  };
  const tables: Summary['tables'] = [];
  for (const kind of kinds) {
    const file = fileOf(kind);
    const bytes = readFileSync(file);
    if (bytes instanceof IoFailure) {
      const code = bytes.code === 'ENOENT' ? 'TABLE_MISSING' : 'TABLE_UNREADABLE';
      notes.push({ code, message: failureText(file.path, bytes), kind, path: file.path });
      continue;
    }
    try {
      // A dump's byte order does not change any count: states, queues and drops do not depend on it.
      if (kind === 'unix') tables.push(summarizeUnix(bytes, onInvalidRow));
      else tables.push(summarizeTable(kind, bytes, { onInvalidRow, file: file.path }));
    } catch (e) {
      errors.push(e as ProcNetParseError);
    }
  }
  return { tables, errors, notes };
}

/** The summaries a command line asks for: one per namespace with `--all-namespaces`, else one. */
export async function readSummaries(o: CliOptions, kinds: readonly TableKind[]): Promise<Summary[]> {
  if (o.allNamespaces) {
    const root = o.root ?? '/proc';
    const r = await readNamespaces({ kinds: [], root });
    return r.namespaces
      .filter((ns) => ns.readFrom !== null)
      .map((ns) => ({
        namespace: ns.inode,
        ...summarizeAt(kinds, (k) => trustedFile(`${root}/${ns.readFrom}/net/${k}`, 'table')),
      }));
  }
  const source = driveSync(resolveSource(o.root ?? '/proc', o.pid ?? undefined));
  const summary = summarizeAt(kinds, (k) => tableFile(source, k));
  summary.notes.unshift(...driveSync(checkDump(source)));
  return [{ namespace: null, ...summary }];
}

const STATE_ORDER = [
  'LISTEN',
  'ESTABLISHED',
  'SYN_SENT',
  'SYN_RECV',
  'FIN_WAIT1',
  'FIN_WAIT2',
  'TIME_WAIT',
  'CLOSE',
  'CLOSE_WAIT',
  'LAST_ACK',
  'CLOSING',
  'LISTENING',
  'CONNECTED',
  'connected',
  'unconnected',
];

function states(byState: Record<string, number>): string {
  return Object.entries(byState)
    .sort(([a], [b]) => {
      const ia = STATE_ORDER.indexOf(a);
      const ib = STATE_ORDER.indexOf(b);
      return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || (a < b ? -1 : 1);
    })
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
}

const pad = (s: string | number, w: number) => String(s).padStart(w);

/** The lines of one summary: a row per protocol with IPv4/IPv6 totals and counts by state. */
export function renderSummary(summary: Summary): string[] {
  const out: string[] = [];
  if (summary.namespace !== null) out.push(`Network namespace net:[${summary.namespace}]`);
  out.push('Proto      Total   IPv4   IPv6  States');
  const protos = new Map<string, { v4: TableSummary | null; v6: TableSummary | null }>();
  let total = 0;
  let v4 = 0;
  let v6 = 0;
  let unixLine: string | null = null;
  for (const t of summary.tables) {
    total += t.sockets;
    if (t.kind === 'unix') {
      const types = Object.entries(t.byType)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ');
      unixLine = `${'unix'.padEnd(8)} ${pad(t.sockets, 7)} ${pad('', 6)} ${pad('', 6)}  ${states(t.byState)}${types ? ` (${types})` : ''}`;
      continue;
    }
    const info = INET_TABLES[t.kind as InetTableKind];
    const entry = protos.get(info.protocol) ?? { v4: null, v6: null };
    if (info.family === 'IPv4') {
      entry.v4 = t;
      v4 += t.sockets;
    } else {
      entry.v6 = t;
      v6 += t.sockets;
    }
    protos.set(info.protocol, entry);
  }
  for (const [proto, { v4: a, v6: b }] of protos) {
    const byState: Record<string, number> = {};
    for (const t of [a, b]) for (const [k, n] of Object.entries(t?.byState ?? {})) byState[k] = (byState[k] ?? 0) + n;
    const n4 = a?.sockets ?? 0;
    const n6 = b?.sockets ?? 0;
    out.push(
      `${proto.padEnd(8)} ${pad(n4 + n6, 7)} ${pad(a ? n4 : '-', 6)} ${pad(b ? n6 : '-', 6)}  ${states(byState)}`,
    );
  }
  if (unixLine !== null) out.push(unixLine);
  out.push(`${'total'.padEnd(8)} ${pad(total, 7)} ${pad(v4, 6)} ${pad(v6, 6)}`);
  const notes: string[] = [];
  for (const [proto, { v4: a, v6: b }] of protos) {
    const rows = [a, b].filter((t): t is TableSummary => t !== null);
    const rx = rows.reduce((n, t) => n + t.rxQueue.nonZero, 0);
    const rxTotal = rows.reduce((n, t) => n + t.rxQueue.total, 0);
    const tx = rows.reduce((n, t) => n + t.txQueue.nonZero, 0);
    const txTotal = rows.reduce((n, t) => n + t.txQueue.total, 0);
    const drops = rows.reduce((n, t) => n + t.drops, 0);
    if (rx > 0) notes.push(`${proto}: Recv-Q non-zero on ${rx} socket${rx === 1 ? '' : 's'} (${rxTotal} in all)`);
    if (tx > 0) notes.push(`${proto}: Send-Q non-zero on ${tx} socket${tx === 1 ? '' : 's'} (${txTotal} in all)`);
    if (drops > 0) notes.push(`${proto}: ${drops} datagram${drops === 1 ? '' : 's'} dropped`);
  }
  const unix = summary.tables.find((t): t is UnixSummary => t.kind === 'unix');
  if (unix !== undefined && unix.suspicious > 0) {
    notes.push(
      `unix: ${unix.suspicious} row${unix.suspicious === 1 ? '' : 's'} doubted (see procnet -xa and ${DOCS_URL}unix.md)`,
    );
  }
  if (notes.length > 0) out.push('', ...notes);
  return out.map((l) => l.trimEnd());
}
