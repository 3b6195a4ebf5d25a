/**
 * Exposure of a local address: who can reach a socket bound to it.
 * @module
 */
import { parseIpv6Groups } from '../decode/address.js';
import type { AddressFamily, Endpoint } from '../types.js';

/** What kind of address a socket is bound to. */
export type AddressScope =
  /** `0.0.0.0`: every IPv4 address of the machine. */
  | 'wildcard-ipv4'
  /** `::`: every IPv6 address, and IPv4 too through mapped addresses unless the socket is v6-only. */
  | 'wildcard-ipv6'
  /** `127.0.0.0/8`, `::1` (and `::ffff:127.x.y.z`): this machine only. */
  | 'loopback'
  /** `169.254.0.0/16`, `fe80::/10`: one link (the interface's own segment). */
  | 'link-local'
  /** `224.0.0.0/4`, `ff00::/8`: a multicast group. */
  | 'multicast'
  /** `255.255.255.255`: the limited broadcast address. */
  | 'broadcast'
  /** One unicast address of one interface (a service bound with `bind_address`, `listen 10.0.0.5:80`). */
  | 'specific';

/** From where a socket bound to the address can be reached (firewalls aside). */
export type Reachability =
  /** Any host that can route packets to the machine: with a public address, the internet. */
  | 'anywhere'
  /** Hosts of a private or administratively scoped network (RFC 1918, CGNAT, ULA, site-scoped multicast). */
  | 'network'
  /** Hosts on the same link (segment) only. */
  | 'link'
  /** Processes on this machine (this network namespace) only. */
  | 'this-host';

/** What {@link classifyAddress} returns. */
export interface AddressClass {
  /** The address as given (without a `%zone` or brackets). */
  address: string;
  family: AddressFamily;
  scope: AddressScope;
  reachableFrom: Reachability;
  /** `reachableFrom !== 'this-host'`: other machines can reach it. */
  fromOutside: boolean;
  /** A private or unique-local unicast address (RFC 1918, RFC 6598 CGNAT, `fc00::/7`): still `specific`. */
  private: boolean;
  /** An IPv4-mapped IPv6 address (`::ffff:a.b.c.d`), classified by its IPv4 address. */
  mapped: boolean;
  /**
   * `::` only: whether the socket is assumed to accept IPv4 too. `/proc` cannot show `IPV6_V6ONLY`, so this is the
   * default of new sockets, `!bindv6only`: a program may have changed it. `null` for every other address.
   */
  dualStack: boolean | null;
  /** One sentence for a person. */
  note: string;
}

/** Options of {@link classifyAddress}. */
export interface ClassifyAddressOptions {
  /** `net.ipv6.bindv6only` of the host (default `false`, the kernel's default): the hint for `::` sockets. */
  bindv6only?: boolean | undefined;
}

type Parsed = { family: 'IPv4'; v4: number } | { family: 'IPv6'; groups: number[] };

function parseIpv4(text: string): number {
  const parts = text.split('.');
  if (parts.length !== 4) return -1;
  let n = 0;
  for (const p of parts) {
    if (p.length < 1 || p.length > 3) return -1;
    for (let i = 0; i < p.length; i++) {
      const c = p.charCodeAt(i);
      if (c < 48 || c > 57) return -1;
    }
    const v = Number(p);
    if (v > 255) return -1;
    n = n * 256 + v;
  }
  return n;
}

function parse(text: string, family: AddressFamily | undefined): Parsed | undefined {
  let s = text.trim();
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  if (family !== 'IPv6' && !s.includes(':')) {
    const v4 = parseIpv4(s);
    return v4 < 0 ? undefined : { family: 'IPv4', v4 };
  }
  if (family === 'IPv4') return undefined;
  const groups = parseIpv6Groups(s);
  return groups === undefined ? undefined : { family: 'IPv6', groups };
}

