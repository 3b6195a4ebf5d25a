/**
 * Timer codes (`tr` column) and tick conversion.
 * @module
 */

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
