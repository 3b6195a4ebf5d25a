/**
 * Public types of the counter parsers (/proc/net/snmp, netstat, snmp6, sockstat, sockstat6).
 * Every record is built with a null prototype, so a kernel name such as `constructor` is an ordinary key.
 *
 * A record with known optional keys is an intersection (`CounterGroup & { inuse?: bigint }`), not an interface that
 * extends the index signature: without `exactOptionalPropertyTypes` an optional property is `T | undefined`, which an
 * interface's `T` index signature rejects (TS2411) in every consumer that checks declaration files.
 * @module
 */

/** One group's counters: the kernel's name → value. Values are exact (`bigint`), counters are 64-bit. */
export type CounterGroup = Record<string, bigint>;

/** Groups by name (the `Name:` prefix of the kernel's lines) → their counters. */
export type CounterGroups = Record<string, CounterGroup>;

/**
 * `/proc/net/snmp`: RFC 1213-style MIB counters of this network namespace, one group per header/value line pair.
 * A group is absent when the kernel did not print it; groups the kernel adds later are kept under their own name.
 */
export type SnmpCounters = CounterGroups & {
  /** `Ip:`. `Forwarding` is 1 (forwarding) or 2 (not forwarding); `Forwarding` and `DefaultTTL` are settings, not counters. */
  Ip?: CounterGroup;
  /** `Icmp:` totals per message kind (`InEchos`, `OutDestUnreachs`, ...). */
  Icmp?: CounterGroup;
  /**
   * `IcmpMsg:` per ICMP type (`InType8`, `OutType0`, ...), only the types seen at least once. Absent when no ICMP was
   * seen. The kernel prints at most 16 names per line pair; repeated pairs are merged here.
   */
  IcmpMsg?: CounterGroup;
  /**
   * `Tcp:`. `MaxConn` is signed (`-1`: no fixed limit); `RtoAlgorithm`, `RtoMin`, `RtoMax` (ms) and `MaxConn` are
   * settings, and `CurrEstab` is a gauge (connections now in ESTABLISHED or CLOSE_WAIT), not a counter.
   */
  Tcp?: CounterGroup;
  /** `Udp:` (`InDatagrams`, `NoPorts`, `RcvbufErrors`, ...). */
  Udp?: CounterGroup;
  /** `UdpLite:`, same names as `Udp`. */
  UdpLite?: CounterGroup;
};

/** `/proc/net/netstat`: Linux-specific MIB counters of this network namespace, in the same line-pair grammar as snmp. */
export type NetstatCounters = CounterGroups & {
  /** `TcpExt:` (`ListenOverflows`, `TCPTimeouts`, `TCPBacklogDrop`, ...). About 80 to 140 names, growing with the kernel. */
  TcpExt?: CounterGroup;
  /** `IpExt:` (`InOctets`, `OutOctets`, `InNoECTPkts`, ...). */
  IpExt?: CounterGroup;
  /** `MPTcpExt:`, only on kernels built with MPTCP. */
  MPTcpExt?: CounterGroup;
};

/**
 * `/proc/net/snmp6` (`Ip6*`, `Icmp6*`, `Udp6*`, `UdpLite6*`) or `/proc/net/dev_snmp6/<ifname>` (the same counters for one
 * interface, first `ifIndex`): one name → value per line. `Icmp6InType<N>`/`Icmp6OutType<N>` appear only once non-zero.
 */
export type Snmp6Counters = CounterGroup;

/** `sockets:` line of /proc/net/sockstat. */
export type SockstatSockets = CounterGroup & {
  /** `used`: sockets of every family in use. Per network namespace (kernels since about 4.16; host-wide before). */
  used?: bigint;
};

/** `TCP:` line of /proc/net/sockstat. Mixes per-namespace and host-wide values. */
export type SockstatTcp = CounterGroup & {
  /** `inuse`: TCP sockets in use (IPv4 only; IPv6 ones are `TCP6 inuse`). Per network namespace. */
  inuse?: bigint;
  /** `orphan`: sockets closed by their owner but not yet gone (FIN_WAIT, LAST_ACK, ...). **Host-wide.** */
  orphan?: bigint;
  /**
   * `tw`: TIME_WAIT mini-sockets, including orphaned FIN_WAIT2 ones, IPv4 and IPv6. Per network namespace on current
   * kernels (host-wide on old ones).
   */
  tw?: bigint;
  /** `alloc`: TCP sockets allocated, IPv4 and IPv6, every namespace. **Host-wide.** */
  alloc?: bigint;
  /** `mem`: memory charged to TCP, in **pages** (see `getSockstatMemory`). **Host-wide.** */
  mem?: bigint;
};

/** `UDP:` line of /proc/net/sockstat. */
export type SockstatUdp = CounterGroup & {
  /** `inuse`: UDP sockets in use (IPv4). Per network namespace. */
  inuse?: bigint;
  /** `mem`: memory charged to UDP, in **pages**. **Host-wide.** Absent on very old kernels. */
  mem?: bigint;
};

/** `FRAG:` / `FRAG6:` lines: IP fragment reassembly. */
export type SockstatFrag = CounterGroup & {
  /** `inuse`: reassembly queues. Per network namespace. */
  inuse?: bigint;
  /** `memory`: memory held by queued fragments, in **bytes**. Per network namespace. */
  memory?: bigint;
};

/** A line that only has `inuse` (`UDPLITE:`, `RAW:`, and every sockstat6 line but `FRAG6:`). */
export type SockstatInuse = CounterGroup & {
  /** `inuse`: sockets in use. Per network namespace. */
  inuse?: bigint;
};

/**
 * `/proc/net/sockstat` and `/proc/net/sockstat6`: `PROTO: (key value)*` lines → proto → key → value.
 * These are instantaneous values (gauges), not counters. Unknown lines and keys are kept.
 */
export type SockstatCounters = CounterGroups & {
  sockets?: SockstatSockets;
  TCP?: SockstatTcp;
  UDP?: SockstatUdp;
  UDPLITE?: SockstatInuse;
  RAW?: SockstatInuse;
  FRAG?: SockstatFrag;
  TCP6?: SockstatInuse;
  UDP6?: SockstatInuse;
  UDPLITE6?: SockstatInuse;
  RAW6?: SockstatInuse;
  FRAG6?: SockstatFrag;
};
