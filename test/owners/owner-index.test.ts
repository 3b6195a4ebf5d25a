import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { buildOwnerIndex, ownerPids, resolveOwners } from '../../src/owners/owner-index.js';
import type { FdLinkEntry } from '../../src/owners/types.js';

const inode = fc.integer({ min: 1, max: 40 }).map(String);
const link = fc.oneof(
  inode.map((i) => `socket:[${i}]`),
  inode.map((i) => `pipe:[${i}]`),
  fc.constantFrom('/dev/null', 'anon_inode:[eventpoll]', 'socket:[0]'),
);
const entry = fc.record({ pid: fc.integer({ min: 1, max: 30 }), fd: fc.integer({ min: 0, max: 20 }), link });
const entries = fc.array(entry, { maxLength: 80 });

/** The obvious (slow) model: every socket entry, keyed by inode, sorted, each (pid, fd) once. */
function model(list: FdLinkEntry[], wanted?: Set<string>): Record<string, string[]> {
  const out: Record<string, Set<string>> = {};
  for (const e of list) {
    const m = /^socket:\[0*([1-9][0-9]*)\]$/.exec(e.link);
    if (!m || (wanted && !wanted.has(m[1] as string))) continue;
    const key = m[1] as string;
    const set = out[key] ?? new Set<string>();
    set.add(`${e.pid}/${e.fd}`);
    out[key] = set;
  }
  const sorted: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(out)) {
    sorted[k] = [...v].sort((a, b) => {
      const [pa, fa] = a.split('/').map(Number) as [number, number];
      const [pb, fb] = b.split('/').map(Number) as [number, number];
      return pa - pb || fa - fb;
    });
  }
  return sorted;
}

function flat(index: Map<string, Array<{ pid: number; fd: number }>>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of index) out[k] = v.map((r) => `${r.pid}/${r.fd}`);
  return out;
}

describe('buildOwnerIndex', () => {
  it('keeps every owner of a shared socket, by pid then fd', () => {
    const index = buildOwnerIndex([
      { pid: 200, fd: 5, link: 'socket:[777]' },
      { pid: 100, fd: 3, link: 'socket:[777]' },
      { pid: 100, fd: 4, link: 'pipe:[778]' },
      { pid: 100, fd: 9, link: 'socket:[779]' },
      { pid: 200, fd: 1, link: 'socket:[777]' },
    ]);
    expect([...index]).toEqual([
      [
        '777',
        [
          { pid: 100, fd: 3 },
          { pid: 200, fd: 1 },
          { pid: 200, fd: 5 },
        ],
      ],
      ['779', [{ pid: 100, fd: 9 }]],
    ]);
  });

  it('keeps only the wanted inodes', () => {
    const index = buildOwnerIndex(
      [
        { pid: 1, fd: 3, link: 'socket:[10]' },
        { pid: 1, fd: 4, link: 'socket:[11]' },
      ],
      new Set(['11']),
    );
    expect([...index.keys()]).toEqual(['11']);
  });

  test.prop([entries])('matches the model', (list) => {
    expect(flat(buildOwnerIndex(list))).toEqual(model(list));
  });

  test.prop([entries, fc.array(inode, { maxLength: 10 })])('filtering by wanted = filtering afterwards', (list, w) => {
    const wanted = new Set(w);
    const all = flat(buildOwnerIndex(list));
    const some = flat(buildOwnerIndex(list, wanted));
    expect(some).toEqual(Object.fromEntries(Object.entries(all).filter(([k]) => wanted.has(k))));
  });

  test.prop([entries.chain((l) => fc.tuple(fc.constant(l), fc.shuffledSubarray(l, { minLength: l.length })))])(
    'does not depend on the order of the entries, nor on repeats',
    ([list, shuffled]) => {
      expect(flat(buildOwnerIndex([...shuffled, ...list]))).toEqual(flat(buildOwnerIndex(list)));
    },
  );

  test.prop([entries])('ownerPids lists each owning pid once, ascending', (list) => {
    const index = buildOwnerIndex(list);
    const pids = ownerPids(index);
    expect(pids).toEqual([...new Set(pids)].sort((a, b) => a - b));
    expect(new Set(pids)).toEqual(new Set([...index.values()].flat().map((r) => r.pid)));
  });
});

describe('resolveOwners', () => {
  it('adds process details, null fields for a pid it does not know', () => {
    const index = buildOwnerIndex([
      { pid: 1, fd: 3, link: 'socket:[5]' },
      { pid: 2, fd: 4, link: 'socket:[5]' },
    ]);
    const owners = resolveOwners(index, (pid) =>
      pid === 1 ? { comm: 'nginx', cmdline: ['nginx', '-g', 'daemon off;'], uid: 0 } : undefined,
    );
    expect(owners.get('5')).toEqual([
      { pid: 1, fd: 3, comm: 'nginx', cmdline: ['nginx', '-g', 'daemon off;'], uid: 0 },
      { pid: 2, fd: 4, comm: null, cmdline: null, uid: null },
    ]);
  });
});
