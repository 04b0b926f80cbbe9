// `check`'s first line as monitoring schedulers read it: parsed with the monitoring-plugins guidelines'
// grammar for each status, cross-checked with the Perl Monitoring::Plugin parser, and run by a real
// Nagios 4 (when installed), whose status file must hold our text and perfdata unchanged.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CLI, guardEnv, PROC_BUSY, seedChecks, type GuardEnv } from '../helpers/guard-env.js';
import { startHealthServer, type HealthServer } from '../helpers/health-server.js';
import { parsePluginLine, type PerfDatum } from '../helpers/plugin-grammar.js';
import { startProc, stopAll } from '../http/external.js';

let server: HealthServer;
let env: GuardEnv;
beforeAll(async () => {
  server = await startHealthServer();
});
afterAll(async () => {
  await server.close();
  await stopAll();
});
afterEach(() => {
  server.setMode({ kind: 'healthy' });
  env?.cleanup();
});

const byLabel = (perf: PerfDatum[]): Record<string, PerfDatum> => Object.fromEntries(perf.map((p) => [p.label, p]));
// A wide baseline (mean 1140 ms): even a loopback probe on a loaded machine stays far under its 3 sigma.
const BASELINE = [1000, 1200, 1100, 1300, 1000, 1200, 1100, 1300, 1000, 1200];
const mean = BASELINE.reduce((a, b) => a + b, 0) / BASELINE.length;
const stdev = Math.sqrt(BASELINE.reduce((a, b) => a + (b - mean) ** 2, 0) / (BASELINE.length - 1));
const THRESHOLD = String(Math.round((mean + 3 * stdev) * 1000) / 1000);
const checkRecord = (e: GuardEnv): Record<string, any> => e.records().filter((r) => 'lat' in r).at(-1) as Record<string, any>;

describe('the first line follows the monitoring-plugins grammar', () => {
  it('OK: every figure as logged, thresholds where their findings act, the anomaly threshold as latency crit', async () => {
    env = guardEnv(server.url);
    env.seedLog(seedChecks(BASELINE));
    const run = await env.run(['check']);
    const line = parsePluginLine(run.stdout.split('\n')[0] as string);
    const rec = checkRecord(env);
    expect([run.code, line.status, line.text]).toEqual([0, 'OK', 'all within thresholds']);
    const p = byLabel(line.perf);
    expect(Object.keys(p)).toEqual(['latency', 'cpu', 'mem', 'disk', 'score']);
    expect(p.latency).toEqual({ label: 'latency', value: rec.lat.latency_ms, uom: 'ms', warn: '', crit: THRESHOLD, min: 0, max: null });
    expect(p.cpu).toEqual({ label: 'cpu', value: rec.res.cpu, uom: '%', warn: '', crit: '90', min: 0, max: 100 });
    expect(p.mem).toEqual({ label: 'mem', value: rec.res.mem, uom: '%', warn: '', crit: '90', min: 0, max: 100 });
    expect(p.disk).toEqual({ label: 'disk', value: rec.res.disk, uom: '%', warn: '90', crit: '', min: 0, max: 100 });
    expect(p.score).toMatchObject({ value: rec.score, uom: '', warn: '', crit: '3' });
  });

  it('WARNING: a finding whose action is alert puts its threshold in the warn field', async () => {
    env = guardEnv(server.url);
    env.writeConfig({ resources: { procfs: PROC_BUSY }, actions: { mem: 'alert' } });
    const run = await env.run(['check']);
    const line = parsePluginLine(run.stdout.split('\n')[0] as string);
    expect([run.code, line.status, line.text]).toEqual([1, 'WARNING', 'mem_critical (95.0%)']);
    expect(byLabel(line.perf).mem).toMatchObject({ value: 95, warn: '90', crit: '' });
    expect(byLabel(line.perf).latency).toMatchObject({ crit: '' }); // no baseline yet, no threshold
  });

  it('CRITICAL: the reasons, made safe for the line ("|" would start perfdata, Nagios rewrites ";")', async () => {
    env = guardEnv(server.url);
    server.setMode({ kind: 'http', code: 503, body: '{"reason":"queue a|b; full"}' });
    const run = await env.run(['check']);
    const line = parsePluginLine(run.stdout.split('\n')[0] as string);
    expect(checkRecord(env).reasons).toEqual(['health_unhealthy (HTTP 503: queue a|b; full)']);
    expect([run.code, line.status, line.text]).toEqual([2, 'CRITICAL', 'health_unhealthy (HTTP 503: queue a/b, full)']);
    expect(line.perf.map((p) => p.label)).toEqual(['latency', 'cpu', 'mem', 'disk']);
  });

  it('UNKNOWN: a log it cannot write says so on stdout, without perfdata', async () => {
    env = guardEnv(server.url);
    writeFileSync(join(env.dir, 'file'), 'x');
    env.writeConfig({ log_file: 'file/guard.ndjson' });
    const run = await env.run(['check']);
    expect(run.code).toBe(3);
    const line = parsePluginLine(run.stdout.split('\n')[0] as string);
    expect(line.status).toBe('UNKNOWN');
    expect(line.text).toMatch(/^cannot read log .*file\/guard\.ndjson: a part of the path is a file, not a folder \(ENOTDIR\)$/);
    expect(line.perf).toEqual([]);
  });

  it('UNKNOWN: a cycle cut off at cycle_timeout', async () => {
    env = guardEnv(server.url);
    env.writeConfig({ cycle_timeout: '1s', health: { timeout: '5s' } });
    server.setMode({ kind: 'hang' });
    const run = await env.run(['check']);
    expect(run.code).toBe(3);
    expect(parsePluginLine(run.stdout.split('\n')[0] as string)).toEqual({ status: 'UNKNOWN', text: 'cycle aborted after 1000 ms (cycle_timeout)', perf: [] });
  });
});

