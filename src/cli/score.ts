// `anomaly-guard score --input CSV [--output CSV] [--detector NAME] [--list-detectors] [-c FILE]`: runs the
// latency detector and the heal policy over a `timestamp,value` series as if each row were a cycle's
// latency, and writes `timestamp,value,anomaly_score,trigger` (stdout without --output). Streams both ends.
import { once } from 'node:events';
import fs from 'node:fs';
import readline from 'node:readline';
import { simOptionsFromConfig } from '../config/sim-options.js';
import { guardSimulator, type GuardSimulator } from '../core/detectors/simulate.js';
import { DETECTORS } from '../core/detectors/registry.js';
import { GuardError } from '../errors.js';
import { configuredDetector, detectorByName } from '../forensics/detector-choice.js';
import { scoreSeries, type ScoreOutcome } from '../forensics/score-series.js';
import { describeFsError } from '../effects/procfs.js';
import { loadForCommand } from './config-arg.js';
import { oneTarget } from './target-arg.js';

function openInput(path: string): NodeJS.ReadableStream {
  if (path === '-') return process.stdin;
  try {
    const fd = fs.openSync(path, 'r');
    if (fs.fstatSync(fd).isDirectory()) {
      fs.closeSync(fd);
      throw Object.assign(new Error('a folder'), { code: 'EISDIR' });
    }
    return fs.createReadStream('', { fd, encoding: 'utf8' });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    const what = code === 'ENOENT' ? 'does not exist' : `cannot be read: ${describeFsError(err)} (${code})`;
    throw new GuardError('INPUT_UNREADABLE', `input ${path} ${what}`, { hint: 'give a readable CSV file with the header timestamp,value (or - for stdin)' });
  }
}

function openOutput(path: string | undefined): NodeJS.WritableStream {
  if (path === undefined) return process.stdout;
  try {
    return fs.createWriteStream('', { fd: fs.openSync(path, 'w') });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new GuardError('WRITE_FAILED', `cannot write ${path}: ${describeFsError(err)} (${code})`, { hint: 'check the folder exists and is writable' });
  }
}

/** Buffers lines and writes them in chunks, waiting when the stream asks to; a write error stops it. */
function lineSink(stream: NodeJS.WritableStream) {
  let buf: string[] = [];
  let failed: Error | null = null;
  stream.on('error', (err: Error) => {
    failed = err;
  });
  const flush = async (): Promise<void> => {
    if (failed) throw failed;
    if (buf.length === 0) return;
    const chunk = `${buf.join('\n')}\n`;
    buf = [];
    if (!stream.write(chunk)) await once(stream, 'drain');
  };
  return {
    push: async (line: string): Promise<void> => {
      buf.push(line);
      if (buf.length >= 512 || failed) await flush();
    },
    flush,
  };
}

/** Runs the scoring from source to target; a reader that went away (EPIPE, `| head`) ends it quietly. */
async function pump(source: NodeJS.ReadableStream, target: NodeJS.WritableStream, sim: GuardSimulator, where: string): Promise<ScoreOutcome | null> {
  const sink = lineSink(target);
  const lines = readline.createInterface({ input: source, crlfDelay: Number.POSITIVE_INFINITY });
  try {
    const outcome = await scoreSeries(lines, sim, sink.push);
    await sink.flush();
    return outcome;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EPIPE') return null;
    throw new GuardError('WRITE_FAILED', `cannot write ${where}: ${code ?? (err as Error).message}`, { hint: 'check the disk has room and the file is writable' });
  } finally {
    lines.close();
  }
}

/** Scores the series; exit 0, or an INPUT_INVALID error naming the line at fault. */
export default async function score(opts: Record<string, unknown>): Promise<number> {
  if (opts.listDetectors) {
    process.stdout.write(`${DETECTORS.map((d) => d.name).join('\n')}\n`);
    return 0;
  }
  const input = typeof opts.input === 'string' ? opts.input : null;
  if (input === null) throw new GuardError('USAGE', '--input CSV is required', { hint: 'e.g. anomaly-guard score --input latency.csv --output scored.csv' });
  const loaded = await loadForCommand(opts, 'score');
  // The detector's settings: the named target's, else the top level's (every target's defaults).
  const config = opts.target === undefined ? loaded : oneTarget(loaded, opts.target, 'score');
  const spec = detectorByName(typeof opts.detector === 'string' ? opts.detector : configuredDetector(config), '--detector');
  const output = typeof opts.output === 'string' ? opts.output : undefined;
  const source = openInput(input);
  const target = openOutput(output);
  const outcome = await pump(source, target, guardSimulator(spec, simOptionsFromConfig(config)), output ?? 'stdout');
  if (output !== undefined) await new Promise<void>((done) => target.end(() => done()));
  if (outcome === null) return 0;
  if (!outcome.ok) {
    if (output !== undefined) fs.rmSync(output, { force: true });
    throw new GuardError('INPUT_INVALID', `${input}: line ${outcome.line}: ${outcome.problem}`, { hint: 'each row must be timestamp,value, e.g. 2014-04-10 07:15:00,42.5' });
  }
  if (outcome.outOfOrder > 0) process.stderr.write(`anomaly-guard score: warning: ${outcome.outOfOrder} row(s) of ${input} are stamped earlier than the row before; the heal budget took them at the latest time seen\n`);
  if (output !== undefined) process.stdout.write(`scored ${outcome.rows} rows with ${spec.name}: ${outcome.findings} findings, ${outcome.triggers} triggers (heals that would have run); wrote ${output}\n`);
  return 0;
}
