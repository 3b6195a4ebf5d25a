/**
 * A user of `procnet/analysis`, compiled by test/consumers/consumers.test.ts against the packed package under every
 * consumer configuration: findings from parsed rows, and the exposure of listeners.
 */
import type { InetSocket } from 'procnet';
import {
  classifyAddress,
  compareFindings,
  diagnose,
  FINDINGS,
  type Finding,
  type FindingId,
  type Sample,
  SEVERITIES,
  summarizeListeners,
} from 'procnet/analysis';

export function report(sockets: readonly InetSocket[]): string[] {
  const sample: Sample = { time: Date.now(), sockets };
  const findings: Finding[] = diagnose(sample).sort(compareFindings);
  const lines = findings.map((f) => `${f.severity} ${f.id}: ${f.summary} (${FINDINGS[f.id].nextStep})`);
  // @ts-expect-error: finding ids are the catalogue's, not any string.
  const unknown: FindingId = 'no-such-finding';
  lines.push(unknown, SEVERITIES.join(', '));
  return lines;
}

export function exposed(sockets: readonly InetSocket[]): string[] {
  const outside = summarizeListeners(sockets).outside.map((l) => `${l.local.address}:${l.port}`);
  return [...outside, classifyAddress('127.0.0.1').reachableFrom];
}
