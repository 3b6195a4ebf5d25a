/**
 * `--ndjson` end to end: each socket is written as soon as its batch is parsed ({@link openColumnStream}), so memory
 * stays flat on a table of any size. Used when neither processes (`-p`) nor namespaces (`--all-namespaces`) are
 * asked for (both need the whole table first).
 * @module
 */
import { type SocketJsonTransform, socketJson } from './json-view.js';
import type { CliOptions } from './options.js';
import type { Output } from './output.js';
import { rowFilter, type Selection } from './selection.js';
import { handRows, openColumnStream, type StreamReport } from './stream-rows.js';

/**
 * Streams the selected tables as NDJSON. Returns what the read could not do. Throws `PipeClosed` when the reader goes
 * away.
 */
export async function streamNdjson(
  o: CliOptions,
  sel: Selection,
  out: Output,
  transform?: SocketJsonTransform,
): Promise<StreamReport> {
  const stream = openColumnStream(o, sel.kinds);
  const keep = rowFilter(sel);
  for await (const batch of stream.batches) {
    await handRows(batch, keep, (s) =>
      out.append(`${transform === undefined ? socketJson(s) : transform(socketJson(s))}\n`),
    );
  }
  return stream.report;
}
