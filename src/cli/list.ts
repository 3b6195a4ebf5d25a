/**
 * The listing command (`procnet [OPTIONS] [FILTER]`): read, filter, sort, render as a table, JSON, NDJSON, the
 * socket summary or netstat's protocol statistics, warn on stderr, and with `-c` repeat (each listing dated) until
 * Ctrl-C or until the reader of the output goes away.
 * @module
 */
import { statfsSync } from 'node:fs';
import type { ProcNetParseError } from '../index.js';
import type { ReadNote, SocketOwner } from '../node/index.js';
import { PROC_SUPER_MAGIC } from '../node/io.js';
import { escapeLines } from './escape.js';
import type { CliIo } from './io.js';
import { jsonText, writeJsonArray, writeNdjson } from './json-view.js';
import { loadNames, type Names } from './names.js';
import { streamNdjson } from './ndjson-stream.js';
import { type NoteFacts, noteText } from './note-text.js';
import type { CliOptions } from './options.js';
import { Output } from './output.js';
import { paintFor } from './paint.js';
import { type Listing, readListing } from './read-listing.js';
import { type Selection, selectTables } from './selection.js';
import { sortRows } from './sort.js';
import { readStatistics, renderStatistics, statisticsJson } from './statistics-view.js';
import { readSummaries, renderSummary } from './summary-view.js';
import { renderTable, streamTable, unixFootnotes } from './table-view.js';

/** netstat's words when some processes' descriptors could not be read by a user who is not root. */
export const NETSTAT_NOT_ALL =
  '(Not all processes could be identified, non-owned process info\n will not be shown, you would have to be root to see it all.)';

/** Notes printed without -v: they change what the output means. */
const ALWAYS: ReadonlySet<ReadNote['code']> = new Set([
  'DUMP_INCOMPLETE',
  'TABLE_UNREADABLE',
  'METADATA_INVALID',
  'FDS_MISSING',
  'PROCESSES_HIDDEN',
  'NAMESPACE_UNREADABLE',
  'COUNTERS_MISSING',
  'COUNTERS_UNREADABLE',
]);

/** A message on stderr; every line escaped (messages quote paths and names). */
function warn(io: CliIo, text: string): void {
  io.stderr.write(`${escapeLines(text)}\n`);
}

/** Notes (in the command's words) and skipped rows, on stderr. */
function report(
  io: CliIo,
  o: CliOptions,
  notes: readonly ReadNote[],
  errors: readonly ProcNetParseError[],
  facts: NoteFacts = {},
  what = 'row',
): void {
  for (const n of notes) {
    if (n.code === 'PROCESSES_INCOMPLETE') continue; // netstat's own words, below
    if (o.verbose || ALWAYS.has(n.code)) warn(io, `procnet: ${noteText(n, facts)}`);
  }
  if (errors.length > 0) {
    const first = errors[0] as ProcNetParseError;
    warn(
      io,
      `procnet: skipped ${errors.length} ${what}${errors.length === 1 ? '' : 's'} that did not parse (first: ${first.message})`,
    );
  }
}

function warnProcesses(io: CliIo, listing: Listing): void {
  const p = listing.processes;
  if (p === null || p.denied === 0) return;
  if (p.source === 'live' && process.geteuid?.() !== 0) {
    warn(io, NETSTAT_NOT_ALL);
  } else {
    const who = p.source === 'live' ? 'even as root' : 'when the dump was made';
    warn(
      io,
      `(Not all processes could be identified: the descriptors of ${p.denied} process${p.denied === 1 ? '' : 'es'} could not be read ${who}; their sockets show "-".)`,
    );
  }
}

/** A listing of `-c`: when its read started, ISO 8601 in UTC. */
type Stamp = string | null;

/** The line before each listing of `-c` (table, `-s`, `--summary`). */
export function stampLine(stamp: string): string {
  return `--- ${stamp} ---`;
}

/** A JSON document of `-c` gets the time of its listing as a `time` field (first). */
function stamped<T extends object>(doc: T, stamp: Stamp): T | ({ time: string } & T) {
  return stamp === null ? doc : { time: stamp, ...doc };
}

/**
 * A socket's JSON line with `-c`'s `time` field added (last): the line is the library's object as JSON, so the field
 * goes before its closing brace.
 */
function stampedSocket(stamp: Stamp): ((json: string) => string) | undefined {
  if (stamp === null) return undefined;
  const field = `,"time":${JSON.stringify(stamp)}}`;
  return (json) => json.slice(0, -1) + field;
}

/**
 * One argument as a shell would need it typed, without backslashes (the terminal escaping doubles them): as it is
 * when it is a plain word, else in single quotes, or double quotes when it holds a single quote and nothing a shell
 * expands in double quotes; `'"'"'` for a single quote otherwise.
 */
