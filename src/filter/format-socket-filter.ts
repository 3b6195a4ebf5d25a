/**
 * A parsed filter → filter text, in ss's syntax: what `parseSocketFilter` reads back to the same filter.
 * @module
 */
import { ALL_STATES, SS_STATE_NAMES, STATE_BY_BIT } from './filter-states.js';
import type { InetHostPattern, SocketFilter, SocketFilterExpression, UnixHostPattern } from './types.js';

/** Escapes what ss's lexer would split at or eat (blanks, backslashes). */
function escapeWord(text: string): string {
  return text.replace(/[\\ \t\r\n]/g, (c) => `\\${c}`);
}

function formatInetHost(host: InetHostPattern): string {
  const prefix = host.familyPrefix === null ? '' : `${host.familyPrefix}:`;
  const port = host.port === null ? '' : `:${host.port}`;
  if (host.address === null) return `${prefix}*${port}`;
  const full = host.family === 'IPv4' ? 32 : 128;
  const length = host.prefixLength === full ? '' : `/${host.prefixLength}`;
  // ss reads `[::1/64]` but not `[::1]/64`: the prefix goes inside the brackets.
  const address = host.family === 'IPv6' ? `[${host.address}${length}]` : `${host.address}${length}`;
  return `${prefix}${address}${port}`;
}

function formatUnixHost(host: UnixHostPattern): string {
  return `${host.familyPrefix === null ? '' : 'unix:'}${escapeWord(host.pattern)}`;
}

/** A condition that can stand where ss's grammar wants one `expr` (a run of and/or needs parentheses). */
function formatOperand(node: SocketFilterExpression): string {
  return node.type === 'and' || node.type === 'or' ? `( ${formatExpression(node)} )` : formatExpression(node);
}

/** An expression in ss's syntax, with the parentheses its left-to-right grammar needs. */
export function formatExpression(node: SocketFilterExpression): string {
  switch (node.type) {
    case 'and':
    case 'or': {
      // Left-deep runs are written flat; only right operands that are themselves runs need parentheses.
      const parts: string[] = [];
      let current: SocketFilterExpression = node;
      while (current.type === 'and' || current.type === 'or') {
        parts.push(`${current.type} ${formatOperand(current.right)}`);
        current = current.left;
      }
      parts.push(formatOperand(current));
      return parts.reverse().join(' ');
    }
    case 'not':
      return `not ${formatOperand(node.operand)}`;
    case 'host':
      return `${node.side === 'local' ? 'src' : 'dst'} ${node.host.kind === 'inet' ? formatInetHost(node.host) : formatUnixHost(node.host)}`;
    case 'port': {
      const field = node.side === 'local' ? 'sport' : 'dport';
      const prefix = node.familyPrefix === null ? '' : `${node.familyPrefix}:`;
      return `${field} ${node.operator} ${node.port === null ? `${prefix}*` : `${prefix}:${node.port}`}`;
    }
    case 'autobound':
      return 'autobound';
  }
}

/**
 * Writes a filter back as text in ss's syntax (`state established dport = :443`): state words first, each
 * condition spelled one way (`=`, `and`, `or`, `not`), parentheses only where ss's left-to-right grammar needs them.
 * `parseSocketFilter` (with the same options) reads it back to an equal filter; ss reads it too, unless it uses
 * procnet's additions (`state listen` is written `state listening`).
 */
export function formatSocketFilter(filter: Pick<SocketFilter, 'states' | 'expression'>): string {
  const parts: string[] = [];
  if (filter.states !== null) {
    let mask = 0;
    for (const state of filter.states) mask |= 1 << STATE_BY_BIT.indexOf(state);
    if (mask === ALL_STATES) parts.push('state all');
    else if (mask === 0) parts.push('exclude all');
    else for (let i = 0; i < SS_STATE_NAMES.length; i++) if (mask & (1 << i)) parts.push(`state ${SS_STATE_NAMES[i]}`);
  }
  if (filter.expression !== null) parts.push(formatExpression(filter.expression));
  return parts.join(' ');
}
