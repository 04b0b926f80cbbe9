// What every view of the dashboard shares: one refresh at a time, the error box, the live line, and which
// view the page is (today's page of a guard without targets, the overview of a guard with targets, or one
// target's page: ?target=NAME).
import { byId, setText } from './dom.js';
import type { LiveState } from './live.js';

/** Which page this is. */
export type PageScope = { kind: 'single' } | { kind: 'overview' } | { kind: 'target'; name: string };

/** The scope from the address (?target=NAME) and the page's <body data-targets> (set by the server). */
export function pageScope(search: string, body: HTMLElement): PageScope {
  const name = new URLSearchParams(search).get('target');
  if (name !== null && name !== '') return { kind: 'target', name };
  return body.dataset.targets !== undefined ? { kind: 'overview' } : { kind: 'single' };
}

/** An API path scoped to the target of the page (unchanged on a page without one). */
export function scopedPath(path: string, scope: PageScope): string {
  if (scope.kind !== 'target') return path;
  return `${path}${path.includes('?') ? '&' : '?'}target=${encodeURIComponent(scope.name)}`;
}

/** Runs `fn` now, or once more right after the run in progress; never two at once. */
export function coalesced(fn: () => Promise<void>): () => void {
  let running = false;
  let again = false;
  const run = async (): Promise<void> => {
    if (running) return void (again = true);
    running = true;
    try {
      do {
        again = false;
        await fn();
      } while (again);
    } finally {
      running = false;
    }
  };
  return () => void run();
}

/** Shows a message in the error box, or hides it (null). */
export function showError(message: string | null): void {
  const box = byId('error');
  box.hidden = message === null;
  box.textContent = message ?? '';
}

/** Shows how the stream connection is doing. */
export function setLive(state: LiveState): void {
  document.body.dataset.live = state;
  setText(byId('live'), state === 'live' ? 'live' : state === 'connecting' ? 'connecting…' : 'reconnecting…');
}

/** The target a stream event's data names, or null (a guard without targets, or data that is not JSON). */
export function eventTarget(data: string): string | null {
  try {
    const target = (JSON.parse(data) as { target?: unknown }).target;
    return typeof target === 'string' ? target : null;
  } catch {
    return null;
  }
}
