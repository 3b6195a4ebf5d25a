import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { type FdDump, fdDumpFds, fdDumpInfo, parseFdDump } from '../../src/owners/fd-dump.js';
import { findHolders, OwnerIndex, toOwners } from '../../src/owners/owner-index.js';
import type { SocketOwner } from '../../src/owners/types.js';

/** Every held socket's owners in a dump, through the owner index (as readSockets maps a dump's rows). */
function ownersFromFdDump(dump: FdDump): Map<string, SocketOwner[]> {
  const index = new OwnerIndex(fdDumpFds(dump));
  const info = fdDumpInfo(dump);
  const lists = toOwners(findHolders(index, index.inodes), (pid) => info.get(pid));
  return new Map(index.inodes.map((inode, i) => [inode, lists[i] as SocketOwner[]]));
}

const SAMPLE = {
  processes: [
    {
      pid: 123,
      comm: 'nginx',
      cmdline: ['nginx', '-g', 'daemon off;'],
      uid: 0,
      fds: [
        { fd: 3, link: 'socket:[12345]' },
        { fd: 4, link: '/var/log/nginx/access.log' },
      ],
    },
    { pid: 124, comm: 'nginx', cmdline: ['nginx: worker process'], uid: 33, fds: [{ fd: 3, link: 'socket:[12345]' }] },
  ],
};

describe('parseFdDump, and owners from a dump', () => {
  it('maps the documented format to owners, every holder kept', () => {
    const owners = ownersFromFdDump(parseFdDump(SAMPLE));
    expect(owners.get('12345')).toEqual([
      { pid: 123, fd: 3, comm: 'nginx', cmdline: ['nginx', '-g', 'daemon off;'], uid: 0 },
      { pid: 124, fd: 3, comm: 'nginx', cmdline: ['nginx: worker process'], uid: 33 },
    ]);
    expect(owners.size).toBe(1);
  });

  it('treats comm, cmdline, uid and the top-level counts as optional', () => {
    const dump = parseFdDump({ processes: [{ pid: 7, fds: [{ fd: 0, link: 'socket:[9]' }] }], extra: true });
    expect(dump).toEqual({
      processes: [{ pid: 7, comm: null, cmdline: null, uid: null, fds: [{ fd: 0, link: 'socket:[9]' }] }],
      denied: null,
      vanished: null,
    });
    expect(parseFdDump({ processes: [], denied: 3, vanished: 1 })).toMatchObject({ denied: 3, vanished: 1 });
  });

  it('names the first bad field of an invalid document', () => {
    const bad: Array<[unknown, string]> = [
      [null, 'fds.json  must be an object'],
      [[], 'fds.json  must be an object'],
      [{}, 'fds.json processes must be an array'],
      [{ processes: [1] }, 'processes[0] must be an object'],
      [{ processes: [{ pid: -1, fds: [] }] }, 'processes[0].pid'],
      [{ processes: [{ pid: 1 }] }, 'processes[0].fds must be an array'],
      [{ processes: [{ pid: 1, fds: [{ fd: '3', link: 'x' }] }] }, 'processes[0].fds[0]'],
      [{ processes: [{ pid: 1, comm: 5, fds: [] }] }, 'processes[0].comm'],
      [{ processes: [{ pid: 1, cmdline: 'a b', fds: [] }] }, 'processes[0].cmdline'],
      [{ processes: [], denied: 'x' }, 'denied'],
    ];
    for (const [doc, message] of bad) expect(() => parseFdDump(doc), message).toThrow(message);
  });

  const proc = fc.record({
    pid: fc.integer({ min: 1, max: 50 }),
    comm: fc.option(fc.string({ maxLength: 15 })),
    cmdline: fc.option(fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 })),
    uid: fc.option(fc.nat(70000)),
    fds: fc.uniqueArray(
      fc.record({
        fd: fc.nat(30),
        link: fc.oneof(
          fc.integer({ min: 1, max: 20 }).map((i) => `socket:[${i}]`),
          fc.constantFrom('/dev/null', 'pipe:[3]'),
        ),
      }),
      { selector: (e) => e.fd, maxLength: 8 },
    ),
  });

  test.prop([fc.uniqueArray(proc, { selector: (p) => p.pid, maxLength: 12 })])(
    'survives a JSON round trip and gives every socket descriptor as an owner with its process',
    (processes) => {
      const dump = parseFdDump(JSON.parse(JSON.stringify({ processes })));
      const expected = new Map<string, SocketOwner[]>();
      for (const p of [...processes].sort((a, b) => a.pid - b.pid)) {
        for (const e of [...p.fds].sort((a, b) => a.fd - b.fd)) {
          const m = /^socket:\[0*([1-9][0-9]*)\]$/.exec(e.link);
          if (m === null) continue;
          const list = expected.get(m[1] as string) ?? [];
          list.push({ pid: p.pid, fd: e.fd, comm: p.comm ?? null, cmdline: p.cmdline ?? null, uid: p.uid ?? null });
          expected.set(m[1] as string, list);
        }
      }
      expect(ownersFromFdDump(dump)).toEqual(expected);
      let count = 0;
      for (const list of expected.values()) count += list.length;
      expect(count).toBe(processes.flatMap((p) => p.fds).filter((e) => e.link.startsWith('socket:')).length);
    },
  );
});
