/**
 * Runs the real `netstat -s` on counter files of the test's choosing: in a private mount namespace (`unshare -m`),
 * a folder holding only `net/snmp`, `net/netstat`, `net/snmp6` is bound over `/proc`, so netstat reads those files
 * where it reads /proc/net. Nothing outside the namespace sees the mount; the folders are removed afterwards.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The counter files one netstat run reads (a missing one is simply absent, as on a kernel without it). */
export interface CounterFiles {
  snmp?: string | Buffer;
  netstat?: string | Buffer;
  snmp6?: string | Buffer;
}

const has = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;

/** Root, `unshare -m` and net-tools netstat are there. */
export const CAN_RUN_NETSTAT_ON_FILES =
  process.geteuid?.() === 0 &&
  has('netstat') &&
  has('unshare') &&
  spawnSync('unshare', ['-m', '--propagation', 'private', 'true']).status === 0;

const SCRIPT = `
args="$1"; shift
for d in "$@"; do
  mount --bind "$d/root" /proc || exit 90
  LC_ALL=C netstat $args > "$d/out" 2> "$d/err"
  echo $? > "$d/status"
  umount /proc || exit 91
done
`;

/** netstat's stdout for each set of files, with `args` (`-s`, `-s -6`, `-st`, …). Throws if a run fails. */
export function netstatOnFiles(sets: readonly CounterFiles[], args: string): string[] {
  const base = mkdtempSync(join(tmpdir(), 'procnet-netstat-'));
  try {
    const dirs = sets.map((files, i) => {
      const dir = join(base, String(i));
      mkdirSync(join(dir, 'root/net'), { recursive: true });
      for (const name of ['snmp', 'netstat', 'snmp6'] as const) {
        const content = files[name];
        if (content !== undefined) writeFileSync(join(dir, 'root/net', name), content);
      }
      return dir;
    });
    const r = spawnSync('unshare', ['-m', '--propagation', 'private', 'sh', '-c', SCRIPT, 'sh', args, ...dirs], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    if (r.status !== 0) throw new Error(`netstat runs failed (${r.status}): ${r.stderr}`);
    return dirs.map((dir) => {
      const status = readFileSync(join(dir, 'status'), 'utf8').trim();
      if (status !== '0')
        throw new Error(`netstat ${args} exited ${status}: ${readFileSync(join(dir, 'err'), 'utf8')}`);
      return readFileSync(join(dir, 'out'), 'utf8');
    });
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}
