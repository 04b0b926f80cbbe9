// Normalisation and cross-field rules: resolves paths against the config folder and checks what one key
// alone cannot (min_samples within window, timeouts within the cycle, commands that exist).
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { basename, delimiter, extname, isAbsolute, join, resolve } from 'node:path';
import { formatListen, parseListen } from './listen.js';
import type { GuardConfig, ServiceTarget } from './config.js';
import { formatDuration } from './duration.js';
import { PROFILE_DEFAULTS } from './profiles.js';
import { probeRules } from './probe-rules.js';
import type { FileFacts } from './file-facts.js';
import { fileRules } from './file-rules.js';
import type { RawConfig } from './schema.js';

/** The normalised config plus the problems (errors) and doubts (warnings) the rules found. */
export interface Normalised {
  config: GuardConfig;
  errors: string[];
  warnings: string[];
}

/** Turns the parsed config into GuardConfig and applies the cross-field rules. */
export function normalise(raw: RawConfig, where: { file: string | null; baseDir: string; facts?: FileFacts }): Normalised {
  const at = (p: string): string => resolve(where.baseDir, p);
  const d = PROFILE_DEFAULTS[raw.profile];
  const service = serviceTarget(raw.resources.service, at);
  // A restart for the service's own CPU or memory is what safe allows; the host's figures only alert.
  const resourceAction = (written: RawConfig['actions']['cpu'], byProfile: 'heal' | 'alert') => written ?? (service !== null ? 'heal' : byProfile);
  const config: GuardConfig = {
    file: where.file,
    baseDir: where.baseDir,
    target: null,
    targets: [],
    profile: raw.profile,
    intervalMs: raw.interval,
    schedule: raw.schedule === '' ? null : raw.schedule,
    cycleTimeoutMs: raw.cycle_timeout,
    maxConcurrentProbes: raw.max_concurrent_probes,
    logFile: at(raw.log_file),
    schedulerLog: at(raw.scheduler_log),
    health: {
      url: raw.health.url,
      timeoutMs: raw.health.timeout,
      expectStatus: raw.health.expect_status,
      conditions: raw.health.conditions,
      send: raw.health.send,
      expect: raw.health.expect,
      headers: raw.health.headers,
      caFile: raw.health.ca_file === '' ? null : at(raw.health.ca_file),
      confirm: raw.health.confirm ?? d.health.confirm,
      confirmSpacingMs: raw.health.confirm_spacing,
      keepAlive: raw.health.keep_alive,
    },
    latency: {
      window: raw.latency.window,
      sigma: raw.latency.sigma,
      minSamples: raw.latency.min_samples,
      minStdevMs: raw.latency.min_stdev_ms,
      detector: raw.latency.detector,
      confirm: raw.latency.confirm,
      confirmOf: raw.latency.confirm_of,
      confirmProbes: raw.latency.confirm_probes ?? d.latency.confirm_probes,
      learn: raw.latency.learn ?? d.latency.learn,
      onBusyHost: raw.latency.on_busy_host ?? d.latency.on_busy_host,
    },
    resources: {
      procfs: at(raw.resources.procfs),
      diskPath: at(raw.resources.disk_path),
      cpuSampleMs: raw.resources.cpu_sample,
      cpuOver: raw.resources.cpu_over ?? d.resources.cpu_over,
      cpuCritical: raw.resources.cpu_critical,
      memCritical: raw.resources.mem_critical,
      diskWarning: raw.resources.disk_warning,
      cgroup: raw.resources.cgroup === '' ? null : at(raw.resources.cgroup),
      confirm: raw.resources.confirm ?? d.resources.confirm,
      confirmOf: raw.resources.confirm_of ?? d.resources.confirm_of,
      service,
    },
    actions: { ...raw.actions, cpu: resourceAction(raw.actions.cpu, d.actions.cpu), mem: resourceAction(raw.actions.mem, d.actions.mem) },
    heal: {
      command: resolveCommand(raw.heal.command, where.baseDir),
      timeoutMs: raw.heal.timeout ?? d.heal.timeout,
      killGraceMs: raw.heal.kill_grace,
      cooldownMs: raw.heal.cooldown,
      maxPerHour: raw.heal.max_per_hour,
      verifyAfterMs: raw.heal.verify_after,
      graceMs: raw.heal.grace ?? d.heal.grace,
      backoff: raw.heal.backoff ?? d.heal.backoff,
      backoffMax: raw.heal.backoff_max,
      backoffResetMs: raw.heal.backoff_reset,
      stopWhenExhausted: raw.heal.stop_when_exhausted ?? d.heal.stop_when_exhausted,
      resumeAfterMs: raw.heal.resume_after,
    },
    alert: {
      command: resolveCommand(raw.alert.command, where.baseDir),
      webhook: raw.alert.webhook,
      timeoutMs: raw.alert.timeout,
      repeatMs: raw.alert.repeat,
      alertmanager: { url: raw.alert.alertmanager.url, timeoutMs: raw.alert.alertmanager.timeout, instance: raw.alert.alertmanager.instance === '' ? null : raw.alert.alertmanager.instance },
    },
    heartbeat: { url: raw.heartbeat.url, timeoutMs: raw.heartbeat.timeout },
    http: { listen: listenOf(raw.http.listen), token: raw.http.token === '' ? null : raw.http.token, allowedHosts: raw.http.allowed_hosts },
  };
  const errors: string[] = [];
  const warnings: string[] = [];
  crossFieldRules(config, raw, errors, warnings, where.facts);
  return { config, errors, warnings };
}

