// The demo's closing summary: what was injected, what the guard detected and how it healed.
import { parseTs } from '../core/format.js';
import type { CheckRecord, GuardRecord } from '../log/records.js';

/** What happened during a demo run. */
export interface DemoTally {
  cycles: number;
  injected: { mode: string; atMs: number }[];
  records: GuardRecord[];
}

/** One paragraph per injected fault: detected by which reason, healed, recovered after how long. */
export function demoSummary(t: DemoTally): string {
  const count = (event: string): number => t.records.filter((r) => 'event' in r && r.event === event).length;
  const lines = [
    `summary: ${t.cycles} cycles, ${count('anomaly_trigger')} anomaly triggers, ${count('self_heal')} heals, ${count('heal_verify')} verifications, ${count('heal_suppressed')} suppressed`,
  ];
  for (const [i, fault] of t.injected.entries()) {
    const until = t.injected[i + 1]?.atMs ?? Number.POSITIVE_INFINITY;
    const inSpan = t.records.filter((r) => parseTs(r.ts) >= fault.atMs && parseTs(r.ts) < until);
    const trigger = inSpan.find((r) => 'event' in r && r.event === 'anomaly_trigger');
    const verify = inSpan.find((r) => 'event' in r && r.event === 'heal_verify' && r.recovered);
    const dismissed = inSpan.find((r): r is CheckRecord => !('event' in r) && (r.dismissed?.length ?? 0) > 0);
    const detected = trigger && 'reasons' in trigger
      ? `detected: ${trigger.reasons.join('; ')}`
      : dismissed ? `dismissed as a blip (${dismissed.dismissed?.join('; ')}): the re-probe was normal, no heal` : 'not detected (the demo ended first?)';
    const healed = verify ? `; healed, healthy again ${((parseTs(verify.ts) - fault.atMs) / 1000).toFixed(1)} s after the fault` : '';
    lines.push(`  ${fault.mode.padEnd(9)} ${detected}${healed}`);
  }
  return lines.join('\n');
}
