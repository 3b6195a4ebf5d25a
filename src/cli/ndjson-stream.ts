/**
 * `--ndjson` end to end: each inet table is read with `fs.createReadStream` and parsed with `parseTableStream`, and
 * each socket is written as soon as its line is parsed, so memory stays flat on a table of any size. Used when
 * neither processes (`-p`) nor namespaces (`--all-namespaces`) are asked for (both need the whole table first).
 * @module
 */
import { createReadStream, readFileSync } from 'node:fs';
import { isProcNetParseError, type ProcNetParseError } from '../errors.js';
import { newAccumulator } from '../node/assemble.js';
import { driveSync } from '../node/drive.js';
import { request } from '../node/io.js';
import { decideSettings } from '../node/settings.js';
import { resolveSource, tablePath } from '../node/source.js';
import type { ReadNote } from '../node/types.js';
import { parseNamespaceLink } from '../owners/proc-link.js';
import { parseTable } from '../tables/parse-table.js';
import { parseTableStream } from '../tables/stream.js';
import type { InetSocket, InetTableKind, UnixSocket } from '../types.js';
import { socketJson } from './json-view.js';
import type { CliOptions } from './options.js';
import type { Output } from './output.js';
import { rowFilter, type Selection } from './selection.js';

/** What the streamed read could not do (for stderr). */
export interface StreamReport {
  notes: ReadNote[];
  errors: ProcNetParseError[];
  /** `false` when the dump gives no byte order: the caller reads it whole instead (the guess needs every row). */
  streamed: boolean;
}

/** Streams the selected tables as NDJSON. Throws `PipeClosed` when the reader goes away. */
export async function streamNdjson(o: CliOptions, sel: Selection, out: Output): Promise<StreamReport> {
  const source = driveSync(resolveSource(o.root ?? '/proc', o.pid ?? undefined));
  const acc = newAccumulator();
  const settings = driveSync(decideSettings(acc, source, {}, []));
  const report: StreamReport = { notes: acc.notes, errors: [], streamed: false };
  if (!source.live && settings.byteOrderSource === 'default') return report;
  report.streamed = true;
  let namespace: string | null = null;
  if (source.nsLink !== null) {
    const link = driveSync(request({ op: 'readlink', path: source.nsLink }));
    namespace = typeof link === 'string' ? parseNamespaceLink(link) : null;
  }
  const keep = rowFilter(sel);
  const onInvalidRow = (e: ProcNetParseError) => {
    report.errors.push(e);
  };
  for (const kind of sel.kinds) {
    const path = tablePath(source, kind);
    const options = { byteOrder: settings.byteOrder, userHz: settings.userHz, onInvalidRow, file: path };
    try {
      if (kind === 'unix') {
        for (const row of parseTable('unix', readFileSync(path), options)) await emit(row);
        continue;
      }
      const stream = createReadStream(path);
      for await (const row of parseTableStream(kind as InetTableKind, stream, options)) await emit(row);
    } catch (e) {
      if (isProcNetParseError(e)) {
        report.errors.push(e); // a header that is not this table's: the table is skipped, as readSockets does
        continue;
      }
      const code = (e as NodeJS.ErrnoException).syscall === undefined ? undefined : (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        report.notes.push({ code: 'TABLE_MISSING', message: `${path} does not exist`, kind, path });
      } else if (code !== undefined) {
        report.notes.push({ code: 'TABLE_UNREADABLE', message: `${path} could not be read (${code})`, kind, path });
      } else throw e;
    }
  }
  return report;

  async function emit(row: InetSocket | UnixSocket): Promise<void> {
    if (!keep(row)) return;
    const found = row as (InetSocket | UnixSocket) & { namespace: string | null; owners: null };
    found.namespace = namespace;
    found.owners = null;
    await out.write(`${socketJson(found)}\n`);
  }
}
