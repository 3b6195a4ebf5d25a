import { describe, expect, it } from 'vitest';
import { type Listener, summarizeListeners } from '../../src/analysis/index.js';
import { UNIX_LISTENER } from '../support/sockets.js';
import { captureSockets, find, own, owner } from './capture.js';

const brief = (l: Listener) =>
  `${l.protocol} ${l.local.family === 'IPv6' ? `[${l.local.address}]` : l.local.address}:${l.port} ${l.exposure.scope}`;

describe('summarizeListeners on the 6.18 capture', () => {
  const summary = summarizeListeners(captureSockets());

  it('lists every TCP listener and bound, unconnected UDP socket once, in port order', () => {
    expect(summary.listeners.map(brief)).toEqual([
      'tcp 127.0.0.1:40001 loopback',
      'tcp 127.0.0.1:40002 loopback',
      'tcp [::1]:40003 loopback',
      'tcp [::]:40004 wildcard-ipv6',
      'tcp 127.0.0.1:40005 loopback',
      'tcp 127.0.0.1:40006 loopback',
      'tcp 127.0.0.1:40007 loopback',
      'tcp 127.0.0.1:40008 loopback',
      'tcp [::1]:40009 loopback',
      'tcp 127.0.0.1:40010 loopback',
      'tcp 127.0.0.1:40030 loopback',
      'udp 127.0.0.1:40101 loopback',
      'udp [::1]:40103 loopback',
      'udp 127.0.0.1:40105 loopback',
      'udp 0.0.0.0:40107 wildcard-ipv4',
      'udplite 127.0.0.1:40108 loopback',
      'udplite [::1]:40109 loopback',
    ]);
  });

  it('splits them into reachable from outside and local only', () => {
    expect(summary.outside.map(brief)).toEqual(['tcp [::]:40004 wildcard-ipv6', 'udp 0.0.0.0:40107 wildcard-ipv4']);
    expect(summary.local).toHaveLength(15);
    expect(summary.local.every((l) => l.exposure.reachableFrom === 'this-host')).toBe(true);
    expect(summary.outside[0]?.exposure.dualStack).toBe(true);
  });

  it('reports the accept backlog and queued datagram memory', () => {
    const byPort = new Map(summary.listeners.map((l) => [l.port, l]));
    expect(byPort.get(40001)?.queued).toBe(1);
    expect(byPort.get(40010)?.queued).toBe(1);
    expect(byPort.get(40002)?.queued).toBe(0);
    expect(byPort.get(40101)?.queued).toBe(2496);
    expect(byPort.get(40105)?.queued).toBe(2304);
    expect(byPort.get(40001)?.sockets.map((s) => s.inode)).toEqual(['103926']);
  });

  it('marks UDP ports in the local port range as probably ephemeral, never TCP', () => {
    expect(summary.listeners.filter((l) => l.ephemeral).map((l) => l.port)).toEqual([
      40101, 40103, 40105, 40107, 40108, 40109,
    ]);
    const narrow = summarizeListeners(captureSockets(), { localPortRange: [40105, 40105] });
    expect(narrow.listeners.filter((l) => l.ephemeral).map((l) => l.port)).toEqual([40105]);
  });

  it('without owners, says they are unknown', () => {
    expect(summary.listeners.every((l) => l.processes.length === 0 && !l.ownersKnown)).toBe(true);
    expect(summary.listeners[0]?.sockets[0]?.pids).toBeNull();
  });

  it('follows bindv6only for the :: listener', () => {
    const v6only = summarizeListeners(captureSockets(), { bindv6only: true });
    expect(v6only.outside[0]?.exposure.dualStack).toBe(false);
  });
});

describe('summarizeListeners with owners, SO_REUSEPORT and namespaces', () => {
  it('names the owners and merges sockets sharing one address', () => {
    const sockets = captureSockets();
    const listener = own(find(sockets, 'tcp6', 40004, 0), owner(812, 'nginx', 6));
    const twin = own({ ...listener, inode: '999001' }, owner(813, 'nginx', 6));
    own(find(sockets, 'tcp', 40001), owner(77, 'postgres'));
    for (const s of sockets) if (s !== listener && !('owners' in s)) Object.assign(s, { owners: [] });
    const summary = summarizeListeners([...sockets, twin]);
    const wildcard = summary.outside[0] as Listener;
    expect(wildcard.sockets.map((s) => s.inode)).toEqual(['103985', '999001']);
    expect(wildcard.processes).toEqual([
      { pid: 812, comm: 'nginx', cmdline: ['nginx'], uid: 1000, sockets: 1 },
      { pid: 813, comm: 'nginx', cmdline: ['nginx'], uid: 1000, sockets: 1 },
    ]);
    expect(wildcard.ownersKnown).toBe(true);
    expect(summary.local[0]?.processes.map((p) => p.comm)).toEqual(['postgres']);
  });

  it('keeps the same port in two namespaces apart', () => {
    const a = captureSockets().map((s) => ({ ...s, namespace: 'net:[1]' }));
    const b = captureSockets().map((s) => ({ ...s, namespace: 'net:[2]' }));
    const summary = summarizeListeners([...a, ...b]);
    expect(summary.listeners).toHaveLength(34);
    expect(summary.listeners.filter((l) => l.port === 40001).map((l) => l.namespace)).toEqual(['net:[1]', 'net:[2]']);
  });

  it('ignores unix rows, connected UDP sockets and non-listening TCP sockets', () => {
    const sockets = captureSockets().filter((s) => s.protocol !== 'tcp' || s.state !== 'LISTEN');
    const summary = summarizeListeners(sockets.filter((s) => s.protocol !== 'udp' && s.protocol !== 'udplite'));
    expect(summary.listeners).toEqual([]);
    expect(summarizeListeners([UNIX_LISTENER]).listeners).toEqual([]);
    expect(summarizeListeners([])).toEqual({ listeners: [], outside: [], local: [] });
  });
});
