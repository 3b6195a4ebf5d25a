/**
 * The terminal under `procnet top`, with hand-written escape sequences (no dependency: the few that are needed are
 * the same on every terminal since the VT100 and xterm): the alternate screen, the cursor hidden, the keyboard in
 * raw mode, redraws on resize (SIGWINCH), and the terminal given back as it was on every way out: `q`, Ctrl-C,
 * SIGINT, SIGTERM, SIGHUP, an uncaught error, and the process's exit.
 * @module
 */
import { writeSync } from 'node:fs';

/** xterm's alternate screen (saves and restores the screen and cursor of the shell). */
const ALT_SCREEN_ON = '\x1b[?1049h';
const ALT_SCREEN_OFF = '\x1b[?1049l';
const CURSOR_HIDE = '\x1b[?25l';
const CURSOR_SHOW = '\x1b[?25h';
const HOME = '\x1b[H';
const CLEAR_LINE_END = '\x1b[K';
const CLEAR_SCREEN_END = '\x1b[J';
/** SGR reset: a line never leaves a colour on. */
const RESET = '\x1b[0m';

/** A key, decoded from the bytes a terminal sends. */
export type Key =
  | { name: 'char'; char: string }
  | {
      name:
        | 'enter'
        | 'escape'
        | 'backspace'
        | 'ctrl-c'
        | 'ctrl-d'
        | 'up'
        | 'down'
        | 'page-up'
        | 'page-down'
        | 'home'
        | 'end'
        | 'tab';
    };

/** Escape sequences of the keys top uses (normal and application cursor modes). */
const SEQUENCES: ReadonlyArray<readonly [string, Key['name']]> = [
  ['\x1b[A', 'up'],
  ['\x1bOA', 'up'],
  ['\x1b[B', 'down'],
  ['\x1bOB', 'down'],
  ['\x1b[5~', 'page-up'],
  ['\x1b[6~', 'page-down'],
  ['\x1b[H', 'home'],
  ['\x1bOH', 'home'],
  ['\x1b[1~', 'home'],
  ['\x1b[F', 'end'],
  ['\x1bOF', 'end'],
  ['\x1b[4~', 'end'],
];

/**
 * The keys in a chunk of terminal input. An escape sequence top does not know is skipped whole; a lone ESC (the
 * Escape key) is `escape`. Printable characters (any non-control one) are `char`.
 */
