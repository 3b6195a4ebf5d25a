/**
 * The JSON outputs: `--json` (one array, one socket per line inside it) and `--ndjson` (one socket per line), and
 * every other JSON the command writes (`-s --json`, `doctor --json`). Each socket is the library's object as
 * `procnet/node` returns it (a `FoundSocket`), written with `socketJsonReplacer`: a unix path's exact bytes as base64,
 * everything else as is. Untrusted text keeps every character, and every one a terminal could act on is a `\u`
 * escape (`terminalSafeJson`: `JSON.stringify` alone leaves DEL, C1 controls and bidi controls raw).
 * @module
 */
import { socketJsonReplacer } from '../index.js';
import { terminalSafeJson } from './escape.js';
import type { Output } from './output.js';

/** JSON text of any value, terminal-safe: the one way the command writes JSON. */
export function jsonText(value: unknown, indent?: number): string {
  return terminalSafeJson(JSON.stringify(value, null, indent));
}

/**
 * One socket as one line of JSON (no newline). Only unix rows hold bytes; the replacer (called for every key) is
 * used for them alone, which makes inet rows about twice as fast to write. The text is the same.
 */
export function socketJson(socket: object): string {
  return (socket as { kind?: unknown }).kind === 'unix'
    ? terminalSafeJson(JSON.stringify(socket, socketJsonReplacer))
    : jsonText(socket);
}

/** A change to each socket's JSON text (`-c` adds its `time` field). */
export type SocketJsonTransform = ((json: string) => string) | undefined;

/** `[`, the sockets one per line with commas, `]`: valid JSON that `grep` and `jq` both read. */
export async function writeJsonArray(
  out: Output,
  sockets: Iterable<object>,
  transform?: SocketJsonTransform,
): Promise<void> {
  let first = true;
  for (const s of sockets) {
    const json = socketJson(s);
    await out.write(`${first ? '[\n' : ',\n'}${transform === undefined ? json : transform(json)}`);
    first = false;
  }
  await out.write(first ? '[]\n' : '\n]\n');
}

/** One socket per line. */
export async function writeNdjson(
  out: Output,
  sockets: Iterable<object>,
  transform?: SocketJsonTransform,
): Promise<void> {
  for (const s of sockets) {
    const json = socketJson(s);
    await out.write(`${transform === undefined ? json : transform(json)}\n`);
  }
}
