/**
 * Colour for the terminal: only when stdout is a terminal and `NO_COLOR` is unset (https://no-color.org), and
 * only around text procnet wrote itself (untrusted text is escaped before it gets here).
 * @module
 */
import { type CliIo, useColor } from './io.js';

/** Wraps text in an SGR colour, or returns it unchanged when colour is off. */
export interface Paint {
  enabled: boolean;
  bold(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  dim(text: string): string;
}

const sgr = (code: string) => (text: string) => `\x1b[${code}m${text}\x1b[0m`;
const same = (text: string) => text;

export const NO_PAINT: Paint = { enabled: false, bold: same, red: same, yellow: same, dim: same };
const PAINT: Paint = { enabled: true, bold: sgr('1'), red: sgr('1;31'), yellow: sgr('33'), dim: sgr('2') };

/** The paint for an output: colours on a terminal without `NO_COLOR`, none otherwise. */
export function paintFor(io: CliIo): Paint {
  return useColor(io) ? PAINT : NO_PAINT;
}
