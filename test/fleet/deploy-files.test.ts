// The shipped deploy/ files stay valid: Prometheus's own tools check the scrape config (with its file_sd
// files and rule file) and unit-test the fleet's alert rules, systemd checks the units, and the
// Kubernetes DaemonSet holds what docs/fleet.md promises, its embedded config accepted by `validate`.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { runCli } from '../helpers/guard-env.js';
import { binary } from '../http/external.js';

const PROMTOOL = binary('/usr/bin/promtool');
const SYSTEMD_ANALYZE = binary('/usr/bin/systemd-analyze');
if (!PROMTOOL) console.warn('SKIPPED promtool checks in test/fleet/deploy-files.test.ts: /usr/bin/promtool is missing (apt-get install prometheus; .ci/run installs it)');
if (!SYSTEMD_ANALYZE) console.warn('SKIPPED systemd-analyze verify in test/fleet/deploy-files.test.ts: /usr/bin/systemd-analyze is missing (a system without systemd)');

const DEPLOY = resolve('deploy');
const temps: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'ag-deploy-'));
  temps.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

const run = (bin: string, args: string[], cwd?: string) => {
  const r = spawnSync(bin, args, { encoding: 'utf8', timeout: 60_000, ...(cwd ? { cwd } : {}) });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
};

describe.skipIf(!PROMTOOL)('deploy/prometheus', () => {
  it('promtool check config accepts prometheus.yml with its rule file, file_sd files and token file in place', () => {
    // The shipped file names /etc/prometheus/...: the same layout under a temp folder.
    const etc = tempDir();
    cpSync(join(DEPLOY, 'prometheus', 'file_sd'), join(etc, 'file_sd'), { recursive: true });
    copyFileSync(join(DEPLOY, 'prometheus', 'anomaly-guard.rules.yml'), join(etc, 'anomaly-guard.rules.yml'));
    writeFileSync(join(etc, 'anomaly-guard.token'), 'a-long-random-token-0123456789\n');
    const config = readFileSync(join(DEPLOY, 'prometheus', 'prometheus.yml'), 'utf8');
    expect(config).toContain('file_sd_configs:');
    writeFileSync(join(etc, 'prometheus.yml'), config.replaceAll('/etc/prometheus/', `${etc}/`));
    const r = run(PROMTOOL!, ['check', 'config', join(etc, 'prometheus.yml')]);
    expect(r.out).toContain('SUCCESS: 7 rules found');
    expect(r.out).not.toMatch(/FAILED|WARNING/);
    expect(r.code, r.out).toBe(0);
  });

  it('the example file_sd file is a list of target groups', () => {
    const groups = JSON.parse(readFileSync(join(DEPLOY, 'prometheus', 'file_sd', 'anomaly-guard', 'web.json'), 'utf8')) as { targets: string[] }[];
    expect(groups.length).toBeGreaterThan(0);
    for (const g of groups) for (const t of g.targets) expect(t).toMatch(/^[\w.-]+:9102$/);
  });

  it('promtool check rules accepts the rule file, and its unit tests pass (each fleet alert fires when it should, not before)', () => {
    const rules = join(DEPLOY, 'prometheus', 'anomaly-guard.rules.yml');
    const check = run(PROMTOOL!, ['check', 'rules', rules]);
    expect(check.out).toContain('SUCCESS: 7 rules found');
    expect(check.code, check.out).toBe(0);
    for (const alert of ['AnomalyGuardTargetDown', 'AnomalyGuardHealBudgetSpent', 'AnomalyGuardDown', 'AnomalyGuardNoCycle']) expect(readFileSync(rules, 'utf8')).toContain(`alert: ${alert}`);
    const test = run(PROMTOOL!, ['test', 'rules', 'anomaly-guard.rules.test.yml'], join(DEPLOY, 'prometheus'));
    expect(test.out).toContain('SUCCESS');
    expect(test.code, test.out).toBe(0);
  });
});

