// The JSON the dashboard reads from the daemon's API (docs/http-api.md), as the page uses it.
import type { CheckRecord, EventRecord } from '../../log/records.js';

/** The overall state of the latest cycle, as the CLI's exit codes name it. */
export type Verdict = 'OK' | 'WARNING' | 'CRITICAL' | 'UNKNOWN';

/** GET api/status. */
export interface StatusResponse {
  updated_at: string;
  daemon: { pid: number; started_at: string; cycles: number; version: string };
  config: {
    interval_ms: number | null;
    schedule: string | null;
    health_url: string;
    sigma: number;
    window: number;
    detector: string;
    cpu_critical: number;
    mem_critical: number;
    disk_warning: number;
    max_per_hour: number;
  };
  latest_check: CheckRecord | null;
  verdict: Verdict;
  baseline: { n: number; mean: number | null; stdev: number | null; threshold_ms: number | null };
  last: Partial<Record<'trigger' | 'heal' | 'verify' | 'suppressed' | 'warning' | 'recovered', EventRecord | null>>;
  heals_last_hour: number;
}

/** GET api/events. */
export interface EventsResponse {
  events: EventRecord[];
  skipped_lines: number;
}

/** One check in GET api/series (possibly a downsampled bucket). */
export interface SeriesPoint {
  ts: string;
  latency_ms: number | null;
  ok: boolean;
  score: number | null;
  mean: number | null;
  stdev: number | null;
  cpu: number | null;
  mem: number | null;
  disk: number | null;
}

/** The time ranges the selector offers. */
export type SeriesRange = '1h' | '1d' | '1w';

/** GET api/series?range=…. */
export interface SeriesResponse {
  range: SeriesRange;
  from: string;
  to: string;
  points: SeriesPoint[];
  triggers: { ts: string; reasons: string[] }[];
  sigma: number;
  downsampled: boolean;
}
