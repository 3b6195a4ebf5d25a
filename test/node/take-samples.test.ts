/**
 * takeSamples: timing, options, dumps and aborts, on this process's own namespace (no namespace is created here; the
 * findings themselves are made for real in test/doctor).
 */
import { spawn } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TakenSample } from '../../src/node/index.js';
import { analysisLib } from '../support/entry-libs.js';
import { nodeLib } from '../support/node-lib.js';
import { ROOT } from '../support/paths.js';

const DUMP = join(ROOT, 'fixtures/capture-2026-11-linux-6.18.44-fc-v782-x86_64');
const ownNamespace = () => /\[(\d+)\]/.exec(readlinkSync('/proc/self/ns/net'))?.[1];

describe('takeSamples', () => {
  it('takes 3 samples by default, interval ms apart start to start, each with sockets, counters and settings', async () => {
    const seen: number[] = [];
    const samples = await nodeLib.takeSamples({ interval: 150, onSample: (_s, i) => seen.push(i) });
    expect(samples).toHaveLength(3);
    expect(seen).toEqual([0, 1, 2]);
    for (let i = 1; i < 3; i++) {
      expect((samples[i] as TakenSample).time - (samples[i - 1] as TakenSample).time).toBeGreaterThanOrEqual(140);
    }
    for (const s of samples) {
      expect(s.source).toEqual({ live: true, netDir: '/proc/net' });
      expect(s.namespace).toBe(ownNamespace());
      expect(s.counters?.snmp?.Tcp).toBeDefined();
      expect(s.settings.localPortRange).toHaveLength(2);
      expect(s.processes).toBeNull();
      // The analyses ignore unix rows, so they are not read unless asked for.
      expect(s.sockets.every((row) => row.kind !== ('unix' as string))).toBe(true);
    }
    expect(() => analysisLib.diagnose(samples, { ...samples.at(-1)?.settings })).not.toThrow();
  });

  it('reads what it is asked: kinds, no counters, a pid in the same namespace (settings then readable)', async () => {
    const [s] = await nodeLib.takeSamples({ samples: 1, kinds: ['unix'], counters: false, pid: process.pid });
    expect(s?.sockets.every((row) => row.kind === 'unix')).toBe(true);
    expect(s?.counters).toBeUndefined();
    expect(s?.settings).toEqual({});
    expect(s?.source.netDir).toBe(`/proc/${process.pid}/net`);
    const [t] = await nodeLib.takeSamples({ samples: 1, kinds: ['tcp'], pid: process.pid });
    expect(t?.settings.localPortRange).toBeDefined();
    expect(t?.notes.filter((n) => n.code === 'SETTING_UNKNOWN' && !n.message.includes('tcp_mem'))).toEqual([]);
  });

  it('takes one sample of a dump, and says so when more were asked for', async () => {
    const samples = await nodeLib.takeSamples({ root: DUMP, samples: 3, interval: 10_000, processes: true });
    expect(samples).toHaveLength(1);
    expect(samples[0]?.source.live).toBe(false);
    expect(samples[0]?.processes?.source).toBe('fds.json');
    expect(samples[0]?.counters?.netstat?.TcpExt?.ListenOverflows).toBe(5n);
    expect(samples[0]?.notes.map((n) => n.code)).toContain('DUMP_ONE_SAMPLE');
    const [one] = await nodeLib.takeSamples({ root: DUMP, samples: 1 });
    expect(one?.notes.map((n) => n.code)).not.toContain('DUMP_ONE_SAMPLE');
  });

  it.each([
    [{ samples: 0 }, 'samples must be an integer >= 1'],
    [{ samples: 1.5 }, 'samples must be an integer >= 1'],
    [{ interval: -1 }, 'interval must be a finite number'],
    [{ interval: Number.NaN }, 'interval must be a finite number'],
  ])('rejects %o', async (options, message) => {
    await expect(nodeLib.takeSamples(options)).rejects.toThrow(message);
  });

  it('stops when the signal aborts: before the start, or during the wait, with the reason', async () => {
    await expect(nodeLib.takeSamples({ signal: AbortSignal.abort(new Error('no')) })).rejects.toThrow('no');
    const controller = new AbortController();
    const kept: TakenSample[] = [];
    const started = Date.now();
    setTimeout(() => controller.abort(new Error('enough')), 300);
    await expect(
      nodeLib.takeSamples({ interval: 60_000, signal: controller.signal, onSample: (s) => kept.push(s) }),
    ).rejects.toThrow('enough');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(kept).toHaveLength(1);
    const aborted = await nodeLib
      .takeSamples({ signal: AbortSignal.timeout(1), interval: 60_000, samples: 2 })
      .catch((e: Error) => e);
    expect((aborted as Error).name).toBe('TimeoutError');
  });

  it('rejects when the process it reads through exits between samples', async () => {
    const child = spawn('sleep', ['0.3'], { stdio: 'ignore' });
    const exited = new Promise((r) => child.once('exit', r));
    await new Promise((r) => child.once('spawn', r));
    const run = nodeLib.takeSamples({ pid: child.pid as number, samples: 2, interval: 1500 });
    await expect(run).rejects.toThrow(`no process ${child.pid}`);
    await exited;
  });
});
