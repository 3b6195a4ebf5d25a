/**
 * Colour for the terminal: with `--color=auto` (the default) only when stdout is a terminal, `NO_COLOR` is unset
 * or empty (https://no-color.org) and `TERM` is not `dumb`; always or never with `--color=always|never`. Only
 * around text procnet wrote itself (untrusted text is escaped before it gets here).
 * @module
 */
import { type CliIo, useColor } from './io.js';
import type { ColorMode } from './options.js';

/** Wraps text in an SGR colour, or returns it unchanged when colour is off. */
export interface Paint {
  enabled: boolean;
  bold(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  dim(text: string): string;
  /**
   * A state word as the tables print it (`ESTABLISHED`, `LISTEN`, `CLOSE_WAIT`, unix `LISTENING`, `CONNECTED`) in
   * its colour: see {@link STATE_COLORS}. `key`, when given, is the netstat name whose colour `text` gets (top
   * prints ss's shorter names). Other words are returned unchanged.
   */
  state(text: string, key?: string): string;
}

/**
 * The SGR code of each coloured state: connected green, listening cyan, the handshake magenta, the closing states
 * yellow, and CLOSE_WAIT red (the application has not closed its end: the state that piles up when a program
 * leaks connections).
 */
export const STATE_COLORS: Readonly<Record<string, string>> = {
  ESTABLISHED: '32',
  CONNECTED: '32',
  LISTEN: '36',
  LISTENING: '36',
  SYN_SENT: '35',
  SYN_RECV: '35',
  CONNECTING: '35',
  FIN_WAIT1: '33',
  FIN_WAIT2: '33',
  TIME_WAIT: '33',
  CLOSE: '33',
  LAST_ACK: '33',
  CLOSING: '33',
  DISCONNECTING: '33',
  CLOSE_WAIT: '31',
};

const sgr = (code: string) => (text: string) => `\x1b[${code}m${text}\x1b[0m`;
const same = (text: string) => text;

export const NO_PAINT: Paint = { enabled: false, bold: same, red: same, yellow: same, dim: same, state: same };
const PAINT: Paint = {
  enabled: true,
  bold: sgr('1'),
  red: sgr('1;31'),
  yellow: sgr('33'),
  dim: sgr('2'),
  state: (text, key = text) => {
    const code = STATE_COLORS[key];
    return code === undefined ? text : `\x1b[${code}m${text}\x1b[0m`;
  },
};

/** The paint for an output: see the module's description. */
export function paintFor(io: CliIo, mode: ColorMode = 'auto'): Paint {
  return useColor(io, mode) ? PAINT : NO_PAINT;
}
