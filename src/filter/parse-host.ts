/**
 * The word after `src`, `dst`, `sport` or `dport`: `[FAMILY:]ADDRESS[/PREFIX][:PORT]` as iproute2's
 * `parse_hostcond()` reads it, into a host pattern or a port.
 * @module
 */
import { ipv4FromWord, ipv6FromNetworkWords } from '../decode/address.js';
import { parseIpv4Text, parseIpv6Text, parsePrefixLength, parseUnsignedText } from './filter-address.js';
import { SocketFilterError, type SocketFilterErrorCode } from './filter-error.js';
import { SERVICE_PORTS } from './filter-services.js';
import type { FilterWord } from './scan-words.js';
import type { InetHostPattern, SocketFilterFamily, SocketFilterOptions, UnixHostPattern } from './types.js';

/** The filter text and options a word is read with (for errors and service names). */
export interface HostContext {
  text: string;
  options: SocketFilterOptions | undefined;
}

/** What the word after `sport`/`dport` is: a port (`null` for `*`), or a unix name pattern (`unix:…`). */
export type PortWord =
  | { kind: 'port'; port: number | null; familyPrefix: 'inet' | 'inet6' | null }
  | { kind: 'unix'; host: UnixHostPattern };

function fail(context: HostContext, word: FilterWord, code: SocketFilterErrorCode, reason: string): never {
  throw new SocketFilterError({
    code,
    reason,
    filter: context.text,
    offset: word.start,
    length: word.end - word.start,
  });
}

const OTHER_FAMILIES = ['link:', 'netlink:', 'vsock:', 'tipc:', 'xdp:'];

/** Splits a `FAMILY:` prefix off a word (ss's `unix:`, `inet:`, `inet6:`; the others are refused). */
function splitFamily(
  context: HostContext,
  word: FilterWord,
): { prefix: 'unix' | 'inet' | 'inet6' | null; rest: string } {
  const v = word.value;
  if (v.startsWith('unix:')) return { prefix: 'unix', rest: v.slice(5) };
  if (v.startsWith('inet:')) return { prefix: 'inet', rest: v.slice(5) };
  if (v.startsWith('inet6:')) return { prefix: 'inet6', rest: v.slice(6) };
  for (const other of OTHER_FAMILIES) {
    if (v.startsWith(other)) {
      fail(context, word, 'UNSUPPORTED', `procnet reads no ${other.slice(0, -1)} sockets, so "${other}" cannot match`);
    }
  }
  return { prefix: null, rest: v };
}

/** A port: a C number up to 65535 (`22`, `0x16`), or a service name. */
function parsePortText(context: HostContext, word: FilterWord, text: string): number {
  const n = parseUnsignedText(text);
  if (n !== undefined) {
    if (n > 65535) fail(context, word, 'BAD_PORT', `port ${text} is out of range (0 to 65535)`);
    return n;
  }
  const own = context.options?.services;
  if (own !== undefined && Object.hasOwn(own, text)) return own[text] as number;
  if (Object.hasOwn(SERVICE_PORTS, text)) return SERVICE_PORTS[text] as number;
  return fail(context, word, 'BAD_PORT', `"${text}" is not a port number or a known service name`);
}

/** Port text after the host part: `''`, `*` (any) or a port. */
function parseOptionalPort(context: HostContext, word: FilterWord, text: string): number | null {
  return text === '' || text === '*' ? null : parsePortText(context, word, text);
}

function familyOfPrefix(prefix: 'unix' | 'inet' | 'inet6' | null, option: SocketFilterFamily | undefined) {
  if (prefix === 'inet') return 'IPv4';
  if (prefix === 'inet6') return 'IPv6';
  if (prefix === 'unix') return 'unix';
  return option ?? null;
}

