// Seeded synthetic latency series (5-minute cycles): healthy services and real stalls of known start.
// Deterministic: mulberry32 + Box–Muller, one generator per scenario and seed.

/** mulberry32: a small seeded uniform generator in [0, 1). */
export function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY = 288; // cycles per day at 5 minutes

/** Builds a series of `days` days: base(i) × lognormal jitter, then the scenario's events. */
function series(seed, days, sigma, base, events = () => 1) {
  const u = rng(seed);
  const out = [];
  for (let i = 0; i < days * DAY; i++) {
    const g = Math.sqrt(-2 * Math.log(u() + 1e-12)) * Math.cos(2 * Math.PI * u());
    out.push(base(i) * Math.exp(sigma * g) * events(i, u));
  }
  return out;
}

/** Stall starts: one every 5 days from day 8, each lasting `len` cycles at `factor` × the level. */
function stalls(days, len) {
  const starts = [];
  for (let d = 8; d < days - 1; d += 5) starts.push(d * DAY + 97 + 13 * d);
  return { starts, len, at: (i) => starts.some((s) => i >= s && i < s + len) };
}

/** The scenarios: name, what it is, and a builder (seed) → { values, stalls: [{start, len}] }. */
export const SCENARIOS = [
  { name: 'healthy', healthy: true, build: (s) => ({ values: series(s, 30, 0.3, () => 40), stalls: [] }) },
  { name: 'heavy-tail', healthy: true, build: (s) => ({ values: series(s, 30, 0.6, () => 40), stalls: [] }) },
  { name: 'daily-cycle', healthy: true, build: (s) => ({ values: series(s, 30, 0.2, (i) => 40 * (1 + 0.5 * Math.sin((2 * Math.PI * i) / DAY))), stalls: [] }) },
  { name: 'deploy (new level ×1.6 at day 12)', healthy: true, build: (s) => ({ values: series(s, 30, 0.3, (i) => (i >= 12 * DAY ? 64 : 40)), stalls: [] }) },
  { name: 'slow drift (+80% over 30 days)', healthy: true, build: (s) => ({ values: series(s, 30, 0.3, (i) => 40 * (1 + (0.8 * i) / (30 * DAY))), stalls: [] }) },
  { name: 'blips (1 cycle ×3, 2 a day)', healthy: true, build: (s) => ({ values: series(s, 30, 0.3, () => 40, (i) => (i % 144 === 77 ? 3 : 1)), stalls: [] }) },
  ...[
    ['stalls ×10 for 6 cycles', 10, 6],
    ['stalls ×4 for 12 cycles', 4, 12],
    ['stalls ×2.5 for 24 cycles', 2.5, 24],
  ].map(([name, factor, len]) => ({
    name,
    healthy: false,
    build: (s) => {
      const st = stalls(30, len);
      return { values: series(s, 30, 0.3, (i) => 40 * (1 + 0.3 * Math.sin((2 * Math.PI * i) / DAY)), (i) => (st.at(i) ? factor : 1)), stalls: st.starts.map((start) => ({ start, len })) };
    },
  })),
];
