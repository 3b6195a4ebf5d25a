#!/usr/bin/env python3
"""One situation for the doctor's live tests, set up for real inside the network namespace this process runs in.

Run it under `unshare -n` (a new, empty network namespace: only `lo`, down), as root:

    unshare -n python3 test/doctor/scenario.py NAME [--comm HEX]

`--comm` renames the process (`/proc/<pid>/comm`) to the given bytes, hex-encoded: the tests give it control
characters to check that they are escaped.

It brings `lo` up, sets the scenario up on loopback (and, for some, on a dummy interface that leads nowhere), prints
one line `ready {json}` and keeps every socket open until its stdin closes or it is killed. Nothing leaves the
namespace: every address used is 127.0.0.0/8, ::1, or 10.200.0.0/24 on an interface of this namespace.
"""
import ctypes
import errno
import json
import socket
import subprocess
import sys
import threading
import time

LOCAL = '127.0.0.1'
DUMMY_NET = '10.200.0.1/24'
DUMMY_ADDR = '10.200.0.1'
#: An address of the dummy subnet that nobody holds: packets to it go nowhere.
NOBODY = '10.200.0.77'

keep = []  # every socket of the scenario, kept open until the process exits
info = {}  # what the test needs to know (ports, counts), printed with `ready`


def run(*cmd):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def net_setup(dummy=False):
    run('ip', 'link', 'set', 'lo', 'up')
    if not dummy:
        return
    # A dummy interface if the kernel has the module, else a bridge with no ports: both lead nowhere.
    for kind in ('dummy', 'bridge'):
        try:
            run('ip', 'link', 'add', 'd0', 'type', kind)
            info['interface'] = kind
            break
        except subprocess.CalledProcessError:
            continue
    else:
        raise RuntimeError('neither a dummy nor a bridge interface can be created')
    run('ip', 'addr', 'add', DUMMY_NET, 'dev', 'd0')
    run('ip', 'link', 'set', 'd0', 'up')


