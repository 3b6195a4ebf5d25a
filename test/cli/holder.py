#!/usr/bin/env python3
"""Socket holder for the CLI's differential tests.

Run inside a fresh network namespace (unshare -n). Brings lo up, opens a fixed set of loopback sockets, prints one
JSON line {"pid": ..., ...} and then waits until stdin is closed (or it is killed). Standard library only.

  --unix DIR      bind plain unix sockets under DIR (a listener with a connection, a dgram socket)
  --hostile       also bind abstract unix sockets whose names carry a newline, escape sequences and a forged row:
                  one with an invented inode, one that copies the inode of a real socket (duplicate-inode)
"""
import json
import os
import socket
import subprocess
import sys
import time

args = sys.argv[1:]
hostile = '--hostile' in args
unix_dir = args[args.index('--unix') + 1] if '--unix' in args else None

subprocess.run(['ip', 'link', 'set', 'lo', 'up'], check=True)
keep = []


def tcp_listener(family, host, port, v6only=None, backlog=8):
    s = socket.socket(family, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if v6only is not None:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1 if v6only else 0)
    s.bind((host, port))
    s.listen(backlog)
    keep.append(s)
    return s


def connect(family, host, port, listener, src=None):
    c = socket.socket(family, socket.SOCK_STREAM)
    if src is not None:
        c.bind(src)
    c.connect((host, port))
    a, _ = listener.accept()
    keep.extend([c, a])
    return c, a


# TCP: listeners on loopback and wildcards, established pairs, a dual-stack listener reached over IPv4.
l8080 = tcp_listener(socket.AF_INET, '127.0.0.1', 8080)
connect(socket.AF_INET, '127.0.0.1', 8080, l8080)
l22 = tcp_listener(socket.AF_INET, '0.0.0.0', 22)
l6 = tcp_listener(socket.AF_INET6, '::1', 8443)
connect(socket.AF_INET6, '::1', 8443, l6)
dual = tcp_listener(socket.AF_INET6, '::', 9000, v6only=False)
connect(socket.AF_INET, '127.0.0.1', 9000, dual)
# CLOSE_WAIT: the client closes, the server keeps its end open (the client becomes an orphaned FIN_WAIT2).
l5432 = tcp_listener(socket.AF_INET, '127.0.0.1', 5432)
c, a = connect(socket.AF_INET, '127.0.0.1', 5432, l5432)
keep.remove(c)
c.close()
# Unread data in the server's receive queue.
l7000 = tcp_listener(socket.AF_INET, '127.0.0.1', 7000)
c, a = connect(socket.AF_INET, '127.0.0.1', 7000, l7000)
c.sendall(b'x' * 1000)

# UDP: bound (unconnected), connected, IPv6.
u1 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u1.bind(('127.0.0.1', 5353))
u2 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u2.bind(('127.0.0.1', 40001))
u2.connect(('127.0.0.1', 5353))
u3 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
u3.bind(('::1', 40002))
keep.extend([u1, u2, u3])

if unix_dir is not None:
    for name in ('listen.sock',):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.bind(os.path.join(unix_dir, name))
        s.listen(4)
        c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        c.connect(os.path.join(unix_dir, name))
        a, _ = s.accept()
        keep.extend([s, c, a])
    d = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    d.bind(os.path.join(unix_dir, 'dgram.sock'))
    keep.append(d)

forged_inode = None
copied_inode = None
if hostile:
    # A name with escape sequences (clear screen, set the window title) and, after a newline, a forged row with an
    # invented inode: a listener on /run/forged.sock that no process holds.
    forged_inode = '31337'
    row = '0000000000000000: 00000002 00000000 00010000 0001 01 {} {}'
    h = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    h.bind(('\0evil\x1b[2J\x1b]0;owned\x07\n' + row.format(forged_inode, '/run/forged.sock')).encode('latin1'))
    h.listen(1)
    # A second one copies the inode of a real unix socket (a victim bound first): both rows then share it.
    victim = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    victim.bind(b'\0victim')
    keep.append(victim)
    copied_inode = str(os.fstat(victim.fileno()).st_ino)
    d = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    d.bind(('\0dup\n' + row.format(copied_inode, '/run/copied.sock')).encode('latin1'))
    d.listen(1)
    keep.extend([h, d])

time.sleep(0.2)
print(json.dumps({'pid': os.getpid(), 'forged_inode': forged_inode, 'copied_inode': copied_inode}), flush=True)
try:
    sys.stdin.read()
except KeyboardInterrupt:
    pass
