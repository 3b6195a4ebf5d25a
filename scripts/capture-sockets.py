#!/usr/bin/env python3
"""Socket driver for scripts/capture.mjs (procnet fixtures). Not meant to be run by hand.

capture.mjs runs this inside a private network namespace, as root. It:

  1. opens a wide mix of sockets on loopback only (127.0.0.0/8 and ::1) and drives
     TCP connections into every state loopback can produce;
  2. writes a JSON description of every socket to the path given by --manifest;
  3. prints the line "READY" on stdout;
  4. keeps every socket open until its stdin reaches EOF, then closes them and exits.

Only the Python standard library is used. Nothing is sent off the loopback device.

Port plan (see fixtures/README.md):
  TCP IPv4 40001-40042, TCP IPv6 40301-40340 (same offsets as IPv4), mixed v4/v6 40401-40403,
  UDP IPv4 40101-40105, UDP IPv6 40131-40135, UDP-Lite 40161/40162 and 40171/40172,
  ICMP ping idents 40201 (v4) and 40202 (v6), raw protocol 253.
"""

import argparse
import errno
import json
import os
import socket
import struct
import sys
import time
import traceback

TCP_STATES = {
    1: 'ESTABLISHED', 2: 'SYN_SENT', 3: 'SYN_RECV', 4: 'FIN_WAIT1', 5: 'FIN_WAIT2', 6: 'TIME_WAIT',
    7: 'CLOSE', 8: 'CLOSE_WAIT', 9: 'LAST_ACK', 10: 'LISTEN', 11: 'CLOSING',
}
ESTABLISHED, SYN_SENT, FIN_WAIT1, FIN_WAIT2, CLOSE_WAIT, LAST_ACK, LISTEN, CLOSING = 1, 2, 4, 5, 8, 9, 10, 11

IPPROTO_UDPLITE = getattr(socket, 'IPPROTO_UDPLITE', 136)
TCP_DEFER_ACCEPT = getattr(socket, 'TCP_DEFER_ACCEPT', 9)
TCP_FASTOPEN = getattr(socket, 'TCP_FASTOPEN', 23)
NETLINK_ROUTE = 0
NETLINK_SOCK_DIAG = 4
ETH_P_ALL = 0x0003
ETH_P_IP = 0x0800

FAMILY_NAMES = {socket.AF_INET: 'AF_INET', socket.AF_INET6: 'AF_INET6', socket.AF_UNIX: 'AF_UNIX',
                socket.AF_PACKET: 'AF_PACKET', socket.AF_NETLINK: 'AF_NETLINK'}
TYPE_NAMES = {socket.SOCK_STREAM: 'SOCK_STREAM', socket.SOCK_DGRAM: 'SOCK_DGRAM', socket.SOCK_RAW: 'SOCK_RAW',
              socket.SOCK_SEQPACKET: 'SOCK_SEQPACKET'}

# Everything opened is kept here so that nothing is garbage-collected (and closed) before the capture.
KEEP = []
ENTRIES = []
WARNINGS = []
FAILURES = []


def log(msg):
    sys.stderr.write('[capture-sockets] %s\n' % msg)
    sys.stderr.flush()


def warn(msg):
    WARNINGS.append(msg)
    log('warning: ' + msg)


def inode_of(s):
    return os.fstat(s.fileno()).st_ino


def tcp_state(s):
    return s.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 8)[0]


def wait_for(pred, what, timeout=3.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(0.005)
    warn('timed out waiting for ' + what)
    return False


def wait_tcp_state(s, state, what):
    return wait_for(lambda: tcp_state(s) == state, '%s to reach %s' % (what, TCP_STATES[state]))


def inet_addr(addr):
    """Normalise a getsockname()/getpeername() result of an inet socket to {address, port}."""
    if addr is None:
        return None
    return {'address': addr[0], 'port': addr[1]}


def unix_addr(raw):
    """Describe an AF_UNIX address (bytes from getsockname()/getpeername())."""
    if isinstance(raw, str):
        raw = raw.encode('utf-8', 'surrogateescape')
    if not raw:
        return {'kind': 'unnamed', 'hex': '', 'proc_path': None}
    if raw[0] == 0:
        # /proc/net/unix prints '@' and then the name with every NUL replaced by '@'.
        shown = '@' + raw[1:].replace(b'\0', b'@').decode('latin-1')
        return {'kind': 'abstract', 'hex': raw.hex(), 'proc_path': shown}
    return {'kind': 'pathname', 'hex': raw.hex(), 'proc_path': raw.decode('latin-1')}


def record(label, s=None, table=None, expect=None, **extra):
    """Add one manifest entry. `s` is the socket (None for inode-less kernel objects)."""
    entry = {'label': label, 'table': table}
    if s is not None:
        entry['family'] = FAMILY_NAMES.get(s.family, int(s.family))
        entry['type'] = TYPE_NAMES.get(s.type, int(s.type))
        entry['proto'] = s.proto
        entry['inode'] = inode_of(s)
        entry['fd'] = s.fileno()
        entry['pid'] = os.getpid()
        if s.family in (socket.AF_INET, socket.AF_INET6):
            try:
                entry['local'] = inet_addr(s.getsockname())
            except OSError:
                entry['local'] = None
            try:
                entry['peer'] = inet_addr(s.getpeername())
            except OSError:
                entry['peer'] = None
        elif s.family == socket.AF_UNIX:
            entry['local'] = unix_addr(s.getsockname())
            try:
                entry['peer'] = unix_addr(s.getpeername())
            except OSError:
                entry['peer'] = None
        if s.type == socket.SOCK_STREAM and s.family in (socket.AF_INET, socket.AF_INET6):
            try:
                entry['state_at_setup'] = TCP_STATES.get(tcp_state(s), str(tcp_state(s)))
            except OSError:
                pass
    else:
        entry['inode'] = None
    if expect is not None:
        entry['expect'] = expect
    entry.update(extra)
    ENTRIES.append(entry)
    return entry


def ep(host, port):
    return {'address': host, 'port': port}


def scenario(name):
    """Decorator: run a scenario, record a failure instead of aborting the whole capture."""
    def wrap(fn):
        def run(*args, **kwargs):
            try:
                fn(*args, **kwargs)
            except Exception as e:  # noqa: BLE001 - any failure is reported, the rest still runs
                FAILURES.append({'scenario': name, 'error': '%s: %s' % (type(e).__name__, e),
                                 'traceback': traceback.format_exc()})
                log('scenario %s FAILED: %s' % (name, e))
        run.__name__ = fn.__name__
        return run
    return wrap


# ---------------------------------------------------------------------------------------------- TCP

def tcp_socket(fam, host, port=None, rcvbuf=None, sndbuf=None, v6only=None):
    s = socket.socket(fam, socket.SOCK_STREAM)
    KEEP.append(s)
    if rcvbuf is not None:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    if sndbuf is not None:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, sndbuf)
    if v6only is not None:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1 if v6only else 0)
    if port is not None:
        s.bind((host, port))
    return s


