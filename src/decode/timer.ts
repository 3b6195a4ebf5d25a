/**
 * Timer codes (`tr` column) and tick conversion.
 * @module
 */
import type { SocketTimer } from '../types.js';

/** What the `tr` code means (§2.5 of the spec). */
export type TimerKind = 'off' | 'retransmit' | 'keepalive' | 'timewait' | 'probe' | 'unknown';

const KINDS: readonly TimerKind[] = ['off', 'retransmit', 'keepalive', 'timewait', 'probe'];

/** `tr` code → kind; unknown codes are `'unknown'`, never an error. */
export function decodeTimerKind(code: number): TimerKind {
  return code >= 0 && code <= 4 ? (KINDS[code] as TimerKind) : 'unknown';
}

/** The netstat `-o` label for a timer kind (`off`, `on`, `keepalive`, `timewait`, `probe`). */
export const NETSTAT_TIMER_LABEL: Readonly<Record<TimerKind, string>> = {
  off: 'off',
  retransmit: 'on',
  keepalive: 'keepalive',
  timewait: 'timewait',
  probe: 'probe',
  unknown: 'unkn',
};

/** The timer of most rows (none pending): one shared, frozen object instead of one per row. */
const TIMER_OFF: SocketTimer = Object.freeze({ kind: 'off', code: 0, ticks: 0, ms: 0 });

/** The `tr:tm->when` pair as a timer (`userHz`: ticks per second); the shared "off" object when nothing is pending. */
export function timerOf(code: number, ticks: number, userHz: number): SocketTimer {
  if (code === 0 && ticks === 0) return TIMER_OFF;
  return { kind: decodeTimerKind(code), code, ticks, ms: (ticks * 1000) / userHz };
}