/** The address part (`10.0.0.0/8`, `::1/128`, `any`) into family, canonical text and prefix length. */
function parseAddress(
  context: HostContext,
  word: FilterWord,
  text: string,
  family: 'IPv4' | 'IPv6' | null,
  bracketed: boolean,
): Pick<InetHostPattern, 'family' | 'address' | 'prefixLength'> {
  const none = { family: null, address: null, prefixLength: 0 };
  if (text === '' || text.startsWith('*')) return none;
  const slash = text.indexOf('/');
  const addressText = slash < 0 ? text : text.slice(0, slash);
  if (addressText === 'any' || addressText === 'all' || addressText === 'default') {
    if (slash >= 0) fail(context, word, 'BAD_ADDRESS', `"${addressText}" takes no prefix length`);
    return none;
  }
  let words: number[];
  let addressFamily: 'IPv4' | 'IPv6';
  if (addressText.includes(':')) {
    const v6 = parseIpv6Text(addressText);
    if (v6 === undefined) {
      const hint = bracketed ? '' : ' (write an IPv6 address in brackets: [::1], [::1]:22)';
      fail(context, word, 'BAD_ADDRESS', `"${addressText}" is not an IPv6 address${hint}`);
    }
    words = v6;
    addressFamily = 'IPv6';
  } else {
    const v4 = parseIpv4Text(addressText);
    if (v4 === undefined) {
      const reason = /[g-zG-Z]/.test(addressText)
        ? `"${addressText}" is not an address (host names are not looked up)`
        : `"${addressText}" is not an IPv4 address`;
      fail(context, word, 'BAD_ADDRESS', reason);
    }
    words = [v4];
    addressFamily = 'IPv4';
  }
  if (family !== null && family !== addressFamily) {
    fail(context, word, 'BAD_ADDRESS', `an ${family} address is expected, not "${addressText}"`);
  }
  const bits = addressFamily === 'IPv4' ? 32 : 128;
  let prefixLength = bits;
  if (slash >= 0) {
    const length = parsePrefixLength(text.slice(slash + 1));
    if (length === undefined || length > bits) {
      fail(
        context,
        word,
        'BAD_ADDRESS',
        `"${text.slice(slash + 1)}" is not a prefix length of an ${addressFamily} address (0 to ${bits})`,
      );
    }
    prefixLength = length;
  }
  const address =
    addressFamily === 'IPv4'
      ? ipv4FromWord(words[0]!, 'big')
      : ipv6FromNetworkWords(words[0]!, words[1]!, words[2]!, words[3]!);
  return { family: addressFamily, address, prefixLength };
}

/**
 * Reads the word after `src`/`dst`: a unix name pattern (`unix:` prefix, or with the `unix` family option), or an
 * inet host. Where the port starts follows ss: after `]` for a bracketed address, after `*`, else at the last `:`
 * (the last one after a `/` when there is a prefix), so an IPv6 address needs brackets or a prefix (`[::1]`,
 * `::1/128`). `[::1]/128` is also taken (ss refuses it; it means `[::1/128]`).
 */
export function parseHostWord(context: HostContext, word: FilterWord): InetHostPattern | UnixHostPattern {
  const { prefix, rest } = splitFamily(context, word);
  const family = familyOfPrefix(prefix, context.options?.family);
  if (family === 'unix') return { kind: 'unix', pattern: rest, familyPrefix: prefix === 'unix' ? 'unix' : null };
  const familyPrefix = prefix === 'unix' ? null : prefix;
  let addressText: string;
  let portText = '';
  let bracketed = false;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) fail(context, word, 'BAD_ADDRESS', 'the address has no closing "]"');
    bracketed = true;
    addressText = rest.slice(1, close);
    let after = rest.slice(close + 1);
    if (after.startsWith('/') && !addressText.includes('/')) {
      const colon = after.indexOf(':');
      addressText += colon < 0 ? after : after.slice(0, colon);
      after = colon < 0 ? '' : after.slice(colon);
    }
    if (after !== '' && !after.startsWith(':')) {
      fail(context, word, 'BAD_ADDRESS', `unexpected "${after}" after the bracketed address (":PORT" may follow)`);
    }
    portText = after.slice(1);
  } else if (rest.startsWith('*')) {
    addressText = '';
    const after = rest.slice(1);
    if (after !== '' && !after.startsWith(':')) {
      fail(context, word, 'BAD_ADDRESS', `unexpected "${after}" after "*" (":PORT" may follow)`);
    }
    portText = after.slice(1);
  } else {
    const slash = rest.indexOf('/');
    const colon = rest.lastIndexOf(':');
    if (colon >= 0 && colon > slash) {
      addressText = rest.slice(0, colon);
      portText = rest.slice(colon + 1);
    } else {
      addressText = rest;
    }
  }
  const address = parseAddress(
    context,
    word,
    addressText,
    family === 'IPv4' || family === 'IPv6' ? family : null,
    bracketed,
  );
  return { kind: 'inet', ...address, port: parseOptionalPort(context, word, portText), familyPrefix };
}

/**
 * Reads the word after `sport`/`dport` (and its operator): `:PORT`, `PORT`, `*`, a service name, `FAMILY::PORT`;
 * `unix:PATTERN` makes it a name pattern, as in ss.
 */
export function parsePortWord(context: HostContext, word: FilterWord): PortWord {
  const { prefix, rest } = splitFamily(context, word);
  if (prefix === 'unix') return { kind: 'unix', host: { kind: 'unix', pattern: rest, familyPrefix: 'unix' } };
  const text = rest.startsWith(':') ? rest.slice(1) : rest;
  return { kind: 'port', port: parseOptionalPort(context, word, text), familyPrefix: prefix };
}
