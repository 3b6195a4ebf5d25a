/**
 * Checks parsed /proc rows against `ss` output taken at the same moment.
 * Rows are matched by inode where it is non-zero, else by state and both endpoints.
 */
import type { InetSocket } from '../../src/index.js';
import { lib } from './lib.js';
import type { SsRow } from './ss.js';

export interface Mismatch {
  row: string;
  problem: string;
}

function ssState(s: InetSocket): string {
  if (s.protocol === 'tcp') return lib.TCP_STATES[s.state].ss;
  return s.state === 'connected' ? 'ESTAB' : 'UNCONN';
}

/** ss prints a dual-stack wildcard (`::` without IPV6_V6ONLY) as `*`. */
function sameAddress(ours: string, ss: string): boolean {
  return ours === ss || (ss === '*' && (ours === '::' || ours === '0.0.0.0'));
}

/** Match key; every wildcard spelling (`*`, `::`, `0.0.0.0`) is one. */
function key(s: { state: string; local: { address: string; port: string }; peer: { address: string; port: string } }) {
  const a = (x: string) => (x === '*' || x === '::' || x === '0.0.0.0' ? '*' : x);
  return `${s.state} ${a(s.local.address)}:${s.local.port} ${a(s.peer.address)}:${s.peer.port}`;
}

/** ss writes a zero port as `*` and, for the peer of an unconnected socket, the wildcard address. */
function ssView(s: InetSocket) {
  const port = (p: number) => (p === 0 ? '*' : String(p));
  const localPort = s.protocol === 'raw' ? String(s.ipProtocol) : port(s.local.port);
  return {
    state: ssState(s),
    local: { address: s.local.address, port: localPort },
    peer: { address: s.remote.address, port: port(s.remote.port) },
  };
}

/**
 * Compares every parsed row with its ss row. Send-Q of a listener is not compared (ss shows the backlog limit
 * there, /proc shows 0). `sendQTolerance` allows for bytes acknowledged between the two reads (a blocked
 * sender's queue moves by a few bytes; the spec saw 16).
 */
export function compareWithSs(rows: readonly InetSocket[], ss: readonly SsRow[], sendQTolerance = 64): Mismatch[] {
  const byInode = new Map<string, SsRow>();
  const byKey = new Map<string, SsRow[]>();
  for (const r of ss) {
    if (r.inode && r.inode !== '0') byInode.set(r.inode, r);
    const k = key(r);
    byKey.set(k, [...(byKey.get(k) ?? []), r]);
  }
  const out: Mismatch[] = [];
  for (const s of rows) {
    const v = ssView(s);
    const id = `${s.kind} ${key(v)} inode ${s.inode}`;
    // ss prints no inode for some tables (raw): fall back to the addresses.
    const match = (s.inode !== '0' ? byInode.get(s.inode) : undefined) ?? byKey.get(key(v))?.shift();
    if (!match) {
      out.push({ row: id, problem: 'no ss row' });
      continue;
    }
    if (match.state !== v.state) out.push({ row: id, problem: `state ${v.state} vs ss ${match.state}` });
    if (!sameAddress(v.local.address, match.local.address) || match.local.port !== v.local.port) {
      out.push({ row: id, problem: `local ${JSON.stringify(v.local)} vs ss ${JSON.stringify(match.local)}` });
    }
    if (!sameAddress(v.peer.address, match.peer.address) || match.peer.port !== v.peer.port) {
      out.push({ row: id, problem: `peer ${JSON.stringify(v.peer)} vs ss ${JSON.stringify(match.peer)}` });
    }
    if (match.recvQ !== s.rxQueue) out.push({ row: id, problem: `Recv-Q ${s.rxQueue} vs ss ${match.recvQ}` });
    const listening = s.protocol === 'tcp' && s.state === 'LISTEN';
    if (!listening && Math.abs(match.sendQ - s.txQueue) > sendQTolerance) {
      out.push({ row: id, problem: `Send-Q ${s.txQueue} vs ss ${match.sendQ}` });
    }
    if (match.inode !== undefined && match.inode !== s.inode) {
      out.push({ row: id, problem: `inode ${s.inode} vs ss ${match.inode}` });
    }
  }
  return out;
}