/** True when the first `bits` bits of the IPv4 address equal those of `prefix`. */
function in4(v4: number, prefix: number, bits: number): boolean {
  const shift = 32 - bits;
  return Math.floor(v4 / 2 ** shift) === Math.floor(prefix / 2 ** shift);
}

const ip4 = (a: number, b: number, c: number, d: number): number => ((a * 256 + b) * 256 + c) * 256 + d;

function classifyV4(address: string, v4: number, mapped: boolean): AddressClass {
  const base = { address, family: mapped ? 'IPv6' : 'IPv4', mapped, dualStack: null, private: false } as const;
  const via = mapped ? ' (an IPv4-mapped IPv6 address: an IPv6 socket talking IPv4)' : '';
  if (v4 === 0) {
    return {
      ...base,
      scope: 'wildcard-ipv4',
      reachableFrom: 'anywhere',
      fromOutside: true,
      note: `Every IPv4 address of this machine${via}: reachable from every network it is on, unless a firewall stops it.`,
    };
  }
  if (in4(v4, ip4(127, 0, 0, 0), 8)) {
    return {
      ...base,
      scope: 'loopback',
      reachableFrom: 'this-host',
      fromOutside: false,
      note: `Loopback${via}: reachable only from this machine (this network namespace).`,
    };
  }
  if (in4(v4, ip4(169, 254, 0, 0), 16)) {
    return {
      ...base,
      scope: 'link-local',
      reachableFrom: 'link',
      fromOutside: true,
      note: `Link-local${via}: reachable from hosts on the same link only (169.254.0.0/16 is not routed).`,
    };
  }
  if (v4 === 0xffffffff) {
    return {
      ...base,
      scope: 'broadcast',
      reachableFrom: 'link',
      fromOutside: true,
      note: `The limited broadcast address${via}: receives broadcasts from hosts on the same link.`,
    };
  }
  if (in4(v4, ip4(224, 0, 0, 0), 4)) {
    const linkScope = in4(v4, ip4(224, 0, 0, 0), 24);
    const adminScope = in4(v4, ip4(239, 0, 0, 0), 8);
    return {
      ...base,
      scope: 'multicast',
      reachableFrom: linkScope ? 'link' : adminScope ? 'network' : 'anywhere',
      fromOutside: true,
      note: linkScope
        ? `A link-local multicast group${via} (224.0.0.0/24): senders on the same link.`
        : adminScope
          ? `An administratively scoped multicast group${via} (239.0.0.0/8): senders inside the organisation's network.`
          : `A multicast group${via}: any sender that multicast routing delivers from.`,
    };
  }
  const isPrivate =
    in4(v4, ip4(10, 0, 0, 0), 8) ||
    in4(v4, ip4(172, 16, 0, 0), 12) ||
    in4(v4, ip4(192, 168, 0, 0), 16) ||
    in4(v4, ip4(100, 64, 0, 0), 10);
  return {
    ...base,
    private: isPrivate,
    scope: 'specific',
    reachableFrom: isPrivate ? 'network' : 'anywhere',
    fromOutside: true,
    note: isPrivate
      ? `One private address of one interface${via}: reachable from that private network (and through any port forwarding), not from the whole internet.`
      : `One address of one interface${via}: reachable from every host that can route to it, unless a firewall stops it.`,
  };
}

