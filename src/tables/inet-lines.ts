/**
 * The line loop over an inet table: shared by the whole-input parser, the streaming parser and the summaries.
 * @module
 */
import { ProcNetParseError } from '../errors.js';
import { tokenize } from '../scan/tokens.js';
import type { InetSocket, InetTableKind, SocketByKind } from '../types.js';
import { decodeFast } from './decoded-row.js';
import { compileFilter } from './filter.js';
import { InetLineReader } from './inet.js';
import { type InvalidRowHandler, type ParseOptions, reportInvalid } from './options.js';

const NL = 0x0a;

/**
 * Called for every data line with the reader positioned on it: `decoded` true when the fast path has already
 * decoded it into `r.d`; false when it is tokenized (in `r.t`) and not decoded: call `r.decodeTokens()`.
 */
export type InetLineSink = (r: InetLineReader, decoded: boolean) => void;

/**
 * The line loop shared by the whole-input parser, the streaming parser and the summaries: splits `bytes` into
 * lines, checks the header once, tokenizes each line and hands data lines to `sink`. Call `feed` with batches
 * of complete lines (the last batch may end without a newline), then `end`.
 */
export class InetLineLoop {
  readonly r: InetLineReader;
  private readonly handler: InvalidRowHandler;
  private readonly sink: InetLineSink;
  /** Longest line accepted, in bytes (`maxLineLength`). */
  readonly maxLine: number;
  private line = 0;
  private headerSeen = false;

  constructor(r: InetLineReader, handler: InvalidRowHandler, sink: InetLineSink) {
    this.r = r;
    this.handler = handler;
    this.sink = sink;
    this.maxLine = r.maxLine;
  }

  /** Processes the lines of `bytes[0, end)`; `base` is the offset of `bytes[0]` in the whole input. */
  feed(bytes: Uint8Array, end: number, base: number): void {
    const r = this.r;
    const t = r.t;
    const kind = r.kind;
    const handler = this.handler;
    r.buf = bytes;
    r.base = base;
    const ipv6 = r.family === 'IPv6';
    const tcp = r.protocol === 'tcp';
    const words = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let pos = 0;
    while (pos < end) {
      r.line = ++this.line;
      r.lineStart = pos;
      if (this.headerSeen) {
        // The fast path finds the line's end itself.
        const fastEnd = decodeFast(bytes, words, pos, end, ipv6, tcp, r.d);
        if (fastEnd >= 0 && fastEnd - pos <= this.maxLine && r.pointerWidthOk()) {
          r.lineEnd = fastEnd;
          r.unterminated = false;
          pos = fastEnd + 1;
          this.sink(r, true);
          continue;
        }
      }
      let nl = bytes.indexOf(NL, pos);
      const unterminated = nl < 0 || nl >= end;
      if (unterminated) nl = end;
      r.lineEnd = nl;
      r.unterminated = unterminated;
      pos = nl + 1;
      if (nl - r.lineStart > this.maxLine) {
        this.tooLong();
        continue;
      }
      if (tokenize(bytes, r.lineStart, nl, t) === 0) {
        if (!this.headerSeen) {
          this.headerSeen = true;
          reportInvalid(
            handler,
            r.error('MISSING_HEADER', '', `line 1 is empty; /proc/net/${kind} starts with a header`, r.lineStart, nl),
          );
        }
        continue;
      }
      if (!this.headerSeen) {
        this.headerSeen = true;
        if (r.header()) continue;
        reportInvalid(
          handler,
          r.error(
            'MISSING_HEADER',
            '',
            `the header line of /proc/net/${kind} is missing; line 1 is a row`,
            r.lineStart,
            nl,
          ),
        );
      }
      this.sink(r, false);
    }
  }

  /**
   * A line longer than {@link maxLine} that a stream did not hold whole: its first bytes (`head`, at offset `base`
   * of the whole input) stand for it. The line counts, and its error goes to the handler as for any bad row.
   */
  feedTooLong(head: Uint8Array, base: number): void {
    const r = this.r;
    r.buf = head;
    r.base = base;
    r.line = ++this.line;
    r.lineStart = 0;
    r.lineEnd = head.length;
    r.unterminated = false;
    this.tooLong();
  }

  /** The current line is over {@link maxLine}: a bad row, or, as line 1, a table that cannot be read at all. */
  private tooLong(): void {
    const r = this.r;
    const e = r.error(
      'LINE_TOO_LONG',
      '',
      `the line is longer than ${this.maxLine} bytes (maxLineLength): no kernel prints a line near that long`,
      r.lineStart,
      r.lineEnd,
    );
    // Without a header no row can be trusted (as with UNKNOWN_HEADER).
    if (!this.headerSeen) {
      this.headerSeen = true;
      throw e;
    }
    reportInvalid(this.handler, e);
  }

  /** Call once after the last `feed`: an input with no line at all has no header. */
  end(): void {
    if (this.headerSeen) return;
    reportInvalid(
      this.handler,
      new ProcNetParseError({
        code: 'MISSING_HEADER',
        reason: `the input is empty; /proc/net/${this.r.kind} always has a header line`,
        file: this.r.file,
        line: 1,
        column: 1,
        offset: 0,
        field: '',
        text: '',
      }),
    );
  }
}

/** A sink that parses each accepted line and hands the row to `emit`, and bad rows to the handler. */
export function rowSink(
  kind: InetTableKind,
  options: ParseOptions | undefined,
  emit: (row: InetSocket) => void,
): InetLineSink {
  return decodedSink(kind, options, (r) => emit(r.build()));
}

/**
 * A sink that decodes (and checks) each line, applies the filter, and calls `accept` with the reader holding the
 * decoded row in `r.d`; bad rows go to the handler. `fast` is true when the fast path decoded the line (`decodeFast`:
 * kernel layout, so every hex value is in its printed width and no value is -0).
 */
export function decodedSink(
  kind: InetTableKind,
  options: ParseOptions | undefined,
  accept: (r: InetLineReader, fast: boolean) => void,
): InetLineSink {
  const handler = options?.onInvalidRow ?? 'throw';
  const filter = compileFilter(kind, options?.filter);
  return (r, decoded) => {
    try {
      if (!decoded) {
        if (filter !== undefined && !r.accepts(filter)) return;
        r.decodeTokens();
      }
      if (filter !== undefined && !r.acceptsDecoded(filter)) return;
      accept(r, decoded);
    } catch (e) {
      if (!(e instanceof ProcNetParseError)) throw e;
      reportInvalid(handler, r.unterminated ? r.truncated(e) : e);
    }
  };
}

/**
 * Parses the whole text of one inet table. `bytes` holds the file, header included.
 * @internal use `parseTable`
 */
export function parseInetTable<K extends InetTableKind>(
  kind: K,
  bytes: Uint8Array,
  options?: ParseOptions,
): SocketByKind[K][] {
  const out: InetSocket[] = [];
  runInetLines(
    kind,
    bytes,
    options,
    rowSink(kind, options, (row) => out.push(row)),
  );
  return out as SocketByKind[K][];
}

/** Runs the line loop over one whole input with `sink`. */
export function runInetLines(
  kind: InetTableKind,
  bytes: Uint8Array,
  options: ParseOptions | undefined,
  sink: InetLineSink,
): void {
  const loop = new InetLineLoop(new InetLineReader(bytes, kind, options), options?.onInvalidRow ?? 'throw', sink);
  loop.feed(bytes, bytes.length, 0);
  loop.end();
}
