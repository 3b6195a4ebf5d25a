/**
 * net-tools 2.10's `netstat -s` tables (`statistics.c`): each counter's sentence and how it is printed, in netstat's
 * own order. The order matters: netstat finds a counter with `bsearch`, and some of its tables are not sorted, so some
 * counters are never found and print as `Name: value` instead of their sentence. That is reproduced, not fixed.
 * @module
 */

/**
 * How netstat prints a counter: `always` (even 0), `nonzero` (left out when 0), `in`/`out` (a line of the ICMP input
 * or output histogram, left out when 0), `hidden` (a setting netstat does not print: `Forwarding`, `DefaultTTL`,
 * `RtoAlgorithm`, `RtoMin`, `RtoMax`, `MaxConn`).
 */
export type NetstatLineKind = 'always' | 'nonzero' | 'in' | 'out' | 'hidden';

/** One table row: the kernel's name, netstat's sentence (`%llu` is the value), and how it is printed. */
export type NetstatTableEntry = readonly [name: string, sentence: string, kind: NetstatLineKind];

/** Which of netstat's `-t`, `-u`, `-w` selects a table (a table netstat does not know is always printed). */
export type NetstatTableProtocol = 'tcp' | 'udp' | 'raw';

/** A table: its section title and entries. */
export interface NetstatTable {
  title: string;
  protocol: NetstatTableProtocol;
  entries: readonly NetstatTableEntry[];
}

const IP: readonly NetstatTableEntry[] = [
  ['DefaultTTL', 'Default TTL is %llu', 'hidden'],
  ['Forwarding', 'Forwarding is %s', 'hidden'],
  ['ForwDatagrams', '%llu forwarded', 'always'],
  ['FragCreates', '%llu fragments created', 'nonzero'],
  ['FragFails', '%llu outgoing packets failed fragmentation', 'nonzero'],
  ['FragOKs', '%llu outgoing packets fragmented ok', 'nonzero'],
  ['InAddrErrors', '%llu with invalid addresses', 'nonzero'],
  ['InDelivers', '%llu incoming packets delivered', 'always'],
  ['InDiscards', '%llu incoming packets discarded', 'always'],
  ['InHdrErrors', '%llu with invalid headers', 'nonzero'],
  ['InReceives', '%llu total packets received', 'always'],
  ['InUnknownProtos', '%llu with unknown protocol', 'nonzero'],
  ['OutDiscards', '%llu outgoing packets dropped', 'nonzero'],
  ['OutNoRoutes', '%llu dropped because of missing route', 'nonzero'],
  ['OutRequests', '%llu requests sent out', 'always'],
  ['ReasmFails', '%llu packet reassemblies failed', 'nonzero'],
  ['ReasmOKs', '%llu packets reassembled ok', 'nonzero'],
  ['ReasmReqds', '%llu reassemblies required', 'nonzero'],
  ['ReasmTimeout', '%llu fragments dropped after timeout', 'nonzero'],
];

