/**
 * Every socket state loopback can produce, planted by `scripts/capture-sockets.py` in a network namespace of its own
 * (`unshare -n`), for tests that compare procnet with ss and netstat run in that namespace. Only loopback is used;
 * the driver exits when its stdin closes, and is killed by its pid if it does not.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './paths.js';

const DRIVER = join(ROOT, 'scripts/capture-sockets.py');

/** A running driver: the pid whose /proc/<pid>/net is the namespace, and the folder of its unix socket names. */
export interface PlantedSockets {
  pid: number;
  /** The driver's folder for unix socket paths (`<dir>/listen.sock`, …). */
  dir: string;
  /** Runs a command in the namespace (`nsenter --net`), with `LC_ALL=C`. */
  run(command: string, args: readonly string[]): { status: number | null; stdout: string; stderr: string };
  /** `/proc/<pid>/net/<file>`, read now. */
  read(file: string): Buffer;
  stop(): Promise<void>;
}

/** Starts the driver in a fresh network namespace and waits until every socket is in place. */
export async function plantSockets(timeoutMs = 30_000): Promise<PlantedSockets> {
  const dir = mkdtempSync(join(tmpdir(), 'procnet-filter-'));
  const manifest = join(dir, 'manifest.json');
  // sh and python exec in place: the child's pid is the driver's, inside the namespace.
  const script = 'ip link set lo up && echo "0 0" > /proc/sys/net/ipv4/ping_group_range && exec python3 "$@"';
  const child: ChildProcess = spawn(
    'unshare',
    ['-n', 'sh', '-c', script, 'sh', DRIVER, '--tmpdir', dir, '--manifest', manifest],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const stop = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        rmSync(dir, { recursive: true, force: true });
        resolve();
      };
      if (child.exitCode !== null || child.signalCode !== null) return done();
      const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
      child.once('exit', () => {
        clearTimeout(timer);
        done();
      });
      child.stdin?.end();
    });
  try {
    await new Promise<void>((resolve, reject) => {
      let out = '';
      let err = '';
      const timer = setTimeout(() => reject(new Error(`capture-sockets.py not ready: ${err}`)), timeoutMs);
      child.stderr?.on('data', (d: Buffer) => {
        err += d.toString();
      });
      child.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('READY\n')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`capture-sockets.py exited with ${code}: ${err}`));
      });
    });
  } catch (e) {
    await stop();
    throw e;
  }
  const pid = (JSON.parse(readFileSync(manifest, 'utf8')) as { pid: number }).pid;
  if (pid !== child.pid) {
    await stop();
    throw new Error(`driver pid ${pid} is not the child's ${child.pid}`);
  }
  return {
    pid,
    dir,
    run(command, args) {
      const r = spawnSync('nsenter', [`--net=/proc/${pid}/ns/net`, command, ...args], {
        env: { ...process.env, LC_ALL: 'C' },
        encoding: 'utf8',
        maxBuffer: 16 * 1024 * 1024,
      });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    },
    read(file) {
      return readFileSync(`/proc/${pid}/net/${file}`);
    },
    stop,
  };
}