function classifyV6(address: string, g: number[], bindv6only: boolean): AddressClass {
  const base = { address, family: 'IPv6', mapped: false, dualStack: null, private: false } as const;
  const [g0, g1, g2, g3, g4, g5, g6, g7] = g as [number, number, number, number, number, number, number, number];
  const zeroTo4 = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0;
  if (zeroTo4 && g5 === 0xffff) return classifyV4(address, g6 * 65536 + g7, true);
  if (zeroTo4 && g5 === 0 && g6 === 0 && g7 === 0) {
    const dualStack = !bindv6only;
    return {
      ...base,
      scope: 'wildcard-ipv6',
      reachableFrom: 'anywhere',
      fromOutside: true,
      dualStack,
      note: dualStack
        ? 'Every IPv6 address of this machine, and every IPv4 address too (through IPv4-mapped addresses) unless the program set IPV6_V6ONLY, which /proc cannot show (net.ipv6.bindv6only = 0; `ss -ltne` shows v6only).'
        : 'Every IPv6 address of this machine; IPv4 only if the program cleared IPV6_V6ONLY, which /proc cannot show (net.ipv6.bindv6only = 1; `ss -ltne` shows v6only).',
    };
  }
  if (zeroTo4 && g5 === 0 && g6 === 0 && g7 === 1) {
    return {
      ...base,
      scope: 'loopback',
      reachableFrom: 'this-host',
      fromOutside: false,
      note: 'Loopback: reachable only from this machine (this network namespace).',
    };
  }
  if ((g0 & 0xffc0) === 0xfe80) {
    return {
      ...base,
      scope: 'link-local',
      reachableFrom: 'link',
      fromOutside: true,
      note: 'Link-local (fe80::/10): reachable from hosts on the same link only.',
    };
  }
  if ((g0 & 0xff00) === 0xff00) {
    const scope = g0 & 0xf;
    const reach: Reachability = scope <= 1 ? 'this-host' : scope === 2 ? 'link' : scope < 0xe ? 'network' : 'anywhere';
    const where =
      reach === 'this-host'
        ? 'interface-local: senders on this machine'
        : reach === 'link'
          ? 'link-local: senders on the same link'
          : reach === 'network'
            ? 'site or organisation scope: senders inside that network'
            : 'global scope: any sender that multicast routing delivers from';
    return {
      ...base,
      scope: 'multicast',
      reachableFrom: reach,
      fromOutside: reach !== 'this-host',
      note: `A multicast group, ${where}.`,
    };
  }
  const uniqueLocal = (g0 & 0xfe00) === 0xfc00;
  const siteLocal = (g0 & 0xffc0) === 0xfec0;
  if (uniqueLocal || siteLocal) {
    return {
      ...base,
      private: true,
      scope: 'specific',
      reachableFrom: 'network',
      fromOutside: true,
      note: `One ${uniqueLocal ? 'unique-local (fc00::/7)' : 'site-local (fec0::/10, deprecated)'} address of one interface: reachable from that private network, not from the whole internet.`,
    };
  }
  return {
    ...base,
    scope: 'specific',
    reachableFrom: 'anywhere',
    fromOutside: true,
    note: 'One address of one interface: reachable from every host that can route to it, unless a firewall stops it.',
  };
}

/**
 * Who can reach a socket bound to this local address: the wildcards (`0.0.0.0`, `::`), loopback, link-local,
 * multicast, broadcast, or one specific address (private or not). IPv4-mapped addresses (`::ffff:127.0.0.1`) are
 * classified by their IPv4 address. Accepts an endpoint (`socket.local`) or address text (brackets and a `%zone` are
 * allowed).
 *
 * @throws {TypeError} when the text is not an IP address (or does not match the endpoint's family).
 */
export function classifyAddress(address: Endpoint | string, options?: ClassifyAddressOptions): AddressClass {
  const text = typeof address === 'string' ? address : address.address;
  const family = typeof address === 'string' ? undefined : address.family;
  const parsed = parse(text, family);
  if (parsed === undefined) throw new TypeError(`procnet: not an IP address: ${JSON.stringify(text)}`);
  let clean = text.trim();
  if (clean.startsWith('[') && clean.endsWith(']')) clean = clean.slice(1, -1);
  const zone = clean.indexOf('%');
  if (zone >= 0) clean = clean.slice(0, zone);
  if (parsed.family === 'IPv4') return classifyV4(clean, parsed.v4, false);
  return classifyV6(clean, parsed.groups, options?.bindv6only ?? false);
}
