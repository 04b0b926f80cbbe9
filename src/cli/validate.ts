// `anomaly-guard validate`: every config problem at once (the loader throws them all), else "valid";
// with --probe, also one probe of health.url as the guard makes it, so a wrong URL is found before it
// restarts a healthy service.
import type { GuardConfig } from '../config/config.js';
import { redactUrlText } from '../config/fields.js';
import { loadConfig } from '../config/load.js';
import { GuardError } from '../errors.js';

/** Validates the config; problems are thrown as one GuardError (exit 2), warnings are printed. */
export default async function validate(opts: Record<string, unknown>): Promise<number> {
  const file = typeof opts.config === 'string' ? opts.config : undefined;
  const { config, warnings } = await loadConfig({ file });
  for (const w of warnings) process.stderr.write(`anomaly-guard validate: warning: ${w}\n`);
  const what = config.file ?? 'no config file found; the built-in defaults';
  const names = config.targets.map((t) => t.target).join(', ');
  const targets = config.targets.length > 0 ? `, ${config.targets.length} target${config.targets.length === 1 ? '' : 's'}: ${names}` : '';
  process.stdout.write(`${what} ${config.file ? 'is valid' : 'are valid'}${targets}${warnings.length ? ` (${warnings.length} warning${warnings.length === 1 ? '' : 's'})` : ''}\n`);
  if (opts.probe !== true) return 0;
  if (config.targets.length === 0) {
    await probeOnceForValidate(config);
    return 0;
  }
  // Every target probed; the failures are listed together, each under its target's name.
  const failed: string[] = [];
  for (const t of config.targets) {
    try {
      await probeOnceForValidate(t);
    } catch (err) {
      if (!(err instanceof GuardError)) throw err;
      failed.push(`targets[${t.target}].${err.message}`);
    }
  }
  if (failed.length > 0) {
    throw new GuardError('CONFIG_PROBE_FAILED', `${failed.length} of ${config.targets.length} targets failed their probe`, {
      details: failed,
      hint: 'check each health.url, health.headers and that the service runs; a guard with this config would count every check of those targets as unhealthy and heal',
    });
  }
  return 0;
}

// One probe with the real client; a failure is a CONFIG_PROBE_FAILED naming the URL and what was seen.
async function probeOnceForValidate(config: GuardConfig): Promise<void> {
  const [{ realCycleDeps }, { probeOnce }] = await Promise.all([import('./real-deps.js'), import('../cycle/measure.js')]);
  const deps = realCycleDeps(config, (line) => void process.stderr.write(`anomaly-guard validate: ${line}\n`));
  try {
    const probe = await probeOnce(config, deps, new AbortController().signal);
    const url = redactUrlText(config.health.url);
    const ms = `${probe.latencyMs.toFixed(1)} ms`;
    if (!probe.ok) {
      throw new GuardError('CONFIG_PROBE_FAILED', `health.url: the probe of ${url} failed after ${ms}: ${probe.detail ?? 'unknown'}${probe.httpStatus === null ? '' : ` (HTTP ${probe.httpStatus})`}`, {
        hint: 'check health.url, health.headers and that the service runs; a guard with this config would count every check as unhealthy and heal',
      });
    }
    const whose = config.target === null ? '' : `[${config.target}] `;
    process.stdout.write(`${whose}probe ${url}: ok in ${ms} (HTTP ${probe.httpStatus ?? '?'}, status=${config.health.expectStatus})\n`);
  } finally {
    deps.close();
  }
}
