/** The inet tables of fixtures/corpus that the tests read, with what each holds. */
import type { InetTableKind } from '../../src/index.js';

/** file → [table kind, rows, invalid rows]. */
export const INET_SAMPLES: Record<string, [InetTableKind, number, number]> = {
  'beats/tcp': ['tcp', 21, 0],
  'goprocinfo/tcp': ['tcp', 51, 0],
  'goprocinfo/tcp6': ['tcp6', 4, 0],
  'goprocinfo/udp': ['udp', 19, 0],
  'goprocinfo/udp6': ['udp6', 1, 0],
  'goprocinfo/raw': ['raw', 0, 0],
  'goprocinfo/raw6': ['raw6', 0, 0],
  'goprocinfo/udplite': ['udplite', 0, 0],
  'goprocinfo/udplite6': ['udplite6', 0, 0],
  'jc/net_tcp': ['tcp', 27, 0],
  'jc/net_tcp6': ['tcp6', 8, 0],
  'lima/tcp': ['tcp', 6, 0],
  'lima/tcp6': ['tcp6', 1, 0],
  'lima/tcp6.zero': ['tcp6', 3, 0],
  'lima/udp': ['udp', 5, 0],
  'procfs/tcp': ['tcp', 3, 0],
  'procfs/udp6': ['udp6', 2, 0],
  // A tcp LISTEN table stored under the name udp by its project (PROVENANCE.md).
  'procfs/udp.2019-bef03e5': ['tcp', 3, 0],
  'scope/tcp': ['tcp', 4, 0],
  'scope/tcp6': ['tcp6', 2, 0],
  'tailscale/tcp6': ['tcp6', 4, 0],
  // Anonymised by its project: one address is the non-hex "ABCDEFGH".
  'treadmill/proc.net.tcp.data': ['tcp', 4, 1],
  'treadmill/proc.net.tcp6.data': ['tcp6', 4, 0],
  'go-netstat/raw': ['raw', 2, 0],
  'node_exporter/tcpstat': ['tcp', 2, 0],
  'cadvisor/procnetudp': ['udp', 2, 0],
  'dd-agent/udp': ['udp', 1, 0],
  'dd-agent/udp6': ['udp6', 1, 0],
  'eminence-procfs/udp.debian-12': ['udp', 5, 0],
};
