/**
 * `procnet snapshot DIR` then `procnet --root DIR` gives what the live command gave at snapshot time (in a quiet
 * namespace, where nothing moves between the two): the same table, process names included, and the same JSON.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT, CAN_UNSHARE, type Holder, procnet, startHolder } from './helpers.js';

let holder: Holder;
const work = mkdtempSync(join(tmpdir(), 'procnet-snap-'));
const sockDir = mkdtempSync(join(tmpdir(), 'procnet-snap-sock-'));

describe.skipIf(!CAN_UNSHARE || !BUILT)('procnet snapshot', () => {
  beforeAll(async () => {
    holder = await startHolder(['--unix', sockDir]);
  });
  afterAll(async () => {
    await holder?.stop();
    rmSync(work, { recursive: true, force: true });
    rmSync(sockDir, { recursive: true, force: true });
  });

  it('reads back offline with the same output as the live run', () => {
    const dir = join(work, 'dump');
    const pid = String(holder.pid);
    const views = [['-tuanpxe'], ['-a'], ['-tuanp', '--json'], ['--summary'], ['-s'], ['-s', '-6']];
    const before = views.map((v) => procnet(['--pid', pid, ...v]));
    const snap = procnet(['snapshot', dir, '--pid', pid]);
    expect(snap.status, snap.stderr).toBe(0);
    expect(snap.stdout).toContain(`procnet --root ${dir}`);
    const after = views.map((v) => procnet(['--pid', pid, ...v]));
    const offline = views.map((v) => procnet(['--root', dir, ...v]));
    // JSON has what the table does not show: timers move and a reference count changes while a timer runs; a dump
    // has no namespace inode (it is not a live procfs).
    const steady = (view: string[], text: string) =>
      view.includes('--json')
        ? JSON.stringify(
            JSON.parse(text).map((s: object) => ({ ...s, namespace: null, timer: null, refcount: null })),
            null,
            1,
          )
        : text;
    for (let i = 0; i < views.length; i++) {
      const view = views[i] as string[];
      const live = steady(view, before[i]?.stdout as string);
      // The live output did not move while the snapshot was taken (else the comparison says nothing).
      expect(steady(view, after[i]?.stdout as string), view.join(' ')).toBe(live);
      expect(steady(view, offline[i]?.stdout as string), view.join(' ')).toBe(live);
      // The warning about unreadable processes says "when the dump was made" instead of "even as root".
      const warned = (t: string | undefined) => t?.startsWith('(Not all processes could be identified');
      expect(warned(offline[i]?.stderr), view.join(' ')).toBe(warned(before[i]?.stderr));
    }
    expect(offline[0]?.stdout).toMatch(new RegExp(`${pid}/python3`));
    const env = JSON.parse(readFileSync(join(dir, 'env.json'), 'utf8'));
    expect(env).toMatchObject({ byte_order: 'little', user_hz: expect.any(Number), pid: holder.pid });
    expect(Date.parse(env.captured_at)).toBeGreaterThan(Date.now() - 120_000);
    const fds = JSON.parse(readFileSync(join(dir, 'fds.json'), 'utf8'));
    expect(fds.processes).toEqual([
      expect.objectContaining({ pid: holder.pid, comm: 'python3', fds: expect.arrayContaining([expect.anything()]) }),
    ]);
    expect(existsSync(join(dir, 'net', 'tcp'))).toBe(true);
  });

  it('refuses a folder that is not empty, and leaves nothing behind when it cannot read', () => {
    const full = join(work, 'full');
    procnet(['snapshot', full, '--pid', String(holder.pid)]);
    writeFileSync(join(full, 'extra'), 'x');
    const again = procnet(['snapshot', full]);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/is not empty/);
    const missing = procnet(['snapshot', join(work, 'nope'), '--pid', '999999999']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/no process 999999999/);
    expect(existsSync(join(work, 'nope'))).toBe(false);
  });
});