function shellWord(a: string): string {
  if (/^[\w@%+=:,./-]+$/.test(a)) return a;
  if (!a.includes("'")) return `'${a}'`;
  if (!/["$`\\!]/.test(a)) return `"${a}"`;
  return `'${a.replaceAll("'", `'"'"'`)}'`;
}

/**
 * `--cmdline`: each owner's command line in place of its name, quoted like a shell word where it needs it (the
 * renderer escapes every control character); `[comm]` for a process without one (a kernel thread, a zombie).
 */
export function commandLineText(owner: Pick<SocketOwner, 'comm' | 'cmdline'>): string | null {
  const args = owner.cmdline;
  if (args === null || args.length === 0) return owner.comm === null ? null : `[${owner.comm}]`;
  return args.map(shellWord).join(' ');
}

/** One listing: read, write, flush. */
async function listOnce(
  io: CliIo,
  o: CliOptions,
  sel: Selection,
  names: Names,
  out: Output,
  stamp: Stamp,
): Promise<void> {
  if (stamp !== null && o.format === 'table') await out.write(`${stampLine(stamp)}\n`);
  if (o.statistics) {
    const s = await readStatistics(o);
    report(io, o, s.notes, s.errors, {}, 'counter line');
    if (o.format === 'table') await out.write(renderStatistics(s));
    else await out.write(`${jsonText(stamped(statisticsJson(s), stamp), 2)}\n`);
    await out.flush();
    return;
  }
  if (o.summary) {
    const summaries = await readSummaries(o, sel.kinds);
    report(
      io,
      o,
      summaries.flatMap((s) => s.notes),
      summaries.flatMap((s) => s.errors),
    );
    if (o.format === 'table') {
      const lines = summaries.flatMap((s, i) => [...(i > 0 ? [''] : []), ...renderSummary(s)]);
      await out.write(`${lines.join('\n')}\n`);
    } else {
      const docs = summaries.map((s) => stamped({ namespace: s.namespace, tables: s.tables }, stamp));
      if (o.format === 'json') await out.write(`${jsonText(o.allNamespaces ? docs : docs[0], 2)}\n`);
      else for (const d of docs) await out.write(`${jsonText(d)}\n`);
    }
    await out.flush();
    return;
  }
  const paint = paintFor(io, o.color);
  const withTime = stampedSocket(stamp);
  if (o.format === 'ndjson' && !o.programs && !o.allNamespaces && o.sort === null) {
    const r = await streamNdjson(o, sel, out, withTime);
    if (r !== null) {
      report(io, o, r.notes, r.errors, r.facts);
      await out.flush();
      return;
    }
  }
  if (o.format === 'table') {
    // Written as the tables are read when the output can be exactly the same (see streamTable); the notes and
    // skipped rows are known, and reported, only at the end then.
    const r = await streamTable(o, sel, names, paint, out);
    if (r !== null) {
      await out.flush();
      report(io, o, r.notes, r.errors, r.facts);
      for (const line of r.footnotes) warn(io, line);
      return;
    }
  }
  const listing = await readListing(o, sel);
  const facts: NoteFacts = {
    byteOrder: listing.byteOrder,
    byteOrderSource: listing.byteOrderSource,
    netDir: listing.netDir,
    processes: listing.processes,
  };
  report(io, o, listing.notes, listing.errors, facts);
  if (o.programs) warnProcesses(io, listing);
  const sockets = o.sort === null ? listing.sockets : sortRows(listing.sockets, o.sort);
  if (o.format === 'json') await writeJsonArray(out, sockets, withTime);
  else if (o.format === 'ndjson') await writeNdjson(out, sockets, withTime);
  else {
    if (o.cmdline) {
      for (const s of sockets) {
        if (s.owners !== null) s.owners = s.owners.map((p) => ({ ...p, comm: commandLineText(p) }));
      }
    }
    for (const line of renderTable({ ...listing, sockets }, sel, o, names, paint)) {
      const full = out.append(`${line}\n`);
      if (full !== undefined) await full;
    }
  }
  await out.flush();
  if (o.format === 'table' && sel.unix) {
    for (const line of unixFootnotes(
      sockets.filter((s) => s.kind === 'unix'),
      listing,
      o,
    ))
      warn(io, line);
  }
}

/**
 * Runs the listing. Resolves when done (after one listing, or when `-c` is stopped through `signal`); throws
 * `PipeClosed` when the reader goes away, and the read's errors (no such root or pid) as they are.
 */
export async function runList(io: CliIo, o: CliOptions, signal?: AbortSignal): Promise<void> {
  const sel = selectTables(o);
  const dump = o.root !== null && !isProcfs(o.root) ? o.root : null;
  if (o.allNamespaces && dump !== null) {
    throw new Error(`procnet: --all-namespaces needs a mounted procfs; ${o.root} is a dump, which holds one namespace`);
  }
  if (dump === null && (o.byteOrder !== null || o.userHz !== null)) {
    const flag = o.byteOrder !== null ? '--byte-order' : '--user-hz';
    throw new Error(`procnet: ${flag} is for a dump; ${o.root} is a mounted procfs, read in this machine's terms`);
  }
  const names = loadNames({
    numericPorts: o.numericPorts,
    numericUsers: o.numericUsers,
    needUsers: o.extend && o.format === 'table',
    dump,
  });
  const out = new Output(io.stdout);
  for (;;) {
    const stamp = o.continuous === null ? null : new Date().toISOString();
    await listOnce(io, o, sel, names, out, stamp);
    if (o.continuous === null || signal?.aborted) return;
    await sleep(o.continuous * 1000, signal);
    if (signal?.aborted) return;
  }
}

/** True when `path` is a mounted procfs (live tables), not a dump. */
export function isProcfs(path: string): boolean {
  try {
    return statfsSync(path).type === PROC_SUPER_MAGIC;
  } catch {
    return false;
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done);
  });
}