def listener(fam, host, port, backlog=16, **kw):
    tfo = kw.pop('tfo', None)
    defer = kw.pop('defer', None)
    s = tcp_socket(fam, host, port, **kw)
    if tfo is not None:
        s.setsockopt(socket.IPPROTO_TCP, TCP_FASTOPEN, tfo)
    if defer is not None:
        s.setsockopt(socket.IPPROTO_TCP, TCP_DEFER_ACCEPT, defer)
    s.listen(backlog)
    return s


def connect(fam, host, port, dst, dport, **kw):
    c = tcp_socket(fam, host, port, **kw)
    c.connect((dst, dport))
    return c


def accept(lst):
    lst.settimeout(3.0)
    conn, _ = lst.accept()
    conn.settimeout(None)
    KEEP.append(conn)
    return conn


def fill(s, limit=16 << 20):
    """Write until the socket would block (the peer never reads); return the bytes accepted."""
    s.setblocking(False)
    chunk = b'P' * 65536
    total = 0
    for _ in range(4):  # a few rounds: the window may still open a little after the first EAGAIN
        while total < limit:
            try:
                total += s.send(chunk)
            except BlockingIOError:
                break
        time.sleep(0.03)
    s.setblocking(True)
    return total


def tcp_family(fam, tag, host, base, table):
    """All TCP scenarios for one address family. Ports are base+offset (base 40000 or 40300)."""
    P = lambda off: base + off  # noqa: E731
    H = '[%s]' % host if ':' in host else host  # for labels only

    # --- listeners -------------------------------------------------------------------------
    L_main = listener(fam, host, P(1), tfo=5)
    record('%s LISTEN %s:%d TCP_FASTOPEN=5 (one child never accepted)' % (tag, H, P(1)), L_main, table,
           {'st': '0A', 'state': 'LISTEN', 'tx_queue': 0, 'rx_queue': 1, 'tokens': 17, 'last_column': 5,
            'note': 'rx_queue = accept queue length (the never-accepted child of port %d); last column = '
                    'fastopenq max_qlen' % P(13)})
    L_small = listener(fam, host, P(2), rcvbuf=4096)
    record('%s LISTEN %s:%d SO_RCVBUF=4096 (children never read)' % (tag, H, P(2)), L_small, table,
           {'st': '0A', 'state': 'LISTEN', 'rx_queue': 0, 'last_column': 0})
    L_plain = listener(fam, host, P(3))
    record('%s LISTEN %s:%d' % (tag, H, P(3)), L_plain, table, {'st': '0A', 'state': 'LISTEN', 'rx_queue': 0})
    L_last = listener(fam, host, P(4), sndbuf=16384)
    record('%s LISTEN %s:%d SO_SNDBUF=16384 (LAST_ACK partner)' % (tag, H, P(4)), L_last, table,
           {'st': '0A', 'state': 'LISTEN', 'rx_queue': 0})
    L_defer = listener(fam, host, P(5), defer=30)
    record('%s LISTEN %s:%d TCP_DEFER_ACCEPT=30' % (tag, H, P(5)), L_defer, table,
           {'st': '0A', 'state': 'LISTEN', 'rx_queue': 0,
            'note': 'the request socket of port %d is not counted in rx_queue' % P(21)})
    L_bl0 = listener(fam, host, P(6), backlog=0)
    record('%s LISTEN %s:%d backlog 0 (accept queue full)' % (tag, H, P(6)), L_bl0, table,
           {'st': '0A', 'state': 'LISTEN', 'rx_queue': 1})

    # --- ESTABLISHED with 1000 unread bytes -----------------------------------------------------
    c = connect(fam, host, P(11), host, P(1))
    srv = accept(L_main)
    c.sendall(b'D' * 1000)
    wait_for(lambda: len(srv.recv(4096, socket.MSG_PEEK)) >= 1000, 'peer of %d to have 1000 bytes' % P(11))
    record('%s ESTABLISHED client %s:%d -> :%d (sent 1000 bytes)' % (tag, H, P(11), P(1)), c, table,
           {'st': '01', 'state': 'ESTABLISHED', 'tx_queue': 0, 'rx_queue': 0})
    record('%s ESTABLISHED server side of :%d (1000 bytes unread)' % (tag, P(11)), srv, table,
           {'st': '01', 'state': 'ESTABLISHED', 'tx_queue': 0, 'rx_queue': 1000})

    # --- ESTABLISHED with keepalive timer ----------------------------------------------------
    c = connect(fam, host, P(12), host, P(1))
    srv = accept(L_main)
    c.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    record('%s ESTABLISHED client %s:%d -> :%d SO_KEEPALIVE (idle 7200 s)' % (tag, H, P(12), P(1)), c, table,
           {'st': '01', 'state': 'ESTABLISHED', 'tr': 2})
    record('%s ESTABLISHED server side of :%d' % (tag, P(12)), srv, table, {'st': '01', 'state': 'ESTABLISHED'})

    # --- ESTABLISHED sender blocked by a zero window ------------------------------------------
    c = connect(fam, host, P(14), host, P(2), sndbuf=16384)
    srv = accept(L_small)
    n = fill(c)
    record('%s ESTABLISHED client %s:%d -> :%d blocked sender (peer never reads)' % (tag, H, P(14), P(2)), c,
           table, {'st': '01', 'state': 'ESTABLISHED', 'tr': 4,
                   'note': 'tx_queue + peer rx_queue = bytes_written; tr 04 = zero-window probe timer'},
           bytes_written=n)
    record('%s ESTABLISHED server side of :%d (never reads, small rcvbuf)' % (tag, P(14)), srv, table,
           {'st': '01', 'state': 'ESTABLISHED', 'note': 'rx_queue = bytes buffered, > 0'})

    # --- TIME_WAIT: client closes first, server closes after reading EOF ---------------------------
    c = connect(fam, host, P(15), host, P(3))
    srv = accept(L_plain)
    c.close()
    srv.settimeout(3.0)
    if srv.recv(16) != b'':
        warn('expected EOF on server side of %d' % P(15))
    srv.close()
    record('%s TIME_WAIT %s:%d -> :%d (both fds closed)' % (tag, H, P(15), P(3)), None, table,
           {'st': '06', 'state': 'TIME_WAIT', 'tr': 3, 'tokens': 12, 'inode': 0},
           local=ep(host, P(15)), peer=ep(host, P(3)))

    # --- orphaned FIN_WAIT2 (fd closed) + CLOSE_WAIT ------------------------------------------
    c = connect(fam, host, P(16), host, P(3))
    srv = accept(L_plain)
    c.close()
    wait_tcp_state(srv, CLOSE_WAIT, 'server side of %d' % P(16))
    record('%s orphaned FIN_WAIT2 %s:%d -> :%d (fd closed: TIME_WAIT mini-socket, substate 05)'
           % (tag, H, P(16), P(3)), None, table,
           {'st': '05', 'state': 'FIN_WAIT2', 'tr': 3, 'tokens': 12, 'inode': 0},
           local=ep(host, P(16)), peer=ep(host, P(3)))
    record('%s CLOSE_WAIT server side of :%d' % (tag, P(16)), srv, table,
           {'st': '08', 'state': 'CLOSE_WAIT', 'rx_queue': 1, 'note': 'rx_queue 1 = the unread FIN'})

    # --- FIN_WAIT2 full socket (shutdown(SHUT_WR), fd open) + CLOSE_WAIT ---------------------------
    c = connect(fam, host, P(17), host, P(3))
    srv = accept(L_plain)
    c.shutdown(socket.SHUT_WR)
    wait_tcp_state(c, FIN_WAIT2, 'client %d' % P(17))
    wait_tcp_state(srv, CLOSE_WAIT, 'server side of %d' % P(17))
    record('%s FIN_WAIT2 %s:%d -> :%d after shutdown(SHUT_WR), fd open' % (tag, H, P(17), P(3)), c, table,
           {'st': '05', 'state': 'FIN_WAIT2', 'tokens': 17})
    record('%s CLOSE_WAIT server side of :%d' % (tag, P(17)), srv, table,
           {'st': '08', 'state': 'CLOSE_WAIT', 'rx_queue': 1})

    # --- FIN_WAIT1: FIN queued behind unsent data -------------------------------------------
    c = connect(fam, host, P(18), host, P(2), sndbuf=16384)
    srv = accept(L_small)
    n = fill(c)
    c.shutdown(socket.SHUT_WR)
    wait_tcp_state(c, FIN_WAIT1, 'client %d' % P(18))
    record('%s FIN_WAIT1 %s:%d -> :%d (FIN queued behind unsent data)' % (tag, H, P(18), P(2)), c, table,
           {'st': '04', 'state': 'FIN_WAIT1', 'tr': 4, 'note': 'tx_queue = unacked data + 1 for the FIN'},
           bytes_written=n)
    record('%s ESTABLISHED server side of :%d (never reads; FIN not yet received)' % (tag, P(18)), srv, table,
           {'st': '01', 'state': 'ESTABLISHED'})

    # --- CLOSING: own FIN stuck behind data, peer's FIN arrives --------------------------------
    c = connect(fam, host, P(19), host, P(2), sndbuf=16384)
    srv = accept(L_small)
    n = fill(c)
    c.shutdown(socket.SHUT_WR)
    wait_tcp_state(c, FIN_WAIT1, 'client %d' % P(19))
    srv.shutdown(socket.SHUT_WR)  # not close(): close() with unread data would send a RST
    wait_tcp_state(c, CLOSING, 'client %d' % P(19))
    wait_tcp_state(srv, FIN_WAIT2, 'server side of %d' % P(19))
    record('%s CLOSING %s:%d -> :%d (got peer FIN while own FIN unsent)' % (tag, H, P(19), P(2)), c, table,
           {'st': '0B', 'state': 'CLOSING', 'tr': 4, 'rx_queue': 1,
            'note': 'tx_queue = unacked data + 1 for the FIN; rx_queue 1 = the unread FIN'}, bytes_written=n)
    record('%s FIN_WAIT2 server side of :%d (shutdown(SHUT_WR), its FIN was acked; unread data)' % (tag, P(19)),
           srv, table, {'st': '05', 'state': 'FIN_WAIT2', 'tokens': 17})

    # --- LAST_ACK: server's FIN stuck behind data the client never reads ----------------------------
    c = connect(fam, host, P(20), host, P(4), rcvbuf=4096)
    srv = accept(L_last)
    n = fill(srv)
    c.shutdown(socket.SHUT_WR)
    wait_tcp_state(srv, CLOSE_WAIT, 'server side of %d' % P(20))
    srv.shutdown(socket.SHUT_WR)
    wait_tcp_state(srv, LAST_ACK, 'server side of %d' % P(20))
    wait_tcp_state(c, FIN_WAIT2, 'client %d' % P(20))
    record('%s FIN_WAIT2 client %s:%d -> :%d (SO_RCVBUF=4096, never reads)' % (tag, H, P(20), P(4)), c, table,
           {'st': '05', 'state': 'FIN_WAIT2', 'tokens': 17, 'note': 'rx_queue = unread bytes > 0'})
    record('%s LAST_ACK server side %s:%d -> :%d (FIN queued behind unsent data)' % (tag, H, P(4), P(20)), srv,
           table, {'st': '09', 'state': 'LAST_ACK', 'tr': 4, 'rx_queue': 1,
                   'note': 'tx_queue = unacked data + 1 for the FIN'}, bytes_written=n)

    # --- SYN_RECV request socket (TCP_DEFER_ACCEPT drops the bare final ACK) ---------------------------
    c = connect(fam, host, P(21), host, P(5))
    record('%s ESTABLISHED client %s:%d -> :%d (sent no data; server side is a request socket)'
           % (tag, H, P(21), P(5)), c, table, {'st': '01', 'state': 'ESTABLISHED'})
    record('%s SYN_RECV request socket %s:%d <- :%d' % (tag, H, P(5), P(21)), None, table,
           {'st': '03', 'state': 'SYN_RECV', 'tr': 1, 'tokens': 12, 'inode': 0, 'ref': 0,
            'note': 'retrnsmt = SYN-ACK retransmits so far (grows with time)'},
           local=ep(host, P(5)), peer=ep(host, P(21)))

    # --- SYN_SENT: the SYN is dropped because the backlog-0 accept queue is full ----------------------
    c = connect(fam, host, P(22), host, P(6))
    record('%s ESTABLISHED client %s:%d -> :%d (fills the backlog-0 accept queue)' % (tag, H, P(22), P(6)), c,
           table, {'st': '01', 'state': 'ESTABLISHED'})
    record('%s ESTABLISHED child of :%d never accepted (inode 0)' % (tag, P(22)), None, table,
           {'st': '01', 'state': 'ESTABLISHED', 'tokens': 17, 'inode': 0},
           local=ep(host, P(6)), peer=ep(host, P(22)))
    c = tcp_socket(fam, host, P(23))
    c.setblocking(False)
    rc = c.connect_ex((host, P(6)))
    if rc != errno.EINPROGRESS:
        warn('SYN_SENT connect_ex returned %d' % rc)
    record('%s SYN_SENT %s:%d -> :%d (SYN dropped: accept queue full)' % (tag, H, P(23), P(6)), c, table,
           {'st': '02', 'state': 'SYN_SENT', 'tx_queue': 1, 'tr': 1,
            'note': 'retrnsmt = SYN retransmits so far (grows with time); getpeername() fails until connected'},
           peer=ep(host, P(6)))

    # --- never accepted (connect last on L_main so the accept() calls above got the right sockets) ----
    c = connect(fam, host, P(13), host, P(1))
    record('%s ESTABLISHED client %s:%d -> :%d (server side never accepted)' % (tag, H, P(13), P(1)), c, table,
           {'st': '01', 'state': 'ESTABLISHED'})
    record('%s ESTABLISHED child of :%d never accepted (inode 0)' % (tag, P(13)), None, table,
           {'st': '01', 'state': 'ESTABLISHED', 'tokens': 17, 'inode': 0},
           local=ep(host, P(1)), peer=ep(host, P(13)))

    # --- bound, not listening: never listed -------------------------------------------------
    b = tcp_socket(fam, host, P(29))
    record('%s bound only (TCP_CLOSE) %s:%d' % (tag, H, P(29)), b, None,
           {'absent': True, 'note': 'bound-but-not-listening sockets are not in /proc/net/%s' % table})

    return L_main, L_plain


