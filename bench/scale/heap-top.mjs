// The biggest holders in a V8 .heapsnapshot (bench/scale/mem.mjs writes one): self size and count by
// node type and constructor name, then for the top constructors the commonest retainer (edge name and the
// retaining node's constructor). Usage: node bench/scale/heap-top.mjs FILE.heapsnapshot [--top 30] [--per N]
// (--per N: also bytes per target for N targets; --shapes: plain objects by their keys; --key K: only K, with
// its 25 commonest retainers; --since OLDER.heapsnapshot: only the objects OLDER did not hold, i.e. made since and
// still alive: with two snapshots a few seconds apart (mem.mjs --snapshots 2), what the daemon replaces every cycle).
import { readFileSync } from 'node:fs';

const file = process.argv[2];
const top = Number(process.argv[process.argv.indexOf('--top') + 1]) || 30;
const per = process.argv.includes('--per') ? Number(process.argv[process.argv.indexOf('--per') + 1]) : 0;
const snap = JSON.parse(readFileSync(file, 'utf8'));
const meta = snap.snapshot.meta;
const nf = meta.node_fields;
const ef = meta.edge_fields;
const NF = nf.length;
const EF = ef.length;
const nodeTypes = meta.node_types[0];
const edgeTypes = meta.edge_types[0];
const { nodes, edges, strings } = snap;
const iType = nf.indexOf('type');
const iName = nf.indexOf('name');
const iSize = nf.indexOf('self_size');
const iEdges = nf.indexOf('edge_count');
const eType = ef.indexOf('type');
const eName = ef.indexOf('name_or_index');
const eTo = ef.indexOf('to_node');
const count = nodes.length / NF;
const iId = nf.indexOf('id');
// --since: the ids the older snapshot held (V8 keeps an object's id from one snapshot to the next).
let older = null;
if (process.argv.includes('--since')) {
  const o = JSON.parse(readFileSync(process.argv[process.argv.indexOf('--since') + 1], 'utf8'));
  const oNF = o.snapshot.meta.node_fields.length;
  const oId = o.snapshot.meta.node_fields.indexOf('id');
  older = new Set();
  for (let i = oId; i < o.nodes.length; i += oNF) older.add(o.nodes[i]);
}
const counted = (n) => older === null || !older.has(nodes[n * NF + iId]);
// The first edge of every node (edges are stored in node order).
const firstEdge = new Uint32Array(nodes.length / NF + 1);
for (let n = 0, e = 0; n < nodes.length / NF; n++) {
  firstEdge[n] = e;
  e += nodes[n * NF + iEdges] * EF;
}
const shapes = process.argv.includes('--shapes');
// A plain object's property names (the first six), so that objects of one kind group together.
const propsOf = (n) => {
  const out = [];
  for (let j = 0, e = firstEdge[n]; j < nodes[n * NF + iEdges] && out.length < 6; j++, e += EF) {
    if (edgeTypes[edges[e + eType]] === 'property') {
      const p = String(strings[edges[e + eName]]);
      if (p !== '__proto__' && p !== 'map') out.push(p);
    }
  }
  return out.join(',');
};
const keyOf = (n) => {
  const t = nodeTypes[nodes[n * NF + iType]];
  const name = strings[nodes[n * NF + iName]];
  if (shapes && t === 'object' && name === 'Object') return `object:{${propsOf(n)}}`;
  if (shapes && t === 'closure') return `closure:${name.slice(0, 40)}`;
  if (t === 'object' || t === 'closure' || t === 'native') return `${t}:${name.slice(0, 60)}`;
  if (t === 'hidden' || t === 'code' || t === 'array') return `${t}:${name.slice(0, 40)}`;
  return t;
};
const by = new Map();
let total = 0;
for (let n = 0; n < count; n++) {
  if (!counted(n)) continue;
  const k = keyOf(n);
  const s = nodes[n * NF + iSize];
  total += s;
  const e = by.get(k) ?? { size: 0, n: 0 };
  e.size += s;
  e.n += 1;
  by.set(k, e);
}
// Retainers of the top keys: first edge into each node (not weak), by edge name and retainer key.
const only = process.argv.includes('--key') ? process.argv[process.argv.indexOf('--key') + 1] : null;
const rows = [...by.entries()].filter(([k]) => only === null || k === only).sort((x, y) => y[1].size - x[1].size).slice(0, top);
const wanted = new Set(rows.map(([k]) => k));
const ret = new Map();
let edgeIx = 0;
for (let n = 0; n < count; n++) {
  const ec = nodes[n * NF + iEdges];
  const from = keyOf(n);
  for (let j = 0; j < ec; j++, edgeIx += EF) {
    const et = edgeTypes[edges[edgeIx + eType]];
    if (et === 'weak' || (et === 'property' && strings[edges[edgeIx + eName]] === '__proto__')) continue;
    const to = edges[edgeIx + eTo] / NF;
    if (!counted(to)) continue;
    const k = keyOf(to);
    if (!wanted.has(k)) continue;
    const en = et === 'element' || et === 'hidden' ? `[${et}]` : String(strings[edges[edgeIx + eName]]).slice(0, 30);
    const m = ret.get(k) ?? new Map();
    const rk = `${from} .${en}`;
    m.set(rk, (m.get(rk) ?? 0) + 1);
    ret.set(k, m);
  }
}
const mb = (b) => (b / 2 ** 20).toFixed(2);
console.log(`total self size ${mb(total)} MB${older ? ' made since the older snapshot' : ` in ${count} nodes`}${per ? `; ${Math.round(total / per)} B per target` : ''}`);
for (const [k, e] of rows) {
  const r = [...(ret.get(k) ?? new Map()).entries()].sort((x, y) => y[1] - x[1]).slice(0, 3).map(([rk, c]) => `${rk} ×${c}`).join(' | ');
  console.log(`${mb(e.size).padStart(8)} MB ${String(e.n).padStart(8)}  ${per ? String(Math.round(e.size / per)).padStart(6) + ' B/t  ' : ''}${k}   <- ${r}`);
}
