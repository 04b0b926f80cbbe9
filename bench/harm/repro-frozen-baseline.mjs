// `node bench/harm/repro-frozen-baseline.mjs` (after `npm run build`): a finding of bench:harm
// (bench/README.md#do-no-harm). Profile safe, and a host finding that only alerts (cpu_critical; cpu_critical: 1
// so that any host shows it) on every check. After one latency incident, healed, every check stays
// `in_baseline: false` and no `recovered` is logged: the baseline is frozen for as long as the host stays busy.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanup, control, owned, startService } from './children.mjs';

const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ag-frozen-'));
owned.dirs.add(dir);
try {
  const { ports } = await startService(10);
  const config = path.join(dir, 'g.yaml');
  fs.writeFileSync(config, `profile: safe
log_file: g.ndjson
health: { url: "http://127.0.0.1:${ports.health}/health", timeout: 2s }
resources: { cpu_critical: 1 }
heal: { command: [curl, -fsS, -X, POST, "http://127.0.0.1:${ports.control}/restart"], verify_after: 1s }
`);
  const checkAnyStatus = () => {
    try {
      execFileSync(process.execPath, [MAIN, 'check', '-c', config], { stdio: 'ignore' });
    } catch {
      // exit 1 or 2: a warning, or a heal
    }
  };
  for (let i = 0; i < 12; i++) checkAnyStatus();
  await control(ports.control, '/fault?mode=slow&factor=100');
  checkAnyStatus(); // a latency anomaly, confirmed by two re-probes: the heal restarts the service, which ends it
  for (let i = 0; i < 6; i++) checkAnyStatus();
  const records = fs.readFileSync(path.join(dir, 'g.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  for (const r of records.slice(-24)) {
    if (r.lat) console.log(r.ts, `latency ${r.lat.latency_ms} mean ${r.mean} in_baseline ${r.in_baseline ?? true}`, (r.reasons ?? []).join('; '));
    else console.log(r.ts, r.event, r.recovered ?? r.why ?? '');
  }
  console.log(`recovered records: ${records.filter((r) => r.event === 'recovered').length}`);
} finally {
  await cleanup();
}
