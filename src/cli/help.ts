/**
 * `procnet --help` and `--version`.
 * @module
 */
import { realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readBoundedFileSync } from '../node/index.js';
import { DOCS_URL } from './docs-url.js';

export const HELP = `Usage: procnet [OPTIONS] [FILTER]      sockets of this machine, as netstat shows them
       procnet top [OPTIONS] [FILTER]  a live view: queues, listeners, processes (q quits)
       procnet snapshot DIR [--pid PID] save the tables and their owners to DIR
       procnet doctor [OPTIONS]         diagnose the sockets (see procnet doctor --help)
       procnet exporter [OPTIONS]       serve metrics to Prometheus (see procnet exporter --help)

Sockets (combine them: -tunap, -tulpn; none: every kind, like netstat):
  -t, --tcp            TCP                     -x, --unix       unix domain sockets
  -u, --udp            UDP and UDP-Lite        -U, --udplite    UDP-Lite only
  -w, --raw            raw sockets                 --icmp       ICMP ping sockets
  -4, --inet           IPv4 only               -6, --inet6      IPv6 only

Rows (default: connected sockets only, like netstat):
  -l, --listening      listening sockets only  -a, --all        listening and connected
  FILTER               ss's filter: state established '( dport = :443 or sport = :443 )',
                       dst 10.0.0.0/8, exclude time-wait, src unix:'/run/*'; a lone port
                       number (procnet -tlnp 8765) is sport or dport = that port
      --sort KEY       queue, state, local, remote, pid or program (pid, program need -p)

Columns:
  -n, --numeric        port numbers and uids instead of names (hosts are always numeric:
                       procnet never resolves names over the network)
      --numeric-ports, --numeric-users   only one of the two
  -p, --programs       PID/Program name (every process that holds the socket)
      --cmdline        the owners' command lines instead of their names (implies -p)
  -e, --extend         User and Inode
  -o, --timers         Timer
  -W, --wide           accepted; procnet never truncates addresses or names

Output:
      --json           one JSON array of the library's socket objects
      --ndjson         one socket per line, streamed as the tables are read
  -s, --statistics     the kernel's protocol counters, as netstat -s (-t, -u, -w, -6 select)
      --summary        counts of sockets by protocol and state (like ss -s)
  -c, --continuous [SECONDS]   repeat every SECONDS (default 1, at least 0.1) until Ctrl-C
      --color[=WHEN]   auto (default: a terminal, without NO_COLOR or TERM=dumb), always, never
  -v, --verbose        also print the read's notes and mark unix rows that could be planted

Where:
      --root DIR       a saved dump (procnet snapshot, a net/ folder, a sosreport) or another procfs
      --byte-order big|little   the dump's byte order, when it does not say (default: a guess)
      --user-hz N      the dump's USER_HZ, when it does not say (default 100)
      --pid PID        the network namespace of process PID
      --all-namespaces every network namespace that has a process (adds a Net-NS column)

procnet top: -d, --interval SECONDS (default 2), --sort KEY; keys q quit, s sort, / filter,
  l p n group by listener, process or none, arrows scroll.

  -h, --help           this help                -V, --version    the version

Exit codes: 0 done (also when the reader of the output goes away, or on Ctrl-C), 1 the sockets
could not be read, 2 the command line is wrong (a bad filter is shown with a caret under the word).
Docs: ${DOCS_URL}cli.md
      (every option, filters, top, the netstat and ss mapping, the differences from netstat).
`;

/** The package version: from the package.json above the running file (dist/ or src/cli/), else `unknown`. */
export function packageVersion(): string {
  try {
    let dir = dirname(realpathSync(process.argv[1] ?? '.'));
    for (let i = 0; i < 4; i++) {
      let bytes: Uint8Array | null = null;
      try {
        bytes = readBoundedFileSync(join(dir, 'package.json'));
      } catch {
        // not here: look higher
      }
      if (bytes !== null) {
        const pkg = JSON.parse(Buffer.from(bytes).toString('utf8')) as { name?: unknown; version?: unknown };
        if (pkg.name === 'procnet' && typeof pkg.version === 'string') return pkg.version;
      }
      dir = dirname(dir);
    }
  } catch {
    // fall through
  }
  return 'unknown';
}
