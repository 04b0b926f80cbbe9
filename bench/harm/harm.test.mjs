// The parts of `npm run bench:harm` its figures rest on: the analysis of a log, the service's faults and its
// restart, and the memory pressure the real guard reads through the bench's procfs folder.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { CYCLES_PER_DAY, faultFigures, healthyFigures } from './analyse.mjs';
import { cleanup, control, owned, startService } from './children.mjs';
import { configText } from './guard.mjs';
import { fakeProcfs } from './neighbour.mjs';

const MAIN = new URL('../../dist/cli/main.js', import.meta.url).pathname;
const T0 = Date.parse('2026-01-01T00:00:00Z');
const at = (s) => ({ ts: new Date(T0 + s * 1000).toISOString(), ms: T0 + s * 1000 });
const check = (s, extra = {}) => ({ ...at(s), lat: { latency_ms: 20, ok: true, http_status: 200 }, ...extra });

afterAll(cleanup);

describe('bench:harm analysis', () => {
  it('counts cycles from the first cycle started after the fault to the restart and to the service found well', () => {
    const starts = [0, 2, 4, 6, 8].map((s) => T0 + s * 1000); // the fault comes at 1 s: cycle 1 starts at 2 s
    const records = [
      check(0.5),
      check(2.1, { lat: { latency_ms: 2000, ok: false, http_status: null }, reasons: ['health_unhealthy (timeout after 2000 ms)'] }),
      { event: 'anomaly_trigger', ...at(2.1), reasons: ['health_unhealthy (timeout after 2000 ms)'] },
      { event: 'self_heal', ...at(2.4), exit_code: 0 },
      { event: 'heal_verify', ...at(3.5), recovered: false, remaining: ['cpu_critical (100.0%)'] },
      check(4.1, { reasons: ['cpu_critical (100.0%)'] }),
      check(6.1),
    ];
    const f = faultFigures(records, starts, { startMs: T0 + 1000, endMs: T0 + 7000 });
    expect(f).toMatchObject({ healCycle: 1, healFor: 'unhealthy', healSeconds: 1.4, verifiedCycle: null, verifiedWellCycle: 1, wellCycle: 2, heals: 1, cycles: 3 });
  });

  it('normalises the restarts of a healthy phase to a simulated day of 288 cycles', () => {
    const records = [];
    for (let i = 0; i < 144; i++) records.push(check(i * 2));
    records.push({ event: 'anomaly_trigger', ...at(10), reasons: ['cpu_critical (95.0%)'] }, { event: 'self_heal', ...at(10.2) });
    const h = healthyFigures(records, [{ startMs: T0, endMs: T0 + 288_000 }]);
    expect(h).toMatchObject({ cycles: 144, heals: 1, healsPerDay: CYCLES_PER_DAY / 144, healsByKind: { cpu: 1 } });
  });
});

describe('bench:harm service', () => {
  const get = (port) => new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/health', agent: false, timeout: 3000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('timeout', () => req.destroy(new Error('hung')));
    req.on('error', (err) => resolve(err.message));
  });

  it('hangs and answers 503 until the heal restarts it; a sticky slowdown survives the restart', async () => {
    const { ports } = await startService(1);
    expect(await get(ports.health)).toBe(200);
    await control(ports.control, '/fault?mode=hang');
    const hung = get(ports.health);
    while ((await control(ports.control, '/stats', 'GET')).hung === 0) await new Promise((r) => setTimeout(r, 50));
    await control(ports.control, '/restart');
    expect(await hung).toMatch(/socket hang up|ECONNRESET/);
    await control(ports.control, '/fault?mode=503');
    expect(await get(ports.health)).toBe(503);
    await control(ports.control, '/restart');
    expect(await get(ports.health)).toBe(200);
    await control(ports.control, '/fault?mode=sticky-slow&factor=100');
    expect((await control(ports.control, '/restart')).fault).toBe('sticky-slow');
    expect(await control(ports.control, '/clear')).toMatchObject({ fault: null, restarts: 3 });
  });
});

describe('bench:harm memory pressure', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ag-harm-test-'));
  owned.dirs.add(dir);

  it('reaches the real guard through resources.procfs: mem 96 % under pressure, the host figure after', async () => {
    const procfs = fakeProcfs(dir);
    const { ports } = await startService(1);
    const cfg = path.join(dir, 'safe.yaml');
    fs.writeFileSync(cfg, configText('safe', ports, procfs.root));
    const run = async () => {
      const out = await promisify(execFile)(process.execPath, [MAIN, 'check', '--json', '-c', cfg]).catch((err) => err);
      return out.stdout.trim().split('\n').map((l) => JSON.parse(l)).find((r) => r.lat);
    };
    procfs.pressure(true);
    expect((await run()).res.mem).toBe(96);
    expect((await run()).reasons).toContain('mem_critical (96.0%)');
    procfs.pressure(false);
    expect((await run()).res.mem).toBeLessThan(90);
  }, 90_000);
});