@scenario('tcp4')
def tcp4():
    tcp_family(socket.AF_INET, 'tcp4', '127.0.0.1', 40000, 'tcp')

    # uid 65534 owner
    os.seteuid(65534)
    try:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    finally:
        os.seteuid(0)
    KEEP.append(s)
    s.bind(('127.0.0.1', 40030))
    s.listen(4)
    record('tcp4 LISTEN 127.0.0.1:40030 created with euid 65534', s, 'tcp',
           {'st': '0A', 'state': 'LISTEN', 'uid': 65534})

    s = listener(socket.AF_INET, '0.0.0.0', 40040)
    record('tcp4 LISTEN 0.0.0.0:40040 (wildcard)', s, 'tcp', {'st': '0A', 'state': 'LISTEN'})

    # 127.1.2.3 has four different bytes: its hex word shows the byte order (0302017F on little-endian)
    s = listener(socket.AF_INET, '127.1.2.3', 40041)
    record('tcp4 LISTEN 127.1.2.3:40041 (asymmetric address bytes)', s, 'tcp', {'st': '0A', 'state': 'LISTEN'})
    c = connect(socket.AF_INET, '127.0.0.1', 40042, '127.1.2.3', 40041)
    srv = accept(s)
    record('tcp4 ESTABLISHED client 127.0.0.1:40042 -> 127.1.2.3:40041', c, 'tcp', {'st': '01'})
    record('tcp4 ESTABLISHED server side 127.1.2.3:40041 <- 127.0.0.1:40042', srv, 'tcp', {'st': '01'})


