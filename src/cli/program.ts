// The CLI program: parses flags with commander, loads one command module lazily, and maps errors to exit
// codes in one place (check: 3 UNKNOWN; validate and run: 2 for a bad config; usage: 2; else 1).
import { Command, CommanderError, Option } from 'commander';
import { visibleLines } from '../core/terminal-text.js';
import { GuardError } from '../errors.js';
import { VERSION } from './version.js';

type Action = (opts: Record<string, unknown>, args: string[]) => Promise<number>;

const configOption = (): Option => new Option('-c, --config <file>', 'config file (default: $ANOMALY_GUARD_CONFIG, else ./anomaly-guard.yaml|yml|json, else built-in defaults)');

function exitCodeFor(command: string, err: unknown): number {
  if (err instanceof GuardError && err.code === 'USAGE') return 2;
  if (command === 'check') return 3;
  if ((command === 'validate' || command === 'run') && err instanceof GuardError && err.code.startsWith('CONFIG_')) return 2;
  return 1;
}

function printError(command: string, err: unknown): void {
  const prefix = command ? `anomaly-guard ${command}` : 'anomaly-guard';
  if (err instanceof GuardError) {
    const lines = [`${prefix}: ${err.message}`, ...err.details.map((d) => `  ${d}`)];
    if (err.hint) lines.push(`hint: ${err.hint}`);
    process.stderr.write(`${visibleLines(lines.join('\n'))}\n`);
    return;
  }
  const e = err as Error;
  process.stderr.write(visibleLines(`${prefix}: unexpected error: ${e?.message ?? String(err)}\n${process.env.ANOMALY_GUARD_DEBUG ? `${e?.stack ?? ''}\n` : ''}`));
}

function run(name: string, load: () => Promise<{ default: Action }>) {
  return async (...params: unknown[]): Promise<void> => {
    const cmd = params[params.length - 1] as Command;
    const opts = cmd.opts();
    try {
      const mod = await load();
      process.exitCode = await mod.default(opts, cmd.args);
    } catch (err) {
      printError(name, err);
      process.exitCode = exitCodeFor(name, err);
    }
  };
}

