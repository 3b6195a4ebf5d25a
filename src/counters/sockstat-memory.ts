/**
 * Memory figures of /proc/net/sockstat in bytes.
 * @module
 */
import type { SockstatCounters } from './types.js';

/** Options of {@link getSockstatMemory}. */
export interface SockstatMemoryOptions {
  /**
   * Size of a memory page in bytes on the host that printed the file (`getconf PAGESIZE`): 4096 on x86 and most arm64,
   * 16384 or 65536 on some arm64 and ppc64 kernels. Default 4096.
   */
  pageSize?: number | bigint | undefined;
}

/** Memory accounted in sockstat and sockstat6, in bytes. A value is `undefined` when its key is absent. */
export interface SockstatMemory {
  /** `TCP mem` (pages) × page size: memory charged to TCP sockets (`proto_memory_allocated`). Host-wide. */
  tcpBytes: bigint | undefined;
  /** `UDP mem` (pages) × page size: memory charged to UDP sockets. Host-wide. Absent on very old kernels. */
  udpBytes: bigint | undefined;
  /** `FRAG memory` (already bytes): IPv4 fragments waiting for reassembly. Per network namespace. */
  fragBytes: bigint | undefined;
  /** `FRAG6 memory` (already bytes, sockstat6): IPv6 fragments waiting for reassembly. Per network namespace. */
  frag6Bytes: bigint | undefined;
}

/** The default page size, 4096 bytes. */
export const DEFAULT_PAGE_SIZE = 4096;

/**
 * Converts the page counts of a parsed sockstat (`TCP mem`, `UDP mem`) to bytes, and passes the byte counts
 * (`FRAG memory`, `FRAG6 memory`) through. Parse sockstat and sockstat6 joined to get all four.
 *
 * @throws {RangeError} when `pageSize` is not a positive integer.
 */
export function getSockstatMemory(sockstat: SockstatCounters, options?: SockstatMemoryOptions): SockstatMemory {
  const option = options?.pageSize ?? DEFAULT_PAGE_SIZE;
  const valid =
    (typeof option === 'number' && Number.isSafeInteger(option) && option > 0) ||
    (typeof option === 'bigint' && option > 0n);
  if (!valid) {
    throw new RangeError(`procnet: pageSize must be a positive integer, got ${String(option)}`);
  }
  const pageSize = BigInt(option);
  const tcpPages = sockstat.TCP?.mem;
  const udpPages = sockstat.UDP?.mem;
  return {
    tcpBytes: tcpPages === undefined ? undefined : tcpPages * pageSize,
    udpBytes: udpPages === undefined ? undefined : udpPages * pageSize,
    fragBytes: sockstat.FRAG?.memory,
    frag6Bytes: sockstat.FRAG6?.memory,
  };
}
