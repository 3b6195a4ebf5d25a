/**
 * The async driver stops a worker scan that its plan started but never collected (a read whose rows need no owner,
 * or a plan that threw), and falls back to async requests when the worker fails.
 */
import { describe, expect, it, vi } from 'vitest';
import { driveAsync } from '../../src/node/drive.js';
import type { RawFdScan } from '../../src/node/fd-scan.js';
import { finishOwnerScan, startOwnerScan } from '../../src/node/owners-scan.js';

const jobs = vi.hoisted(() => [] as { stop: () => void }[]);

vi.mock('../../src/node/fd-scan-worker.js', () => ({
  startFdScanWorker: () => {
    const job = {
      stop: vi.fn(),
      result: new Promise<RawFdScan>((_, reject) => setTimeout(() => reject(new Error('worker failed')), 5)),
    };
    job.result.catch(() => {});
    jobs.push(job);
    return job;
  },
}));

describe('worker scans and the async driver', () => {
  it('stops a scan the plan never collects, also when the plan throws', async () => {
    const root = '/proc';
    await driveAsync(
      (function* () {
        return yield* startOwnerScan(root, undefined, true);
      })(),
      4,
    );
    expect(jobs.at(-1)?.stop).toHaveBeenCalledTimes(1);
    await expect(
      driveAsync(
        (function* () {
          yield* startOwnerScan(root, undefined, true);
          throw new Error('bad row');
        })(),
        4,
      ),
    ).rejects.toThrow('bad row');
    expect(jobs.at(-1)?.stop).toHaveBeenCalledTimes(1);
  });

  it('scans with async requests when the worker fails, and does not stop a collected scan', async () => {
    const scan = await driveAsync(
      (function* () {
        const started = yield* startOwnerScan('/proc', [process.pid], true);
        return yield* finishOwnerScan(started, undefined);
      })(),
      4,
    );
    expect(jobs.at(-1)?.stop).not.toHaveBeenCalled();
    expect(scan.stats).toMatchObject({ source: 'live', scanned: 1, denied: 0, vanished: 0 });
  });
});