@scenario('tcp6')
def tcp6():
    tcp_family(socket.AF_INET6, 'tcp6', '::1', 40300, 'tcp6')
    s = listener(socket.AF_INET6, '::', 40340, v6only=True)
    record('tcp6 LISTEN [::]:40340 IPV6_V6ONLY=1 (wildcard)', s, 'tcp6', {'st': '0A', 'state': 'LISTEN'})


@scenario('tcp-mixed')
def tcp_mixed():
    ds = listener(socket.AF_INET6, '::', 40401, v6only=False)
    record('tcp6 LISTEN [::]:40401 dual-stack (IPV6_V6ONLY=0)', ds, 'tcp6', {'st': '0A', 'state': 'LISTEN'})
    c = connect(socket.AF_INET, '127.1.2.3', 40402, '127.0.0.1', 40401)
    srv = accept(ds)
    record('tcp4 ESTABLISHED client 127.1.2.3:40402 -> 127.0.0.1:40401 (dual-stack listener)', c, 'tcp',
           {'st': '01', 'state': 'ESTABLISHED'})
    record('tcp6 ESTABLISHED v4-mapped child [::ffff:127.0.0.1]:40401 <- [::ffff:127.1.2.3]:40402', srv, 'tcp6',
           {'st': '01', 'state': 'ESTABLISHED', 'note': 'IPv4-mapped addresses in tcp6'})
    # AF_INET6 client talking to an IPv4 listener through a v4-mapped address
    c = connect(socket.AF_INET6, '::ffff:127.0.0.1', 40403, '::ffff:127.0.0.1', 40003, v6only=False)
    lst = [e for e in ENTRIES if e['label'].startswith('tcp4 LISTEN 127.0.0.1:40003')]
    srv = None
    if lst:
        for s in KEEP:
            if s.fileno() == lst[0]['fd']:
                srv = accept(s)
    record('tcp6 ESTABLISHED AF_INET6 client [::ffff:127.0.0.1]:40403 -> [::ffff:127.0.0.1]:40003', c, 'tcp6',
           {'st': '01', 'state': 'ESTABLISHED'})
    if srv is not None:
        record('tcp4 ESTABLISHED server side 127.0.0.1:40003 of the v4-mapped client :40403', srv, 'tcp',
               {'st': '01', 'state': 'ESTABLISHED'})