const IP6: readonly NetstatTableEntry[] = [
  ['Ip6FragCreates', '%llu fragments created', 'nonzero'],
  ['Ip6FragFails', '%llu outgoing packets failed fragmentation', 'nonzero'],
  ['Ip6FragOKs', '%llu outgoing packets fragmented ok', 'nonzero'],
  ['Ip6InAddrErrors', '%llu with invalid addresses', 'nonzero'],
  ['Ip6InDelivers', '%llu incoming packets delivered', 'always'],
  ['Ip6InDiscards', '%llu incoming packets discarded', 'always'],
  ['Ip6InHdrErrors', '%llu with invalid headers', 'nonzero'],
  ['Ip6InMcastPkts', '%llu incoming multicast packets', 'nonzero'],
  ['Ip6InNoRoutes', '%llu incoming packets with no route', 'nonzero'],
  ['Ip6InReceives', '%llu total packets received', 'always'],
  ['Ip6InTooBigErrors', '%llu with packets too big', 'nonzero'],
  ['Ip6InTruncatedPkts', '%llu with truncated packets', 'nonzero'],
  ['Ip6InUnknownProtos', '%llu with unknown protocol', 'nonzero'],
  ['Ip6OutDiscards', '%llu outgoing packets dropped', 'nonzero'],
  ['Ip6OutForwDatagrams', '%llu forwarded', 'always'],
  ['Ip6OutMcastPkts', '%llu outgoing multicast packets', 'nonzero'],
  ['Ip6OutNoRoutes', '%llu dropped because of missing route', 'nonzero'],
  ['Ip6OutRequests', '%llu requests sent out', 'always'],
  ['Ip6ReasmFails', '%llu packet reassemblies failed', 'nonzero'],
  ['Ip6ReasmOKs', '%llu packets reassembled ok', 'nonzero'],
  ['Ip6ReasmReqds', '%llu reassemblies required', 'nonzero'],
  ['Ip6ReasmTimeout', '%llu fragments dropped after timeout', 'nonzero'],
];

const ICMP: readonly NetstatTableEntry[] = [
  ['InAddrMaskReps', 'address mask replies: %llu', 'in'],
  ['InAddrMasks', 'address mask request: %llu', 'in'],
  ['InDestUnreachs', 'destination unreachable: %llu', 'in'],
  ['InEchoReps', 'echo replies: %llu', 'in'],
  ['InEchos', 'echo requests: %llu', 'in'],
  ['InErrors', '%llu input ICMP message failed', 'always'],
  ['InMsgs', '%llu ICMP messages received', 'always'],
  ['InParmProbs', 'wrong parameters: %llu', 'in'],
  ['InRedirects', 'redirects: %llu', 'in'],
  ['InSrcQuenchs', 'source quenches: %llu', 'in'],
  ['InTimeExcds', 'timeout in transit: %llu', 'in'],
  ['InTimestampReps', 'timestamp reply: %llu', 'in'],
  ['InTimestamps', 'timestamp request: %llu', 'in'],
  ['OutAddrMaskReps', 'address mask replies: %llu', 'out'],
  ['OutAddrMasks', 'address mask requests: %llu', 'out'],
  ['OutDestUnreachs', 'destination unreachable: %llu', 'out'],
  ['OutEchoReps', 'echo replies: %llu', 'out'],
  ['OutEchos', 'echo requests: %llu', 'out'],
  ['OutErrors', '%llu ICMP messages failed', 'always'],
  ['OutMsgs', '%llu ICMP messages sent', 'always'],
  ['OutParmProbs', 'wrong parameters: %llu', 'out'],
  ['OutRedirects', 'redirect: %llu', 'out'],
  ['OutSrcQuenchs', 'source quench: %llu', 'out'],
  ['OutTimeExcds', 'time exceeded: %llu', 'out'],
  ['OutTimestampReps', 'timestamp replies: %llu', 'out'],
  ['OutTimestamps', 'timestamp requests: %llu', 'out'],
];