def tcp_listener(host=LOCAL, backlog=128, family=socket.AF_INET, options=(), at=0):
    s = socket.socket(family, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    for level, name, value in options:
        s.setsockopt(level, name, value)
    s.bind((host, at))
    s.listen(backlog)
    keep.append(s)
    return s


def port(s):
    return s.getsockname()[1]


def connect(listener, host=LOCAL):
    c = socket.create_connection((host, port(listener)))
    keep.append(c)
    return c


def pair(listener, host=LOCAL):
    c = connect(listener, host)
    a, _ = listener.accept()
    keep.append(a)
    return c, a


def fill(sock):
    """Writes until the kernel takes no more: the peer does not read, so the send queue stays full."""
    sock.setblocking(False)
    total = 0
    chunk = b'x' * 65536
    while True:
        try:
            total += sock.send(chunk)
        except BlockingIOError:
            time.sleep(0.2)  # the window may open once more as the receiver's buffer grows
            try:
                total += sock.send(chunk)
                continue
            except BlockingIOError:
                return total


def forever(fn, every):
    def loop():
        while True:
            fn()
            time.sleep(every)

    threading.Thread(target=loop, daemon=True).start()


# --- scenarios -------------------------------------------------------------------------------------------------


def recv():
    """A server that accepted a connection and never reads it: 1000 bytes stay in its receive queue."""
    net_setup()
    lst = tcp_listener()
    client, _ = pair(lst)
    client.sendall(b'r' * 1000)
    info.update(port=port(lst), client=client.getsockname()[1], bytes=1000)


def send():
    """A client writing to a server that never reads, until its send queue stays full."""
    net_setup()
    lst = tcp_listener()
    client, _ = pair(lst)
    info.update(port=port(lst), client=client.getsockname()[1], written=fill(client))


def overflow():
    """A listener with a backlog of 1 that never accepts, and clients that keep connecting: the accept queue stays
    full and the kernel drops new connections (TcpExt ListenOverflows, ListenDrops)."""
    net_setup()
    lst = tcp_listener(backlog=1)
    attempts = []

    def attempt():
        c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        c.setblocking(False)
        c.connect_ex((LOCAL, port(lst)))
        attempts.append(c)
        while len(attempts) > 64:
            attempts.pop(0).close()

    for _ in range(4):
        attempt()
    forever(attempt, 0.05)
    time.sleep(0.3)
    info.update(port=port(lst), backlog=1)


def closewait(count=5):
    """Clients that close while the server keeps its sockets: CLOSE_WAIT on the server, orphaned FIN_WAIT2 on the
    clients (closed here, the server never closes its side)."""
    net_setup()
    lst = tcp_listener()
    for _ in range(count):
        c, _ = pair(lst)
        keep.remove(c)
        c.close()
    time.sleep(0.2)
    info.update(port=port(lst), count=count)


def synrecv(count=6):
    """Clients that complete the handshake and send nothing to a listener with TCP_DEFER_ACCEPT: the listener ignores
    their bare ACK, so each connection stays a SYN_RECV request socket on the listener."""
    net_setup()
    lst = tcp_listener(options=[(socket.IPPROTO_TCP, socket.TCP_DEFER_ACCEPT, 60)])
    for _ in range(count):
        connect(lst)
    time.sleep(0.2)
    info.update(port=port(lst), count=count)


def timewait(count=8):
    """A local port range of ten ports (a per-namespace sysctl) and clients that close first, towards one server:
    their TIME_WAIT sockets hold most of the range."""
    net_setup()
    with open('/proc/sys/net/ipv4/ip_local_port_range', 'w') as f:
        f.write('40000 40009\n')
    lst = tcp_listener(at=5000)  # outside the range, which bind(port 0) would use too
    for _ in range(count):
        c, a = pair(lst)
        c.close()
        a.recv(1)  # end of file
        keep.remove(c)
        keep.remove(a)
        a.close()
    time.sleep(0.2)
    info.update(port=port(lst), count=count, range=[40000, 40009])


def stuck():
    """A client fills the window of a server that never reads, then shuts its side down: its FIN waits behind the
    unsent data, so the connection stays in FIN_WAIT1 and does not move (zero-window probes keep it alive)."""
    net_setup()
    lst = tcp_listener()
    client, _ = pair(lst)
    info['written'] = fill(client)
    client.shutdown(socket.SHUT_WR)
    info.update(port=port(lst), client=client.getsockname()[1])


def udp():
    """A UDP socket with a small receive buffer that never reads, and a sender that keeps sending to it: the kernel
    drops datagrams (Udp RcvbufErrors) and counts them on the socket (`drops`)."""
    net_setup()
    r = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    r.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    r.bind((LOCAL, 0))
    keep.append(r)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    keep.append(s)
    target = r.getsockname()
    payload = b'u' * 512

    def burst():
        for _ in range(50):
            s.sendto(payload, target)

    forever(burst, 0.05)
    time.sleep(0.3)
    info.update(port=target[1])


def retrans():
    """Connections to an address of the dummy subnet that nobody holds: the SYNs go nowhere and the kernel retransmits
    them (Tcp RetransSegs), while new attempts keep starting."""
    net_setup(dummy=True)
    # A permanent neighbour entry: no ARP (whose failure would abort the connections), the SYNs just vanish.
    run('ip', 'neigh', 'replace', NOBODY, 'lladdr', '02:00:0a:c8:00:4d', 'dev', 'd0', 'nud', 'permanent')
    attempts = []

    def attempt():
        c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        c.setblocking(False)
        err = c.connect_ex((NOBODY, 9))
        if err not in (0, errno.EINPROGRESS):
            raise OSError(err, 'connect')
        attempts.append(c)
        while len(attempts) > 200:
            attempts.pop(0).close()

    forever(attempt, 0.1)
    time.sleep(1.5)  # the first retransmissions go out after 1 s
    info.update(target=NOBODY, port=9)


def exposure():
    """Services bound to the wildcards, to loopback addresses and to the dummy interface's address."""
    net_setup(dummy=True)
    v6 = socket.AF_INET6
    tcp = {
        'any4': tcp_listener('0.0.0.0'),
        'any6': tcp_listener('::', family=v6),
        'loopback4': tcp_listener('127.0.0.1'),
        'loopback4b': tcp_listener('127.1.2.3'),
        'loopback6': tcp_listener('::1', family=v6),
        'specific': tcp_listener(DUMMY_ADDR),
    }
    udp_ports = {}
    for name, host, family in (('any4', '0.0.0.0', socket.AF_INET), ('specific', DUMMY_ADDR, socket.AF_INET)):
        u = socket.socket(family, socket.SOCK_DGRAM)
        u.bind((host, 0))
        keep.append(u)
        udp_ports[name] = port(u)
    info.update(tcp={k: port(v) for k, v in tcp.items()}, udp=udp_ports, address=DUMMY_ADDR)


def idle():
    """A healthy, idle set: listeners on loopback, a few connections that exchanged data and read all of it, a bound
    UDP socket. Nothing should be found."""
    net_setup()
    lst = tcp_listener()
    lst6 = tcp_listener('::1', family=socket.AF_INET6)
    for listener, host in ((lst, LOCAL), (lst, LOCAL), (lst6, '::1')):
        c, a = pair(listener, host)
        c.sendall(b'ping')
        assert a.recv(4) == b'ping'
        a.sendall(b'pong')
        assert c.recv(4) == b'pong'
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind((LOCAL, 0))
    keep.append(u)
    time.sleep(0.1)
    info.update(port=port(lst), port6=port(lst6), udp=port(u))


def reset():
    """Some traffic in this namespace; then, when the test writes `move`, the process moves itself to a fresh network
    namespace (unshare(CLONE_NEWNET)): /proc/<pid>/net now shows counters that start again from zero."""
    net_setup()
    lst = tcp_listener()
    c, a = pair(lst)
    for _ in range(100):
        c.sendall(b'x' * 100)
        a.recv(100)
    info.update(port=port(lst))


def exporter():
    """For the exporter's Prometheus test: a listener whose accept queue is full (backlog 1, two connections never
    accepted, a third one's SYN dropped: ListenOverflows grows), twelve CLOSE_WAIT sockets held here on a second
    listener, and three connections accepted on a third."""
    net_setup()
    full = tcp_listener(backlog=1)
    for _ in range(2):
        connect(full)
    time.sleep(0.1)
    late = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    late.setblocking(False)
    late.connect_ex((LOCAL, port(full)))
    keep.append(late)
    waiting = tcp_listener()
    for _ in range(12):
        c, _ = pair(waiting)
        keep.remove(c)
        c.close()
    served = tcp_listener()
    for _ in range(3):
        pair(served)
    time.sleep(0.3)
    info.update(full=port(full), queued=2, closewait=port(waiting), close_wait=12, served=port(served), connections=3)


CLONE_NEWNET = 0x40000000
PR_SET_NAME = 15


def move():
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(CLONE_NEWNET) != 0:
        raise OSError(ctypes.get_errno(), 'unshare')
    net_setup()


SCENARIOS = {
    f.__name__: f
    for f in (recv, send, overflow, closewait, synrecv, timewait, stuck, udp, retrans, exposure, idle, reset, exporter)
}

if __name__ == '__main__':
    if '--comm' in sys.argv:
        name = bytes.fromhex(sys.argv[sys.argv.index('--comm') + 1])
        ctypes.CDLL(None).prctl(PR_SET_NAME, ctypes.c_char_p(name), 0, 0, 0)
    SCENARIOS[sys.argv[1]]()
    print('ready ' + json.dumps(info), flush=True)
    # Keep everything open until the test closes our stdin (or kills us, or dies: its end of the pipe closes).
    # `move` (reset scenario) moves the process to a fresh network namespace first.
    for line in sys.stdin:
        if line.strip() == 'move':
            move()
            print('moved', flush=True)
