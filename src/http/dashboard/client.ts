// The dashboard's entry, bundled with uPlot into dist/dashboard/app.js: wires the token, the API client,
// the views, the range selector and live updates (a refetch after every `cycle` event of api/stream,
// and a poll at the daemon's interval whenever the stream stays quiet). A guard with targets opens on the
// overview (overview-page.ts); ?target=NAME is this page scoped to one target (every API call names it).
import type { EventsResponse, SeriesRange, SeriesResponse, StatusResponse } from './api-types.js';
import { createApi, type Api } from './api.js';
import { tokenPrompt, tokenStore } from './auth.js';
import { latencyChart, type LatencyChart } from './chart.js';
import { byId, setText } from './dom.js';
import { renderEvents } from './events-view.js';
import { formatAgo, formatClock } from './format.js';
import { followStream } from './live.js';
import { startOverview } from './overview-page.js';
import { coalesced, eventTarget, pageScope, scopedPath, setLive, showError, type PageScope } from './page-common.js';
import { renderResources } from './resources-view.js';
import { renderStatus } from './status-view.js';

interface PageState {
  scope: PageScope;
  range: SeriesRange;
  status: StatusResponse | null;
  lastRefreshMs: number;
}

async function loadSeries(api: Api, chart: LatencyChart, state: PageState): Promise<string | null> {
  const wanted = state.range;
  const got = await api.get<SeriesResponse>(scopedPath(`api/series?range=${wanted}`, state.scope));
  if (got.ok && wanted === state.range) chart.update(got.value); // a late answer for an old range is dropped
  return got.ok ? null : got.error;
}

async function loadAll(api: Api, chart: LatencyChart, state: PageState): Promise<void> {
  const [status, events, seriesError] = await Promise.all([api.get<StatusResponse>(scopedPath('api/status', state.scope)), api.get<EventsResponse>(scopedPath('api/events?limit=50', state.scope)), loadSeries(api, chart, state)]);
  if (status.ok) {
    state.status = status.value;
    renderStatus(document, status.value);
    renderResources(byId('resources'), status.value);
  }
  if (events.ok) renderEvents(byId<HTMLTableSectionElement>('events-body'), byId('events-empty'), events.value.events);
  showError([status, events].map((r) => (r.ok ? null : r.error)).find((e) => e !== null) ?? seriesError);
  state.lastRefreshMs = Date.now();
  tickClock(state);
}

function tickClock(state: PageState): void {
  const at = state.status?.updated_at;
  setText(byId('updated'), at ? `${formatClock(at)} (${formatAgo(at)})` : null);
}

function bindRange(api: Api, chart: LatencyChart, state: PageState): void {
  const form = byId<HTMLFormElement>('range');
  form.addEventListener('change', (ev) => {
    const input = ev.target as HTMLInputElement;
    state.range = input.value as SeriesRange;
    void loadSeries(api, chart, state).then(showError);
  });
}

const LOG_SCALE_KEY = 'anomaly-guard.log-scale';

// The log-scale toggle, remembered in localStorage (a plain default when storage is disabled).
function bindLogScale(chart: LatencyChart): void {
  const box = byId<HTMLInputElement>('log-scale');
  box.checked = readLogScale();
  box.addEventListener('change', () => {
    chart.setLog(box.checked);
    try {
      localStorage.setItem(LOG_SCALE_KEY, box.checked ? '1' : '0');
    } catch {
      // storage disabled: the choice lasts for this page
    }
  });
}

function readLogScale(): boolean {
  try {
    return localStorage.getItem(LOG_SCALE_KEY) === '1';
  } catch {
    return false;
  }
}

function start(): void {
  const tokens = tokenStore(window);
  const api = createApi(tokens, tokenPrompt(byId<HTMLFormElement>('token-form'), byId<HTMLInputElement>('token-input'), byId('token-note')));
  const scope = pageScope(window.location.search, document.body);
  if (scope.kind === 'overview') return startOverview(api);
  if (scope.kind === 'target') showScope(scope.name);
  const chart = latencyChart(byId('chart'), byId('chart-empty'), readLogScale());
  const state: PageState = { scope, range: '1h', status: null, lastRefreshMs: 0 };
  const refresh = coalesced(() => loadAll(api, chart, state));
  bindRange(api, chart, state);
  bindLogScale(chart);
  setLive('connecting');
  refresh();
  const stop = new AbortController();
  window.addEventListener('pagehide', () => stop.abort());
  void followStream({ url: 'api/stream', headers: api.headers, onState: setLive, signal: stop.signal, onEvent: (ev) => ev.event === 'cycle' && isMine(ev.data, scope) && refresh() });
  setInterval(() => {
    tickClock(state);
    const pollMs = Math.min(60_000, Math.max(1000, state.status?.config.interval_ms ?? 60_000));
    if (Date.now() - state.lastRefreshMs > pollMs + 2000) refresh(); // the stream is quiet or buffered
  }, 1000);
}

// A cycle event concerns this page: any on a page without a target, the target's own on its page.
function isMine(data: string, scope: PageScope): boolean {
  return scope.kind !== 'target' || eventTarget(data) === scope.name;
}

// The target's name in the header, with the way back to the overview.
function showScope(name: string): void {
  byId('scope').hidden = false;
  setText(byId('scope-name'), name);
  document.title = `${name} · anomaly-guard`;
}

start();