const ICMP6: readonly NetstatTableEntry[] = [
  ['Icmp6InDestUnreachs', 'destination unreachable: %llu', 'in'],
  ['Icmp6InEchoReplies', 'echo replies: %llu', 'in'],
  ['Icmp6InEchos', 'echo requests: %llu', 'in'],
  ['Icmp6InErrors', '%llu input ICMP message failed', 'always'],
  ['Icmp6InGroupMembQueries', 'group member queries: %llu', 'in'],
  ['Icmp6InGroupMembReductions', 'group member reductions: %llu', 'in'],
  ['Icmp6InGroupMembResponses', 'group member responses: %llu', 'in'],
  ['Icmp6InMsgs', '%llu ICMP messages received', 'always'],
  ['Icmp6InNeighborAdvertisements', 'neighbour advertisement: %llu', 'in'],
  ['Icmp6InNeighborSolicits', 'neighbour solicits: %llu', 'in'],
  ['Icmp6InParmProblems', 'parameter problem: %llu', 'in'],
  ['Icmp6InPktTooBigs', 'packets too big: %llu', 'in'],
  ['Icmp6InRedirects', 'redirects: %llu', 'in'],
  ['Icmp6InRouterAdvertisements', 'router advertisement: %llu', 'in'],
  ['Icmp6InRouterSolicits', 'router solicits: %llu', 'in'],
  ['Icmp6InTimeExcds', 'received ICMPv6 time exceeded: %llu', 'in'],
  ['Icmp6OutDestUnreachs', 'destination unreachable: %llu', 'out'],
  ['Icmp6OutEchoReplies', 'echo replies: %llu', 'out'],
  ['Icmp6OutEchos', 'echo requests: %llu', 'out'],
  ['Icmp6OutGroupMembQueries', 'group member queries: %llu', 'out'],
  ['Icmp6OutGroupMembReductions', 'group member reductions: %llu', 'out'],
  ['Icmp6OutGroupMembResponses', 'group member responses: %llu', 'out'],
  ['Icmp6OutMsgs', '%llu ICMP messages sent', 'always'],
  ['Icmp6OutNeighborAdvertisements', 'neighbor advertisements: %llu', 'out'],
  ['Icmp6OutNeighborSolicits', 'neighbor solicits: %llu', 'out'],
  ['Icmp6OutParmProblems', 'parameter problem: %llu', 'out'],
  ['Icmp6OutPktTooBigs', 'packets too big: %llu', 'out'],
  ['Icmp6OutRedirects', 'redirects: %llu', 'out'],
  // Sic: the trailing space means netstat never finds this name.
  ['Icmp6OutRouterAdvertisements ', 'router advertisement: %llu', 'out'],
  ['Icmp6OutRouterSolicits', 'router solicits: %llu', 'out'],
  ['Icmp6OutTimeExcds', 'sent ICMPv6 time exceeded: %llu', 'out'],
];

const TCP: readonly NetstatTableEntry[] = [
  ['ActiveOpens', '%llu active connection openings', 'always'],
  ['AttemptFails', '%llu failed connection attempts', 'always'],
  ['CurrEstab', '%llu connections established', 'always'],
  ['EstabResets', '%llu connection resets received', 'always'],
  ['InErrs', '%llu bad segments received', 'always'],
  ['InSegs', '%llu segments received', 'always'],
  ['MaxConn', '', 'hidden'],
  ['OutRsts', '%llu resets sent', 'always'],
  ['OutSegs', '%llu segments sent out', 'always'],
  ['PassiveOpens', '%llu passive connection openings', 'always'],
  ['RetransSegs', '%llu segments retransmitted', 'always'],
  ['RtoAlgorithm', 'RTO algorithm is %s', 'hidden'],
  ['RtoMax', '', 'hidden'],
  ['RtoMin', '', 'hidden'],
];

const UDP: readonly NetstatTableEntry[] = [
  ['InDatagrams', '%llu packets received', 'always'],
  ['InErrors', '%llu packet receive errors', 'always'],
  ['NoPorts', '%llu packets to unknown port received', 'always'],
  ['OutDatagrams', '%llu packets sent', 'always'],
  ['RcvbufErrors', '%llu receive buffer errors', 'always'],
  ['SndbufErrors', '%llu send buffer errors', 'always'],
];

const UDP6: readonly NetstatTableEntry[] = [
  ['Udp6InDatagrams', '%llu packets received', 'always'],
  ['Udp6InErrors', '%llu packet receive errors', 'always'],
  ['Udp6NoPorts', '%llu packets to unknown port received', 'always'],
  ['Udp6OutDatagrams', '%llu packets sent', 'always'],
];

