/**
 * ss's filter language (`state established '( dport = :443 or sport = :443 )'`) → a {@link SocketFilter}.
 * @module
 */
import { compileSocketFilter } from './compile-filter.js';
import { SocketFilterError, type SocketFilterErrorCode } from './filter-error.js';
import { ALL_STATES, lookUpStateWord, type StateMask } from './filter-states.js';
import { type HostContext, parseHostWord, parsePortWord } from './parse-host.js';
import { type FilterWord, scanWords } from './scan-words.js';
import type {
  PortOperator,
  SocketFilter,
  SocketFilterExpression,
  SocketFilterFamily,
  SocketFilterOptions,
  SocketFilterSide,
} from './types.js';

/**
 * Deepest nesting taken (parentheses, `not`, alternations of `and` and `or`; a run of one operator counts once):
 * hostile text gets an error, not a stack overflow.
 */
export const MAX_FILTER_DEPTH = 500;

/** What ss's lexer makes of a word (`misc/ssfilter.y`, `yylex`): keywords are exact and case-sensitive. */
type WordKind =
  | 'not'
  | 'and'
  | 'or'
  | '('
  | ')'
  | 'src'
  | 'dst'
  | 'sport'
  | 'dport'
  | 'autobound'
  | 'other-field'
  | PortOperator
  | 'host';

const WORD_KINDS: ReadonlyMap<string, WordKind> = /* @__PURE__ */ new Map<string, WordKind>([
  ['!', 'not'],
  ['not', 'not'],
  ['&', 'and'],
  ['&&', 'and'],
  ['and', 'and'],
  ['|', 'or'],
  ['||', 'or'],
  ['or', 'or'],
  ['(', '('],
  [')', ')'],
  ['src', 'src'],
  ['dst', 'dst'],
  ['sport', 'sport'],
  ['dport', 'dport'],
  ['autobound', 'autobound'],
  ['dev', 'other-field'],
  ['fwmark', 'other-field'],
  ['cgroup', 'other-field'],
  ['>=', '>='],
  ['ge', '>='],
  ['geq', '>='],
  ['<=', '<='],
  ['le', '<='],
  ['leq', '<='],
  ['!=', '!='],
  ['ne', '!='],
  ['neq', '!='],
  ['=', '='],
  ['==', '='],
  ['eq', '='],
  ['>', '>'],
  ['gt', '>'],
  ['<', '<'],
  ['lt', '<'],
]);

const kindOf = (word: FilterWord): WordKind => WORD_KINDS.get(word.value) ?? 'host';

const STARTS_CONDITION = /* @__PURE__ */ new Set<WordKind>([
  'not',
  '(',
  'src',
  'dst',
  'sport',
  'dport',
  'autobound',
  'other-field',
]);

/** A parsed subexpression and how deep it nests. */
interface Parsed {
  node: SocketFilterExpression;
  depth: number;
}

class FilterParser {
  readonly #words: FilterWord[];
  readonly #context: HostContext;
  #pos: number;
  /** Parentheses and `not`s open now: checked before each descent, so the recursion itself stays bounded. */
  #open = 0;
  /** The family the last `inet:`/`inet6:`/`unix:` prefix narrowed the listing to. */
  narrowed: SocketFilterFamily | null = null;

  constructor(words: FilterWord[], start: number, context: HostContext) {
    this.#words = words;
    this.#pos = start;
    this.#context = context;
  }