// resources.service: at most one of unit, cgroup, pid_file (paths against the config's folder); none = the host.
function serviceTarget(raw: RawConfig['resources']['service'], at: (p: string) => string): ServiceTarget | null {
  if (raw.unit !== '') return { kind: 'unit', path: raw.unit, name: raw.unit };
  if (raw.cgroup !== '') return { kind: 'cgroup', path: at(raw.cgroup), name: basename(at(raw.cgroup)) };
  if (raw.pid_file !== '') return { kind: 'pid_file', path: at(raw.pid_file), name: basename(raw.pid_file) };
  return null;
}

// The schema already refused a bad address; "" is off.
function listenOf(text: string): GuardConfig['http']['listen'] {
  const parsed = text === '' ? null : parseListen(text);
  return typeof parsed === 'string' ? null : parsed;
}

/** A command word with a slash is a path: relative ones are resolved against the config folder. */
function resolveCommand(command: string[], baseDir: string): string[] {
  const [first, ...rest] = command;
  if (first === undefined) return [];
  return [first.includes('/') && !isAbsolute(first) ? resolve(baseDir, first) : first, ...rest];
}

function crossFieldRules(c: GuardConfig, raw: RawConfig, errors: string[], warnings: string[], facts?: FileFacts): void {
  if (c.latency.minSamples > c.latency.window) {
    errors.push(`latency.min_samples: ${c.latency.minSamples} is larger than latency.window (${c.latency.window}), so the window could never hold enough samples; use at most ${c.latency.window}`);
  }
  if (c.resources.cpuSampleMs >= c.cycleTimeoutMs) {
    errors.push(`resources.cpu_sample: ${formatDuration(c.resources.cpuSampleMs)} is not shorter than cycle_timeout (${formatDuration(c.cycleTimeoutMs)}), so every cycle would time out; use a cpu_sample shorter than cycle_timeout, e.g. 1s`);
  }
  for (const key of ['latency', 'resources'] as const) {
    const { confirm, confirmOf } = c[key];
    if (confirm > confirmOf) errors.push(`${key}.confirm: ${confirm} is larger than ${key}.confirm_of (${confirmOf}), so a finding could never be confirmed; use at most ${confirmOf}`);
  }
  // Re-probes get the first half of cycle_timeout (the heal the rest): say so when a set confirm cannot all fit.
  const probeSpan = (n: number): number => c.health.timeoutMs + n * (c.health.confirmSpacingMs + c.health.timeoutMs);
  if (raw.health.confirm !== undefined && c.health.confirm > 0 && probeSpan(c.health.confirm) > c.cycleTimeoutMs / 2) {
    warnings.push(`health.confirm: ${c.health.confirm} re-probes (each up to health.timeout + confirm_spacing) can take ${formatDuration(probeSpan(c.health.confirm))}, more than half of cycle_timeout (${formatDuration(c.cycleTimeoutMs)}), which is all that re-probes get; a hung service gets fewer`);
  }
  if (c.resources.cpuSampleMs > 60_000) errors.push(`resources.cpu_sample: ${formatDuration(c.resources.cpuSampleMs)} is too long; use at most 60s`);
  if (c.heal.killGraceMs > 5000) errors.push(`heal.kill_grace: ${formatDuration(c.heal.killGraceMs)} is more than 5s (SIGKILL must follow SIGTERM within 5s); use at most 5s`);
  if (c.health.timeoutMs >= c.cycleTimeoutMs) {
    warnings.push(`health.timeout: ${formatDuration(c.health.timeoutMs)} is not shorter than cycle_timeout (${formatDuration(c.cycleTimeoutMs)}); a hung service would time the whole cycle out`);
  }
  // A heal only gets what is left of cycle_timeout after the probe, less kill_grace: say so when a set timeout cannot hold.
  const healRoom = c.cycleTimeoutMs - c.health.timeoutMs - c.heal.killGraceMs;
  if (raw.heal.timeout !== undefined && c.heal.command.length > 0 && c.heal.timeoutMs > healRoom) {
    warnings.push(`heal.timeout: ${formatDuration(c.heal.timeoutMs)} plus heal.kill_grace (${formatDuration(c.heal.killGraceMs)}) after a probe (health.timeout ${formatDuration(c.health.timeoutMs)}) does not fit in cycle_timeout (${formatDuration(c.cycleTimeoutMs)}); a heal gets only what is left of the cycle, at most ${formatDuration(Math.max(0, healRoom))}: raise cycle_timeout or lower heal.timeout`);
  }
  serviceRules(raw.resources.service, c.resources.service, errors, warnings);
  checkPath('resources.procfs', raw.resources.procfs, c.resources.procfs, errors);
  checkPath('resources.disk_path', raw.resources.disk_path, c.resources.diskPath, errors);
  if (c.health.caFile !== null) checkPath('health.ca_file', raw.health.ca_file, c.health.caFile, errors);
  if (c.resources.cgroup !== null) checkPath('resources.cgroup', raw.resources.cgroup, c.resources.cgroup, errors);
  errors.push(...fileRules(c, { log_file: raw.log_file, scheduler_log: raw.scheduler_log, ca_file: raw.health.ca_file }, facts));
  checkCommand('heal.command', raw.heal.command, c.heal.command, errors, warnings);
  checkCommand('alert.command', raw.alert.command, c.alert.command, errors, warnings);
  httpRules(c, errors, warnings);
  probeRules(c.health, errors);
}