// Monitoring::Plugin (libmonitoring-plugin-perl), the guidelines' reference library, parses our perfdata the same way.
const PERL = 'my @p = Monitoring::Plugin::Performance->parse_perfstring($ARGV[0]); for (@p) { my $t = $_->threshold; print join("|", $_->label, $_->value, $_->uom, $t->warning->is_set ? "" . $t->warning : "", $t->critical->is_set ? "" . $t->critical : "", $_->min // "", $_->max // ""), "\\n" }';
const hasPerlParser = spawnSync('perl', ['-MMonitoring::Plugin::Performance', '-e', '1']).status === 0;

describe('Monitoring::Plugin::Performance parses the perfdata', () => {
  it.skipIf(!hasPerlParser)('every datum, with its unit and thresholds', async () => {
    env = guardEnv(server.url);
    env.seedLog(seedChecks(BASELINE));
    const run = await env.run(['check']);
    const ours = parsePluginLine(run.stdout.split('\n')[0] as string).perf;
    const perfdata = (run.stdout.split('\n')[0] as string).split(' | ')[1] as string;
    const theirs = execFileSync('perl', ['-MMonitoring::Plugin::Performance', '-e', PERL, perfdata], { encoding: 'utf8' }).trim().split('\n');
    expect(theirs).toEqual(ours.map((p) => [p.label, p.value, p.uom, p.warn, p.crit, p.min ?? '', p.max ?? ''].join('|')));
  });
});

const NAGIOS = '/usr/sbin/nagios4';

