/**
 * A busy host: large groups go through every analysis without a stack overflow (no argument spreads over a group)
 * and without quadratic work. Timing is left to the test timeout: this runs on slow, shared machines too.
 */
import { describe, expect, it } from 'vitest';
import { type AnalysisSocket, analyzeStates, diagnose, type Sample } from '../../src/analysis/index.js';
import type { InetSocket } from '../../src/index.js';
import { captureSockets, find, owner } from './capture.js';

const address = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

describe('analyses on a busy host', () => {
  it('groups 130 000 CLOSE_WAIT sockets of one process into one critical finding', () => {
    const base = captureSockets();
    const cw = find(base, 'tcp', 40007, 40017);
    const java = [owner(3100, 'java')];
    const rows: AnalysisSocket[] = [...base];
    for (let i = 0; i < 130_000; i++) {
      rows.push({
        ...cw,
        remote: { address: address(i), port: 1024 + (i % 60000), family: 'IPv4' },
        inode: String(1_000_000 + i),
        owners: java,
      });
    }
    const [f] = analyzeStates(rows);
    expect(f).toMatchObject({ id: 'close-wait-leak', severity: 'critical', evidence: { closeWait: 130_000 } });
    expect(f?.processes).toEqual([{ pid: 3100, comm: 'java', cmdline: ['java'], uid: 1000, sockets: 130_000 }]);
  });

  it('follows 30 000 connections over three samples', () => {
    const base = captureSockets();
    const established = find(base, 'tcp', 40001, 40011);
    const timeWait = find(base, 'tcp', 40015, 40005);
    const rows: InetSocket[] = [...base];
    for (let i = 0; i < 15_000; i++) {
      rows.push({
        ...established,
        remote: { address: address(i), port: 2000 + (i % 60000), family: 'IPv4' },
        inode: String(2_000_000 + i),
        rxQueue: i % 7 === 0 ? 500 : 0,
      } as InetSocket);
      rows.push({
        ...timeWait,
        local: { address: '127.0.0.1', port: 32768 + (i % 28232), family: 'IPv4' },
        remote: { address: address(i), port: 443, family: 'IPv4' },
      } as InetSocket);
    }
    const samples: Sample[] = [0, 10_000, 20_000].map((time) => ({ time, sockets: rows }));
    const findings = diagnose(samples);
    const onService = findings.find(
      (f) => f.id === 'recv-queue-backlog' && f.summary.startsWith('tcp 127.0.0.1:40001'),
    );
    expect(onService?.evidence.sockets).toBe(Math.ceil(15_000 / 7) + 1);
    expect(findings.find((f) => f.id === 'stuck-closing')?.evidence.stuck).toBe(3);
  });
});