function buildProgram(): Command {
  const program = new Command('anomaly-guard')
    .description('Keeps a service alive unattended: probes its health endpoint, finds latency anomalies, watches CPU/memory/disk, self-heals, logs NDJSON.')
    .version(VERSION, '-V, --version')
    .showSuggestionAfterError(true)
    .exitOverride();
  program
    .command('check')
    .description('run one guard cycle: probe, sample, score, decide, heal/alert, append to the log, print a summary (exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN)')
    .addOption(configOption())
    .option('--json', 'print the records written, one JSON object per line')
    .option('--dry-run', 'do everything but heal and alert: the records say what would have been done (heal_suppressed "dry_run")')
    .option('--target <name>', 'check only this target (of the config\'s targets:)')
    .action(run('check', () => import('./check.js')));
  program
    .command('run')
    .description('the daemon: a cycle every interval (or on schedule) until SIGTERM/SIGINT; SIGHUP reloads the config, SIGUSR1 resets the heal budget (exit 0 after a clean stop, 1 when a running daemon holds the log, 2 on a bad config)')
    .addOption(configOption())
    .option('-q, --quiet', 'do not echo scheduler.log lines on stderr (problems still are)')
    .action(run('run', () => import('./run.js')));
  program
    .command('status')
    .description('latest check, current baseline, last trigger and heal, read from the log (exit 1 if there is no log yet)')
    .addOption(configOption())
    .option('--json', 'print as JSON')
    .option('--target <name>', "only this target (of the config's targets:)")
    .action(run('status', () => import('./status.js')));
  program
    .command('tail')
    .description('the last N records, human readable')
    .addOption(configOption())
    .option('-n, --lines <n>', 'how many records', '20')
    .option('-f, --follow', 'keep printing records as they are appended (Ctrl-C to stop)')
    .option('--json', 'print the raw JSON lines')
    .option('--target <name>', "only this target (of the config's targets:)")
    .action(run('tail', () => import('./tail.js')));
  program
    .command('validate')
    .description('check the config and list every problem with its key path (exit 0 valid, 2 invalid)')
    .addOption(configOption())
    .option('--probe', 'also probe health.url once and show what the probe saw (exit 2 when it is not healthy)')
    .action(run('validate', () => import('./validate.js')));
  program
    .command('report')
    .description('forensics over the log and its rotated files: availability, latency percentiles, triggers, heals, incidents and MTTR, top anomalies')
    .addOption(configOption())
    .option('--since <dur|ts>', 'only records from this long ago (e.g. 24h, 7d) or this UTC timestamp on (default: everything)')
    .option('--until <ts|dur>', 'only records up to this UTC timestamp (or this long ago)')
    .option('--json', 'print a JSON object (snake_case keys) for scripts')
    .option('--jobs <n|auto>', 'threads to read a large log with (default: auto, the idle cores)')
    .option('--target <name>', "only this target (of the config's targets:)")
    .action(run('report', () => import('./report.js')));
  program
    .command('score')
    .description('run the latency detector and heal policy over a timestamp,value CSV as if each row were a cycle; writes timestamp,value,anomaly_score,trigger')
    .addOption(configOption())
    .option('-i, --input <csv>', 'the series: a CSV whose header is timestamp,value (- for stdin)')
    .option('-o, --output <csv>', 'where to write the scored rows (default: stdout)')
    .option('--detector <name>', 'the detector (default: the configured one; see --list-detectors)')
    .option('--list-detectors', 'print the detector names, the default first')
    .option('--target <name>', "the target whose settings to use (of the config's targets:)")
    .action(run('score', () => import('./score.js')));
  program
    .command('replay')
    .description('re-run the latency detector over the logged history with other settings: triggers it would fire, recorded ones it keeps, incidents it catches early')
    .addOption(configOption())
    .option('--window <list>', 'latency.window values to try, e.g. 20,50,100 (default: the configured one)')
    .option('--sigma <list>', 'latency.sigma values to try, e.g. 2.5,3,4 (default: the configured one)')
    .option('--detector <list>', 'detectors to try, e.g. zscore (default: the configured one)')
    .option('--since <dur>', 'count only what happened in this last span, e.g. 24h, 7d (the detector still learns from older checks)')
    .option('--lead <n>', 'an incident counts as caught early when a latency trigger fired in the n checks before it', '5')
    .option('--json', 'print as JSON')
    .option('--target <name>', "only this target (of the config's targets:)")
    .action(run('replay', () => import('./replay.js')));
  program
    .command('init')
    .description('write a commented config with every key and its default (exit 1 if FILE exists)')
    .argument('[file]', 'where to write it', 'anomaly-guard.yaml')
    .action(run('init', () => import('./init.js')));
  program
    .command('heal-reset')
    .description('resume healing after the heal budget was spent: appends a heal_resumed record, so earlier heals stop counting')
    .addOption(configOption())
    .option('--reason <text>', 'why, kept in the record')
    .option('--rebaseline', 'also accept the current latency as normal: the baseline is learnt afresh from the next checks')
    .option('--target <name>', 'only this target (default: every target)')
    .action(run('heal-reset', () => import('./heal-reset.js')));
  program
    .command('demo')
    .description('start a bundled demo service, guard it, break it on purpose and show detection and healing')
    .option('--duration <dur>', 'how long the demo runs (e.g. 45s, 2m)', '50s')
    .option('--dir <folder>', 'where to keep the demo log (default: a new temporary folder)')
    .action(run('demo', () => import('./demo.js')));
  return program;
}

/** Runs the CLI on argv; sets process.exitCode. */
export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  program.configureOutput({ writeErr: (s) => process.stderr.write(s) });
  for (const sub of program.commands) sub.exitOverride();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      const ok = err.code === 'commander.helpDisplayed' || err.code === 'commander.version';
      process.exitCode = ok ? 0 : 2;
      return;
    }
    printError('', err);
    process.exitCode = 1;
  }
}

