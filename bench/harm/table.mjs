// The side-by-side table of `npm run bench:harm`: one row per figure, safe next to seed, each cell the median
// over the runs followed by every run's value ("–": never, e.g. a fault not healed before the bench ended it).
import { FAULTS } from './phases.mjs';

const r = (x, d = 1) => (x === null || x === undefined ? null : Math.round(x * 10 ** d) / 10 ** d);
const show = (x) => (x === null ? '–' : String(x));

// The median of numbers, null counting as the worst (never); null when the middle one is.
function median(values) {
  const sorted = [...values].sort((a, b) => (a ?? Infinity) - (b ?? Infinity));
  const lo = sorted[Math.floor((sorted.length - 1) / 2)];
  const hi = sorted[Math.ceil((sorted.length - 1) / 2)];
  return lo === null || hi === null ? null : (lo + hi) / 2;
}

function cell(values) {
  if (values.some((v) => typeof v === 'string')) return values.join(' / ');
  const m = show(r(median(values), 2));
  return values.length === 1 ? m : `${m} (${values.map(show).join(', ')})`;
}

const exhausted = (e) => (e === null ? 'no' : `cycle ${e.cycle}${e.latched ? ', latched' : ', not latched'}`);

/** The rows: a label and how to read its figure from one guard's analysis. */
function rows(opts) {
  const kinds = ['cpu', 'mem', 'latency', 'unhealthy'].map((k) => [`noise: restarts for ${k}`, (g) => g.noise.healsByKind[k] ?? 0]);
  const faults = FAULTS.filter((f) => !f.sticky).flatMap(({ name }) => [
    [`${name}: cycle of the first restart (1 = first after the fault)`, (g) => g.faults[name].healCycle],
    [`${name}: what that restart was for`, (g) => g.faults[name].healFor ?? 'none'],
    [`${name}: seconds from the fault to it`, (g) => r(g.faults[name].healSeconds)],
    [`${name}: seconds from the start of cycle 1 to it`, (g) => r(g.faults[name].healSecondsInCycle)],
    [`${name}: cycle of the first heal_verify finding the service well`, (g) => g.faults[name].verifiedWellCycle],
    [`${name}: cycle of the first heal_verify recovered (cpu too)`, (g) => g.faults[name].verifiedCycle],
    [`${name}: cycle of the first check finding the service well`, (g) => g.faults[name].wellCycle],
    [`${name}: restarts`, (g) => g.faults[name].heals],
  ]);
  const sticky = FAULTS.find((f) => f.sticky).name;
  return [
    ['quiet: median latency of the service (ms)', (g) => r(g.quiet.latencyMedianMs)],
    ['noise: cycles', (g) => g.noise.cycles],
    ['noise: **restarts per simulated day**', (g) => r(g.noise.healsPerDay)],
    ...kinds,
    ['noise: restarts decided (anomaly_trigger) per day', (g) => r(g.noise.triggersPerDay)],
    ['noise: restarts held back by rate_limit', (g) => g.noise.suppressed.rate_limit ?? 0],
    ['noise: alerts (resource_warning) per day', (g) => r(g.noise.warningsPerDay)],
    ['noise: latency anomalies dismissed as blips by the re-probes (50x answers the service served)', (g) => `${g.noise.dismissed} (${g.service.slowAnswers})`],
    ['quiet (warm-up and gaps, the host\'s own load): cycles', (g) => g.quiet.cycles],
    ['quiet: **restarts per simulated day**', (g) => r(g.quiet.healsPerDay)],
    ['quiet: restarts decided (anomaly_trigger) per day', (g) => r(g.quiet.triggersPerDay)],
    ...faults,
    [`${sticky}: heals, in how many cycles (the phase lasts until both guards ran ${opts['sticky-cycles']})`, (g) => `${g.faults[sticky].heals} in ${g.faults[sticky].cycles}`],
    [`${sticky}: cycles of those heals`, (g) => g.faults[sticky].healCycles.join(',') || 'none'],
    [`${sticky}: heal_budget_exhausted`, (g) => exhausted(g.faults[sticky].exhausted)],
    [`${sticky}: cycle of the first check finding the service well (it is not)`, (g) => g.faults[sticky].wellCycle],
  ];
}

/** The markdown table of all runs, with the machine's load of each run above it. */
export function markdownTable(results, opts) {
  const load = results.map((x) => `- run ${x.run}: load average ${x.machine.load1.median} (${x.machine.load1.min}–${x.machine.load1.max}) on ${x.machine.cores} cores, CPU ${x.machine.cpuBusyPct} % busy`);
  const lines = ['| figure | safe | seed |', '|---|---|---|'];
  for (const [label, get] of rows(opts)) lines.push(`| ${label} | ${cell(results.map((x) => get(x.safe)))} | ${cell(results.map((x) => get(x.seed)))} |`);
  const check = (g) => `${g.service.restarts} (${g.heals})`;
  lines.push(`| restarts the service saw in the whole run (self_heal records) | ${cell(results.map((x) => check(x.safe)))} | ${cell(results.map((x) => check(x.seed)))} |`);
  return [...load, '', ...lines].join('\n');
}
