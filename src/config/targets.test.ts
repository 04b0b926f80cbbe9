// `targets:` and `include:`: each target a config of its own (the top level merged under its keys, its own
// log file), problems named by the target, include files read in name order.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GuardError } from '../errors.js';
import { loadConfig } from './load.js';
import { targetLogFile } from './targets.js';

let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'ag-targets-'));
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

function write(rel: string, text: string): string {
  const path = join(tmp, rel);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}

async function problemsOf(file: string): Promise<string[]> {
  try {
    await loadConfig({ file, env: {} });
  } catch (err) {
    if (err instanceof GuardError) return err.details;
    throw err;
  }
  throw new Error('the config was valid');
}

const THREE = `
interval: 1m
latency: {sigma: 4, window: 60}
heal: {command: [/bin/true], cooldown: 5m}
targets:
  - name: api
    interval: 10s
    health: {url: "http://127.0.0.1:8080/health", timeout: 2s}
    latency: {sigma: 5}
  - name: worker.eu-1
    health: {url: "tcp://127.0.0.1:6379", expect: "+PONG", send: "PING\\r\\n"}
    heal: {command: [/bin/echo, worker]}
  - name: web_front
    health: {url: "http://127.0.0.1:8081/"}
    heal: {command: [/bin/echo, web]}
    resources: {service: {pid_file: web.pid}}
`;

describe('targets: one config, three services', () => {
  it('each target is the top level with its own keys over it, its own log file and interval', async () => {
    const file = write('guard.yaml', THREE);
    const { config, warnings } = await loadConfig({ file, env: {} });
    expect(config.target).toBeNull();
    expect(config.targets.map((t) => t.target)).toEqual(['api', 'worker.eu-1', 'web_front']);
    const [api, worker, web] = config.targets as [typeof config, typeof config, typeof config];
    expect(api.logFile).toBe(join(tmp, 'logs/anomaly_guard.api.ndjson'));
    expect(worker.logFile).toBe(join(tmp, 'logs/anomaly_guard.worker.eu-1.ndjson'));
    expect([api.intervalMs, worker.intervalMs]).toEqual([10_000, 60_000]);
    // latency merged key by key: api's sigma, the top level's window.
    expect([api.latency.sigma, api.latency.window, worker.latency.sigma]).toEqual([5, 60, 4]);
    expect([api.health.timeoutMs, worker.health.timeoutMs]).toEqual([2000, 10_000]);
    // heal merged: the target's command, the top level's cooldown.
    expect([api.heal.command, worker.heal.command, worker.heal.cooldownMs]).toEqual([['/bin/true'], ['/bin/echo', 'worker'], 300_000]);
    expect(web.resources.service).toEqual({ kind: 'pid_file', path: join(tmp, 'web.pid'), name: 'web.pid' });
    expect(api.resources.service).toBeNull();
    expect(warnings).toEqual([`targets[web_front].resources.service.pid_file: ${join(tmp, 'web.pid')} does not exist now; the service's cpu and mem are unknown (null) until it does (is the service running?)`]);
    expect(api.targets).toEqual([]);
  });

  it('without targets (or with targets: []) the guard is one target, exactly as before', async () => {
    const none = await loadConfig({ file: write('a.yaml', 'interval: 1m\n'), env: {} });
    const empty = await loadConfig({ file: write('b.yaml', 'interval: 1m\ntargets: []\ninclude: []\n'), env: {} });
    expect(none.config.targets).toEqual([]);
    expect({ ...empty.config, file: null }).toEqual({ ...none.config, file: null });
  });

  it('health.keep_alive is set at the top level for all and overridden per target; a bad one names the target', async () => {
    const file = write('ka.yaml', `
health: {keep_alive: true}
targets:
  - name: api
    health: {url: "http://127.0.0.1:8080/health"}
  - name: web
    health: {url: "http://127.0.0.1:8081/", keep_alive: false}
`);
    const { config } = await loadConfig({ file, env: {} });
    expect(config.targets.map((t) => [t.target, t.health.keepAlive])).toEqual([['api', true], ['web', false]]);
    const none = await loadConfig({ file: write('none.yaml', 'interval: 1m\n'), env: {} });
    expect(none.config.health.keepAlive).toBe(false);
    const bad = write('bad.yaml', 'targets:\n  - name: api\n    health: {url: "http://127.0.0.1:8080/health", keep_alive: 1}\n');
    expect((await problemsOf(bad)).join('\n')).toContain('health.keep_alive: 1 is not true or false');
  });

  it('the log file of a target sits beside log_file, its name before the extension', () => {
    expect(targetLogFile('/var/log/ag/guard.ndjson', 'api')).toBe('/var/log/ag/guard.api.ndjson');
    expect(targetLogFile('/var/log/ag/guard', 'api')).toBe('/var/log/ag/guard.api');
  });
});

