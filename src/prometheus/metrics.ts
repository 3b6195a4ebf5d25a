/**
 * The metric families procnet exposes: names, types, label names and help text, in one catalogue that the text
 * exposition, the prom-client collector and docs/prometheus.md all follow. Names and label names are fixed so that
 * dashboards and alert rules can rely on them.
 * @module
 */

/** A family's type. Counter families are named without `_total` here; every sample of one carries the suffix. */
export type MetricType = 'gauge' | 'counter';

/** One family of the catalogue. */
export interface MetricInfo {
  type: MetricType;
  /** Label names, in the order samples carry their values (`namespace` is appended when several are read). */
  labels: readonly string[];
  help: string;
}

/** Kernel counters exposed by name: family (without `_total`) → file, group and name in that file. */
export const KERNEL_COUNTERS = {
  procnet_tcp_listen_overflows: ['netstat', 'TcpExt', 'ListenOverflows'],
  procnet_tcp_listen_drops: ['netstat', 'TcpExt', 'ListenDrops'],
  procnet_tcp_retransmitted_segments: ['snmp', 'Tcp', 'RetransSegs'],
  procnet_tcp_sent_segments: ['snmp', 'Tcp', 'OutSegs'],
  procnet_tcp_timeouts: ['netstat', 'TcpExt', 'TCPTimeouts'],
  procnet_tcp_aborts_on_memory: ['netstat', 'TcpExt', 'TCPAbortOnMemory'],
  procnet_tcp_memory_pressures: ['netstat', 'TcpExt', 'TCPMemoryPressures'],
} as const;

/** UDP counters, one series per table family: family → name in `snmp` (`Udp`, `UdpLite`) and in `snmp6`. */
export const UDP_COUNTERS = {
  procnet_udp_receive_errors: 'InErrors',
  procnet_udp_receive_buffer_errors: 'RcvbufErrors',
  procnet_udp_send_buffer_errors: 'SndbufErrors',
} as const;

const counter = (file: string, group: string, name: string): MetricInfo => ({
  type: 'counter',
  labels: [],
  help: `${group} ${name} of /proc/net/${file}.`,
});

/** Every family procnet can expose, in the order they are written. */
export const METRICS = {
  procnet_sockets: {
    type: 'gauge',
    labels: ['protocol', 'state'],
    help: 'Sockets by table (tcp, tcp6, udp, ..., unix) and state (lower-case kernel state; datagram: connected or unconnected; unix: listen or the socket state).',
  },
  procnet_listen_queue: {
    type: 'gauge',
    labels: ['protocol', 'address', 'port'],
    help: 'Connections waiting in the accept queue of each TCP listener (Recv-Q of a LISTEN socket); listeners past the cap are summed into address="other",port="other".',
  },
  procnet_somaxconn: {
    type: 'gauge',
    labels: [],
    help: 'net.core.somaxconn: the cap on every listen backlog.',
  },
  procnet_service_connections: {
    type: 'gauge',
    labels: ['protocol', 'port', 'state'],
    help: 'TCP connections on each local port that has a listener in the same table, by state; ports past the cap are summed into port="other".',
  },
  procnet_process_sockets: {
    type: 'gauge',
    labels: ['process', 'state'],
    help: 'Sockets by owning process name (comm) and state; process="unknown": no process could be found; processes past the cap are summed into process="other".',
  },
  procnet_remote_connections: {
    type: 'gauge',
    labels: ['protocol', 'address'],
    help: 'TCP connections (not listeners) by remote address, the busiest addresses only; the rest are summed into address="other".',
  },
  procnet_queue_bytes: {
    type: 'gauge',
    labels: ['protocol', 'queue'],
    help: 'Bytes in the receive (rx) and send (tx) queues of the sockets of each table (TCP listeners excluded: their Recv-Q counts connections; datagram tables: buffer memory).',
  },
  procnet_datagram_drops: {
    type: 'gauge',
    labels: ['protocol'],
    help: 'Datagrams dropped, summed over the sockets of each datagram table open now (the drops column).',
  },
  procnet_tcp_listen_overflows: counter('netstat', 'TcpExt', 'ListenOverflows'),
  procnet_tcp_listen_drops: counter('netstat', 'TcpExt', 'ListenDrops'),
  procnet_tcp_retransmitted_segments: counter('snmp', 'Tcp', 'RetransSegs'),
  procnet_tcp_sent_segments: counter('snmp', 'Tcp', 'OutSegs'),
  procnet_tcp_timeouts: counter('netstat', 'TcpExt', 'TCPTimeouts'),
  procnet_tcp_aborts_on_memory: counter('netstat', 'TcpExt', 'TCPAbortOnMemory'),
  procnet_tcp_memory_pressures: counter('netstat', 'TcpExt', 'TCPMemoryPressures'),
  procnet_udp_receive_errors: {
    type: 'counter',
    labels: ['protocol'],
    help: 'Udp InErrors (snmp) and Udp6InErrors (snmp6), and their UDP-Lite twins: datagrams that could not be delivered.',
  },
  procnet_udp_receive_buffer_errors: {
    type: 'counter',
    labels: ['protocol'],
    help: 'Udp RcvbufErrors (snmp) and Udp6RcvbufErrors (snmp6), and their UDP-Lite twins: datagrams dropped because a receive buffer was full.',
  },
  procnet_udp_send_buffer_errors: {
    type: 'counter',
    labels: ['protocol'],
    help: 'Udp SndbufErrors (snmp) and Udp6SndbufErrors (snmp6), and their UDP-Lite twins: datagrams not sent because a send buffer was full.',
  },
  procnet_mib: {
    type: 'counter',
    labels: ['file', 'group', 'field'],
    help: 'Every counter of /proc/net/snmp, netstat and snmp6 (allCounters), by file, group and field as the kernel names them.',
  },
  procnet_mib_value: {
    type: 'gauge',
    labels: ['file', 'group', 'field'],
    help: 'The values of /proc/net/snmp that are settings or levels rather than counters (Tcp CurrEstab, MaxConn, ...; allCounters).',
  },
  procnet_socket_memory_bytes: {
    type: 'gauge',
    labels: ['protocol'],
    help: 'Memory charged to TCP and UDP sockets, host-wide (sockstat mem, pages times the page size).',
  },
  procnet_finding: {
    type: 'gauge',
    labels: ['id', 'severity'],
    help: 'Findings of the analysis layer (docs/findings/<id>.md) by id and severity, counted.',
  },
  procnet_scrape_duration_seconds: {
    type: 'gauge',
    labels: [],
    help: 'Time this scrape took to read and aggregate.',
  },
  procnet_scrape_errors: {
    type: 'gauge',
    labels: [],
    help: 'Data this scrape should have had and lost: rows skipped as invalid, tables, counter files or namespaces that could not be read, reads that failed.',
  },
  procnet_scrape_notes: {
    type: 'gauge',
    labels: ['code'],
    help: 'Notes of this scrape by code (TABLE_MISSING, BYTE_ORDER, SETTING_UNKNOWN, ...; docs/node.md).',
  },
} as const satisfies Record<string, MetricInfo>;

/** The name of a family of the catalogue (counters without `_total`). */
export type MetricName = keyof typeof METRICS;

/** Families whose values are per network namespace (they get the `namespace` label when several are read). */
export const PER_NAMESPACE: ReadonlySet<MetricName> = new Set(
  (Object.keys(METRICS) as MetricName[]).filter((n) => !n.startsWith('procnet_scrape_')),
);