// One way to name the service; a folder or pid file that is not there now only warns (the service may be down).
function serviceRules(raw: RawConfig['resources']['service'], target: ServiceTarget | null, errors: string[], warnings: string[]): void {
  const set = (['unit', 'cgroup', 'pid_file'] as const).filter((k) => raw[k] !== '');
  if (set.length > 1) errors.push(`resources.service: ${set.join(' and ')} are both set; name the service one way: unit (a systemd unit), cgroup (a cgroup v2 folder) or pid_file`);
  if (raw.unit !== '' && !/^[\w:.@-]+\.(service|scope|slice)$/.test(raw.unit)) {
    errors.push(`resources.service.unit: ${JSON.stringify(raw.unit)} is not a systemd unit name; give it with its suffix, e.g. nginx.service`);
  }
  if (set.length === 1 && target !== null && target.kind !== 'unit' && !existsSync(target.path)) {
    const key = `resources.service.${target.kind}`;
    warnings.push(`${key}: ${target.path} does not exist now; the service's cpu and mem are unknown (null) until it does (is the service running?)`);
  }
}

// The API shows the service's state and /metrics its figures: off the loopback, a token is required.
function httpRules(c: GuardConfig, errors: string[], warnings: string[]): void {
  const { listen, token } = c.http;
  if (listen !== null && !listen.loopback && token === null) {
    errors.push(`http.token: is empty, but http.listen (${formatListen(listen)}) is not a loopback address, so anyone who can reach it could read the guard's state; set a bearer token (e.g. the output of \`openssl rand -hex 32\`), or listen on 127.0.0.1`);
  }
  if (token !== null && token.length < 16) warnings.push(`http.token: is shorter than 16 characters (not shown); use a long random token, e.g. the output of \`openssl rand -hex 32\``);
}

function checkPath(key: string, written: string, path: string, errors: string[]): void {
  if (existsSync(path)) return;
  const shown = written === path ? path : `${JSON.stringify(written)} (${path})`;
  errors.push(`${key}: ${shown} does not exist; give an existing path (relative paths are relative to the config file's folder)`);
}

const INTERPRETERS: Record<string, string> = { '.py': 'python3', '.sh': 'sh', '.bash': 'bash', '.js': 'node', '.mjs': 'node', '.cjs': 'node', '.rb': 'ruby', '.pl': 'perl' };

function checkCommand(key: string, written: string[], command: string[], errors: string[], warnings: string[]): void {
  const [first, given] = [command[0], written[0]];
  if (first === undefined || given === undefined) return;
  if (first.includes('/')) {
    const shown = given === first ? first : `${JSON.stringify(given)} (${first})`;
    const fix = `chmod +x it, or put its interpreter first, e.g. [${INTERPRETERS[extname(first)] ?? 'sh'}, ${given}]`;
    if (!existsSync(first)) errors.push(`${key}: ${shown} does not exist; give an existing program (relative paths are relative to the config file's folder)`);
    else if (statSync(first).isDirectory()) errors.push(`${key}: ${shown} is a folder; give the program to run`);
    else if (!isExecutable(first)) errors.push(`${key}: ${shown} is not executable; ${fix}`);
    return;
  }
  if (!onPath(first)) warnings.push(`${key}: ${JSON.stringify(first)} is not found on PATH (${process.env.PATH ?? ''}); the command will fail unless it is there at run time`);
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && isExecutable(join(dir, name)));
}