  #fail(code: SocketFilterErrorCode, reason: string, word: FilterWord | undefined): never {
    const text = this.#context.text;
    throw new SocketFilterError({
      code,
      reason,
      filter: text,
      offset: word === undefined ? text.length : word.start,
      length: word === undefined ? 0 : word.end - word.start,
    });
  }

  #peek(): FilterWord | undefined {
    return this.#words[this.#pos];
  }

  #next(): FilterWord | undefined {
    return this.#words[this.#pos++];
  }

  #checkDepth(depth: number, word: FilterWord | undefined): void {
    if (depth > MAX_FILTER_DEPTH) {
      this.#fail('UNSUPPORTED', `the expression nests deeper than ${MAX_FILTER_DEPTH} levels`, word);
    }
  }

  /** The whole expression; `null` when there is none. */
  parseAll(): SocketFilterExpression | null {
    if (this.#peek() === undefined) return null;
    const { node } = this.#parseList();
    const rest = this.#peek();
    if (rest !== undefined) this.#fail('UNEXPECTED_WORD', 'this ")" has no "(" before it', rest);
    return node;
  }

  /** `exprlist`: conditions joined by `and`, `or` or nothing, left to right, all of one precedence (as ss parses). */
  #parseList(): Parsed {
    let left = this.#parseCondition();
    for (;;) {
      const word = this.#peek();
      if (word === undefined) return left;
      const kind = kindOf(word);
      let type: 'and' | 'or';
      if (kind === 'and' || kind === 'or') {
        this.#pos++;
        type = kind;
        if (this.#peek() === undefined)
          this.#fail('UNEXPECTED_END', `"${word.value}" needs a condition after it`, undefined);
      } else if (STARTS_CONDITION.has(kind)) {
        type = 'and';
      } else if (kind === ')') {
        return left;
      } else {
        return this.#unexpected(word);
      }
      const right = this.#parseCondition();
      // A run of one operator is one level (compiled, printed and pushed down as a list, not a nest).
      const depth =
        left.node.type === type ? Math.max(left.depth, right.depth + 1) : Math.max(left.depth, right.depth) + 1;
      this.#checkDepth(depth, word);
      left = { node: { type, left: left.node, right: right.node }, depth };
    }
  }

  /** `expr`: a parenthesized list, `not` and a condition, or one predicate. */
  #parseCondition(): Parsed {
    const word = this.#next();
    if (word === undefined) return this.#fail('UNEXPECTED_END', 'a condition is expected', undefined);
    switch (kindOf(word)) {
      case '(': {
        if (this.#peek() === undefined)
          this.#fail('UNEXPECTED_END', `the "(" at column ${word.start + 1} is not closed`, undefined);
        this.#checkDepth(++this.#open, word);
        const inner = this.#parseList();
        this.#open--;
        const close = this.#next();
        if (close === undefined)
          this.#fail('UNEXPECTED_END', `the "(" at column ${word.start + 1} is not closed`, undefined);
        this.#checkDepth(inner.depth + 1, word);
        return { node: inner.node, depth: inner.depth + 1 };
      }
      case 'not': {
        this.#checkDepth(++this.#open, word);
        const operand = this.#parseCondition();
        this.#open--;
        this.#checkDepth(operand.depth + 1, word);
        return { node: { type: 'not', operand: operand.node }, depth: operand.depth + 1 };
      }
      case 'src':
      case 'dst':
        return { node: this.#parseHost(word.value === 'src' ? 'local' : 'remote', word), depth: 0 };
      case 'sport':
      case 'dport':
        return { node: this.#parsePort(word.value === 'sport' ? 'local' : 'remote', word), depth: 0 };
      case 'autobound':
        if (this.#context.options?.family !== 'unix') {
          this.#fail(
            'UNSUPPORTED',
            'autobound needs the bind flags of inet sockets, which /proc does not show (it works on unix sockets: family "unix")',
            word,
          );
        }
        return { node: { type: 'autobound' }, depth: 0 };
      case 'other-field':
        return this.#fail(
          'UNSUPPORTED',
          `"${word.value}" is not in the /proc/net tables, so procnet cannot match it`,
          word,
        );
      default:
        return this.#unexpected(word);
    }
  }

  #unexpected(word: FilterWord): never {
    const kind = kindOf(word);
    const v = word.value;
    if (kind === ')') this.#fail('UNEXPECTED_WORD', 'this ")" has no "(" before it', word);
    if (kind === 'and' || kind === 'or') this.#fail('UNEXPECTED_WORD', `"${v}" needs a condition before it`, word);
    if (v === 'state' || v === 'exclude' || v === 'excl') {
      this.#fail('UNEXPECTED_WORD', `"${v}" must come before the expression`, word);
    }
    if (kind !== 'host') this.#fail('UNEXPECTED_WORD', `"${v}" needs src, dst, sport or dport before it`, word);
    const glued = /^[(!]|\)$/.test(v) ? ' (put spaces around "(", ")" and "!")' : '';
    return this.#fail(
      'UNEXPECTED_WORD',
      `"${v}" is not a condition: expected src, dst, sport, dport, not or "("${glued}`,
      word,
    );
  }

  /** The word where a host or port must stand. */
  #valueWord(field: FilterWord, what: string): FilterWord {
    const word = this.#next();
    if (word === undefined) this.#fail('UNEXPECTED_END', `"${field.value}" needs ${what} after it`, undefined);
    const kind = kindOf(word);
    if (kind !== 'host') {
      this.#fail('UNEXPECTED_WORD', `"${field.value}" needs ${what} here, not the keyword "${word.value}"`, word);
    }
    return word;
  }

  #noteFamily(prefix: 'inet' | 'inet6' | 'unix' | null): void {
    if (prefix === 'inet') this.narrowed = 'IPv4';
    else if (prefix === 'inet6') this.narrowed = 'IPv6';
    else if (prefix === 'unix') this.narrowed = 'unix';
  }

  #parseHost(side: SocketFilterSide, field: FilterWord): SocketFilterExpression {
    const op = this.#peek();
    if (op !== undefined) {
      const kind = kindOf(op);
      if (kind === '=') this.#pos++;
      else if (kind === '!=')
        this.#fail(
          'UNEXPECTED_WORD',
          `ss takes no "${op.value}" after ${field.value}: write "not ${field.value} …"`,
          op,
        );
      else if (kind === '<' || kind === '>' || kind === '<=' || kind === '>=') {
        this.#fail('UNEXPECTED_WORD', `${field.value} takes "=" or nothing; compare ports with sport/dport`, op);
      }
    }
    const word = this.#valueWord(field, 'an address');
    const host = parseHostWord(this.#context, word);
    this.#noteFamily(host.familyPrefix);
    return { type: 'host', side, host };
  }

  #parsePort(side: SocketFilterSide, field: FilterWord): SocketFilterExpression {
    let operator: PortOperator = '=';
    const op = this.#peek();
    if (op !== undefined) {
      const kind = kindOf(op);
      if (kind === '=' || kind === '!=' || kind === '<' || kind === '>' || kind === '<=' || kind === '>=') {
        this.#pos++;
        operator = kind;
      }
    }
    const word = this.#valueWord(field, 'a port');
    const value = parsePortWord(this.#context, word);
    if (value.kind === 'unix') {
      if (operator !== '=' && operator !== '!=') {
        this.#fail('BAD_PORT', `"${operator}" compares port numbers, not a unix name`, word);
      }
      this.#noteFamily('unix');
      const node: SocketFilterExpression = { type: 'host', side, host: value.host };
      return operator === '=' ? node : { type: 'not', operand: node };
    }
    if (value.port === null && operator !== '=' && operator !== '!=') {
      this.#fail('BAD_PORT', `"${operator}" needs a port number, not "*"`, word);
    }
    this.#noteFamily(value.familyPrefix);
    return { type: 'port', side, operator, port: value.port, familyPrefix: value.familyPrefix };
  }
}

