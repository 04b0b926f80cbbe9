#!/usr/bin/env node
// The CLI entry, kept to a few lines so start-up loads only what the command runs: `--version` answers
// at once; `check` takes the first CPU reading of its sample before anything else loads (commander, the
// config, YAML), so start-up overlaps cpu_sample, and runs from its one-file bundle (check-main.ts);
// `report` runs from its one-file bundle too (report-main.ts); every other command runs the program with its commands in chunks loaded on demand (program.ts).
import { readEarlyStat } from './early-stat.js';
import { VERSION } from './version.js';

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${VERSION}\n`);
} else if (args[0] === 'check') {
  const early = readEarlyStat();
  await (await import('./check-main.js')).main(process.argv, early);
} else if (args[0] === 'report') {
  await (await import('./report-main.js')).main(process.argv);
} else {
  await (await import('./program.js')).main(process.argv);
}
