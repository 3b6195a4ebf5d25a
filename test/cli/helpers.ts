/**
 * Running the built procnet command as a child process, and a socket holder in a network namespace of its own
 * (`unshare -n`), so live tests see a fixed set of loopback sockets and nothing else.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../support/paths.js';

/** The built command (`npm run build` first). */
export const CLI = join(ROOT, 'dist/cli.js');
export const BUILT = existsSync(CLI);
const HOLDER = join(ROOT, 'test/cli/holder.py');

export interface Run {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `node dist/cli.js ARGS` and waits for it (killed after `timeout` ms when given: `signal` then says so). */
export function procnet(args: readonly string[], env: NodeJS.ProcessEnv = {}, timeout?: number): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    ...(timeout === undefined ? {} : { timeout }),
  });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** Runs a command with `LC_ALL=C` (netstat, ss, nsenter). */
export function tool(command: string, args: readonly string[]): Run {
  const r = spawnSync(command, args, {
    env: { ...process.env, LC_ALL: 'C' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

function has(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}

/** Root with unshare, nsenter, python3, ip, netstat and ss: the live differential tests can run. */
export const CAN_UNSHARE =
  process.geteuid?.() === 0 &&
  ['unshare', 'nsenter', 'python3', 'ip', 'netstat', 'ss'].every(has) &&
  spawnSync('unshare', ['-n', 'true']).status === 0;

/** A running holder: its pid and what it reported. */
export interface Holder {
  pid: number;
  forgedInode: string | null;
  copiedInode: string | null;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts `test/cli/holder.py` in a new network namespace and waits for its report. It exits when its stdin closes;
 * `stop()` closes it, then kills it by pid if it has not gone within a second.
 */
export function startHolder(args: readonly string[] = []): Promise<Holder> {
  const child = spawn('unshare', ['-n', 'python3', HOLDER, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const stop = () => closeStdin(child, 1000);
  return firstJsonLine<{ pid: number; forged_inode: string | null; copied_inode: string | null }>(
    child,
    15_000,
    'holder',
  ).then(
    (info) => ({ pid: info.pid, forgedInode: info.forged_inode, copiedInode: info.copied_inode, child, stop }),
    async (e: unknown) => {
      await stop();
      throw e;
    },
  );
}

/** Stops a child that exits when its stdin closes: closes it, then kills it by pid if it has not gone within `ms`. */
function closeStdin(child: ChildProcess, ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.stdin?.end();
  });
}

/** The first line a child prints on stdout, as JSON; rejects (with its stderr) if it exits or takes too long. */
export function firstJsonLine<T>(child: ChildProcess, timeoutMs: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`${what} did not start: ${err}`)), timeoutMs);
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl < 0) return;
      clearTimeout(timer);
      resolve(JSON.parse(out.slice(0, nl)) as T);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code}: ${err}`));
    });
  });
}

/** Lines without trailing spaces, the final empty line dropped. */
export function lines(text: string): string[] {
  const out = text.split('\n').map((l) => l.trimEnd());
  if (out.at(-1) === '') out.pop();
  return out;
}

/** The bench's load generator, holding loopback connections in a network namespace of its own. */
export interface Load {
  /** A process in that namespace. */
  pid: number;
  stop(): Promise<void>;
}

/**
 * Starts `bench/load.mjs` with `connections` loopback connections (2 rows each) in a namespace of its own, and waits
 * until they are all up. It stops every process it started when its stdin closes: `stop()` closes it, then kills it
 * by pid if it has not gone within 5 s.
 */
export async function startLoad(connections: number): Promise<Load> {
  const child = spawn(
    process.execPath,
    [join(ROOT, 'bench/load.mjs'), '--connections', String(connections), '--hold-seconds', '120'],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const stop = () => closeStdin(child, 5000);
  try {
    const ready = await firstJsonLine<{ pid: number; connected: number; netns: boolean }>(child, 60_000, 'load');
    if (!ready.netns || ready.connected !== connections) throw new Error(`load generator: ${JSON.stringify(ready)}`);
    return { pid: ready.pid, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
