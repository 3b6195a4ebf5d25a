/**
 * Port and user names from local files, as netstat shows them without `-n`: `/etc/services` (getservbyport's
 * first match) and `/etc/passwd`. Never a network lookup. A missing file means numbers.
 * @module
 */
import { escapeTerminal } from '../netstat.js';
import { DEFAULT_READ_LIMITS, type ReadBoundedFileOptions, readBoundedFileSync } from '../node/index.js';

/** The text of a names file, or `null` when it cannot be read (missing, refused, too large): then numbers are shown. */
function readText(path: string, options?: ReadBoundedFileOptions): string | null {
  try {
    const bytes = readBoundedFileSync(path, options);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  } catch {
    return null;
  }
}

/**
 * `port/protocol` → service name from the text of `/etc/services` (`name port/proto aliases # comment`). The first
 * line for a port and protocol wins, as with getservbyport. UDP names also name UDP-Lite ports (netstat looks them
 * up as udp). Names are escaped for the terminal.
 */
export function parseServices(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const hash = raw.indexOf('#');
    const line = hash < 0 ? raw : raw.slice(0, hash);
    const fields = line.trim().split(/\s+/);
    if (fields.length < 2) continue;
    const name = fields[0] as string;
    const m = /^(\d{1,5})\/([a-z0-9-]+)$/i.exec(fields[1] as string);
    if (m === null || name === '') continue;
    const port = Number(m[1]);
    if (port === 0 || port > 65535) continue;
    const proto = (m[2] as string).toLowerCase();
    const key = `${port}/${proto}`;
    if (!out.has(key)) out.set(key, escapeTerminal(name));
    if (proto === 'udp' && !out.has(`${port}/udplite`)) out.set(`${port}/udplite`, escapeTerminal(name));
  }
  return out;
}

/** uid → user name from the text of `/etc/passwd` (`name:x:uid:…`); the first line for a uid wins. Escaped. */
export function parsePasswd(text: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f.length < 3 || f[0] === '' || !/^\d+$/.test(f[2] as string)) continue;
    const uid = Number(f[2]);
    if (!out.has(uid)) out.set(uid, escapeTerminal(f[0] as string));
  }
  return out;
}

/** The names to show: none with `-n`; for a dump, its own `etc/` files when it carries them. */
export interface Names {
  services: Map<string, string> | undefined;
  users: Map<number, string> | undefined;
}

/**
 * Loads the names a listing needs. Users of a dump are only named from the dump's own `etc/passwd` (a sosreport has
 * one): this machine's names would be wrong for another machine's uids. Services are the same everywhere, so a dump
 * without `etc/services` uses this machine's.
 */
export function loadNames(options: {
  numericPorts: boolean;
  numericUsers: boolean;
  needUsers: boolean;
  /** A dump folder, or `null` for this machine. */
  dump: string | null;
}): Names {
  // A dump's own files are read from inside it only, this machine's as trusted system files (both bounded).
  const dump = options.dump;
  const fromDump = (name: string): string | null =>
    dump === null ? null : readText(`${dump}/${name}`, { root: dump, limit: DEFAULT_READ_LIMITS.metadata });
  let services: Map<string, string> | undefined;
  if (!options.numericPorts) {
    const text = fromDump('etc/services') ?? readText('/etc/services');
    if (text !== null) services = parseServices(text);
  }
  let users: Map<number, string> | undefined;
  if (!options.numericUsers && options.needUsers) {
    const text = options.dump === null ? readText('/etc/passwd') : fromDump('etc/passwd');
    if (text !== null) users = parsePasswd(text);
  }
  return { services, users };
}
