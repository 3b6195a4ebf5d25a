/**
 * `takeSamples`: the socket tables (with owners) and the counter files of one network namespace, read a few times at
 * a fixed interval, as the samples `diagnose` reads.
 * @module
 */
import type { CounterSample } from '../analysis/types.js';
import type { ProcNetParseError } from '../errors.js';
import { INET_TABLES } from '../tables/inet.js';
import type { InetTableKind, TableKind } from '../types.js';
import type { HostSettings } from './host-settings.js';
import { readCounters } from './read-counters.js';
import { readSockets } from './read-sockets.js';
import type { FoundSocket, ProcessScanStats, ReadNote, ReadSocketsOptions } from './types.js';

/** Options of `takeSamples`: those of `readSockets`, and how many samples to take how far apart. */
export interface TakeSamplesOptions<K extends TableKind = InetTableKind> extends ReadSocketsOptions<K> {
  /**
   * Tables to read. Default: the ten inet tables (`tcp` … `icmp6`); the analyses ignore unix rows, so `unix` is not
   * read unless asked for.
   */
  kinds?: readonly K[] | undefined;
  /** Milliseconds from the start of one sample to the start of the next. Default 1000. */
  interval?: number | undefined;
  /** How many samples to take (a dump gives one, whatever this says). Default 3. */
  samples?: number | undefined;
  /** Read the counter files and host settings with each sample (`readCounters`). Default `true`. */
  counters?: boolean | undefined;
  /** Stops the sampling: the promise rejects with `signal.reason` (no sample is returned). */
  signal?: AbortSignal | undefined;
  /** Called with each sample as soon as it is taken (progress, or keeping what was taken before an abort). */
  onSample?: ((sample: TakenSample<K>, index: number) => void) | undefined;
}

/** One sample: a `Sample` for `diagnose` (it has `time`, `sockets` and `counters`), with what the reads had to say. */
export interface TakenSample<K extends TableKind = InetTableKind> {
  /** `Date.now()` when the read started. */
  time: number;
  /** Every row read, with `namespace` and `owners` (owners `null` unless `processes: true`). */
  sockets: FoundSocket<K>[];
  /** The counter files, or `undefined` with `counters: false`. */
  counters: CounterSample | undefined;
  /** The host settings that could be read (`{}` with `counters: false`): spread them into `diagnose`'s options. */
  settings: HostSettings;
  /** Notes of both reads: missing tables and files, unknown settings, incomplete owner scans, … */
  notes: ReadNote[];
  /** Rows and lines skipped in lenient mode. */
  errors: ProcNetParseError[];
  /** The owner scan's counts (`processes: true`), else `null`. */
  processes: ProcessScanStats | null;
  /** Where the tables were read. */
  source: { live: boolean; netDir: string };
  /** Inode of the network namespace read (live), or `null` (a dump, or unreadable). */
  namespace: string | null;
}

const INET_KINDS = Object.keys(INET_TABLES) as InetTableKind[];

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? Object.assign(new Error('The operation was aborted'), { name: 'AbortError' });
}

/** Waits `ms`, or rejects as soon as `signal` aborts. */
function wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortReason(signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal as AbortSignal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Rejects as soon as `signal` aborts, else settles with `work`. */
function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return work;
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(abortReason(signal));
    const onAbort = () => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

function check<K extends TableKind>(options: TakeSamplesOptions<K>): { interval: number; count: number } {
  const interval = options.interval ?? 1000;
  const count = options.samples ?? 3;
  if (typeof interval !== 'number' || !Number.isFinite(interval) || interval < 0) {
    throw new RangeError(`procnet: interval must be a finite number of ms >= 0, got ${String(interval)}`);
  }
  if (!Number.isSafeInteger(count) || count < 1) {
    throw new RangeError(`procnet: samples must be an integer >= 1, got ${String(count)}`);
  }
  return { interval, count };
}

async function takeOne<K extends TableKind>(options: TakeSamplesOptions<K>): Promise<TakenSample<K>> {
  const time = Date.now();
  const read: ReadSocketsOptions<K> = {
    kinds: (options.kinds ?? INET_KINDS) as readonly K[],
    root: options.root,
    pid: options.pid,
    byteOrder: options.byteOrder,
    userHz: options.userHz,
    onInvalidRow: options.onInvalidRow,
    processes: options.processes,
    concurrency: options.concurrency,
  };
  const [tables, counters] = await Promise.all([
    readSockets<K>(read),
    options.counters === false
      ? null
      : readCounters({
          root: options.root,
          pid: options.pid,
          onInvalidRow: options.onInvalidRow,
          limits: options.limits,
        }),
  ]);
  return {
    time,
    sockets: tables.sockets,
    counters: counters?.counters,
    settings: counters?.settings ?? {},
    // Both reads check whether a dump is whole: its notes once.
    notes: [...tables.notes, ...(counters?.notes ?? []).filter((n) => n.code !== 'DUMP_INCOMPLETE')],
    errors: [...tables.errors, ...(counters?.errors ?? [])],
    processes: tables.processes,
    source: tables.source,
    namespace: counters?.namespace ?? tables.sockets[0]?.namespace ?? null,
  };
}

/**
 * Takes `samples` samples `interval` ms apart (start to start; a read that takes longer delays the next one), each the
 * socket tables of one network namespace (`readSockets` with the same options: `root`, `pid`, `processes`, …) and its
 * counter files (`readCounters`). The result goes to `diagnose` as it is; spread the last sample's `settings` into the
 * options:
 *
 * ```ts
 * const samples = await takeSamples({ samples: 3, interval: 1000, processes: true });
 * const findings = diagnose(samples, { ...samples.at(-1)?.settings });
 * ```
 *
 * A dump is one moment: from a dump, one sample is taken (with a `DUMP_ONE_SAMPLE` note when more were asked for).
 * Errors of a read (a `pid` that exited, a bad row in `'throw'` mode) reject the promise, as does `signal`.
 */
export async function takeSamples<K extends TableKind = InetTableKind>(
  options: TakeSamplesOptions<K> = {},
): Promise<TakenSample<K>[]> {
  const { interval, count } = check(options);
  const signal = options.signal;
  signal?.throwIfAborted();
  const out: TakenSample<K>[] = [];
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    // +1 ms: sample times are whole epoch ms (Date.now), so a wait that ends a fraction early would read as a
    // sample taken 1 ms sooner than asked.
    if (i > 0) await wait(Math.max(0, Math.ceil(start + i * interval - performance.now()) + 1), signal);
    const sample = await abortable(takeOne(options), signal);
    const last = !sample.source.live;
    if (last && count > 1) {
      sample.notes.push({
        code: 'DUMP_ONE_SAMPLE',
        message: `${sample.source.netDir} is a dump, one moment: 1 sample was taken, not ${count}`,
        kind: null,
        path: sample.source.netDir,
      });
    }
    out.push(sample);
    options.onSample?.(sample, i);
    if (last) break;
  }
  return out;
}
