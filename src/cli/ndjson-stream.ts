/**
 * `--ndjson` end to end: each socket is written as soon as its line is parsed ({@link openRowStream}), so memory
 * stays flat on a table of any size. Used when neither processes (`-p`) nor namespaces (`--all-namespaces`) are
 * asked for (both need the whole table first).
 * @module
 */
import { type SocketJsonTransform, socketJson } from './json-view.js';
import type { CliOptions } from './options.js';
import type { Output } from './output.js';
import { rowFilter, type Selection } from './selection.js';
import { openRowStream, type StreamReport } from './stream-rows.js';

/**
 * Streams the selected tables as NDJSON. Returns what the read could not do, or `null` when the source cannot be
 * streamed (the caller reads it whole). Throws `PipeClosed` when the reader goes away.
 */
export async function streamNdjson(
  o: CliOptions,
  sel: Selection,
  out: Output,
  transform?: SocketJsonTransform,
): Promise<StreamReport | null> {
  const stream = openRowStream(o);
  if (stream === null) return null;
  await stream.rows(sel.kinds, rowFilter(sel), (s) =>
    out.append(`${transform === undefined ? socketJson(s) : transform(socketJson(s))}\n`),
  );
  return stream.report;
}
