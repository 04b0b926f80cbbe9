#!/usr/bin/env node
// Where a daemon's busy time goes, by the nearest function of ours: each sample of a .cpuprofile (after the first
// SKIP_MS) is charged to the closest enclosing function from dist/ (or to GC / program / a node function with none),
// so node's internals count for the function of ours that called them. DEPTH > 1 names the chain of ours.
// Usage: node bench/cpuprofile-ours.mjs FILE.cpuprofile [SKIP_MS=20000] [DEPTH=1]   (TOP=N lines, default 45)
import fs from 'node:fs';
const [file, skipMs = '20000', depthArg = '1'] = process.argv.slice(2);
const depth = Number(depthArg);
const p = JSON.parse(fs.readFileSync(file, 'utf8'));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const ours = (n) => (n.callFrame.url || '').includes('/dist/');
const agg = new Map();
let t = 0, busy = 0;
p.samples.forEach((id, i) => {
  t += p.timeDeltas[i] ?? 0;
  if (t / 1000 < Number(skipMs)) return;
  const us = p.timeDeltas[i] ?? 0;
  const n0 = byId.get(id);
  const fn = n0.callFrame.functionName;
  if (fn === '(idle)') return;
  busy += us;
  let key;
  if (fn === '(garbage collector)' || fn === '(program)') key = fn;
  else {
    const chain = [];
    let cur = id;
    while (cur !== undefined && chain.length < depth) {
      const n = byId.get(cur);
      if (ours(n)) chain.push(n.callFrame.functionName || '(anon)');
      cur = parent.get(cur);
    }
    key = chain.length ? chain.join(' < ') : `[node] ${fn}`;
  }
  agg.set(key, (agg.get(key) ?? 0) + us);
});
console.log('busy ms', (busy / 1000).toFixed(0));
for (const [k, us] of [...agg].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOP ?? 45))) console.log(((100 * us) / busy).toFixed(1).padStart(6), '%', k);
