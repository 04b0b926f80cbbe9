// `--target NAME`: which of the config's targets a command works on. A config without `targets:` is one
// target, the guard itself.
import type { GuardConfig } from '../config/config.js';
import { GuardError } from '../errors.js';

/** The targets a command runs on: the one named, else every target (a config without targets: itself). */
export function chosenTargets(config: GuardConfig, name: unknown): GuardConfig[] {
  if (name === undefined || name === null) return config.targets.length > 0 ? config.targets : [config];
  const names = config.targets.map((t) => t.target);
  if (config.targets.length === 0) {
    throw new GuardError('USAGE', `--target ${String(name)}: the config has no targets`, { hint: 'leave --target out, or add a `targets:` list to the config' });
  }
  const found = config.targets.find((t) => t.target === name);
  if (found === undefined) throw new GuardError('USAGE', `--target ${String(name)}: no such target`, { hint: `use one of: ${names.join(', ')}` });
  return [found];
}

/** The one target a command needs: the one named, or the config itself when it has no targets. */
export function oneTarget(config: GuardConfig, name: unknown, command: string): GuardConfig {
  const chosen = chosenTargets(config, name);
  if (chosen.length === 1) return chosen[0] as GuardConfig;
  throw new GuardError('USAGE', `${command} works on one target; the config has ${chosen.length}`, { hint: `add --target NAME, one of: ${chosen.map((t) => t.target).join(', ')}` });
}
