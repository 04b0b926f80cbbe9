// Reading the config file, at start and on every SIGHUP: a regular file of at most 1 MiB, opened without
// blocking, so a config replaced by a link to /dev/zero cannot fill memory and a FIFO cannot freeze the
// daemon; every failure names the file, what is wrong and what would fix it.
import fs from 'node:fs';
import { effectiveUid, FileRefused, formatBytes } from '../effects/file-refusal.js';
import { readSmallFileSync } from '../effects/safe-file.js';
import { GuardError } from '../errors.js';

/** The most the guard reads of a config file (a full config with comments is about 6 KiB). */
export const CONFIG_MAX_BYTES = 1024 * 1024;

/** The config file's text; throws GuardError(CONFIG_UNREADABLE) saying why it cannot be used. */
export function readConfigText(file: string): string {
  try {
    return readSmallFileSync(file, CONFIG_MAX_BYTES);
  } catch (err) {
    throw unreadable(file, err);
  }
}

function unreadable(file: string, err: unknown): GuardError {
  const fail = (what: string, hint: string): GuardError => new GuardError('CONFIG_UNREADABLE', `cannot read config ${file}: ${what}`, { hint });
  if (err instanceof FileRefused) {
    return err.reason === 'size'
      ? fail(`it ${err.what}`, `a config is a few KiB; check that ${file} is the config file (at most ${formatBytes(CONFIG_MAX_BYTES)})`)
      : fail(`it ${err.what}`, 'point -c (or $ANOMALY_GUARD_CONFIG) at the config file itself');
  }
  const code = (err as NodeJS.ErrnoException).code ?? '';
  if (code === 'EACCES' || code === 'EPERM') return fail(`permission denied (${code})`, permissionHint(file));
  if (code === 'ENOENT') return fail('it does not exist (ENOENT)', 'create it with `anomaly-guard init FILE` or fix the path');
  if (code === 'ENOTDIR') return fail('a part of the path is a file, not a folder (ENOTDIR)', 'fix the path');
  return fail(`${(err as Error).message}${code ? ` (${code})` : ''}`, 'check the path and its permissions');
}

// Who runs the guard and who owns the file: the fix is to let the one read what the other owns.
function permissionHint(file: string): string {
  const uid = effectiveUid();
  const runner = uid === null ? 'the user running anomaly-guard' : `the user running anomaly-guard (uid ${uid})`;
  let owner = '';
  try {
    owner = ` (it is owned by uid ${fs.statSync(file).uid})`;
  } catch {
    // A folder above it is not searchable: the message is the same.
  }
  return `make the file and its folders readable by ${runner}${owner}, e.g. give that user's group read access (chgrp GROUP ${file}; chmod 0640 ${file}), or run anomaly-guard as the file's owner`;
}
