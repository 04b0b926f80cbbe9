// The shapes of Gatus-style health conditions: a parsed condition (two operands and an operator) and the
// probe outcome it is evaluated against. Pure data: parsed once at config load, evaluated every probe.
import type { GlobToken } from './glob.js';

/** The placeholders a condition can read. */
export const PLACEHOLDERS = ['STATUS', 'BODY', 'RESPONSE_TIME', 'CONNECTED', 'CERTIFICATE_EXPIRATION', 'IP'] as const;
/** One of PLACEHOLDERS. */
export type PlaceholderName = (typeof PLACEHOLDERS)[number];

/** The comparison operators, two-character ones first (the parser tries them in this order). */
export const OPERATORS = ['==', '!=', '<=', '>=', '<', '>'] as const;
/** One of OPERATORS. */
export type Operator = (typeof OPERATORS)[number];

/** One step of a JSON path: `.key` or `[index]`. */
export type PathStep = { key: string } | { index: number };

/** One side of a condition, with the text it was written as. */
export type Operand =
  | { kind: 'placeholder'; name: PlaceholderName; path: PathStep[] | null; fn: 'len' | 'has' | null; text: string }
  | { kind: 'literal'; text: string }
  | { kind: 'any'; options: string[]; text: string }
  | { kind: 'pat'; glob: GlobToken[]; text: string };

/** A parsed condition: `left op right`, as written in `text`. */
export interface Condition {
  text: string;
  left: Operand;
  op: Operator;
  right: Operand;
}

/** Why a condition does not parse: what is wrong and the 0-based character where it is. */
export interface ConditionError {
  message: string;
  index: number;
}

/** The kinds of probe: an HTTP(S) request, a TCP connection, a TLS connection. */
export type ProbeKind = 'http' | 'tcp' | 'tls';

/** What a probe that completed saw; conditions are evaluated against it. */
export interface ProbeOutcome {
  kind: ProbeKind;
  /** The HTTP status; null for tcp and tls. */
  status: number | null;
  /** The HTTP body, or what a tcp / tls peer sent (empty when nothing was read). */
  body: Buffer;
  /** The probe's own time (unrounded). */
  latencyMs: number;
  /** The peer's IP address. */
  ip: string | null;
  /** When the peer's certificate expires (epoch ms); null without TLS. */
  certValidToMs: number | null;
}