# ---------------------------------------------------------------------------------------------- UDP

def udp_socket(fam, host=None, port=None, proto=0, rcvbuf=None, v6only=None):
    s = socket.socket(fam, socket.SOCK_DGRAM, proto)
    KEEP.append(s)
    if rcvbuf is not None:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    if v6only is not None:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1 if v6only else 0)
    if port is not None:
        s.bind((host, port))
    return s


def flood(sender, dest, count=200):
    for i in range(count):
        sender.sendto(b'flood %03d' % i, dest)


@scenario('udp4')
def udp4():
    a = udp_socket(socket.AF_INET, '127.0.0.1', 40101)
    b = udp_socket(socket.AF_INET, '127.0.0.1', 40102)
    b.connect(('127.0.0.1', 40101))
    for i in range(3):
        b.send(b'datagram %d' % i)
    record('udp4 bound 127.0.0.1:40101 unconnected, 3 datagrams unread', a, 'udp',
           {'st': '07', 'datagrams_queued': 3, 'note': 'rx_queue = skb truesize of the 3 datagrams, not payload'})
    record('udp4 connected 127.0.0.1:40102 -> :40101 (sent 3 datagrams)', b, 'udp', {'st': '01', 'rx_queue': 0})
    f = udp_socket(socket.AF_INET, '127.0.0.1', 40103, rcvbuf=1)
    snd = udp_socket(socket.AF_INET)  # unbound: sendto() gives it an ephemeral port
    flood(snd, ('127.0.0.1', 40103))
    record('udp4 127.0.0.1:40103 SO_RCVBUF minimum, flooded with 200 datagrams', f, 'udp',
           {'st': '07', 'note': 'drops > 0 (datagrams that did not fit)'})
    record('udp4 unbound sender (ephemeral port from sendto) used for the flood', snd, 'udp', {'st': '07'})
    w = udp_socket(socket.AF_INET, '0.0.0.0', 40104)
    record('udp4 wildcard 0.0.0.0:40104', w, 'udp', {'st': '07'})
    m = udp_socket(socket.AF_INET, '127.1.2.3', 40105)
    m.connect(('127.0.0.1', 40101))
    record('udp4 127.1.2.3:40105 connected to 127.0.0.1:40101 (sent nothing)', m, 'udp', {'st': '01'})


