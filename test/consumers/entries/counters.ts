/**
 * A user of `procnet/counters`, compiled by test/consumers/consumers.test.ts against the packed package under every
 * consumer configuration: counters are exact bigints, deltas and rates between two readings.
 */
import {
  type CounterGroup,
  diffCounters,
  getSockstatMemory,
  parseSnmp,
  parseSockstat,
  rateCounters,
  type SockstatCounters,
} from 'procnet/counters';

export function retransmits(before: string, after: string): bigint | undefined {
  const earlier = parseSnmp(before);
  const later = parseSnmp(after);
  const tcp: CounterGroup | undefined = later.Tcp;
  const delta = diffCounters(earlier, later).delta.Tcp;
  // @ts-expect-error: counter values are exact bigints, not numbers.
  const asNumber: number = tcp?.RetransSegs;
  return asNumber === 0 ? 0n : delta?.RetransSegs;
}

export function retransmitRate(before: string, after: string, seconds: number): number | undefined {
  return rateCounters(parseSnmp(before), parseSnmp(after), seconds).Tcp?.RetransSegs;
}

export function tcpMemory(sockstat: string): string {
  const counters: SockstatCounters = parseSockstat(sockstat);
  const pages = counters.TCP?.mem ?? counters.TCP?.['unknown-key'];
  return `${pages} pages, ${getSockstatMemory(counters, { pageSize: 4096 }).tcpBytes} bytes`;
}
