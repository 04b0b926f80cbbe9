// `anomaly-guard init [FILE]`: writes the commented default config, never over an existing file.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { INIT_TEMPLATE } from '../config/init-template.js';
import { describeFsError } from '../effects/procfs.js';
import { GuardError } from '../errors.js';

/** Writes the template to FILE (default ./anomaly-guard.yaml); exit 1 when it exists. */
export default async function init(_opts: Record<string, unknown>, args: string[]): Promise<number> {
  const path = resolve(args[0] ?? 'anomaly-guard.yaml');
  try {
    writeFileSync(path, INIT_TEMPLATE, { flag: 'wx', mode: 0o640 });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new GuardError('FILE_EXISTS', `${path} already exists; not overwritten`, { hint: 'give another FILE or remove it first' });
    throw new GuardError('WRITE_FAILED', `cannot write ${path}: ${describeFsError(err)}${code ? ` (${code})` : ''}`, { hint: 'check the folder exists and is writable' });
  }
  process.stdout.write(`wrote ${path}\nnext: set health.url and heal.command, then \`anomaly-guard validate -c ${path}\` and \`anomaly-guard check -c ${path}\`\n`);
  return 0;
}
