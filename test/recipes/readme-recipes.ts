// The README's Recipes, read back for their tests: each section's YAML blocks and the failure lines
// (`health_unhealthy (…)` in backticks) under them, so what the README shows is what is tested.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';

/** One recipe: its config blocks and its failure lines, in the order of the README. */
export interface Recipe {
  configs: Record<string, any>[];
  failures: string[];
}

/** The recipe under `### <title>` in README.md's Recipes section. */
export function readmeRecipe(title: string): Recipe {
  const readme = readFileSync(resolve('README.md'), 'utf8');
  const recipes = readme.slice(readme.indexOf('\n## Recipes\n'), readme.indexOf('\n## ', readme.indexOf('\n## Recipes\n') + 5));
  const start = recipes.indexOf(`\n### ${title}\n`);
  if (start < 0) throw new Error(`README.md has no recipe "### ${title}"`);
  const end = recipes.indexOf('\n### ', start + 5);
  const section = recipes.slice(start, end < 0 ? undefined : end);
  const configs = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => parse(m[1] as string) as Record<string, any>);
  const failures = [...section.matchAll(/`(health_unhealthy \([^`]*\))`/g)].map((m) => m[1] as string);
  return { configs, failures };
}

/** The recipe's config with its URL pointed at `hostPort` (scheme, credentials and path kept). */
export function pointedAt(config: Record<string, any>, hostPort: string): Record<string, any> {
  const url = String(config.health.url).replace(/127\.0\.0\.1:\d+/, hostPort);
  return { ...config, health: { ...config.health, url } };
}