/** Reads ss's leading `state NAME` / `exclude NAME` words. Returns the mask (`null`: none) and where the rest starts. */
function parseStates(words: FilterWord[], text: string): { mask: StateMask | null; next: number } {
  let mask: StateMask | null = null;
  let i = 0;
  for (; i < words.length; i += 2) {
    const keyword = words[i]!;
    const exclude = keyword.value === 'exclude' || keyword.value === 'excl';
    if (keyword.value !== 'state' && !exclude) break;
    const name = words[i + 1];
    if (name === undefined) {
      throw new SocketFilterError({
        code: 'UNEXPECTED_END',
        reason: `"${keyword.value}" needs a state name after it`,
        filter: text,
        offset: text.length,
        length: 0,
      });
    }
    const states = lookUpStateWord(name.value);
    if (states === undefined) {
      throw new SocketFilterError({
        code: 'UNKNOWN_STATE',
        reason:
          `"${name.value}" is not a state: use established, syn-sent, syn-recv, fin-wait-1, fin-wait-2, time-wait, ` +
          'closed, close-wait, last-ack, listening, closing, or all, connected, synchronized, bucket, big',
        filter: text,
        offset: name.start,
        length: name.end - name.start,
      });
    }
    // As ss: the first `state` starts from no state, the first `exclude` from all; later ones add or take away.
    mask = exclude ? (mask ?? ALL_STATES) & ~states : (mask ?? 0) | states;
  }
  return { mask, next: i };
}

/**
 * Parses a socket filter written in ss's language, once, for matching many rows:
 *
 * ```text
 * [ state NAME | exclude NAME ]... [ EXPRESSION ]
 * ```
 *
 * State words first (`state established`, `exclude time-wait`; groups `all`, `connected`, `synchronized`, `bucket`,
 * `big`), then conditions: `src HOST`, `dst HOST`, `sport OP PORT`, `dport OP PORT` (OP one of `=` `!=` `<` `>` `<=`
 * `>=`, or `eq` `neq` `ne` `lt` `gt` `le` `ge` `leq` `geq` `==`), joined by `and` (`&&`, `&`, or nothing), `or`
 * (`||`, `|`), `not` (`!`) and `(` `)`. As in ss, words are separated by blanks (`\(` is `(`), and `and` and `or` have
 * the same precedence, left to right: `a or b and c` is `(a or b) and c` (ss's manual says otherwise; its parser
 * does this). HOST is `ADDRESS[/PREFIX][:PORT]`, `[IPV6][:PORT]`, `*:PORT` or `unix:PATTERN`.
 * See docs/filters.md for every form and each difference from ss.
 *
 * @throws {SocketFilterError} for text it cannot use, with the offending word's column and a caret `frame`.
 */
export function parseSocketFilter(text: string, options?: SocketFilterOptions): SocketFilter {
  const words = scanWords(text);
  const { mask, next } = parseStates(words, text);
  const parser = new FilterParser(words, next, { text, options });
  const expression = parser.parseAll();
  return compileSocketFilter(text, mask, parser.narrowed, expression);
}