const TCP_EXT: readonly NetstatTableEntry[] = [
  ['DelayedACKLocked', '%llu delayed acks further delayed because of locked socket', 'nonzero'],
  ['DelayedACKLost', 'Quick ack mode was activated %llu times', 'nonzero'],
  ['DelayedACKs', '%llu delayed acks sent', 'nonzero'],
  ['EmbryonicRsts', '%llu resets received for embryonic SYN_RECV sockets', 'nonzero'],
  ['ListenDrops', '%llu SYNs to LISTEN sockets dropped', 'nonzero'],
  ['ListenOverflows', '%llu times the listen queue of a socket overflowed', 'nonzero'],
  ['LockDroppedIcmps', '%llu ICMP packets dropped because socket was locked', 'nonzero'],
  ['OfoPruned', '%llu packets dropped from out-of-order queue because of socket buffer overrun', 'nonzero'],
  ['OutOfWindowIcmps', '%llu ICMP packets dropped because they were out-of-window', 'nonzero'],
  ['PAWSActive', '%llu active connections rejected because of time stamp', 'nonzero'],
  ['PAWSEstab', '%llu packets rejected in established connections because of timestamp', 'nonzero'],
  ['PAWSPassive', '%llu passive connections rejected because of time stamp', 'nonzero'],
  ['PruneCalled', '%llu packets pruned from receive queue because of socket buffer overrun', 'nonzero'],
  ['RcvPruned', '%llu packets pruned from receive queue', 'nonzero'],
  ['SockMallocOOM', 'Ran %llu times out of system memory during packet sending', 'nonzero'],
  ['SyncookiesFailed', '%llu invalid SYN cookies received', 'nonzero'],
  ['SyncookiesRecv', '%llu SYN cookies received', 'nonzero'],
  ['SyncookiesSent', '%llu SYN cookies sent', 'nonzero'],
  ['TCPAbortFailed', '%llu times unable to send RST due to no memory', 'nonzero'],
  ['TCPAbortOnClose', '%llu connections reset due to early user close', 'nonzero'],
  ['TCPAbortOnData', '%llu connections reset due to unexpected data', 'nonzero'],
  ['TCPAbortOnLinger', '%llu connections aborted after user close in linger timeout', 'nonzero'],
  ['TCPAbortOnMemory', '%llu connections aborted due to memory pressure', 'nonzero'],
  ['TCPAbortOnSyn', '%llu connections reset due to unexpected SYN', 'nonzero'],
  ['TCPAbortOnTimeout', '%llu connections aborted due to timeout', 'nonzero'],
  ['TCPDirectCopyFromBacklog', '%llu bytes directly in process context from backlog', 'nonzero'],
  ['TCPDirectCopyFromPrequeue', '%llu bytes directly received in process context from prequeue', 'nonzero'],
  ['TCPDSACKOfoRecv', '%llu DSACKs for out of order packets received', 'nonzero'],
  ['TCPDSACKOfoSent', '%llu DSACKs sent for out of order packets', 'nonzero'],
  ['TCPDSACKOldSent', '%llu DSACKs sent for old packets', 'nonzero'],
  ['TCPDSACKRecv', '%llu DSACKs received', 'nonzero'],
  ['TCPDSackUndo', '%llu congestion window recovered without slow start using DSACK', 'nonzero'],
  ['TCPDSACKUndo', '%llu congestion windows recovered without slow start by DSACK', 'nonzero'],
  ['TCPFACKReorder', 'Detected reordering %llu times using FACK', 'nonzero'],
  ['TCPFastRetrans', '%llu fast retransmits', 'nonzero'],
  ['TCPForwardRetrans', '%llu forward retransmits', 'nonzero'],
  ['TCPFullUndo', '%llu congestion windows fully recovered without slow start', 'nonzero'],
  ['TCPHPAcks', '%llu predicted acknowledgments', 'nonzero'],
  ['TCPHPHits', '%llu packet headers predicted', 'always'],
  ['TCPHPHitsToUser', '%llu packet headers predicted and directly queued to user', 'nonzero'],
  ['TCPLossFailures', '%llu timeouts in loss state', 'nonzero'],
  ['TCPLoss', '%llu TCP data loss events', 'nonzero'],
  ['TCPLossUndo', '%llu congestion windows recovered without slow start after partial ack', 'nonzero'],
  ['TCPLostRetransmits', '%llu retransmits lost', 'nonzero'],
  ['TCPMemoryPressures', 'TCP ran low on memory %llu times', 'nonzero'],
  ['TCPPartialUndo', '%llu congestion windows partially recovered using Hoe heuristic', 'nonzero'],
  ['TCPPrequeued', '%llu packets directly queued to recvmsg prequeue', 'nonzero'],
  ['TCPPrequeueDropped', '%llu packets dropped from prequeue', 'nonzero'],
  ['TCPPureAcks', '%llu acknowledgments not containing data payload received', 'nonzero'],
  ['TCPRcvCollapsed', '%llu packets collapsed in receive queue due to low socket buffer', 'nonzero'],
  ['TCPRenoFailures', '%llu timeouts after reno fast retransmit', 'nonzero'],
  ['TCPRenoRecoveryFailed', '%llu reno fast retransmits failed', 'nonzero'],
  ['TCPRenoRecoveryFail', '%llu classic Reno fast retransmits failed', 'nonzero'],
  ['TCPRenoRecovery', '%llu times recovered from packet loss due to fast retransmit', 'nonzero'],
  ['TCPRenoReorder', 'Detected reordering %llu times using reno fast retransmit', 'nonzero'],
  ['TCPSackFailures', '%llu timeouts after SACK recovery', 'nonzero'],
  ['TCPSackRecoveryFail', '%llu SACK retransmits failed', 'nonzero'],
  ['TCPSackRecovery', '%llu times recovered from packet loss by selective acknowledgements', 'nonzero'],
  ['TCPSACKReneging', '%llu bad SACK blocks received', 'nonzero'],
  ['TCPSACKReorder', 'Detected reordering %llu times using SACK', 'nonzero'],
  ['TCPSchedulerFailed', '%llu times receiver scheduled too late for direct processing', 'nonzero'],
  ['TCPSlowStartRetrans', '%llu retransmits in slow start', 'nonzero'],
  ['TCPTimeouts', '%llu other TCP timeouts', 'nonzero'],
  ['TCPTSReorder', 'Detected reordering %llu times using time stamp', 'nonzero'],
  ['TWKilled', '%llu TCP sockets finished time wait in slow timer', 'nonzero'],
  ['TW', '%llu TCP sockets finished time wait in fast timer', 'nonzero'],
  ['TWRecycled', '%llu time wait sockets recycled by time stamp', 'nonzero'],
];

