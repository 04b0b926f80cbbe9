// Which detector a forensics command runs: the one named on the command line, else the configured one
// (a `latency.detector` key, when the config has it), else the registry's default.
import type { GuardConfig } from '../config/config.js';
import { DETECTORS, findDetector } from '../core/detectors/registry.js';
import type { DetectorSpec } from '../core/detectors/types.js';
import { GuardError } from '../errors.js';

/** The configured detector's name, or the default's. */
export function configuredDetector(config: GuardConfig): string {
  const named = (config.latency as { detector?: unknown }).detector;
  return typeof named === 'string' && named !== '' ? named : (DETECTORS[0] as DetectorSpec).name;
}

/** The detector of that name; a USAGE error naming the choices when there is none. */
export function detectorByName(name: string, flag: string): DetectorSpec {
  const spec = findDetector(name);
  if (spec) return spec;
  const choices = DETECTORS.map((d) => d.name).join(', ');
  throw new GuardError('USAGE', `${flag} ${name}: no such detector; choose from: ${choices}`, { hint: '`anomaly-guard score --list-detectors` lists them' });
}
