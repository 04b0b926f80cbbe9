// The landing page of a guard with targets: the overview table (overview-view.ts) from api/targets, the
// filter box, the count per state, and live updates: a cycle event on api/stream refetches the overview,
// at most once every OVERVIEW_MIN_GAP_MS (a thousand targets end cycles all the time), and a poll every
// OVERVIEW_POLL_MS when the stream stays quiet.
import type { TargetsBody } from '../target-overview.js';
import type { Api } from './api.js';
import { byId, setText } from './dom.js';
import { formatAgo, formatClock } from './format.js';
import { followStream } from './live.js';
import { overviewView, STATE_LABELS } from './overview-view.js';
import { coalesced, setLive, showError } from './page-common.js';

/** The shortest gap between two overview fetches, and the poll of a quiet stream. */
export const OVERVIEW_MIN_GAP_MS = 2000;
export const OVERVIEW_POLL_MS = 10_000;

/** Shows the overview and keeps it current. */
export function startOverview(api: Api): void {
  byId('overview').hidden = false;
  byId('single').hidden = true;
  byId('guarding').hidden = true;
  byId('daemon-info').hidden = true;
  const view = overviewView(byId<HTMLTableSectionElement>('targets-body'), byId('targets-count'));
  const search = byId<HTMLInputElement>('targets-search');
  search.addEventListener('input', () => view.filter(search.value));
  let updatedAt: string | null = null;
  let lastMs = 0;
  const load = coalesced(async () => {
    lastMs = Date.now();
    const got = await api.get<TargetsBody>('api/targets');
    if (got.ok) {
      view.update(got.value);
      updatedAt = got.value.updated_at;
      const counts = Object.entries(got.value.states).filter(([, n]) => n > 0);
      setText(byId('targets-states'), counts.map(([state, n]) => `${n} ${STATE_LABELS[state as keyof typeof STATE_LABELS]}`).join(' · '));
    }
    showError(got.ok ? null : got.error);
    setText(byId('updated'), updatedAt === null ? null : `${formatClock(updatedAt)} (${formatAgo(updatedAt)})`);
  });
  // A refetch now, or when the gap since the last one has passed (one timer at most).
  let timer: number | null = null;
  const soon = (): void => {
    if (timer !== null) return;
    const wait = Math.max(0, lastMs + OVERVIEW_MIN_GAP_MS - Date.now());
    timer = window.setTimeout(() => ((timer = null), load()), wait);
  };
  setLive('connecting');
  load();
  const stop = new AbortController();
  window.addEventListener('pagehide', () => stop.abort());
  void followStream({ url: 'api/stream', headers: api.headers, onState: setLive, signal: stop.signal, onEvent: (ev) => ev.event === 'cycle' && soon() });
  setInterval(() => Date.now() - lastMs > OVERVIEW_POLL_MS && soon(), 1000);
}
