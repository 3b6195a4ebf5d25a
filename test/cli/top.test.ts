/**
 * `procnet top` in a real terminal: tmux (its own server, 80×30) runs a shell that runs the built command inside a
 * network namespace where test/doctor/scenario.py (`exporter`) planted a listener whose accept queue stays full, twelve
 * CLOSE_WAIT connections that keep their unread FIN, and served connections. The test reads the screen (capture-pane),
 * presses keys (send-keys), and checks that the terminal is given back after `q` and after SIGTERM: the alternate
 * screen left, the cursor shown, `stty -g` the same as before.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Scenario, startScenario, stopScenarios } from '../doctor/scenario.js';
import { BUILT, CAN_UNSHARE, CLI } from './helpers.js';

const HAS_TMUX = spawnSync('sh', ['-c', 'command -v tmux']).status === 0;
/** A tmux server of this test alone (its own socket name), killed at the end. */
const SOCKET = `procnet-top-${process.pid}`;
const SERVER = ['-L', SOCKET, '-f', '/dev/null'];
const SESSION = 'top';

function tmux(...args: string[]): string {
  const r = spawnSync('tmux', [...SERVER, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** The screen as text (`escapes`: with the colours and attributes as escape sequences). */
const screen = (escapes = false) => tmux('capture-pane', '-p', ...(escapes ? ['-e'] : []), '-t', SESSION);
const pane = (format: string) => tmux('display-message', '-p', '-t', SESSION, format).trim();
const keys = (...k: string[]) => tmux('send-keys', '-t', SESSION, ...k);

/** Polls until `test` holds for the screen (or the pane); fails with the last screen after `ms`. */
async function until(what: string, test: () => boolean, ms = 15_000): Promise<void> {
  const start = Date.now();
  for (;;) {
    if (test()) return;
    if (Date.now() - start > ms) throw new Error(`no ${what} in ${ms} ms; the screen:\n${screen()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

let scenario: Scenario;
let dir: string;

const run = CAN_UNSHARE && BUILT && HAS_TMUX;

beforeAll(async () => {
  if (!run) return;
  scenario = await startScenario('exporter');
  dir = mkdtempSync(join(tmpdir(), 'procnet-top-'));
  tmux('new-session', '-d', '-s', SESSION, '-x', '80', '-y', '30', 'bash --norc --noprofile');
  await until('shell', () => pane('#{pane_current_command}') === 'bash');
}, 30_000);

afterAll(async () => {
  if (!run) return;
  spawnSync('tmux', [...SERVER, 'kill-server']);
  rmSync(join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${process.getuid?.()}`, SOCKET), { force: true });
  await stopScenarios();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Starts top in the shell, inside the scenario's namespace (so it reads that namespace's somaxconn too), with the
 * terminal's settings saved before and after and the exit code saved; `env` is put before the command.
 */
async function startTop(name: string, env = ''): Promise<void> {
  const at = (f: string) => join(dir, `${name}.${f}`);
  const command = `${env} nsenter --net=/proc/${scenario.pid}/ns/net ${process.execPath} ${CLI} top -d 0.3`;
  keys(
    `clear; stty -g > ${at('before')}; ${command}; echo $? > ${at('code')}; stty -g > ${at('after')}; echo done-${name}`,
    'Enter',
  );
  await until('top', () => screen().includes('procnet top'));
}

/** Waits for the shell to be back, then checks that the terminal is as it was. */
async function expectRestored(name: string, code: number): Promise<void> {
  const at = (f: string) => join(dir, `${name}.${f}`);
  await until(`exit of ${name}`, () => existsSync(at('after')) && screen().includes(`done-${name}`));
  expect(readFileSync(at('code'), 'utf8').trim()).toBe(String(code));
  expect(pane('#{alternate_on}')).toBe('0');
  expect(pane('#{cursor_flag}')).toBe('1');
  expect(readFileSync(at('after'), 'utf8')).toBe(readFileSync(at('before'), 'utf8'));
  expect(screen()).not.toContain('procnet top');
}

/** The pid of top (node, the shell's child through nsenter's exec). */
function topPid(): number {
  const shell = pane('#{pane_pid}');
  const children = readFileSync(`/proc/${shell}/task/${shell}/children`, 'utf8').trim().split(/\s+/);
  expect(children).toHaveLength(1);
  return Number(children[0]);
}

describe.skipIf(!run)('procnet top in tmux', () => {
  it('shows the stuck accept queue, the CLOSE_WAIT pile and how long the queues have stayed; keys work; q restores', async () => {
    await startTop('keys');
    const info = scenario.info as { full: number; closewait: number; served: number };
    const pid = scenario.pid;
    await until('a stuck queue', () => /CLOSE-WAIT +1 +0 +\d+s /.test(screen()));
    expect(pane('#{alternate_on}')).toBe('1');
    expect(pane('#{cursor_flag}')).toBe('0');
    let s = screen();
    const somaxconn = readFileSync('/proc/sys/net/core/somaxconn', 'utf8').trim();
    expect(s).toMatch(/^procnet top {2}\d\d:\d\d:\d\d {2}every 0\.3s {2}this namespace {2}\d+ sockets/);
    expect(s).toContain(`CLOSE-WAIT by process: ${pid}/python3 12`);
    expect(s).toContain(`accept queue cap: somaxconn ${somaxconn}`);
    // The full listener: 2 connections never accepted, and the queue stays.
    expect(s).toMatch(new RegExp(`^-- tcp 127\\.0\\.0\\.1:${info.full} accept queue 2/${somaxconn}, `, 'm'));
    expect(s).toMatch(
      new RegExp(`^tcp +127\\.0\\.0\\.1:${info.full} +0\\.0\\.0\\.0:\\* +LISTEN +2 +0 +\\d+s ${pid}/`, 'm'),
    );
    expect(s).toMatch(
      new RegExp(
        `^-- tcp 127\\.0\\.0\\.1:${info.closewait} accept queue 0/${somaxconn}, 12 connections: CLOSE-WAIT 12`,
        'm',
      ),
    );
    for (const line of s.split('\n')) expect(line.length).toBeLessThanOrEqual(80);

    keys('p');
    await until('the process view', () => screen().includes('group process'));
    expect(screen()).toMatch(new RegExp(`^-- ${pid}/python3: \\d+ sockets, CLOSE-WAIT 12, queued \\d+: LISTEN 3`, 'm'));

    keys('n');
    await until('the flat view', () => screen().includes('group flat'));
    keys('s');
    await until('the state order', () => screen().includes('sort state'));
    // LISTEN first in the state order.
    expect(screen().split('\n')[6]).toMatch(/ LISTEN /);

    keys('/');
    await until('the filter prompt', () => screen().includes('filter: _'));
    keys('-l', `sport = :${info.closewait}`);
    keys('Enter');
    await until('the filter', () => screen().includes(`filter sport = :${info.closewait}`));
    s = screen();
    expect(s).toMatch(/^states: LISTEN 1, CLOSE-WAIT 12$/m);
    expect(s.split('\n').filter((l) => /^tcp /.test(l))).toHaveLength(13);

    // A filter that does not parse: said in the status line, the last one kept.
    keys('/');
    await until('the filter prompt', () => screen().includes('filter: sport'));
    for (let i = 0; i < 30; i++) keys('BSpace');
    keys('-l', 'dport == :nosuchservice');
    keys('Enter');
    await until('the error', () => screen().includes('bad filter (the last one is kept): "nosuchservice"'));
    expect(screen()).toContain(`filter sport = :${info.closewait}`);

    keys('q');
    await expectRestored('keys', 0);
  }, 60_000);

  it('restores the terminal on SIGTERM (exit code 143)', async () => {
    await startTop('term');
    await until('the listeners', () => screen().includes('accept queue'));
    process.kill(topPid(), 'SIGTERM');
    await expectRestored('term', 143);
  }, 30_000);

  it('colours states on the terminal, and none under NO_COLOR or TERM=dumb', async () => {
    await startTop('colour');
    await until('a stuck queue', () => /CLOSE-WAIT +1 +0 +\d+s /.test(screen()));
    // tmux writes the cell colours back as SGR sequences: red for CLOSE-WAIT, cyan for LISTEN.
    const coloured = screen(true);
    expect(coloured).toMatch(/\x1b\[31mCLOSE-WAIT/);
    expect(coloured).toMatch(/\x1b\[36mLISTEN/);
    keys('q');
    await expectRestored('colour', 0);
    for (const [name, env] of [
      ['nocolor', 'NO_COLOR=1'],
      ['dumb', 'TERM=dumb'],
    ] as const) {
      await startTop(name, env);
      await until('a stuck queue', () => /CLOSE-WAIT +1 +0 +\d+s /.test(screen()));
      expect(screen(true)).not.toMatch(/\x1b\[[0-9;]*3[0-7]m/);
      keys('q');
      await expectRestored(name, 0);
    }
  }, 60_000);
});