@scenario('udp6')
def udp6():
    a = udp_socket(socket.AF_INET6, '::1', 40131)
    b = udp_socket(socket.AF_INET6, '::1', 40132)
    b.connect(('::1', 40131))
    b.send(b'one datagram')
    record('udp6 bound [::1]:40131 unconnected, 1 datagram unread', a, 'udp6', {'st': '07', 'datagrams_queued': 1})
    record('udp6 connected [::1]:40132 -> [::1]:40131 (sent 1 datagram)', b, 'udp6', {'st': '01'})
    f = udp_socket(socket.AF_INET6, '::1', 40133, rcvbuf=1)
    snd = udp_socket(socket.AF_INET6)
    flood(snd, ('::1', 40133))
    record('udp6 [::1]:40133 SO_RCVBUF minimum, flooded with 200 datagrams', f, 'udp6',
           {'st': '07', 'note': 'drops > 0'})
    record('udp6 unbound sender (ephemeral port from sendto) used for the flood', snd, 'udp6', {'st': '07'})
    w = udp_socket(socket.AF_INET6, '::', 40134, v6only=True)
    record('udp6 wildcard [::]:40134 IPV6_V6ONLY=1', w, 'udp6', {'st': '07'})
    d = udp_socket(socket.AF_INET6, '::', 40135, v6only=False)
    d.connect(('::ffff:127.0.0.1', 40101))
    record('udp6 dual-stack [::]:40135 connected to [::ffff:127.0.0.1]:40101', d, 'udp6',
           {'st': '01', 'note': 'local address becomes ::ffff:127.0.0.1 after connect()'})


@scenario('udplite')
def udplite():
    try:
        a = udp_socket(socket.AF_INET, '127.0.0.1', 40161, proto=IPPROTO_UDPLITE)
    except OSError as e:
        warn('UDP-Lite not available (%s); udplite scenarios skipped' % e)
        return
    b = udp_socket(socket.AF_INET, '127.0.0.1', 40162, proto=IPPROTO_UDPLITE)
    b.connect(('127.0.0.1', 40161))
    b.send(b'udplite datagram')
    record('udplite4 bound 127.0.0.1:40161, 1 datagram unread', a, 'udplite', {'st': '07', 'datagrams_queued': 1})
    record('udplite4 connected 127.0.0.1:40162 -> :40161', b, 'udplite', {'st': '01'})
    a6 = udp_socket(socket.AF_INET6, '::1', 40171, proto=IPPROTO_UDPLITE)
    b6 = udp_socket(socket.AF_INET6, '::1', 40172, proto=IPPROTO_UDPLITE)
    b6.connect(('::1', 40171))
    b6.send(b'udplite6 datagram')
    record('udplite6 bound [::1]:40171, 1 datagram unread', a6, 'udplite6', {'st': '07', 'datagrams_queued': 1})
    record('udplite6 connected [::1]:40172 -> [::1]:40171', b6, 'udplite6', {'st': '01'})


# ---------------------------------------------------------------------------------------------- RAW / ICMP

@scenario('raw')
def raw():
    r_icmp = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    KEEP.append(r_icmp)
    record('raw4 IPPROTO_ICMP (1) unbound (gets copies of the ping traffic)', r_icmp, 'raw',
           {'st': '07', 'local_port_field': '0001'})
    r_unb = socket.socket(socket.AF_INET, socket.SOCK_RAW, 253)
    KEEP.append(r_unb)
    r_con = socket.socket(socket.AF_INET, socket.SOCK_RAW, 253)
    KEEP.append(r_con)
    r_con.bind(('127.0.0.1', 0))
    r_con.connect(('127.0.0.1', 0))
    r_con.send(b'procnet raw 253 test payload')
    record('raw4 proto 253 unbound (received a copy of one packet)', r_unb, 'raw',
           {'st': '07', 'local_port_field': '00FD', 'note': 'rx_queue > 0'})
    record('raw4 proto 253 bound+connected 127.0.0.1 (sent one packet to itself)', r_con, 'raw',
           {'st': '01', 'local_port_field': '00FD', 'remote_port_field': '0000'})
    r_raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    KEEP.append(r_raw)
    record('raw4 IPPROTO_RAW (255), send-only', r_raw, 'raw', {'st': '07', 'local_port_field': '00FF'})

    r6 = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    KEEP.append(r6)
    record('raw6 IPPROTO_ICMPV6 (58) unbound (gets copies of the ping6 traffic)', r6, 'raw6',
           {'st': '07', 'local_port_field': '003A'})
    r6c = socket.socket(socket.AF_INET6, socket.SOCK_RAW, 253)
    KEEP.append(r6c)
    r6c.bind(('::1', 0))
    r6c.connect(('::1', 0))
    r6c.send(b'procnet raw6 253 test payload')
    record('raw6 proto 253 bound+connected ::1 (sent one packet to itself)', r6c, 'raw6',
           {'st': '01', 'local_port_field': '00FD'})


