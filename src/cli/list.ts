/**
 * The listing command (`procnet [OPTIONS]`): read, render as a table, JSON, NDJSON or a summary, warn on stderr,
 * and with `-c` repeat until Ctrl-C or until the reader of the output goes away.
 * @module
 */
import { statfsSync } from 'node:fs';
import type { ProcNetParseError } from '../errors.js';
import { escapeLines } from '../format/escape.js';
import { PROC_SUPER_MAGIC } from '../node/io.js';
import type { ReadNote } from '../node/types.js';
import type { CliIo } from './io.js';
import { jsonText, writeJsonArray, writeNdjson } from './json-view.js';
import { loadNames, type Names } from './names.js';
import { streamNdjson } from './ndjson-stream.js';
import type { CliOptions } from './options.js';
import { Output } from './output.js';
import { paintFor } from './paint.js';
import { type Listing, readListing } from './read-listing.js';
import { type Selection, selectTables } from './selection.js';
import { readSummaries, renderSummary } from './summary-view.js';
import { renderTable, streamTable } from './table-view.js';

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
]);

/** A message on stderr; every line escaped (messages quote paths and names). */
function warn(io: CliIo, text: string): void {
  io.stderr.write(`${escapeLines(text)}\n`);
}

/** Notes, skipped rows and the owner-scan warning, on stderr. */
function report(io: CliIo, o: CliOptions, notes: readonly ReadNote[], errors: readonly ProcNetParseError[]): void {
  for (const n of notes) {
    if (n.code === 'PROCESSES_INCOMPLETE') continue; // netstat's own words, below
    if (o.verbose || ALWAYS.has(n.code)) warn(io, `procnet: ${n.message}`);
  }
  if (errors.length > 0) {
    const first = errors[0] as ProcNetParseError;
    warn(
      io,
      `procnet: skipped ${errors.length} row${errors.length === 1 ? '' : 's'} that did not parse (first: ${first.message})`,
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

/** One listing: read, write, flush. */
async function listOnce(io: CliIo, o: CliOptions, sel: Selection, names: Names, out: Output): Promise<void> {
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
      const docs = summaries.map((s) => ({ namespace: s.namespace, tables: s.tables }));
      if (o.format === 'json') await out.write(`${jsonText(o.allNamespaces ? docs : docs[0], 2)}\n`);
      else for (const d of docs) await out.write(`${jsonText(d)}\n`);
    }
    await out.flush();
    return;
  }
  if (o.format === 'ndjson' && !o.programs && !o.allNamespaces) {
    const r = await streamNdjson(o, sel, out);
    if (r !== null) {
      report(io, o, r.notes, r.errors);
      await out.flush();
      return;
    }
  }
  if (o.format === 'table') {
    // Written as the tables are read when the output can be exactly the same (see streamTable); the notes and
    // skipped rows are known, and reported, only at the end then.
    const r = await streamTable(o, sel, names, paintFor(io), out);
    if (r !== null) {
      await out.flush();
      report(io, o, r.notes, r.errors);
      return;
    }
  }
  const listing = await readListing(o, sel);
  report(io, o, listing.notes, listing.errors);
  if (o.programs) warnProcesses(io, listing);
  if (o.format === 'json') await writeJsonArray(out, listing.sockets);
  else if (o.format === 'ndjson') await writeNdjson(out, listing.sockets);
  else {
    for (const line of renderTable(listing, sel, o, names, paintFor(io))) {
      const full = out.append(`${line}\n`);
      if (full !== undefined) await full;
    }
  }
  await out.flush();
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
  const names = loadNames({
    numericPorts: o.numericPorts,
    numericUsers: o.numericUsers,
    needUsers: o.extend && o.format === 'table',
    dump,
  });
  const out = new Output(io.stdout);
  for (;;) {
    await listOnce(io, o, sel, names, out);
    if (o.continuous === null || signal?.aborted) return;
    await sleep(o.continuous * 1000, signal);
    if (signal?.aborted) return;
  }
}

function isProcfs(path: string): boolean {
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
