// Self bytes by function (and by function + caller) of a .heapprofile (bench/scale/mem-probe.mjs writes one).
// Usage: node bench/scale/heapprof-top.mjs FILE.heapprofile [--top 40]
import { readFileSync } from 'node:fs';

const p = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const top = Number(process.argv[process.argv.indexOf('--top') + 1]) || 40;
const self = new Map();
const chain = new Map();
let total = 0;
const name = (n) => `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.replace(/^.*\/(dist|node_modules)\//, '$1/').replace(/^node:/, '')}:${n.callFrame.lineNumber + 1}`;
const walk = (n, stack) => {
  const b = n.selfSize;
  total += b;
  const k = name(n);
  self.set(k, (self.get(k) ?? 0) + b);
  const ours = [k, ...stack].filter((s) => s.includes('dist/')).slice(0, 3).join(' < ');
  chain.set(ours, (chain.get(ours) ?? 0) + b);
  for (const c of n.children) walk(c, [k, ...stack]);
};
walk(p.head, []);
const mb = (b) => (b / 2 ** 20).toFixed(1).padStart(7);
console.log(`total sampled ${mb(total)} MB`);
for (const [k, b] of [...self.entries()].sort((x, y) => y[1] - x[1]).slice(0, top)) console.log(`${mb(b)} MB  ${k}`);
console.log('--- by nearest frames of ours');
for (const [k, b] of [...chain.entries()].sort((x, y) => y[1] - x[1]).slice(0, top)) console.log(`${mb(b)} MB  ${k}`);
