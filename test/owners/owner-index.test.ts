import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { findHolders, OwnerIndex, toOwners } from '../../src/owners/owner-index.js';
import type { FdLinkEntry, FdRef } from '../../src/owners/types.js';

const indexOf = (list: FdLinkEntry[]) =>
  new OwnerIndex({ pid: list.map((e) => e.pid), fd: list.map((e) => e.fd), link: list.map((e) => e.link) });

/** Inode → descriptors for every held inode (or the wanted ones), in first-seen order. */
function buildOwnerIndex(list: FdLinkEntry[], wanted?: Set<string>): Map<string, FdRef[]> {
  const index = indexOf(list);
  const out = new Map<string, FdRef[]>();
  for (const inode of index.inodes) if (!wanted || wanted.has(inode)) out.set(inode, index.holders(inode));
  return out;
}

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

describe('OwnerIndex', () => {
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

  test.prop([entries, fc.array(inode, { maxLength: 10 })])(
    'findHolders gives each inode its holders ([] for none, and for inode 0), and each owning pid once, ascending',
    (list, asked) => {
      const index = indexOf(list);
      const inodes = [...asked, '0'];
      const { refs, pids } = findHolders(index, inodes);
      const all = model(list);
      expect(refs.map((r) => r.map((x) => `${x.pid}/${x.fd}`))).toEqual(inodes.map((i) => all[i] ?? []));
      expect(pids).toEqual([...new Set(refs.flat().map((r) => r.pid))].sort((a, b) => a - b));
    },
  );
  it('finds an inode of more than 15 digits, and one the table prints with leading zeros held without', () => {
    const index = indexOf([
      { pid: 1, fd: 3, link: 'socket:[12345678901234567890]' },
      { pid: 2, fd: 4, link: 'socket:[00042]' },
    ]);
    expect(index.holders('12345678901234567890')).toEqual([{ pid: 1, fd: 3 }]);
    expect(index.holders('42')).toEqual([{ pid: 2, fd: 4 }]);
    expect(index.holders('43')).toEqual([]);
  });
});

describe('toOwners', () => {
  it('adds process details, null fields for a pid it does not know', () => {
    const index = indexOf([
      { pid: 1, fd: 3, link: 'socket:[5]' },
      { pid: 2, fd: 4, link: 'socket:[5]' },
    ]);
    const [owners] = toOwners(findHolders(index, ['5']), (pid) =>
      pid === 1 ? { comm: 'nginx', cmdline: ['nginx', '-g', 'daemon off;'], uid: 0 } : undefined,
    );
    expect(owners).toEqual([
      { pid: 1, fd: 3, comm: 'nginx', cmdline: ['nginx', '-g', 'daemon off;'], uid: 0 },
      { pid: 2, fd: 4, comm: null, cmdline: null, uid: null },
    ]);
  });
});
