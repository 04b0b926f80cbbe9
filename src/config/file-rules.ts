// Rules about the files the config names, checked on the file system: log_file must be a regular file
// the guard can append to and read back (its records are the baseline and the heal budget), never a link;
// scheduler_log the same (or the null device); neither the other nor the config file itself; and
// health.ca_file must hold a PEM certificate. Who owns a file is checked where it is opened (it depends on
// the user running the guard, not on the config).
import fs from 'node:fs';
import { FileRefused, fixFor, writeRefusal } from '../effects/file-refusal.js';
import { readSmallFileSync, SMALL_FILE_MAX_BYTES } from '../effects/safe-file.js';
import type { GuardConfig } from './config.js';
import { fileFacts, type FileFacts } from './file-facts.js';

// statfs(2) magic numbers of kernel interfaces that look like files but are not storage.
const PSEUDO_FS: Record<number, string> = {
  0x9fa0: 'proc', 0x62656572: 'sysfs', 0x27e0eb: 'cgroup', 0x63677270: 'cgroup2', 0x64626720: 'debugfs', 0x74726163: 'tracefs',
  0x73636673: 'securityfs', 0x62656570: 'configfs', 0xcafe4a11: 'bpf', 0x6165676c: 'pstore', 0xde5e81e4: 'efivarfs', 0x1cd1: 'devpts',
};

const EXAMPLE = { log_file: 'logs/anomaly_guard.ndjson', scheduler_log: 'logs/scheduler.log' } as const;
const TYPE_FIX = {
  log_file: `the guard reads its records back (the latency baseline, the heal budget), which only a regular file allows; give a regular file, e.g. ${EXAMPLE.log_file}`,
  scheduler_log: `give a regular file, e.g. ${EXAMPLE.scheduler_log}, or /dev/null to keep its lines on stderr only`,
} as const;

/** The problems of the files the config names, as `<key>: <problem>; <fix>` lines. */
export function fileRules(c: GuardConfig, written: { log_file: string; scheduler_log: string; ca_file: string }, facts: FileFacts = fileFacts()): string[] {
  const errors = [
    ...appendTargetProblems('log_file', written.log_file, c.logFile, facts),
    ...appendTargetProblems('scheduler_log', written.scheduler_log, c.schedulerLog, facts),
    ...sameFileProblems(c, facts),
  ];
  if (c.health.caFile !== null && fs.existsSync(c.health.caFile)) errors.push(...caFileProblems(written.ca_file, c.health.caFile));
  return errors;
}

const shown = (written: string, path: string): string => (written === path ? path : `${JSON.stringify(written)} (${path})`);

function appendTargetProblems(key: keyof typeof EXAMPLE, written: string, path: string, facts: FileFacts): string[] {
  if (/[/\\]$/.test(written)) return [`${key}: ${JSON.stringify(written)} ends with "/", so it names a folder; give a file path, e.g. ${EXAMPLE[key]}`];
  const st = facts.lstat(path);
  const refused = st === null ? null : writeRefusal(path, st, { euid: null, allowNull: key === 'scheduler_log' });
  if (refused !== null) return [`${key}: ${shown(written, path)} ${refused.what}; ${refused.reason === 'type' ? TYPE_FIX[key] : fixFor(refused, key)}`];
  const type = facts.fsType(path);
  const fsType = type === null ? null : (PSEUDO_FS[type] ?? null);
  if (fsType !== null) return [`${key}: ${shown(written, path)} is on a ${fsType} file system (a kernel interface, not a disk); give a file on a disk, e.g. ${EXAMPLE[key]}`];
  return [];
}

// log_file, scheduler_log and the config file are three different files (by name, or by inode when they exist).
function sameFileProblems(c: GuardConfig, facts: FileFacts): string[] {
  const same = (a: string, b: string): boolean => a === b || sameInode(facts.stat(a), facts.stat(b));
  const errors: string[] = [];
  if (c.file !== null && same(c.logFile, c.file)) errors.push(`log_file: ${c.logFile} is the config file itself; give the log its own file, e.g. ${EXAMPLE.log_file}`);
  if (same(c.schedulerLog, c.logFile)) errors.push(`scheduler_log: ${c.schedulerLog} is also log_file; give each its own file, e.g. ${EXAMPLE.scheduler_log}`);
  else if (c.file !== null && same(c.schedulerLog, c.file)) errors.push(`scheduler_log: ${c.schedulerLog} is the config file itself; give it its own file, e.g. ${EXAMPLE.scheduler_log}`);
  return errors;
}

function sameInode(x: fs.Stats | null, y: fs.Stats | null): boolean {
  return x !== null && y !== null && x.dev === y.dev && x.ino === y.ino && x.isFile();
}

function caFileProblems(written: string, path: string): string[] {
  const at = `health.ca_file: ${shown(written, path)}`;
  let text: string;
  try {
    text = readSmallFileSync(path, SMALL_FILE_MAX_BYTES);
  } catch (err) {
    if (err instanceof FileRefused) return [`${at} ${err.what}; give a file of CA certificates in PEM form`];
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    return [`${at} cannot be read (${code === 'EACCES' ? 'permission denied' : code}); make it readable by the user running the guard`];
  }
  if (/^-----BEGIN CERTIFICATE-----\r?$/m.test(text)) return [];
  return [`${at} holds no PEM certificate (no "-----BEGIN CERTIFICATE-----" line); give the CA certificate in PEM form, e.g. from a DER file: openssl x509 -inform der -in ca.der -out ca.pem`];
}
