/** procnet/node rows feed the core's netstat renderer as they are: owners and all. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { InetSocket, UnixSocket } from '../../src/index.js';
import { lib } from '../support/lib.js';
import { nodeLib } from '../support/node-lib.js';
import { ROOT, SPEC_CAPTURE } from '../support/paths.js';

describe('readSockets → formatNetstatInet / formatNetstatUnix', () => {
  it('renders a dump without owners as -, and with owners from fds.json as pid/comm', async () => {
    const r = await nodeLib.readSockets({ root: SPEC_CAPTURE, kinds: ['tcp', 'tcp6', 'udp'] });
    const inet = lib.formatNetstatInet(r.sockets, { programs: true });
    expect(inet).toHaveLength(r.sockets.length + 1);
    expect(inet.slice(1).every((l) => / - +$/.test(l))).toBe(true);
    const capture = readdirSync(join(ROOT, 'fixtures')).find((d) => /^capture-.*x86_64$/.test(d));
    if (capture === undefined) return;
    const owned = await nodeLib.readSockets({ root: join(ROOT, 'fixtures', capture), processes: true });
    const tcp = owned.sockets.filter((s) => s.kind !== 'unix');
    const unix = owned.sockets.filter((s) => s.kind === 'unix');
    expect(lib.formatNetstatInet(tcp, { programs: true }).some((l) => /\d+\/python3/.test(l))).toBe(true);
    expect(lib.formatNetstatUnix(unix, { programs: true })).toHaveLength(unix.length + 1);
  });

  it('prints pid/comm for each owner, and the pid alone when comm is unknown', () => {
    expect(
      lib.programText([
        { pid: 10, comm: 'nginx' },
        { pid: 11, comm: null },
      ]),
    ).toBe('10/nginx,11');
    expect(lib.programText(null)).toBe('-');
  });

  it('type-checks: FoundSocket rows are NetstatRows', async () => {
    const r = await nodeLib.readSockets({ root: SPEC_CAPTURE, kinds: ['tcp'], processes: false });
    const rows: ReadonlyArray<import('../../src/index.js').NetstatRow<InetSocket>> = r.sockets;
    const u = await nodeLib.readSockets({ root: SPEC_CAPTURE, kinds: ['unix'] });
    const urows: ReadonlyArray<import('../../src/index.js').NetstatRow<UnixSocket>> = u.sockets;
    expect(rows.length + urows.length).toBeGreaterThan(0);
  });
});
