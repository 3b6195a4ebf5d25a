/**
 * The catalogue of findings: every id the analyses can return, with its title, usual severity, meaning and next step.
 * The CLI and `docs/findings/` are written from it, so they say the same thing.
 * @module
 */
import type { Severity } from './types.js';

/** A catalogue entry. */
export interface FindingInfo {
  /** Short title, as a heading. */
  title: string;
  /** The usual severity (an instance may be raised or lowered; its page says when). */
  severity: Severity;
  /** Where the analyses find it. */
  source: 'queues' | 'states' | 'counters';
  /** One sentence on what it means. */
  explanation: string;
  /** One sentence on what to check next. */
  nextStep: string;
  /** Path of its page in the repository. */
  doc: string;
}

/** Every finding id, with its catalogue entry, in the order the CLI lists findings of equal severity. */
export const FINDINGS = {
  'accept-queue-backlog': {
    title: 'Connections wait to be accepted',
    severity: 'warning',
    source: 'queues',
    explanation:
      "A listener's accept queue stayed non-empty: connections are established by the kernel but the application does not accept() them fast enough (a blocked or too small accept loop, or a flood of connections).",
    nextStep:
      'Check that the owning process is alive and not stuck (CPU, locks, thread pool), compare the queue with the backlog (`ss -ltn` Send-Q) and watch TcpExt ListenOverflows.',
    doc: 'docs/findings/accept-queue-backlog.md',
  },
  'recv-queue-backlog': {
    title: 'Received data is not read',
    severity: 'warning',
    source: 'queues',
    explanation:
      'The receive queue stayed non-zero: data arrived and the application is not reading it (busy, blocked, or it stopped reading that socket), so the sender will soon be told to stop.',
    nextStep:
      'Look at what the owning process is doing (`top -H -p PID`, a stack dump) and whether it still reads this connection; `ss -tnpi` shows the queue live.',
    doc: 'docs/findings/recv-queue-backlog.md',
  },
  'send-queue-backlog': {
    title: 'Sent data is not acknowledged',
    severity: 'warning',
    source: 'queues',
    explanation:
      'The send queue stayed non-zero or grew: the peer does not read fast enough (its window is full) or the network does not carry the data (loss, a slow link).',
    nextStep:
      'Check the peer: is it reading? `ss -tnoi` shows zero-window probes (`persist`), retransmissions and the rtt for this connection.',
    doc: 'docs/findings/send-queue-backlog.md',
  },
  'close-wait-leak': {
    title: 'Connections closed by the peer are never closed here',
    severity: 'warning',
    source: 'states',
    explanation:
      'Sockets pile up in CLOSE_WAIT: the peer closed the connection and the application never called close(), which is a socket (file descriptor) leak.',
    nextStep:
      'Find the code path that reads end-of-file (read() returning 0) or an error and does not close the socket, often a connection pool; `ls /proc/PID/fd | wc -l` shows the leak growing.',
    doc: 'docs/findings/close-wait-leak.md',
  },
  'syn-recv-flood': {
    title: 'Many half-open connections on a listener',
    severity: 'warning',
    source: 'states',
    explanation:
      'Many connections sit in SYN_RECV on one listener: clients sent a SYN and never completed the handshake, which points to a SYN flood (spoofed sources) or to replies that do not reach the clients.',
    nextStep:
      'Check TcpExt SyncookiesSent and ListenDrops, whether net.ipv4.tcp_syncookies is on, and where the SYNs come from (`ss -tn state syn-recv`).',
    doc: 'docs/findings/syn-recv-flood.md',
  },
  'time-wait-ports': {
    title: 'TIME_WAIT uses up local ports',
    severity: 'warning',
    source: 'states',
    explanation:
      'Connections this host opened and closed first wait 60 s in TIME_WAIT holding their local port; towards one destination they can use up the local port range, and new connections then fail.',
    nextStep:
      'Reuse connections (keep-alive, pooling) instead of opening one per request; check net.ipv4.ip_local_port_range and net.ipv4.tcp_tw_reuse, and `ss -tan state time-wait | wc -l`.',
    doc: 'docs/findings/time-wait-ports.md',
  },
  'orphaned-fin-wait2': {
    title: 'Many orphaned FIN_WAIT2 connections',
    severity: 'warning',
    source: 'states',
    explanation:
      'The application closed these connections but the peers never closed their side, so the kernel holds each one alone for up to net.ipv4.tcp_fin_timeout.',
    nextStep:
      'Find the peers (`ss -tan state fin-wait-2`) and why they do not close (half-open clients, vanished hosts, a firewall dropping FINs); consider a shorter tcp_fin_timeout.',
    doc: 'docs/findings/orphaned-fin-wait2.md',
  },
  'stuck-closing': {
    title: 'Closing connections do not move',
    severity: 'warning',
    source: 'states',
    explanation:
      "Connections in FIN_WAIT1, CLOSING or LAST_ACK made no progress across the samples: our FIN (and any data queued before it) is not acknowledged, because the peer's window is closed or it is gone.",
    nextStep:
      'Check whether the peer is alive and reading (`ss -tnoi` shows `persist` zero-window probes); net.ipv4.tcp_orphan_retries bounds how long an orphan is kept.',
    doc: 'docs/findings/stuck-closing.md',
  },
  'listen-overflow': {
    title: 'Listen queues overflowed',
    severity: 'warning',
    source: 'counters',
    explanation:
      'The kernel dropped incoming connections because a listen queue was full (TcpExt ListenOverflows, ListenDrops): clients saw timeouts and retries.',
    nextStep:
      'Find the listener whose accept queue fills (`ss -ltn`: Recv-Q near Send-Q), make its accept loop faster, or raise its backlog together with net.core.somaxconn.',
    doc: 'docs/findings/listen-overflow.md',
  },
  'tcp-retransmissions': {
    title: 'High TCP retransmission rate',
    severity: 'warning',
    source: 'counters',
    explanation:
      'A large share of the TCP segments sent were retransmissions (Tcp RetransSegs / OutSegs): packets are lost or delayed on the way, and connections slow down.',
    nextStep:
      'Find the connections that retransmit (`ss -tni`: retrans, rtt) and check the path: interface errors (`ip -s link`), a congested or lossy link, MTU problems.',
    doc: 'docs/findings/tcp-retransmissions.md',
  },
  'udp-receive-errors': {
    title: 'UDP datagrams dropped on receive',
    severity: 'warning',
    source: 'counters',
    explanation:
      'The kernel dropped incoming UDP datagrams (Udp RcvbufErrors, InErrors), usually because a socket receive buffer was full: the application reads too slowly for the rate it receives.',
    nextStep:
      'Find the socket with growing drops (`ss -uamn`, the drops column of /proc/net/udp), make its reader faster, or raise SO_RCVBUF and net.core.rmem_max.',
    doc: 'docs/findings/udp-receive-errors.md',
  },
  'tcp-memory-pressure': {
    title: 'TCP memory pressure',
    severity: 'warning',
    source: 'counters',
    explanation:
      'TCP buffers use more memory than net.ipv4.tcp_mem allows without pressure: the kernel shrinks socket buffers, and at the limit drops data and aborts connections.',
    nextStep:
      'Find the sockets with large queues (`ss -tm`), check `TCP mem` in /proc/net/sockstat against net.ipv4.tcp_mem, and fix readers that do not read before raising the limit.',
    doc: 'docs/findings/tcp-memory-pressure.md',
  },
  'counters-reset': {
    title: 'Kernel counters went backwards',
    severity: 'info',
    source: 'counters',
    explanation:
      'Some counters were lower in the later sample, so the samples come from different boots, namespaces or hosts, or a 32-bit counter wrapped; rates over this interval are not meaningful.',
    nextStep: 'Take both samples from the same host and network namespace; the later sample is analysed on its own.',
    doc: 'docs/findings/counters-reset.md',
  },
} as const satisfies Record<string, FindingInfo>;

/** A finding id: a key of {@link FINDINGS}. */
export type FindingId = keyof typeof FINDINGS;

/** Severities, most severe first. */
export const SEVERITIES: readonly Severity[] = ['critical', 'warning', 'info'];

const ORDER: readonly string[] = Object.keys(FINDINGS);

/**
 * Orders findings most severe first, then in catalogue order. Use it with the (stable) `Array.prototype.sort`: findings
 * of one id keep the order the analysis gave them (largest first).
 */
export function compareFindings(
  a: { severity: Severity; id: FindingId },
  b: { severity: Severity; id: FindingId },
): number {
  return SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || ORDER.indexOf(a.id) - ORDER.indexOf(b.id);
}
