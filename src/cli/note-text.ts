/**
 * The read's notes in the command's own words: the library's messages name its options (`byteOrder`, `userHz`,
 * `processes: true`), which a command-line user cannot type. Notes are translated by their code, from the facts of
 * the read, so every message names a flag or a file the user can act on; notes whose message already does (a path,
 * an errno) are kept as they are.
 * @module
 */
import type { ProcessScanStats, ReadNote } from '../node/index.js';

/** What the read decided, for the notes that depend on it. */
export interface NoteFacts {
  /** The byte order used, and where it came from (`ReadSocketsResult.byteOrder`, `byteOrderSource`). */
  byteOrder?: 'little' | 'big' | undefined;
  byteOrderSource?: 'option' | 'host' | 'metadata' | 'guess' | 'default' | undefined;
  /** The tables' folder (`ReadSocketsResult.source.netDir`). */
  netDir?: string | undefined;
  /** The owner scan's counts. */
  processes?: ProcessScanStats | null | undefined;
  /** The command whose flags the message may name (`procnet`, `procnet doctor`, `procnet top`). */
  command?: string | undefined;
}

const isRoot = (): boolean => process.geteuid?.() === 0;

/** `-p`'s spelling for the command (doctor reads owners unless told `--no-processes`). */
function ownersFlag(command: string): string {
  return command === 'procnet' ? ' (-p)' : '';
}

/** The sentence of a note for a person at the command line (no `procnet:` prefix, not escaped). */
export function noteText(n: ReadNote, facts: NoteFacts = {}): string {
  const command = facts.command ?? 'procnet';
  switch (n.code) {
    case 'BYTE_ORDER':
      return byteOrderText(n, facts);
    case 'USER_HZ':
      return "the dump does not say its USER_HZ: 100 ticks per second were assumed for the timers; give --user-hz N if its machine used another (or add user_hz to the dump's env.json)";
    case 'FDS_MISSING': {
      const where = facts.netDir === undefined ? 'the dump' : `the dump ${facts.netDir}`;
      return `${where} has no fds.json beside it, so the sockets' owners${ownersFlag(command)} are not known (procnet snapshot saves one)`;
    }
    case 'PROCESSES_INCOMPLETE': {
      const p = facts.processes;
      if (p == null) return n.message;
      const total = p.scanned + p.denied;
      const why =
        p.source === 'fds.json'
          ? 'when the dump was made'
          : isRoot()
            ? 'even as root (a sandbox, or a process this one may not trace)'
            : 'as this user: run as root to see them';
      return `${p.denied} of ${total} process${total === 1 ? '' : 'es'} could not be read ${why}; their sockets show no owner`;
    }
    default:
      return n.message;
  }
}

function byteOrderText(n: ReadNote, facts: NoteFacts): string {
  const order = facts.byteOrder;
  switch (facts.byteOrderSource) {
    case 'metadata':
      return `the dump's byte order, ${order}-endian, is from ${n.path ?? 'its metadata'}`;
    case 'guess':
      return `the dump does not say its byte order: ${order}-endian was guessed from its loopback and link-local addresses; if the addresses look wrong, give --byte-order ${order === 'big' ? 'little' : 'big'} (or add byte_order to the dump's env.json)`;
    case 'default':
      return "the dump does not say its byte order and its addresses do not tell: little-endian was assumed; if the addresses look wrong, give --byte-order big (or add byte_order to the dump's env.json)";
    default:
      // Without the read's decision (procnet doctor): what the note's path says.
      return n.path === null
        ? "the dump does not say its byte order: it was guessed from its addresses, or little-endian assumed; if the addresses look wrong, give --byte-order big or little (or add byte_order to the dump's env.json)"
        : `the dump's byte order is from ${n.path}`;
  }
}
