// The JSON the dashboard reads from the daemon's API (docs/http-api.md): the server's types (erased from the
// browser bundle). Log records are `unknown` as they arrive: the views check them (record-guards.ts)
// before reading a field, so a record with fields of the wrong type shows raw instead of breaking the page.
import type { StatusBody } from '../api-status.js';
import type { LastKind } from '../live.js';

/** The overall state of the latest cycle, as the CLI's exit codes name it. */
export type Verdict = StatusBody['verdict'];

/** GET api/status, its log records unchecked. */
export type StatusResponse = Omit<StatusBody, 'last' | 'latest_check'> & { latest_check: unknown; last: Partial<Record<LastKind, unknown>> };

/** GET api/events, its records unchecked. */
export interface EventsResponse {
  events: unknown[];
  skipped_lines: number;
}

/** GET api/series?range=… and its points: the server's own types. */
export type { SeriesBody as SeriesResponse, SeriesPoint, RangeName as SeriesRange } from '../api-series.js';