describe('deploy/anomaly-guard@.service', () => {
  const unit = readFileSync(join(DEPLOY, 'anomaly-guard@.service'), 'utf8');

  it('runs the instance\'s config with a raised file limit and its own log folder', () => {
    expect(unit).toMatch(/^ExecStart=\/usr\/bin\/env anomaly-guard run -c \/etc\/anomaly-guard\/%i\.yaml$/m);
    expect(unit).toMatch(/^LimitNOFILE=65536$/m);
    expect(unit).toMatch(/^LogsDirectory=anomaly-guard\/%i$/m);
    expect(unit).toMatch(/^NoNewPrivileges=yes$/m);
    expect(unit).not.toMatch(/^MemoryDenyWriteExecute=/m); // Node's JIT: the guard would not start
  });

  it.skipIf(!SYSTEMD_ANALYZE)('systemd-analyze verify accepts an instance of the template and the plain unit', () => {
    const dir = tempDir();
    copyFileSync(join(DEPLOY, 'anomaly-guard@.service'), join(dir, 'anomaly-guard@.service'));
    for (const file of [join(dir, 'anomaly-guard@web.service'), join(DEPLOY, 'anomaly-guard.service')]) {
      const r = run(SYSTEMD_ANALYZE!, ['verify', file]);
      expect(r.out, file).toBe('');
      expect(r.code, file).toBe(0);
    }
  });
});

describe('deploy/kubernetes/daemonset.yaml', () => {
  const docs = parseAllDocuments(readFileSync(join(DEPLOY, 'kubernetes', 'daemonset.yaml'), 'utf8')).map((d) => {
    expect(d.errors).toEqual([]);
    return d.toJS() as any;
  });
  const ds = docs.find((d) => d.kind === 'DaemonSet');
  const cm = docs.find((d) => d.kind === 'ConfigMap');
  const pod = ds?.spec.template.spec;
  const guard = pod?.containers.find((c: any) => c.name === 'anomaly-guard');
  const mount = (name: string) => guard.volumeMounts.find((m: any) => m.name === name);
  const volume = (name: string) => pod.volumes.find((v: any) => v.name === name);

  it('one pod per node, on the node\'s PIDs and network, the node\'s /proc read-only', () => {
    expect(ds.apiVersion).toBe('apps/v1');
    expect(ds.spec.selector.matchLabels).toEqual(ds.spec.template.metadata.labels);
    expect(pod.hostPID).toBe(true);
    expect(pod.hostNetwork).toBe(true);
    expect(mount('host-proc')).toEqual({ name: 'host-proc', mountPath: '/host/proc', readOnly: true });
    expect(volume('host-proc').hostPath.path).toBe('/proc');
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(60); // above the default cycle_timeout
  });

  it('the config comes from the ConfigMap (through the init container that fills in the node\'s address)', () => {
    expect(volume('config-template').configMap.name).toBe(cm.metadata.name);
    expect(cm.metadata.namespace).toBe(ds.metadata.namespace);
    const init = pod.initContainers.find((c: any) => c.name === 'config');
    expect(init.volumeMounts.map((m: any) => m.mountPath)).toEqual(['/etc/anomaly-guard-template', '/etc/anomaly-guard']);
    expect(mount('config')).toEqual({ name: 'config', mountPath: '/etc/anomaly-guard', readOnly: true });
    expect(guard.args).toEqual(['run', '-c', '/etc/anomaly-guard/anomaly-guard.yaml']);
  });

  it('serves /metrics on the port of http.listen, with a liveness probe on /healthz', () => {
    const port = guard.ports.find((p: any) => p.name === 'metrics');
    const config = cm.data['anomaly-guard.yaml'] as string;
    expect(config).toMatch(new RegExp(`listen: ":${port.containerPort}"`));
    expect(guard.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'metrics' });
    expect(ds.spec.template.metadata.annotations['prometheus.io/port']).toBe(String(port.containerPort));
  });

  it('its embedded config is valid (the node\'s paths and address filled in as on a node)', async () => {
    const dir = tempDir();
    const config = (cm.data['anomaly-guard.yaml'] as string)
      .replaceAll('${HOST_IP}', '10.0.0.7')
      .replace('procfs: /host/proc', `procfs: ${resolve('test/fixtures/proc/idle')}`)
      .replace('disk_path: /host/root', `disk_path: ${dir}`)
      .replaceAll('/var/log/anomaly-guard/', `${dir}/`);
    writeFileSync(join(dir, 'anomaly-guard.yaml'), config);
    const r = await runCli(['validate', '-c', join(dir, 'anomaly-guard.yaml')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});
