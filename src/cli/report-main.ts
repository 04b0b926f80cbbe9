// The entry of the one-file `report` bundle (dist/cli/report-main.js): the program with `report` and what
// it needs (commander, the config, the forensics reader) in one file. main.ts loads it only for `report`.
import { main as runProgram } from './program.js';

/** Runs the CLI on argv (a `report`). */
export async function main(argv: string[]): Promise<void> {
  await runProgram(argv);
}
