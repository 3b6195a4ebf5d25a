/**
 * `procnet doctor`, run in-process with captured streams. Live parts (as root) point it at helpers in network
 * namespaces of their own with `--pid`: exit 1 for warnings, 0 for a healthy or info-only namespace, text grouped by
 * severity with untrusted process names escaped, and the JSON report. Usage and runtime errors exit 2.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCTOR_EXIT, runDoctor } from '../../src/cli/doctor.js';
import { parseDoctorArgs } from '../../src/cli/doctor-args.js';
import type { DoctorReport } from '../../src/cli/doctor-report.js';
import { ROOT } from '../support/paths.js';
import { CAN_UNSHARE, captureIo, isRunning, type Scenario, startScenario, stopScenarios } from './scenario.js';

const DUMP = join(ROOT, 'fixtures/capture-2026-11-linux-6.18.44-fc-v782-x86_64');
/** A process name with an escape sequence and a newline in it: `prctl(PR_SET_NAME)` takes any bytes. */
const EVIL_COMM = Buffer.from('ev\x1b[31mil\nx');
const LOWERED = ['--set', 'closeWaitWarning=3', '--set', 'orphanFinWait2Warning=3'];
const BUILT_CLI = join(ROOT, 'dist/cli.js');
const BUILT = existsSync(BUILT_CLI) && existsSync(join(ROOT, 'dist/doctor.js'));