/** The tables netstat uses for /proc/net/snmp and /proc/net/netstat (`snmptabs`). */
export const SNMP_TABLES: readonly NetstatTable[] = [
  { title: 'Ip', protocol: 'raw', entries: IP },
  { title: 'Icmp', protocol: 'raw', entries: ICMP },
  { title: 'Tcp', protocol: 'tcp', entries: TCP },
  { title: 'Udp', protocol: 'udp', entries: UDP },
  { title: 'TcpExt', protocol: 'tcp', entries: TCP_EXT },
];

/** The tables netstat uses for /proc/net/snmp6 (`snmp6tabs`). */
export const SNMP6_TABLES: readonly NetstatTable[] = [
  { title: 'Ip6', protocol: 'raw', entries: IP6 },
  { title: 'Icmp6', protocol: 'raw', entries: ICMP6 },
  { title: 'Udp6', protocol: 'udp', entries: UDP6 },
  { title: 'Tcp6', protocol: 'tcp', entries: TCP },
];

/** glibc's `bsearch` with `strcmp` over a table in its given order: what netstat finds for a name (or not). */
export function findNetstatEntry(table: NetstatTable, name: string): NetstatTableEntry | undefined {
  let low = 0;
  let high = table.entries.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const entry = table.entries[middle]!;
    if (name < entry[0]) high = middle;
    else if (name > entry[0]) low = middle + 1;
    else return entry;
  }
  return undefined;
}