def echo_request(icmp_type, seq):
    # checksum and identifier are filled in by the kernel for ping sockets
    return struct.pack('!BBHHH', icmp_type, 0, 0, 0, seq) + b'procnet ping'


@scenario('ping')
def ping():
    try:
        p4 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_ICMP)
    except OSError as e:
        warn('ICMP ping sockets unavailable (%s); check net.ipv4.ping_group_range' % e)
        return
    KEEP.append(p4)
    p4.bind(('127.0.0.1', 40201))
    p4.sendto(echo_request(8, 1), ('127.0.0.1', 0))
    wait_for(lambda: len(p4.recv(2048, socket.MSG_PEEK | socket.MSG_DONTWAIT)) > 0, 'echo reply on icmp socket')
    record('icmp ping socket 127.0.0.1 ident 40201 (one echo reply unread)', p4, 'icmp',
           {'st': '07', 'note': 'local port field = ICMP ident 9D09; rx_queue > 0'})
    p6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM, socket.IPPROTO_ICMPV6)
    KEEP.append(p6)
    p6.bind(('::1', 40202))
    p6.sendto(echo_request(128, 1), ('::1', 0))
    wait_for(lambda: len(p6.recv(2048, socket.MSG_PEEK | socket.MSG_DONTWAIT)) > 0, 'echo reply on icmp6 socket')
    record('icmp6 ping socket ::1 ident 40202 (one echo reply unread)', p6, 'icmp6',
           {'st': '07', 'note': 'local port field = ICMP ident 9D0A'})


# ---------------------------------------------------------------------------------------------- PACKET / NETLINK

@scenario('packet')
def packet():
    a = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    KEEP.append(a)
    a.bind(('lo', ETH_P_ALL))
    record('packet SOCK_RAW ETH_P_ALL bound to lo', a, 'packet', {'Type': 3, 'Proto': '0003'})
    b = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(ETH_P_IP))
    KEEP.append(b)
    record('packet SOCK_DGRAM ETH_P_IP unbound', b, 'packet', {'Type': 2, 'Proto': '0800', 'Iface': 0})


@scenario('netlink')
def netlink():
    a = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_ROUTE)
    KEEP.append(a)
    a.bind((0, 1))
    record('netlink NETLINK_ROUTE bound, groups=1 (RTMGRP_LINK)', a, 'netlink',
           {'Eth': 0, 'Groups': '00000001', 'Pid': a.getsockname()[0]})
    b = socket.socket(socket.AF_NETLINK, socket.SOCK_DGRAM, NETLINK_SOCK_DIAG)
    KEEP.append(b)
    b.bind((0, 0))
    record('netlink NETLINK_SOCK_DIAG autobound (kernel-chosen port id)', b, 'netlink',
           {'Eth': 4, 'Pid': b.getsockname()[0]})


# ---------------------------------------------------------------------------------------------- UNIX

FORGED_ROW = b'00000000deadbeef: 00000002 00000000 00010000 0001 01 31337 /run/procnet-forged.sock'


def unix_socket(kind):
    s = socket.socket(socket.AF_UNIX, kind)
    KEEP.append(s)
    return s


