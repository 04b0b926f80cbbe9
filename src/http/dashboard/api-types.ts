// The JSON the dashboard reads from the daemon's API (docs/http-api.md): the server's types (erased from the
// browser bundle), with the events narrowed to the log's record types.
import type { EventRecord } from '../../log/records.js';
import type { StatusBody } from '../api-status.js';
import type { LastKind } from '../live.js';

/** The overall state of the latest cycle, as the CLI's exit codes name it. */
export type Verdict = StatusBody['verdict'];

/** GET api/status, with the last events read as the log's event records. */
export type StatusResponse = Omit<StatusBody, 'last'> & { last: Partial<Record<LastKind, EventRecord | null>> };

/** GET api/events. */
export interface EventsResponse {
  events: EventRecord[];
  skipped_lines: number;
}

/** GET api/series?range=… and its points: the server's own types. */
export type { SeriesBody as SeriesResponse, SeriesPoint, RangeName as SeriesRange } from '../api-series.js';
