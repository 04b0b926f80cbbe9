// Loads the config for a command, printing its warnings on stderr.
import type { GuardConfig } from '../config/config.js';
import { loadConfig } from '../config/load.js';

/** Loads the config named by -c (or found the usual way) and reports warnings as `warning:` lines. */
export async function loadForCommand(opts: Record<string, unknown>, command: string): Promise<GuardConfig> {
  const file = typeof opts.config === 'string' ? opts.config : undefined;
  const { config, warnings } = await loadConfig({ file });
  for (const w of warnings) process.stderr.write(`anomaly-guard ${command}: warning: ${w}\n`);
  return config;
}