@scenario('unix')
def unix(tmp):
    tmpb = os.fsencode(tmp)
    U = lambda name: os.path.join(tmpb, name)  # noqa: E731
    S, D, Q = socket.SOCK_STREAM, socket.SOCK_DGRAM, socket.SOCK_SEQPACKET

    lst = unix_socket(S)
    lst.bind(U(b'listen.sock'))
    lst.listen(8)
    record('unix STREAM listener (pathname)', lst, 'unix', {'Flags': '00010000', 'St': '01'})
    c = unix_socket(S)
    c.connect(U(b'listen.sock'))
    srv, _ = lst.accept()
    KEEP.append(srv)
    c.sendall(b'x' * 100)
    record('unix STREAM client connected to listen.sock (unnamed, sent 100 bytes)', c, 'unix', {'St': '03'})
    record('unix STREAM accepted server side (prints the listener path; 100 bytes unread)', srv, 'unix',
           {'St': '03'})
    e = unix_socket(S)
    e.connect(U(b'listen.sock'))
    record('unix STREAM client whose connection was never accepted', e, 'unix', {'St': '03'})
    record('unix STREAM embryo: server side of that connection, still in the accept queue', None, 'unix',
           {'St': '02', 'inode': 0, 'Flags': '00000000', 'proc_path': unix_addr(U(b'listen.sock'))['proc_path']})

    sp = unix_socket(S)
    sp.bind(U(b'with space.sock'))
    sp.listen(1)
    record('unix STREAM listener, path with a space', sp, 'unix', {'Flags': '00010000', 'St': '01'})

    nl = unix_socket(D)
    nl.bind(U(b'new\nline.sock'))
    record('unix DGRAM bound to a path with a newline (record spans two lines)', nl, 'unix', {'St': '01'})

    dg = unix_socket(D)
    dg.bind(U(b'dgram.sock'))
    dc = unix_socket(D)
    dc.connect(U(b'dgram.sock'))
    dc.send(b'one unix datagram')
    record('unix DGRAM bound dgram.sock (a peer connected to it; 1 datagram unread)', dg, 'unix',
           {'St': '03', 'note': 'the target of a dgram connect() is ESTABLISHED too (kernel >= ~5.15)'})
    record('unix DGRAM client connected to dgram.sock (unnamed)', dc, 'unix', {'St': '03'})

    ab = unix_socket(S)
    ab.bind(b'\0pnc-abstract')
    ab.listen(4)
    record('unix STREAM listener, abstract name', ab, 'unix', {'Flags': '00010000', 'St': '01'})

    sq = unix_socket(Q)
    sq.bind(b'\0pnc-seqpacket')
    sq.listen(4)
    record('unix SEQPACKET listener, abstract name', sq, 'unix', {'Flags': '00010000', 'Type': '0005'})
    sqc = unix_socket(Q)
    sqc.connect(b'\0pnc-seqpacket')
    sqs, _ = sq.accept()
    KEEP.append(sqs)
    record('unix SEQPACKET client connected to @pnc-seqpacket', sqc, 'unix', {'St': '03', 'Type': '0005'})
    record('unix SEQPACKET accepted server side', sqs, 'unix', {'St': '03', 'Type': '0005'})

    weird = unix_socket(D)
    weird.bind(b'\0pnc\0nul\tTAB\nNEWLINE')
    record('unix DGRAM abstract name with NUL, TAB and newline', weird, 'unix',
           {'St': '01', 'note': 'NUL printed as @, TAB and LF raw: the record spans two lines'})

    hostile = unix_socket(D)
    hostile.bind(b'\0pnc-hostile\n' + FORGED_ROW)
    record('unix DGRAM HOSTILE abstract name: newline + a complete forged /proc/net/unix record', hostile, 'unix',
           {'St': '01', 'forged_row': FORGED_ROW.decode('ascii'),
            'note': 'the second physical line is a well-formed record that belongs to no socket (inode 31337 '
                    'does not exist)'})

    au = unix_socket(D)
    au.bind(b'')  # Linux autobind: kernel picks '\0' + 5 hex digits
    record('unix DGRAM autobind (@ + 5 hex digits)', au, 'unix', {'St': '01'})

    un = unix_socket(D)
    record('unix DGRAM never bound (no path field)', un, 'unix', {'St': '01'})

    for kind, name in ((S, 'STREAM'), (D, 'DGRAM'), (Q, 'SEQPACKET')):
        a, b = socket.socketpair(socket.AF_UNIX, kind)
        KEEP.extend((a, b))
        record('unix %s socketpair end 1' % name, a, 'unix', {'St': '03'})
        record('unix %s socketpair end 2' % name, b, 'unix', {'St': '03'})


# ---------------------------------------------------------------------------------------------- main

def harness():
    """The stdin/stdout pipes that capture.mjs created for us are AF_UNIX socketpairs (libuv)."""
    for fd, what in ((0, 'stdin'), (1, 'stdout')):
        try:
            link = os.readlink('/proc/self/fd/%d' % fd)
        except OSError:
            continue
        if link.startswith('socket:['):
            ENTRIES.append({'label': 'harness: %s of capture-sockets.py (socketpair from capture.mjs)' % what,
                            'table': 'unix', 'family': 'AF_UNIX', 'type': 'SOCK_STREAM', 'proto': 0,
                            'inode': int(link[8:-1]), 'fd': fd, 'pid': os.getpid(), 'harness': True,
                            'expect': {'St': '03'}})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--tmpdir', required=True)
    ap.add_argument('--manifest', required=True)
    ap.add_argument('--parent-pid', type=int, default=None)
    args = ap.parse_args()

    # Die with capture.mjs: if it is killed, the kernel sends us SIGKILL (PR_SET_PDEATHSIG). If it died before
    # the prctl() took effect, we have already been re-parented: notice that and stop.
    try:
        import ctypes
        import signal
        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL), 0, 0, 0)
    except (OSError, AttributeError):
        pass
    if args.parent_pid is not None and os.getppid() != args.parent_pid:
        log('parent %d is gone; exiting' % args.parent_pid)
        return 1

    t0 = time.monotonic()
    harness()
    tcp4()
    tcp6()
    tcp_mixed()
    udp4()
    udp6()
    udplite()
    raw()
    ping()
    packet()
    netlink()
    unix(args.tmpdir)
    setup_seconds = time.monotonic() - t0

    with open(args.manifest, 'w') as f:
        json.dump({'pid': os.getpid(), 'setup_seconds': round(setup_seconds, 3), 'sockets': ENTRIES,
                   'warnings': WARNINGS, 'failures': FAILURES}, f, indent=1)
    sys.stdout.write('READY\n')
    sys.stdout.flush()

    # Hold everything open until capture.mjs closes our stdin.
    while os.read(0, 4096):
        pass
    for s in reversed(KEEP):
        try:
            s.close()
        except OSError:
            pass
    return 0


if __name__ == '__main__':
    sys.exit(main())
