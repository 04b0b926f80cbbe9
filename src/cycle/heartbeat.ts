// The heartbeat: an HTTP GET after every completed cycle (a dead-man's switch in the style of
// Healthchecks.io), so a guard that stopped running is noticed by something else.
import type { GuardConfig } from '../config/config.js';
import { redactUrlText } from '../config/fields.js';
import type { CycleDeps } from './deps.js';

/** GETs heartbeat.url when set; a failure is reported through deps.warn (the URL's secret parts are not). */
export async function sendHeartbeat(config: GuardConfig, deps: CycleDeps, signal?: AbortSignal): Promise<void> {
  const url = config.heartbeat.url;
  if (url === '') return;
  const result = await deps.http({ url, headers: {}, timeoutMs: config.heartbeat.timeoutMs, maxBodyBytes: 64 * 1024, ...(signal ? { signal } : {}) });
  const where = redactUrlText(new URL(url).origin);
  if (result.kind === 'error') deps.warn(`heartbeat to ${where} failed: ${result.detail}`);
  else if (result.status < 200 || result.status >= 300) deps.warn(`heartbeat to ${where} failed: HTTP ${result.status}`);
}
