// `anomaly-guard validate`: every config problem at once (the loader throws them all), else "valid".
import { loadConfig } from '../config/load.js';

/** Validates the config; problems are thrown as one GuardError (exit 2), warnings are printed. */
export default async function validate(opts: Record<string, unknown>): Promise<number> {
  const file = typeof opts.config === 'string' ? opts.config : undefined;
  const { config, warnings } = await loadConfig({ file });
  for (const w of warnings) process.stderr.write(`anomaly-guard validate: warning: ${w}\n`);
  const what = config.file ?? 'no config file found; the built-in defaults';
  process.stdout.write(`${what} ${config.file ? 'is valid' : 'are valid'}${warnings.length ? ` (${warnings.length} warning${warnings.length === 1 ? '' : 's'})` : ''}\n`);
  return 0;
}