// A one-host, one-service Nagios whose service runs `check`; a forced check through the command pipe.
function nagiosConfig(dir: string, command: string): string {
  const group = execFileSync('id', ['-gn'], { encoding: 'utf8' }).trim();
  mkdirSync(join(dir, 'checkresults'), { recursive: true });
  const days = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'].map((d) => `  ${d} 00:00-24:00`).join('\n');
  writeFileSync(join(dir, 'objects.cfg'), `define timeperiod {\n  timeperiod_name always\n  alias always\n${days}\n}
define command {\n  command_name check_guard\n  command_line ${command}\n}
define command {\n  command_name check_none\n  command_line /bin/true\n}
define contact {\n  contact_name nobody\n  host_notifications_enabled 0\n  service_notifications_enabled 0\n  host_notification_period always\n  service_notification_period always\n  host_notification_options n\n  service_notification_options n\n  host_notification_commands check_none\n  service_notification_commands check_none\n}
define host {\n  host_name guarded\n  address 127.0.0.1\n  check_command check_none\n  max_check_attempts 1\n  check_period always\n  notification_period always\n  contacts nobody\n  active_checks_enabled 0\n}
define service {\n  host_name guarded\n  service_description anomaly-guard\n  check_command check_guard\n  max_check_attempts 1\n  check_interval 3600\n  retry_interval 3600\n  check_period always\n  notification_period always\n  notification_interval 0\n  contacts nobody\n}\n`);
  const settings = {
    log_file: 'nagios.log', cfg_file: 'objects.cfg', object_cache_file: 'objects.cache', precached_object_file: 'objects.precache',
    status_file: 'status.dat', temp_file: 'nagios.tmp', lock_file: 'nagios.lock', check_result_path: 'checkresults', command_file: 'nagios.cmd',
  };
  const lines = [...Object.entries(settings).map(([k, v]) => `${k}=${join(dir, v)}`), `temp_path=${dir}`, 'status_update_interval=1', 'check_external_commands=1',
    `nagios_user=${userInfo().username}`, `nagios_group=${group}`, 'interval_length=1', 'use_syslog=0', 'enable_notifications=0', 'retain_state_information=0', 'enable_flap_detection=0'];
  writeFileSync(join(dir, 'nagios.cfg'), `${lines.join('\n')}\n`);
  return join(dir, 'nagios.cfg');
}

// The service's block of status.dat once it has been checked, as key → value.
async function serviceStatus(dir: string, deadlineMs: number): Promise<Record<string, string>> {
  for (;;) {
    const text = existsSync(join(dir, 'status.dat')) ? readFileSync(join(dir, 'status.dat'), 'utf8') : '';
    const block = /servicestatus \{([\s\S]*?)\}/.exec(text)?.[1] ?? '';
    const fields = Object.fromEntries(block.split('\n').map((l) => /^\s*(\w+)=(.*)$/.exec(l)).filter((m) => m !== null).map((m) => [m[1], m[2]]));
    if (fields.has_been_checked === '1') return fields as Record<string, string>;
    if (Date.now() > deadlineMs) throw new Error(`Nagios did not run the check in time; nagios.log:\n${existsSync(join(dir, 'nagios.log')) ? readFileSync(join(dir, 'nagios.log'), 'utf8') : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('a real Nagios 4 runs check', () => {
  it.skipIf(!existsSync(NAGIOS))('keeps our status, text, perfdata and the summary lines as we wrote them', async () => {
    env = guardEnv(server.url);
    server.setMode({ kind: 'http', code: 503, body: '{"status":"failed","reason":"There are alarms in effect in the cluster"}' });
    const dir = join(env.dir, 'nagios');
    mkdirSync(dir);
    const cfg = nagiosConfig(dir, `${process.execPath} ${CLI} check -c ${env.configFile}`);
    expect(spawnSync(NAGIOS, ['-v', cfg], { encoding: 'utf8' }).stdout).toContain('Total Errors:   0');
    const nagios = startProc(NAGIOS, [cfg]);
    const deadline = Date.now() + 30_000;
    while (!existsSync(join(dir, 'nagios.cmd')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const now = Math.floor(Date.now() / 1000);
    await import('node:fs/promises').then((fs) => fs.writeFile(join(dir, 'nagios.cmd'), `[${now}] SCHEDULE_FORCED_SVC_CHECK;guarded;anomaly-guard;${now}\n`));
    const status = await serviceStatus(dir, deadline);
    await nagios.stop();
    const [first, ...rest] = (await env.run(['check'])).stdout.trim().split('\n');
    expect(status.current_state).toBe('2');
    expect(status.plugin_output).toBe('CRITICAL - health_unhealthy (HTTP 503: There are alarms in effect in the cluster)');
    expect(parsePluginLine(`${status.plugin_output} | ${status.performance_data}`).perf.map((p) => p.label)).toEqual(['latency', 'cpu', 'mem', 'disk']);
    expect(first?.startsWith(`${status.plugin_output} | latency=`)).toBe(true);
    expect(status.long_plugin_output?.split('\\n').map((l) => l.slice(0, 9))).toEqual(rest.map((l) => l.slice(0, 9)));
  });
});