export function decodeKeys(chunk: string): Key[] {
  const keys: Key[] = [];
  let i = 0;
  while (i < chunk.length) {
    const c = chunk[i] as string;
    if (c === '\x1b') {
      const known = SEQUENCES.find(([seq]) => chunk.startsWith(seq, i));
      if (known !== undefined) {
        keys.push({ name: known[1] } as Key);
        i += known[0].length;
        continue;
      }
      const m = /^\x1b(?:\[[0-9;?]*[@-~]|O.)/.exec(chunk.slice(i));
      if (m !== null) {
        i += m[0].length;
        continue;
      }
      keys.push({ name: 'escape' });
      i++;
      continue;
    }
    i++;
    if (c === '\r' || c === '\n') keys.push({ name: 'enter' });
    else if (c === '\x7f' || c === '\b') keys.push({ name: 'backspace' });
    else if (c === '\x03') keys.push({ name: 'ctrl-c' });
    else if (c === '\x04') keys.push({ name: 'ctrl-d' });
    else if (c === '\t') keys.push({ name: 'tab' });
    else if (c >= ' ' && c !== '\x7f' && !/[\x80-\x9f]/.test(c)) keys.push({ name: 'char', char: c });
  }
  return keys;
}

/** The streams of a terminal: what `process.stdin` and `process.stdout` are on one. */
export interface TerminalStreams {
  input: NodeJS.ReadStream;
  output: NodeJS.WriteStream;
}

/** Why top stopped: a key (`q`, Ctrl-C) or a signal. */
export type StopReason = 'quit' | NodeJS.Signals;

const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** The full-screen terminal of top. Call {@link TopTerminal.restore} when done (it is also called on every exit). */
export class TopTerminal {
  readonly #input: NodeJS.ReadStream;
  readonly #output: NodeJS.WriteStream;
  #active = false;
  #wasRaw = false;
  readonly #cleanups: Array<() => void> = [];

  constructor(streams: TerminalStreams) {
    this.#input = streams.input;
    this.#output = streams.output;
  }

  /** Columns and rows of the terminal now (80×24 when it does not say). */
  get size(): { width: number; height: number } {
    return { width: this.#output.columns || 80, height: this.#output.rows || 24 };
  }

  /**
   * Takes the terminal: alternate screen, cursor hidden, raw keyboard. `onKey` gets each key, `onResize` each size
   * change, `onStop` a signal that asks to stop (the terminal is restored before it is called).
   */
  start(handlers: { onKey: (key: Key) => void; onResize: () => void; onStop: (reason: StopReason) => void }): void {
    this.#active = true;
    this.#wasRaw = this.#input.isRaw === true;
    this.#input.setRawMode?.(true);
    this.#input.setEncoding('utf8');
    const onData = (chunk: string) => {
      for (const key of decodeKeys(chunk)) handlers.onKey(key);
    };
    this.#input.on('data', onData);
    this.#input.resume();
    this.#cleanups.push(() => {
      this.#input.off('data', onData);
      this.#input.pause();
    });
    this.#output.on('resize', handlers.onResize);
    this.#cleanups.push(() => this.#output.off('resize', handlers.onResize));
    for (const signal of SIGNALS) {
      const onSignal = () => {
        this.restore();
        handlers.onStop(signal);
      };
      process.on(signal, onSignal);
      this.#cleanups.push(() => process.off(signal, onSignal));
    }
    // An error nothing caught: the terminal first, then the message (on the alternate screen it would vanish).
    const onError = (e: unknown) => {
      this.restore();
      process.stderr.write(`procnet: internal error (please report it): ${e instanceof Error ? e.stack : String(e)}\n`);
      process.exit(1);
    };
    process.on('uncaughtException', onError);
    process.on('unhandledRejection', onError);
    this.#cleanups.push(() => {
      process.off('uncaughtException', onError);
      process.off('unhandledRejection', onError);
    });
    // The last chance: whatever ends the process (process.exit) leaves the terminal usable.
    const onExit = () => this.restore();
    process.on('exit', onExit);
    this.#cleanups.push(() => process.off('exit', onExit));
    this.#write(`${ALT_SCREEN_ON}${CURSOR_HIDE}${HOME}${CLEAR_SCREEN_END}`);
  }

  /** Draws a screen: each line in place, the rest of each line and of the screen cleared. */
  draw(lines: readonly string[]): void {
    if (!this.#active) return;
    this.#write(`${HOME}${lines.map((l) => `${l}${RESET}${CLEAR_LINE_END}`).join('\r\n')}${CLEAR_SCREEN_END}`);
  }

  /** Gives the terminal back as it was: main screen, cursor shown, keyboard as before. Safe to call again. */
  restore(): void {
    if (!this.#active) return;
    this.#active = false;
    for (const cleanup of this.#cleanups.splice(0)) cleanup();
    try {
      this.#input.setRawMode?.(this.#wasRaw);
    } catch {
      // The terminal may be gone (SIGHUP): nothing to give back.
    }
    this.#write(`${RESET}${CURSOR_SHOW}${ALT_SCREEN_OFF}`);
  }

  /** Written synchronously, so a restore is on the terminal before the process goes. */
  #write(text: string): void {
    try {
      writeSync((this.#output as unknown as { fd: number }).fd, text);
    } catch {
      // A closed terminal (SIGHUP, EIO): nothing to draw on.
    }
  }
}
