/** procnet/node rows feed the core's netstat renderer as they are: owners and all. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { programText } from '../../src/format/netstat.js';
import type { InetSocket, UnixSocket } from '../../src/index.js';
import { netstatLib } from '../support/entry-libs.js';
import { nodeLib } from '../support/node-lib.js';
import { ROOT, SPEC_CAPTURE } from '../support/paths.js';

describe('readSockets → formatNetstatInet / formatNetstatUnix', () => {
  it('renders a dump without owners as -, and with owners from fds.json as pid/comm', async () => {
    const r = await nodeLib.readSockets({ root: SPEC_CAPTURE, kinds: ['tcp', 'tcp6', 'udp'] });
    const inet = netstatLib.formatNetstatInet(r.sockets, { programs: true });
    expect(inet).toHaveLength(r.sockets.length + 1);
    expect(inet.slice(1).every((l) => / - +$/.test(l))).toBe(true);
    const capture = readdirSync(join(ROOT, 'fixtures')).find((d) => /^capture-.*x86_64$/.test(d));
    if (capture === undefined) return;
    const owned = await nodeLib.readSockets({ root: join(ROOT, 'fixtures', capture), processes: true });
    const tcp = owned.sockets.filter((s) => s.kind !== 'unix');
    const unix = owned.sockets.filter((s) => s.kind === 'unix');
    expect(netstatLib.formatNetstatInet(tcp, { programs: true }).some((l) => /\d+\/python3/.test(l))).toBe(true);
    expect(netstatLib.formatNetstatUnix(unix, { programs: true })).toHaveLength(unix.length + 1);
  });

  it('prints pid/comm for each owner, and the pid alone when comm is unknown', () => {
    expect(
      programText([
        { pid: 10, comm: 'nginx' },
        { pid: 11, comm: null },
      ]),
    ).toBe('10/nginx,11');
    expect(programText(null)).toBe('-');
  });

  it('type-checks: FoundSocket rows are NetstatRows', async () => {
    const r = await nodeLib.readSockets({ root: SPEC_CAPTURE, kinds: ['tcp'], processes: false });
    const rows: ReadonlyArray<import('../../src/netstat.js').NetstatRow<InetSocket>> = r.sockets;
    const u = await nodeLib.readSockets({ root: SPEC_CAPTURE, kinds: ['unix'] });
    const urows: ReadonlyArray<import('../../src/netstat.js').NetstatRow<UnixSocket>> = u.sockets;
    expect(rows.length + urows.length).toBeGreaterThan(0);
  });
});
