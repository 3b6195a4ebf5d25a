/**
 * An unprivileged reader: root can read every process's fds, so to see "denied" the reader itself must be
 * unprivileged. The test bundles procnet/node, runs a small script as uid 65534 (setpriv) that opens its own
 * listener and reads with processes: true, and checks the counts and notes it reports.
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAll, portOf, tcpListener } from '../support/live.js';
import { ROOT } from '../support/paths.js';

const run = promisify(execFile);
const isRoot = process.getuid?.() === 0;
let folder: string | undefined;
let entry: string;
let server: Server;

const SCRIPT = `
import { createServer } from 'node:net';
const { readSockets, readSocketsSync } = await import(process.argv[2]);
const server = createServer();
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const port = server.address().port;
const rootPort = Number(process.argv[3]);
const pick = (r, p) => r.sockets.find((s) => s.local.port === p && s.state === 'LISTEN');
const r = await readSockets({ kinds: ['tcp'], processes: true });
const s = readSocketsSync({ kinds: ['tcp'], processes: true });
const w = await readSockets({ kinds: ['tcp'], processes: true, scanWorker: true });
const p = await readSockets({ kinds: ['tcp'], processes: true, scanWorker: false });
console.log(JSON.stringify({
  workerStats: w.processes,
  workerOwn: pick(w, port)?.owners,
  poolStats: p.processes,
  poolOwn: pick(p, port)?.owners,
  pid: process.pid,
  stats: r.processes,
  notes: r.notes.map((n) => n.code),
  own: pick(r, port)?.owners,
  rootOwned: pick(r, rootPort)?.owners,
  rootOwnedUid: pick(r, rootPort)?.uid,
  syncStats: s.processes,
}));
server.close();
`;

beforeAll(async () => {
  if (!isRoot) return;
  server = await tcpListener();
  const dir = mkdtempSync(join(tmpdir(), 'procnet-unpriv-'));
  folder = dir;
  chmodSync(dir, 0o755);
  entry = join(ROOT, 'dist/node.js');
  if (process.env.PROCNET_TEST_DIST !== '1') {
    const { build } = await import('esbuild');
    entry = join(dir, 'procnet-node.js');
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
    // procnet/node with its worker modules beside it (workers/*.js), as the package has them.
    await build({
      entryPoints: {
        'procnet-node': join(ROOT, 'src/node/index.ts'),
        'workers/table-read': join(ROOT, 'src/node/workers/table-read.ts'),
        'workers/fd-scan': join(ROOT, 'src/node/workers/fd-scan.ts'),
      },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outdir: dir,
      logLevel: 'silent',
    });
  }
  writeFileSync(join(dir, 'reader.mjs'), SCRIPT);
  chmodSync(join(dir, 'reader.mjs'), 0o644);
});

afterAll(async () => {
  await closeAll();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

describe.skipIf(!isRoot)('a reader that is not root (uid 65534)', () => {
  it('counts the processes it cannot read as denied, says so in a note, and still maps its own sockets', async () => {
    const { stdout } = await run(
      'setpriv',
      [
        '--reuid=65534',
        '--regid=65534',
        '--clear-groups',
        process.execPath,
        join(folder as string, 'reader.mjs'),
        entry,
        String(portOf(server)),
      ],
      { timeout: 20_000 },
    );
    const out = JSON.parse(stdout);
    expect(out.stats.source).toBe('live');
    expect(out.stats.denied).toBeGreaterThan(0);
    expect(out.stats.scanned).toBeGreaterThanOrEqual(1);
    expect(out.notes).toContain('PROCESSES_INCOMPLETE');
    expect(out.own).toEqual([expect.objectContaining({ pid: out.pid, uid: 65534, comm: 'node' })]);
    // The test's root-owned listener is listed (the tables are world-readable) but its owner cannot be known.
    expect(out.rootOwnedUid).toBe(0);
    expect(out.rootOwned).toEqual([]);
    expect(out.syncStats.denied).toBeGreaterThan(0);
    // The same refusals whether the scan ran in a worker thread or with async requests.
    for (const [stats, own] of [
      [out.workerStats, out.workerOwn],
      [out.poolStats, out.poolOwn],
    ]) {
      expect(stats.denied).toBeGreaterThan(0);
      expect(stats.scanned).toBeGreaterThanOrEqual(1);
      expect(own).toEqual(out.own);
    }
  });
});
