#!/usr/bin/env node
// The CLI entry. A one-shot `check` takes the first CPU reading of its sample before anything else loads
// (commander, the config, YAML), so start-up overlaps cpu_sample; then the program runs.
import { prefetchStat } from './early-stat.js';

if (process.argv[2] === 'check') prefetchStat();
const { main } = await import('./program.js');
await main(process.argv);
