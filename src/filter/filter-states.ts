/**
 * ss's state names and groups (`state established`, `exclude listening`, `state connected`) as sets of state codes.
 * @module
 */
import { decodeTcpState, type TcpState } from '../decode/tcp-state.js';

/** A set of state codes as a bit mask: bit N is kernel state N (1 ESTABLISHED … 11 CLOSING), bit 0 any other code. */
export type StateMask = number;

/** Every state, unknown codes included (ss's `SS_ALL`). */
export const ALL_STATES: StateMask = 0xfff;

const bit = (code: number) => 1 << code;
const SYN_SENT = /* @__PURE__ */ bit(2);
const SYN_RECV = /* @__PURE__ */ bit(3);
const TIME_WAIT = /* @__PURE__ */ bit(6);
const CLOSE = /* @__PURE__ */ bit(7);
const LISTEN = /* @__PURE__ */ bit(10);

/** The state of each bit, in bit order (bit 0 is `UNKNOWN`, bit N kernel state N). */
export const STATE_BY_BIT: readonly TcpState[] = /* @__PURE__ */ Array.from({ length: 12 }, (_, code) =>
  decodeTcpState(code),
);

/** ss's name of each bit, as `formatSocketFilter` writes it. */
export const SS_STATE_NAMES: readonly string[] = [
  'unknown',
  'established',
  'syn-sent',
  'syn-recv',
  'fin-wait-1',
  'fin-wait-2',
  'time-wait',
  'closed',
  'close-wait',
  'last-ack',
  'listening',
  'closing',
];

/**
 * Every word ss's `scan_state()` takes, lower case (ss compares without case), with `listen` added: ss rejects it,
 * but it is what people type. Groups: `connected` is every state but LISTEN and CLOSE, `synchronized` is `connected`
 * without SYN-SENT, `bucket` the mini-sockets (SYN-RECV, TIME-WAIT), `big` every state but those two.
 */
const STATE_WORDS: ReadonlyMap<string, StateMask> = /* @__PURE__ */ stateWords();

function stateWords(): Map<string, StateMask> {
  return new Map([
    ...SS_STATE_NAMES.map((name, i) => [name, bit(i)] as const),
    ['close', CLOSE],
    ['unconnected', CLOSE],
    ['syn-rcv', SYN_RECV],
    ['listen', LISTEN],
    ['all', ALL_STATES],
    ['connected', ALL_STATES & ~(CLOSE | LISTEN)],
    ['synchronized', ALL_STATES & ~(CLOSE | LISTEN | SYN_SENT)],
    ['bucket', SYN_RECV | TIME_WAIT],
    ['big', ALL_STATES & ~(SYN_RECV | TIME_WAIT)],
  ]);
}

/** The states a word after `state` or `exclude` names, or `undefined` for no state word. */
export function lookUpStateWord(word: string): StateMask | undefined {
  return STATE_WORDS.get(word.toLowerCase());
}

/** The bit a row's state code selects: codes outside 1–11 count as `unknown` (bit 0). */
export function stateBit(code: number): StateMask {
  return code >= 1 && code <= 11 ? 1 << code : 1;
}

/** The states in a mask, in code order. */
export function statesOfMask(mask: StateMask): TcpState[] {
  const out: TcpState[] = [];
  for (let i = 0; i < STATE_BY_BIT.length; i++) if (mask & bit(i)) out.push(STATE_BY_BIT[i] as TcpState);
  return out;
}
