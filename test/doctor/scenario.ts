/**
 * Starts the situations of `scenario.py`, each in a network namespace of its own (`unshare -n`), and stops them.
 * Every address they use is loopback or on an interface of their own namespace; every process is stopped by its pid.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { CliIo } from '../../src/cli/io.js';

const SCRIPT = join(import.meta.dirname, 'scenario.py');

/** Root, `unshare` and python3 are all there: namespaces can be made. */
export const CAN_UNSHARE = (() => {
  if (process.getuid?.() !== 0) return false;
  const r = spawnSync('unshare', ['-n', 'python3', '-c', 'print("ok")'], { encoding: 'utf8', timeout: 10_000 });
  return r.status === 0 && r.stdout.trim() === 'ok';
})();

export interface Scenario {
  name: string;
  /** The python process: it holds the sockets, and /proc/<pid>/net is its namespace. */
  pid: number;
  /** What the scenario printed with `ready` (ports, counts). */
  info: Record<string, unknown> & { port?: number };
  child: ChildProcess;
  /** Everything it printed so far. */
  output: () => string;
}

const running: Scenario[] = [];

/** Starts one scenario and waits until its sockets are set up. `comm` renames the process (at most 15 bytes). */
export function startScenario(name: string, options: { comm?: Buffer; ms?: number } = {}): Promise<Scenario> {
  const ms = options.ms ?? 20_000;
  const args = [SCRIPT, name, ...(options.comm === undefined ? [] : ['--comm', options.comm.toString('hex')])];
  // unshare execs python3 itself: the child's pid is the python process, in the new namespace.
  const child = spawn('unshare', ['-n', 'python3', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`scenario ${name}: not ready in ${ms} ms; stderr: ${err}`));
    }, ms);
    const onData = () => {
      const m = /^ready (.*)$/m.exec(out);
      if (m === null) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      const info = JSON.parse(m[1] as string);
      const scenario: Scenario = { name, pid: child.pid as number, info, child, output: () => out };
      running.push(scenario);
      resolve(scenario);
    };
    child.stdout.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`scenario ${name} exited (${code ?? signal}); stderr: ${err}`));
    });
  });
}

/** Writes a command line to a scenario and waits until it prints `reply`. */
export function tell(scenario: Scenario, command: string, reply: string, ms = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const start = Date.now();
    const poll = setInterval(() => {
      if (scenario.output().includes(`\n${reply}\n`)) {
        clearInterval(poll);
        resolve();
      } else if (Date.now() - start > ms) {
        clearInterval(poll);
        reject(new Error(`scenario ${scenario.name}: no "${reply}" in ${ms} ms`));
      }
    }, 20);
    scenario.child.stdin?.write(`${command}\n`);
  });
}

/** Stops every scenario started here, each by its own pid, and waits until each has exited. */
export async function stopScenarios(): Promise<number[]> {
  const stopped = running.splice(0);
  await Promise.all(
    stopped.map(
      ({ child }) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
  return stopped.map((s) => s.pid);
}

/** Whether a process still exists (a zombie counts: it has not been reaped). */
export const isRunning = (pid: number) => existsSync(`/proc/${pid}`);

/** A `CliIo` whose output is kept in strings. */
export function captureIo(options: { isTTY?: boolean; env?: NodeJS.ProcessEnv } = {}) {
  const sink = () => {
    const chunks: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, done) {
        chunks.push(chunk.toString());
        done();
      },
    });
    return { stream, text: () => chunks.join('') };
  };
  const out = sink();
  const err = sink();
  const io: CliIo = { stdout: out.stream, stderr: err.stream, env: options.env ?? {}, isTTY: options.isTTY ?? false };
  return { io, stdout: out.text, stderr: err.text };
}
