#!/usr/bin/python3
"""Benchmark peer: psutil (Debian python3-psutil; run with /usr/bin/python3).

  psutil.py --mode live --kind tcp --iterations 5   psutil.net_connections('tcp'): reads /proc/net/tcp and tcp6 of
                                                    this network namespace AND scans /proc/*/fd to find each
                                                    socket's owning pid (psutil always does both).
  psutil.py --mode file --file T --iterations 5     psutil's own line parser on a saved table, via the internal
                                                    psutil._pslinux.Connections.process_inet (no owner scan).

Prints one JSON object: per-iteration wall and CPU times in ms, rows, peak RSS of this process.
"""
import argparse
import json
import os
import resource
import socket
import sys
import time

# This file is itself named psutil.py: drop its own folder from the import path so `import psutil` finds the library.
_here = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != _here]

try:
    import psutil  # noqa: E402
except ImportError as error:  # not installed: say so, as the other peers do, instead of failing
    json.dump({"peer": "psutil", "available": False,
               "reason": "psutil is not importable by %s (apt-get install python3-psutil): %s" % (sys.executable, error)},
              sys.stdout)
    sys.stdout.write("\n")
    sys.exit(0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", choices=["live", "file"], default="live")
    ap.add_argument("--kind", default="tcp")
    ap.add_argument("--file")
    ap.add_argument("--family", choices=["tcp", "tcp6"], default="tcp")
    ap.add_argument("--iterations", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=1)
    args = ap.parse_args()

    if args.mode == "live":
        def once():
            return len(psutil.net_connections(kind=args.kind))
    else:
        if not args.file:
            ap.error("--mode file needs --file")
        from psutil._pslinux import Connections  # internal API, 5.x

        family = socket.AF_INET if args.family == "tcp" else socket.AF_INET6

        def once():
            return sum(1 for _ in Connections.process_inet(args.file, family, socket.SOCK_STREAM, {}))

    for _ in range(args.warmup):
        once()
    times = []
    cpu = []
    rows = 0
    for _ in range(args.iterations):
        c0 = time.process_time()
        t0 = time.perf_counter()
        rows = once()
        times.append((time.perf_counter() - t0) * 1000.0)
        cpu.append((time.process_time() - c0) * 1000.0)
    json.dump(
        {
            "peer": "psutil",
            "mode": args.mode,
            "rows": rows,
            "timesMs": times,
            "cpuMs": cpu,
            "maxRssKb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            "version": psutil.__version__,
            "python": sys.version.split()[0],
        },
        sys.stdout,
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
