/**
 * Queue values as the analyses read them, and the trace of a queue across samples.
 * @module
 */
import { type InetRow, maxOf, minOf } from './socket-ref.js';
import type { TrackPoint } from './track-sockets.js';
import type { QueueTrace, QueueTrend } from './types.js';

/** States in which the peer's FIN has arrived: `rx_queue` counts it as one byte until the application reads EOF. */
const FIN_RECEIVED = new Set(['CLOSE_WAIT', 'LAST_ACK', 'CLOSING']);
/** States in which our FIN is queued or unacknowledged: `tx_queue` counts it as one byte. */
const FIN_SENT = new Set(['FIN_WAIT1', 'LAST_ACK', 'CLOSING']);

/** The unit of a queue value. */
export function queueUnit(s: InetRow, queue: 'receive' | 'send'): QueueTrace['unit'] {
  if (s.protocol !== 'tcp') return 'memory';
  return queue === 'receive' && s.state === 'LISTEN' ? 'connections' : 'bytes';
}

/**
 * The Recv-Q a person cares about: the accept backlog of a TCP listener, unread data bytes of a TCP connection (an
 * unread FIN is not data), queued memory of a datagram socket. `null` where it means nothing (request and TIME_WAIT
 * rows).
 */
export function receiveQueue(s: InetRow): number | null {
  if (s.protocol !== 'tcp') return s.rxQueue;
  if (s.record !== 'socket') return null;
  return FIN_RECEIVED.has(s.state) ? Math.max(s.rxQueue - 1, 0) : s.rxQueue;
}

/**
 * The Send-Q a person cares about: data bytes not yet acknowledged on a TCP connection (a SYN or FIN is not data),
 * memory in flight on a datagram socket. `null` for listeners, request and TIME_WAIT rows, connections still opening,
 * and, unless `closing` is set, connections closing from our side (FIN_WAIT1, CLOSING, LAST_ACK: see `stuck-closing`).
 */
export function sendQueue(s: InetRow, closing = false): number | null {
  if (s.protocol !== 'tcp') return s.txQueue;
  if (s.record !== 'socket') return null;
  if (s.state === 'LISTEN' || s.state === 'SYN_SENT' || s.state === 'SYN_RECV') return null;
  if (FIN_SENT.has(s.state)) return closing ? Math.max(s.txQueue - 1, 0) : null;
  return s.txQueue;
}

/** Which way a series of values moved. */
export function trendOf(values: readonly number[]): QueueTrend {
  let up = false;
  let down = false;
  for (let i = 1; i < values.length; i++) {
    const d = (values[i] as number) - (values[i - 1] as number);
    if (d > 0) up = true;
    else if (d < 0) down = true;
  }
  if (up && down) return 'fluctuating';
  if (up) return 'growing';
  if (down) return 'shrinking';
  return 'steady';
}

/** The trace of `value` over `run` (consecutive points, oldest first; at least one). */
export function traceOf(
  run: readonly TrackPoint[],
  queue: 'receive' | 'send',
  value: (s: InetRow) => number,
): QueueTrace {
  const values = run.map((p) => value(p.socket));
  const first = run[0] as TrackPoint;
  const last = run[run.length - 1] as TrackPoint;
  return {
    queue,
    unit: queueUnit(last.socket, queue),
    first: values[0] as number,
    last: values[values.length - 1] as number,
    min: minOf(values, (v) => v),
    max: maxOf(values, (v) => v),
    trend: trendOf(values),
    samples: run.length,
    durationMs: last.time - first.time,
    since: first.time,
  };
}

/**
 * A duration as the findings' summaries write it: `800 ms`, `1.6 s`, `42 s`, `3 min 5 s`, `2 h 4 min`. For your own
 * text about a finding (`QueueTrace.durationMs`, a report's span) in the same words.
 */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 10) return `${s.toFixed(1)} s`;
  if (s < 60) return `${Math.round(s)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s - m * 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}