/** Runs the built `procnet` command as its own process. */
function procnet(argv: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BUILT_CLI, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function doctor(argv: string[], options: Parameters<typeof captureIo>[0] = {}) {
  const c = captureIo(options);
  const code = await runDoctor(argv, c.io);
  return { code, stdout: c.stdout(), stderr: c.stderr() };
}

describe('procnet doctor: arguments', () => {
  it('has defaults: 3 samples 1 s apart, text, /proc, owners', () => {
    expect(parseDoctorArgs([])).toEqual({
      interval: 1,
      samples: 3,
      samplesGiven: false,
      json: false,
      root: undefined,
      pid: undefined,
      processes: true,
      options: {},
      help: false,
    });
  });

  it('reads every flag, with the value after a space or an =', () => {
    expect(
      parseDoctorArgs([
        '--interval=0.5',
        '--samples',
        '5',
        '--json',
        '--root',
        '/host/proc',
        '--pid=42',
        '--no-processes',
        '--set',
        'closeWaitWarning=3',
        '--set=localPortRange=40000-40999',
        '--set',
        'tcpMem=1,2,3',
        '--set',
        'bindv6only=1',
      ]),
    ).toEqual({
      interval: 0.5,
      samples: 5,
      samplesGiven: true,
      json: true,
      root: '/host/proc',
      pid: 42,
      processes: false,
      options: { closeWaitWarning: 3, localPortRange: [40000, 40999], tcpMem: [1, 2, 3], bindv6only: true },
      help: false,
    });
  });

  it.each([
    [['--samples', '0'], '--samples wants an integer >= 1'],
    [['--samples', '1.5'], '--samples wants an integer >= 1'],
    [['--interval', 'soon'], '--interval wants a number'],
    [['--interval', '-1'], '--interval wants seconds >= 0'],
    [['--pid', '0'], '--pid wants a process id'],
    [['--pid'], '--pid wants a value'],
    [['--json=yes'], '--json takes no value'],
    [['--verbose'], 'unknown option "--verbose"'],
    [['tcp'], 'unexpected argument "tcp"'],
    [['--set', 'closeWaitWarning'], '--set wants NAME=VALUE'],
    [['--set', 'nope=1'], '--set: unknown option "nope"'],
    [['--set', 'closeWaitWarning=0'], 'closeWaitWarning must be an integer >= 1'],
    [['--set', 'localPortRange=5'], '--set localPortRange wants 2 integers'],
    [['--set', 'localPortRange=9-1'], 'localPortRange must be'],
  ])('%j is a usage error: exit 2, the reason on stderr, nothing on stdout', async (argv, message) => {
    const r = await doctor(argv);
    expect(r.code).toBe(DOCTOR_EXIT.error);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain("Try 'procnet doctor --help'.");
  });

  it('--help prints the usage with the exit codes, exit 0', async () => {
    const r = await doctor(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: procnet doctor [options]');
    expect(r.stdout).toContain('1 at least one warning or');
  });
});

describe('procnet doctor: a dump and errors', () => {
  it('--root DIR (a dump): one sample, counters and owners from the dump, info findings only: exit 0', async () => {
    const r = await doctor(['--root', DUMP, '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as DoctorReport;
    expect(report).toMatchObject({ samples: 1, durationMs: 0, source: { live: false, pid: null, namespace: null } });
    expect(report.findings.map((f) => `${f.severity} ${f.id}`)).toEqual([
      'info listen-overflow',
      'info udp-receive-errors',
    ]);
    expect(report.counts).toEqual({ critical: 0, warning: 0, info: 2 });
    expect(report.exitCode).toBe(0);
    expect(report.processes?.source).toBe('fds.json');
    expect(report.notes.map((n) => n.code)).not.toContain('DUMP_ONE_SAMPLE');
    expect(report.listeners.length).toBeGreaterThan(10);
  });

  it('--samples with a dump says that a dump gave one', async () => {
    const r = await doctor(['--root', DUMP, '--samples', '3', '--json']);
    const report = JSON.parse(r.stdout) as DoctorReport;
    expect(report.samples).toBe(1);
    expect(report.notes.map((n) => n.code)).toContain('DUMP_ONE_SAMPLE');
  });

  it('the text form of a dump: Info group, listeners, notes and the verdict', async () => {
    const r = await doctor(['--root', DUMP]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^procnet doctor: 1 sample of the dump .*, 95 sockets\n/);
    expect(r.stdout).toContain('\nInfo (2)\n');
    expect(r.stdout).not.toContain('Warning (');
    expect(r.stdout).toContain('Listeners reachable from outside (3):');
    expect(r.stdout).toContain('the page size: the dump does not say');
    expect(r.stdout.endsWith('Result: 0 critical, 0 warning, 2 info: healthy (exit 0).\n')).toBe(true);
  });

  it('a process that does not exist: exit 2 and why', async () => {
    const r = await doctor(['--pid', '999999999', '--samples', '1']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('procnet doctor: no process 999999999 in /proc\n');
  });

  it('a root that is neither procfs nor a dump: exit 2', async () => {
    const r = await doctor(['--root', join(ROOT, 'docs')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is neither a procfs nor a dump');
  });

  it('an aborted run stops during the wait: exit 130', async () => {
    const c = captureIo();
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 200);
    const code = await runDoctor(['--interval', '30', '--samples', '2', '--no-processes'], {
      ...c.io,
      signal: controller.signal,
    });
    expect(code).toBe(DOCTOR_EXIT.interrupted);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(c.stderr()).toBe('procnet doctor: interrupted\n');
    expect(c.stdout()).toBe('');
  });
});

describe.skipIf(!CAN_UNSHARE)('procnet doctor --pid, live, each helper in its own network namespace', () => {
  let closewait: Scenario;
  let idle: Scenario;
  let udp: Scenario;
  beforeAll(async () => {
    [closewait, idle, udp] = (await Promise.all([
      startScenario('closewait', { comm: EVIL_COMM }),
      startScenario('idle'),
      startScenario('udp'),
    ])) as [Scenario, Scenario, Scenario];
  }, 60_000);

  afterAll(async () => {
    const pids = await stopScenarios();
    for (const pid of pids) expect(isRunning(pid), `pid ${pid}`).toBe(false);
  });

  it('CLOSE_WAIT leak with lowered thresholds: exit 1, the JSON report names the sockets and the process', async () => {
    const r = await doctor([
      '--pid',
      String(closewait.pid),
      '--json',
      '--interval',
      '0.5',
      '--samples',
      '2',
      ...LOWERED,
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as DoctorReport;
    expect(report.findings.map((f) => f.id)).toEqual(['close-wait-leak', 'orphaned-fin-wait2']);
    expect(report.counts).toEqual({ critical: 0, warning: 2, info: 0 });
    expect(report.exitCode).toBe(1);
    expect(report.source).toMatchObject({ live: true, pid: closewait.pid, netDir: `/proc/${closewait.pid}/net` });
    expect(report.samples).toBe(2);
    const leak = report.findings[0];
    expect(leak?.processes).toEqual([
      expect.objectContaining({ pid: closewait.pid, comm: EVIL_COMM.toString('latin1'), sockets: 5 }),
    ]);
    expect(leak?.sockets.every((s) => s.state === 'CLOSE_WAIT' && s.pids?.[0] === closewait.pid)).toBe(true);
    expect(report.settings.localPortRange).toEqual([32768, 60999]);
    expect(report.notes.some((n) => n.code === 'SETTING_UNKNOWN')).toBe(true);
  });

  it('the same as text: grouped under Warning, with meaning, next step, sockets and the escaped process name', async () => {
    const r = await doctor(['--pid', String(closewait.pid), '--interval', '0.5', '--samples', '2', ...LOWERED]);
    expect(r.code).toBe(1);
    const out = r.stdout;
    expect(out).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
    expect(out).toContain('\nWarning (2)\n');
    expect(out).not.toContain('Critical (');
    expect(out).toContain('[warning] Connections closed by the peer are never closed here (close-wait-leak)');
    expect(out).toContain('What it means: Sockets pile up in CLOSE_WAIT');
    expect(out).toContain('Check next: Find the code path that reads end-of-file');
    expect(out).toContain(`ev\\x1b[31mil\\nx (pid ${closewait.pid})`);
    expect(out).toContain(`pid ${closewait.pid} ev\\x1b[31mil\\nx (uid 0), 5 sockets`);
    expect(out).toMatch(/tcp {3}CLOSE_WAIT {2}127\.0\.0\.1:\d+ -> 127\.0\.0\.1:\d+ {2}recv-q 1 {2}send-q 0/);
    expect(out).toContain('Result: 0 critical, 2 warning, 0 info: 2 problems to look at (exit 1).');
  });

  it('with the default thresholds the same namespace is healthy: exit 0', async () => {
    const r = await doctor(['--pid', String(closewait.pid), '--interval', '0.3', '--samples', '2', '--no-processes']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No findings: nothing looks wrong.');
  });

  it('a healthy, idle namespace: exit 0, no finding, its loopback listeners listed as local', async () => {
    const r = await doctor(['--pid', String(idle.pid), '--json', '--interval', '0.5']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as DoctorReport;
    expect(report.findings).toEqual([]);
    expect(report.samples).toBe(3);
    expect(report.listeners.map((l) => `${l.protocol} ${l.local.address} ${l.exposure.fromOutside}`).sort()).toEqual([
      'tcp 127.0.0.1 false',
      'tcp ::1 false',
      'udp 127.0.0.1 false',
    ]);
  });

  it('dropped datagrams: a Critical group before the Warning group, exit 1; colour only on a terminal', async () => {
    const plain = await doctor(['--pid', String(udp.pid), '--interval', '1.1', '--samples', '2', '--no-processes']);
    expect(plain.code).toBe(1);
    const critical = plain.stdout.indexOf('\nCritical (1)\n');
    expect(critical).toBeGreaterThan(0);
    expect(plain.stdout.indexOf('\nWarning (1)\n')).toBeGreaterThan(critical);
    expect(plain.stdout).toContain('[critical] UDP datagrams dropped on receive (udp-receive-errors)');
    expect(plain.stdout).not.toContain('\x1b');
    const tty = await doctor(['--pid', String(udp.pid), '--interval', '0.2', '--samples', '2', '--no-processes'], {
      isTTY: true,
    });
    expect(tty.stdout).toContain('\x1b[1;31mCritical (1)\x1b[0m');
    const noColor = await doctor(['--pid', String(udp.pid), '--samples', '1', '--no-processes'], {
      isTTY: true,
      env: { NO_COLOR: '1' },
    });
    expect(noColor.stdout).not.toContain('\x1b');
  });

  it.skipIf(!BUILT)('the built command: procnet doctor --pid PID --json, its exit status 1', async () => {
    const r = await procnet([
      'doctor',
      '--pid',
      String(closewait.pid),
      '--json',
      '--interval',
      '0.5',
      '--samples',
      '2',
      ...LOWERED,
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as DoctorReport;
    expect(report.findings.map((f) => f.id)).toEqual(['close-wait-leak', 'orphaned-fin-wait2']);
    const healthy = await procnet(['doctor', '--pid', String(idle.pid), '--samples', '1', '--no-processes']);
    expect(healthy.code).toBe(0);
    expect(healthy.stdout).toContain('No findings');
    const usage = await procnet(['doctor', '--samples', 'x']);
    expect(usage.code).toBe(2);
  });

  it('one sample of a namespace with drops since it was created: info only, exit 0', async () => {
    const r = await doctor(['--pid', String(udp.pid), '--samples', '1', '--json', '--no-processes']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as DoctorReport;
    expect(report.findings.map((f) => `${f.severity} ${f.id}`)).toEqual(['info udp-receive-errors']);
  });
});
