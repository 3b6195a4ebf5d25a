/**
 * A parsed filter → one test function per node, reading rows through {@link SocketFilterSource}.
 * @module
 */
import type { InetSocket, UnixSocket } from '../types.js';
import { parseIpv4Text, parseIpv6Text, prefixMatches } from './filter-address.js';
import { matchGlob } from './filter-glob.js';
import { ALL_STATES, type StateMask, stateBit, statesOfMask } from './filter-states.js';
import { PlainRowSource } from './row-source.js';
import type {
  InetHostPattern,
  PortOperator,
  SocketFilter,
  SocketFilterExpression,
  SocketFilterFamily,
  SocketFilterSide,
  SocketFilterSource,
  UnixHostPattern,
} from './types.js';

type Test = (source: SocketFilterSource, index: number) => boolean;

/** A kernel-made unix name: `@` and five lower-case hex digits (ss's `autobound` test). */
const AUTOBIND_NAME = /^@[0-9a-f]{5}$/;

function portOf(source: SocketFilterSource, index: number, side: SocketFilterSide): number {
  return side === 'local' ? source.localPort(index) : source.remotePort(index);
}

function comparePort(operator: PortOperator, port: number): (value: number) => boolean {
  switch (operator) {
    case '=':
      return (v) => v === port;
    case '!=':
      return (v) => v !== port;
    case '<':
      return (v) => v < port;
    case '>':
      return (v) => v > port;
    case '<=':
      return (v) => v <= port;
    case '>=':
      return (v) => v >= port;
  }
}

function compilePort(side: SocketFilterSide, operator: PortOperator, port: number | null): Test {
  // `*` is any port: `= *` holds for every row that has ports, `!= *` for none.
  const compare = port === null ? () => operator === '=' : comparePort(operator, port);
  return (source, index) => {
    const value = portOf(source, index, side);
    return value >= 0 && compare(value);
  };
}

/**
 * How an inet host condition is judged. ss judges each one twice and shows a socket only when the whole expression
 * holds both ways: `kernel` is inet_diag's bytecode (per family: an IPv4 pattern matches an IPv6 row only through an
 * IPv4-mapped address, by its last word; an IPv6 pattern never matches an IPv4 row); `ss` is ss's own
 * `run_ssfilter()` (the leading bits compared whatever the families, then the IPv4-mapped case; a `/0` pattern
 * matches every row). They differ only across families, which shows under `not`.
 */
type HostMode = 'kernel' | 'ss';

function compileInetHost(side: SocketFilterSide, host: InetHostPattern, mode: HostMode): Test {
  const { port, family, prefixLength } = host;
  const words = new Uint32Array(4);
  if (family === 'IPv4') words[0] = parseIpv4Text(host.address!)!;
  else if (family === 'IPv6') words.set(parseIpv6Text(host.address!)!);
  const scratch = new Uint32Array(4);
  const mapped = new Uint32Array(1);
  return (source, index) => {
    const rowFamily = source.family(index);
    if (rowFamily === 'unix') return false;
    if (port !== null && portOf(source, index, side) !== port) return false;
    if (family === null || (mode === 'ss' && prefixLength === 0)) return true;
    scratch.fill(0);
    if (side === 'local') source.readLocalAddress(index, scratch);
    else source.readRemoteAddress(index, scratch);
    if ((mode === 'ss' || rowFamily === family) && prefixMatches(scratch, words, prefixLength)) return true;
    if (family === 'IPv4' && rowFamily === 'IPv6' && scratch[0] === 0 && scratch[1] === 0 && scratch[2] === 0xffff) {
      mapped[0] = scratch[3]!;
      return prefixMatches(mapped, words, prefixLength);
    }
    return false;
  };
}

function compileUnixHost(side: SocketFilterSide, host: UnixHostPattern): Test {
  const { pattern } = host;
  return (source, index) => {
    if (source.family(index) !== 'unix') return false;
    const name = side === 'local' ? source.localName(index) : source.remoteName(index);
    return matchGlob(pattern, name ?? '');
  };
}

/** The operands of a run of one operator (`a or b or c`), gathered without recursion. */
function chain(node: SocketFilterExpression, type: 'and' | 'or'): SocketFilterExpression[] {
  const operands: SocketFilterExpression[] = [];
  let current = node;
  while (current.type === type) {
    operands.push(current.right);
    current = current.left;
  }
  operands.push(current);
  return operands.reverse();
}

function compileExpression(node: SocketFilterExpression, mode: HostMode): Test {
  switch (node.type) {
    case 'and': {
      const tests = chain(node, 'and').map((operand) => compileExpression(operand, mode));
      return (source, index) => {
        for (const test of tests) if (!test(source, index)) return false;
        return true;
      };
    }
    case 'or': {
      const tests = chain(node, 'or').map((operand) => compileExpression(operand, mode));
      return (source, index) => {
        for (const test of tests) if (test(source, index)) return true;
        return false;
      };
    }
    case 'not': {
      const test = compileExpression(node.operand, mode);
      return (source, index) => !test(source, index);
    }
    case 'port':
      return compilePort(node.side, node.operator, node.port);
    case 'host':
      return node.host.kind === 'inet'
        ? compileInetHost(node.side, node.host, mode)
        : compileUnixHost(node.side, node.host);
    case 'autobound':
      return (source, index) => {
        if (source.family(index) !== 'unix') return false;
        const name = source.localName(index);
        return name === null || AUTOBIND_NAME.test(name);
      };
  }
}

/** Whether an expression holds an inet host pattern with an address (iteratively: runs of and/or can be long). */
function hasInetAddress(expression: SocketFilterExpression): boolean {
  const stack = [expression];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'and' || node.type === 'or') stack.push(node.left, node.right);
    else if (node.type === 'not') stack.push(node.operand);
    else if (node.type === 'host' && node.host.kind === 'inet' && node.host.family !== null) return true;
  }
  return false;
}

/** Builds the {@link SocketFilter} for a parsed state mask, family narrowing and expression. */
export function compileSocketFilter(
  text: string,
  mask: StateMask | null,
  family: SocketFilterFamily | null,
  expression: SocketFilterExpression | null,
): SocketFilter {
  let test: Test | null = null;
  if (expression !== null) {
    const kernel = compileExpression(expression, 'kernel');
    // The two judgements differ only on inet addresses; without one, a single pass gives the answer.
    if (hasInetAddress(expression)) {
      const ss = compileExpression(expression, 'ss');
      test = (source, index) => kernel(source, index) && ss(source, index);
    } else {
      test = kernel;
    }
  }
  const stateMask = mask ?? ALL_STATES;
  const matchesAt = (source: SocketFilterSource, index: number): boolean => {
    if (stateMask !== ALL_STATES && (stateMask & stateBit(source.stateCode(index))) === 0) return false;
    if (family !== null && source.family(index) !== family) return false;
    return test === null || test(source, index);
  };
  const plain = new PlainRowSource();
  return {
    text,
    states: mask === null ? null : statesOfMask(mask),
    family,
    expression,
    matches(row: InetSocket | UnixSocket): boolean {
      plain.row = row;
      try {
        return matchesAt(plain, 0);
      } finally {
        plain.row = undefined;
      }
    },
    matchesAt,
  };
}