describe('targets: problems name the target', () => {
  it('bad and repeated names, a missing URL, keys that belong to the whole guard', async () => {
    const file = write('guard.yaml', `
targets:
  - name: api
    health: {url: "http://127.0.0.1:1/"}
    log_file: x.ndjson
    resources: {cpu_sample: 2s}
  - name: "bad name"
    health: {url: "http://127.0.0.1:2/"}
  - name: api
    health: {url: "http://127.0.0.1:3/"}
  - health: {url: "http://127.0.0.1:4/"}
  - name: nourl
  - [not, a, mapping]
`);
    expect(await problemsOf(file)).toEqual([
      'targets[api].log_file: is not a per-target key; set it at the top level (it is the whole guard\'s), or use one of: name, interval, schedule, health, latency, actions, heal, alert, resources',
      'targets[api].resources.cpu_sample: is the host\'s, sampled once per cycle for every target; set it at the top level',
      'targets[1].name: "bad name" is not a target name; give each target a unique name of letters, digits, _ . - (at most 64), e.g. api',
      'targets[api].name: "api" is given twice (targets and targets); give each target its own name',
      'targets[3].name: is missing; give each target a unique name of letters, digits, _ . - (at most 64), e.g. api',
      'targets[nourl].health.url: is missing; every target names its own health endpoint, e.g. health: {url: http://127.0.0.1:8080/health}',
      'targets[5]: is a list, not a mapping; give each target as a block of keys with a name, e.g. "- name: api"',
    ]);
  });

  it('a bad value in a target is named by the target; one it inherits is said once, at the top level', async () => {
    const file = write('guard.yaml', `
latency: {sigma: -1}
targets:
  - name: api
    health: {url: "http://127.0.0.1:1/", timeout: soon}
  - name: db
    health: {url: "http://127.0.0.1:2/"}
    latency: {min_samples: 90, sigma: 3}
`);
    const problems = await problemsOf(file);
    expect(problems.filter((p) => p.startsWith('latency.sigma:'))).toHaveLength(1);
    expect(problems.some((p) => p.includes('].latency.sigma'))).toBe(false);
    expect(problems).toContainEqual(expect.stringMatching(/^targets\[api\]\.health\.timeout: "soon" /));
    expect(problems).toContainEqual('targets[db].latency.min_samples: 90 is larger than latency.window (50), so the window could never hold enough samples; use at most 50');
  });

  it('targets that is not a list', async () => {
    expect(await problemsOf(write('guard.yaml', 'targets: {name: api}\n'))).toEqual([
      'targets: is not a list; give a list of targets, each with a name, e.g. "targets: [{name: api, health: {url: http://127.0.0.1:8080/health}}]"',
    ]);
  });

  it('warns when two targets restart with one command or probe one URL', async () => {
    const file = write('guard.yaml', `
heal: {command: [/bin/true]}
targets:
  - {name: a, health: {url: "http://127.0.0.1:1/"}}
  - {name: b, health: {url: "http://127.0.0.1:1/"}}
`);
    const { warnings } = await loadConfig({ file, env: {} });
    expect(warnings).toEqual([
      "targets[b]: runs the same heal.command (a fault in one would restart the other's service too) as targets[a]; is that meant?",
      'targets[b]: probes the same health.url as targets[a]; is that meant?',
    ]);
  });
});

describe('include: target files from a folder or a pattern', () => {
  it('reads a folder (yaml, yml, json) and a pattern in name order, after targets:, one target or a list per file', async () => {
    write('targets.d/20-web.yaml', 'name: web\nhealth: {url: "http://127.0.0.1:2/"}\n');
    write('targets.d/10-api.yml', '- {name: api, health: {url: "http://127.0.0.1:1/"}}\n- {name: api2, health: {url: "http://127.0.0.1:11/"}}\n');
    write('targets.d/30-db.json', '{"name": "db", "health": {"url": "tcp://127.0.0.1:5432"}}');
    write('targets.d/README.txt', 'not a target file');
    write('more/x.yaml', 'name: x\nhealth: {url: "http://127.0.0.1:3/"}\n');
    write('more/y.conf', 'name: y\nhealth: {url: "http://127.0.0.1:4/"}\n');
    const file = write('guard.yaml', 'targets:\n  - {name: first, health: {url: "http://127.0.0.1:9/"}}\ninclude: [targets.d, "more/*.yaml"]\n');
    const { config } = await loadConfig({ file, env: {} });
    expect(config.targets.map((t) => t.target)).toEqual(['first', 'api', 'api2', 'web', 'db', 'x']);
  });

  it('a missing folder, a bad file and a clash with targets: are problems naming the file', async () => {
    write('targets.d/a.yaml', 'name: first\nhealth: {url: "http://127.0.0.1:2/"}\n');
    write('targets.d/b.yaml', 'name: b\nhealth: {url: "http://127.0.0.1:3/", timeout: never}\n');
    write('targets.d/c.yaml', 'name: [c\n');
    const file = write('guard.yaml', 'targets:\n  - {name: first, health: {url: "http://127.0.0.1:9/"}}\ninclude: [targets.d, nowhere]\n');
    const problems = await problemsOf(file);
    expect(problems).toContainEqual(`include[1]: "nowhere" (${join(tmp, 'nowhere')}) does not exist; give a folder of target files or a pattern such as targets.d/*.yaml (relative to the config file's folder)`);
    expect(problems).toContainEqual(expect.stringMatching(/^include: config .*targets\.d\/c\.yaml: YAML syntax error at line \d+/));
    expect(problems).toContainEqual('targets[first].name: "first" is given twice (targets and targets.d/a.yaml); give each target its own name');
    expect(problems).toContainEqual(expect.stringMatching(/^targets\[b\]\.health\.timeout: "never" .* \(in targets\.d\/b\.yaml\)$/));
  });
});
