/**
 * `--ndjson` streams end to end: on a large table (a made-up dump of 120 000 TCP rows, 18 MB) its memory stays flat
 * while `--json` holds every row, and a reader that stops after one line ends the command at once.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT, CLI } from './helpers.js';

const ROWS = 120_000;
const dir = mkdtempSync(join(tmpdir(), 'procnet-big-'));

/** Runs the command in a node that reports its peak memory (MB) on stderr when it exits. */
function peakMemory(args: string[]): { mb: number; lines: number } {
  const probe = [
    'import { writeSync } from "node:fs";',
    `process.argv = [process.argv[0], ${JSON.stringify(CLI)}, ...${JSON.stringify(args)}];`,
    'process.on("exit", () => writeSync(2, "maxRSS " + process.resourceUsage().maxRSS + "\\n"));',
    `await import(${JSON.stringify(CLI)});`,
  ].join('\n');
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { maxBuffer: 1 << 30 });
  const kb = Number(/maxRSS (\d+)/.exec(r.stderr.toString())?.[1]);
  let lines = 0;
  for (const b of r.stdout) if (b === 0x0a) lines++;
  return { mb: kb / 1024, lines };
}

describe.skipIf(!BUILT)('--ndjson on a large table', () => {
  beforeAll(() => {
    mkdirSync(join(dir, 'net'));
    const header = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
    const rows: string[] = [header];
    for (let i = 0; i < ROWS; i++) {
      const port = (1024 + (i % 60000)).toString(16).toUpperCase().padStart(4, '0');
      rows.push(
        `${String(i).padStart(4)}: 0100007F:${port} 0100007F:1F90 01 00000000:00000000 00:00000000 00000000     0        0 ${100000 + i} 1 0000000000000000 20 4 30 10 -1\n`,
      );
    }
    writeFileSync(join(dir, 'net', 'tcp'), rows.join(''));
    writeFileSync(join(dir, 'env.json'), JSON.stringify({ byte_order: 'little', user_hz: 100 }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps memory flat while --json holds every row', () => {
    const nd = peakMemory(['--root', dir, '-t4a', '--ndjson']);
    const json = peakMemory(['--root', dir, '-t4a', '--json']);
    expect(nd.lines).toBe(ROWS);
    expect(json.lines).toBe(ROWS + 2);
    expect(nd.mb, `ndjson ${nd.mb} MB, json ${json.mb} MB`).toBeLessThan(json.mb * 0.6);
    expect(nd.mb).toBeLessThan(160);
  });

  it('stops as soon as the reader does', async () => {
    const started = Date.now();
    const child = spawn(process.execPath, [CLI, '--root', dir, '-t4a', '--ndjson'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    const first = await new Promise<string>((resolve) =>
      child.stdout.once('data', (d: Buffer) => resolve(d.toString())),
    );
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(JSON.parse(first.split('\n')[0] as string)).toMatchObject({ kind: 'tcp', inode: '100000' });
    expect(code).toBe(0);
    expect(err).toBe('');
    // Far less than writing all 120 000 rows takes (seconds); generous for a loaded machine.
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
