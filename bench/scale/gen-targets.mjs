// Writes a config of N targets (and optionally R check records in each target's log, with a `.1` rotated file
// holding R more) into a fresh folder, for bench/scale/rebuild.mjs. Prints the config's path.
// Usage: node bench/scale/gen-targets.mjs N [R] [--rotated]
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { generateLog } from '../gen-log.mjs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const n = Number(process.argv[2] ?? 1000);
const records = Number(process.argv[3] ?? 0);
const rotated = process.argv.includes('--rotated');
const dir = mkdtempSync(join(tmpdir(), 'ag-scale-gen-'));
mkdirSync(join(dir, 'logs'));
const name = (i) => `t${String(i).padStart(5, '0')}`;
// Check records of the seed's shape (bench/gen-log.mjs's), the newest 10 s before now, `from` cycles back.
const template = (() => {
  const tmp = join(dir, 'template.ndjson');
  generateLog({ lines: 1, out: tmp, seed: 1 });
  return JSON.parse(readFileSync(tmp, 'utf8').split('\n')[0]);
})();
const lines = (i, from, count) => {
  const out = [];
  for (let k = 0; k < count; k++) {
    const ts = new Date(Date.now() - (from + count - k) * 10_000).toISOString();
    out.push(JSON.stringify({ ...template, ts, target: name(i), lat: { ...template.lat, latency_ms: 3 + (k % 7) } }));
  }
  return out.join('\n') + '\n';
};
const targets = [];
for (let i = 0; i < n; i++) {
  targets.push({ name: name(i), health: { url: `http://127.0.0.1:9/ok/${name(i)}` } });
  const log = join(dir, 'logs', `anomaly_guard.${name(i)}.ndjson`);
  if (records > 0) writeFileSync(log, lines(i, 0, records));
  if (records > 0 && rotated) writeFileSync(`${log}.1`, lines(i, records, records));
}
const file = join(dir, 'anomaly-guard.json');
writeFileSync(file, JSON.stringify({ interval: '10s', log_file: join(dir, 'logs', 'anomaly_guard.ndjson'), scheduler_log: join(dir, 'logs', 'scheduler.log'), targets }));
console.log(file);
