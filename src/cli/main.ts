/**
 * The entry point: declares the commands and is the one place where errors become exit codes
 * (0 ok · 1 check failed · 2 usage or input error · 130 interrupted).
 */
import { Command, CommanderError } from "commander";
import { CollapseError } from "../errors.js";
import { terminateWorkers } from "../core/workers.js";
import { removePendingFiles } from "../output/write.js";
import { VERSION } from "../version.js";
import { plotCommand } from "./plot.js";
import { removeSweepTempFiles } from "../sweep/sink.js";
import { mergeCommand } from "./merge.js";
import { simCommand } from "./sim.js";
import { checkCommand } from "./check.js";
import { sweepCommand } from "./sweep.js";

function program(): Command {
  const root = new Command("collapse")
    .description("Simulate model collapse: refit a generative model on its own samples, generation after generation.")
    .version(VERSION, "-V, --version")
    .showSuggestionAfterError(true)
    .addHelpText("after", "\nExit codes: 0 ok, 1 a check or assertion failed, 2 usage or input error, 130 interrupted.\nRun 'collapse sim --help' for the simulation options.");
  root.addCommand(simCommand());
  root.addCommand(checkCommand());
  root.addCommand(sweepCommand());
  root.addCommand(mergeCommand());
  root.addCommand(plotCommand());
  // Commander's own parse errors must follow the same rule as ours: one line, exit 2.
  const configure = (cmd: Command) => {
    cmd.exitOverride();
    cmd.configureOutput({
      outputError: (text, write) => write(`collapse: ${text.replace(/^error: /, "").replace(/\n(?=.)/g, " ").trim()}; see --help\n`),
    });
    cmd.commands.forEach(configure);
  };
  configure(root);
  return root;
}

function fail(message: string, code: number): void {
  process.stderr.write(`collapse: ${message}\n`);
  process.exitCode = code;
}

export async function main(argv: string[]): Promise<void> {
  // A closed pipe (collapse … | head) is a normal way for a reader to stop: end quietly.
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw e;
  });
  process.on("SIGINT", () => {
    terminateWorkers();
    removePendingFiles();
    removeSweepTempFiles();
    process.stderr.write("\ncollapse: interrupted\n");
    process.exit(130);
  });
  try {
    await program().parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version are "errors" to commander; they already printed.
      process.exitCode = e.exitCode === 0 ? 0 : 2;
    } else if (e instanceof CollapseError) {
      fail(e.message, e.exitCode);
    } else {
      throw e;
    }
  }
}
