// The entry of the one-file `check` bundle (dist/cli/check-main.js): the whole program, with the CPU
// reading main.ts started handed on to `check`. main.ts loads it only when the command is `check`.
import { handOverEarlyStat, type EarlyStat } from './early-stat.js';
import { main as runProgram } from './program.js';

/** Runs the CLI on argv (a `check`) with the /proc/stat reading started at process start. */
export async function main(argv: string[], early: EarlyStat): Promise<void> {
  handOverEarlyStat(early);
  await runProgram(argv);
}
