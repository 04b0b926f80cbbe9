// The figures of `npm run bench:harm`, from one guard's NDJSON log and the cycle starts in its scheduler.log,
// against the bench's timeline: phases {name, kind: quiet | noise | fault, startMs, endMs}. Pure: no I/O.

/** Cycles in one simulated day at the default 5-minute interval. */
export const CYCLES_PER_DAY = 288;

/** Whether a record is a check record (one per cycle). */
export const isCheck = (r) => r.event === undefined && r.lat !== undefined;
const within = (r, p) => r.ms >= p.startMs && r.ms < p.endMs;

/** The finding kind of a trigger reason: cpu, mem, latency, unhealthy, disk. */
export function kindOf(reason) {
  const prefixes = { cpu_critical: 'cpu', mem_critical: 'mem', latency_anomaly: 'latency', health_unhealthy: 'unhealthy', disk_warning: 'disk' };
  return Object.entries(prefixes).find(([p]) => reason.startsWith(p))?.[1] ?? reason;
}

/** The cycle start times (epoch ms) in a scheduler.log text. */
export function cycleStarts(text) {
  return [...text.matchAll(/^(\S+) cycle \d+ start$/gm)].map((m) => Date.parse(m[1]));
}

// Each self_heal with the kinds of the trigger it ran for (the latest anomaly_trigger before it).
function healsWithKinds(records) {
  let kinds = [];
  const heals = [];
  for (const r of records) {
    if (r.event === 'anomaly_trigger') kinds = [...new Set(r.reasons.map(kindOf))];
    if (r.event === 'self_heal') heals.push({ ...r, kinds });
  }
  return heals;
}

const count = (xs, key) => xs.reduce((acc, x) => ({ ...acc, [key(x)]: (acc[key(x)] ?? 0) + 1 }), {});

/** What the guard did to the healthy service in the phases of one kind (quiet or noise), per simulated day. */
export function healthyFigures(records, phases) {
  const inPhase = (r) => phases.some((p) => within(r, p));
  const cycles = records.filter((r) => isCheck(r) && inPhase(r)).length;
  const heals = healsWithKinds(records).filter(inPhase);
  const triggers = records.filter((r) => r.event === 'anomaly_trigger' && inPhase(r));
  const perDay = (n) => (cycles === 0 ? null : (n * CYCLES_PER_DAY) / cycles);
  const warnings = records.filter((r) => r.event === 'resource_warning' && inPhase(r)).length;
  const suppressed = count(records.filter((r) => r.event === 'heal_suppressed' && inPhase(r)), (r) => r.why);
  const latencies = records.filter((r) => isCheck(r) && inPhase(r) && r.lat.ok).map((r) => r.lat.latency_ms).sort((a, b) => a - b);
  return {
    cycles,
    latencyMedianMs: latencies.length === 0 ? null : latencies[Math.floor(latencies.length / 2)],
    heals: heals.length,
    healsPerDay: perDay(heals.length),
    triggersPerDay: perDay(triggers.length),
    warningsPerDay: perDay(warnings),
    healsByKind: count(heals.flatMap((h) => h.kinds), (k) => k),
    dismissed: records.filter((r) => isCheck(r) && inPhase(r) && r.dismissed).length,
    suppressed,
    healTimes: heals.map((h) => h.ts),
  };
}

const SERVICE_KINDS = ['latency', 'unhealthy'];

/** Whether a check found the service itself well: the probe passed and no latency finding (host-wide cpu, mem and
 * disk findings are the host's, not the service's). */
export const serviceWell = (r) => isCheck(r) && r.lat.ok && !(r.reasons ?? []).some((x) => SERVICE_KINDS.includes(kindOf(x)));

/** How one fault went: cycles (1 = the first cycle started after the injection) to the first restart (whatever it
 * was for), to a heal_verify that found the service well and to the first check that did; heals and the budget. */
export function faultFigures(records, starts, phase) {
  const cycleOf = (ms) => starts.filter((s) => s > phase.startMs && s <= ms).length;
  const inside = records.filter((r) => within(r, phase));
  const heals = healsWithKinds(records).filter((r) => within(r, phase));
  const first = heals[0];
  const verified = inside.find((r) => r.event === 'heal_verify' && r.recovered === true);
  const verifiedWell = inside.find((r) => r.event === 'heal_verify' && !(r.remaining ?? []).some((x) => SERVICE_KINDS.includes(kindOf(x))));
  const well = first && inside.find((r) => serviceWell(r) && r.ms > first.ms);
  const exhausted = inside.find((r) => r.event === 'heal_budget_exhausted');
  return {
    cycles: cycleOf(phase.endMs),
    healCycle: first ? cycleOf(first.ms) : null,
    healFor: first ? first.kinds.join('+') : null,
    healSeconds: first ? (first.ms - phase.startMs) / 1000 : null,
    healSecondsInCycle: first && cycleOf(first.ms) > 0 ? (first.ms - starts.find((s) => s > phase.startMs)) / 1000 : null,
    verifiedCycle: verified ? cycleOf(verified.ms) : null,
    verifiedWellCycle: verifiedWell ? cycleOf(verifiedWell.ms) : null,
    wellCycle: well ? cycleOf(well.ms) : null,
    heals: heals.length,
    healCycles: heals.map((h) => cycleOf(h.ms)),
    exhausted: exhausted ? { cycle: cycleOf(exhausted.ms), latched: exhausted.latched } : null,
    suppressed: count(inside.filter((r) => r.event === 'heal_suppressed'), (r) => r.why),
  };
}

/** Every figure of one guard over one run. */
export function analyseGuard(records, starts, phases) {
  const faults = Object.fromEntries(phases.filter((p) => p.kind === 'fault').map((p) => [p.name, faultFigures(records, starts, p)]));
  return {
    heals: records.filter((r) => r.event === 'self_heal').length,
    noise: healthyFigures(records, phases.filter((p) => p.kind === 'noise')),
    quiet: healthyFigures(records, phases.filter((p) => p.kind === 'quiet')),
    faults,
  };
}
