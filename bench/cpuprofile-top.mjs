#!/usr/bin/env node
// The functions with the most self time (and our functions with the most inclusive time) in .cpuprofile
// files, e.g. from `node bench/daemon-cost.mjs --cpu-prof DIR`; idle time is left out, and so are the first
// --skip-ms of each profile (the daemon's start-up). Times are per cycle when --cycles is given.
// Usage: node bench/cpuprofile-top.mjs [--top N] [--skip-ms MS] [--cycles N] FILE.cpuprofile...
import fs from 'node:fs';
import path from 'node:path';

function parseArgs(argv) {
  const opts = { top: 25, skipMs: 20_000, cycles: null, files: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--top') opts.top = Number(argv[++i]);
    else if (argv[i] === '--skip-ms') opts.skipMs = Number(argv[++i]);
    else if (argv[i] === '--cycles') opts.cycles = Number(argv[++i]);
    else opts.files.push(argv[i]);
  }
  if (opts.files.length === 0) throw new Error('usage: node bench/cpuprofile-top.mjs [--top N] [--skip-ms MS] [--cycles N] FILE.cpuprofile...');
  return opts;
}

const label = (f) => `${f.functionName || '(anonymous)'} ${f.url ? `${path.basename(f.url)}:${f.lineNumber + 1}` : ''}`.trim();

function addProfile(file, opts, self, inclusive, total) {
  const p = JSON.parse(fs.readFileSync(file, 'utf8'));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map(p.nodes.flatMap((n) => (n.children ?? []).map((c) => [c, n.id])));
  let t = 0;
  p.samples.forEach((id, i) => {
    const us = p.timeDeltas[i] ?? 0;
    t += us;
    if (t < opts.skipMs * 1000) return;
    const top = byId.get(id).callFrame;
    if (top.functionName === '(idle)') return;
    total.us += us;
    self.set(label(top), (self.get(label(top)) ?? 0) + us);
    const seen = new Set();
    for (let j = id; j !== undefined; j = parent.get(j)) {
      const name = label(byId.get(j).callFrame);
      if (seen.has(name) || !byId.get(j).callFrame.url.includes('/dist/')) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + us);
    }
  });
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const self = new Map();
  const inclusive = new Map();
  const total = { us: 0 };
  for (const f of opts.files) addProfile(f, opts, self, inclusive, total);
  const per = opts.cycles ? opts.cycles * opts.files.length : opts.files.length;
  const unit = opts.cycles ? 'ms per cycle' : 'ms per profile';
  const fmt = (us) => (us / 1000 / per).toFixed(3);
  const rows = (m) => [...m].sort((a, b) => b[1] - a[1]).slice(0, opts.top).map(([k, us]) => `${fmt(us).padStart(9)}  ${((100 * us) / total.us).toFixed(1).padStart(5)}%  ${k}`);
  console.log(`busy (not idle) after ${opts.skipMs} ms: ${fmt(total.us)} ${unit}\n\nself time (${unit}, share):`);
  console.log(rows(self).join('\n'));
  console.log(`\ninclusive time of functions in dist/ (${unit}, share):`);
  console.log(rows(inclusive).join('\n'));
}

main();
