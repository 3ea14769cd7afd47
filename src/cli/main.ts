/**
 * The entry point: declares the commands and is the one place where errors become exit codes
 * (0 ok · 1 check failed · 2 usage, input or output error · 70 internal error · 129/130/143 signals).
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import { Command, CommanderError } from "commander";
import { terminateWorkers } from "../engine/workers.js";
import { CollapseError } from "../errors.js";
import { excerpt } from "../excerpt.js";
import { cannotWriteStdout, removePendingFiles } from "../output/write.js";
import { didYouMean } from "../suggest.js";
import { VERSION } from "../version.js";

/**
 * The commands, each loaded only when needed: `collapse sim …` reads the sim module alone, so a
 * script calling collapse thousands of times does not pay for the others' start-up.
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  sim: async () => (await import("./sim.js")).simCommand(),
  sweep: async () => (await import("./sweep.js")).sweepCommand(),
  merge: async () => (await import("./merge.js")).mergeCommand(),
  check: async () => (await import("./check.js")).checkCommand(),
  plot: async () => (await import("./plot.js")).plotCommand(),
};

/** The commands an argument list needs: the one it names, none for --version, else all (for help and suggestions). */
function commandsFor(argv: readonly string[]): string[] {
  const first = argv[2];
  if (first !== undefined && Object.hasOwn(COMMANDS, first)) return [first];
  if (first === "-V" || first === "--version") return [];
  return Object.keys(COMMANDS);
}

async function program(argv: readonly string[]): Promise<Command> {
  const root = new Command("collapse")
    .description("Simulate model collapse: refit a generative model on its own samples, generation after generation.")
    .version(VERSION, "-V, --version")
    .showSuggestionAfterError(true)
    .addHelpText(
      "after",
      "\nExit codes: 0 ok, 1 a check or assertion failed, 2 usage, input or output error, 70 internal error (a bug), 129/130/143 hangup/interrupted/terminated.\nRun 'collapse sim --help' for the simulation options.",
    );
  for (const command of await Promise.all(commandsFor(argv).map((name) => COMMANDS[name]!()))) root.addCommand(command);
  // Commander's own parse errors must follow the same rule as ours: one line, exit 2.
  const configure = (cmd: Command) => {
    cmd.exitOverride();
    cmd.configureOutput({
      outputError: (text, write) => write(`collapse: ${oneLine(commanderMessage(text), 240)}; see --help\n`),
    });
    cmd.commands.forEach(configure);
  };
  configure(root);
  return root;
}

/**
 * Commander's parse errors in our words: no "error:" prefix, no sentence's full stop before our
 * "; see --help", and an invalid choice with its closest valid value.
 */
export function commanderMessage(text: string): string {
  let message = text
    .replace(/^error: /, "")
    .trim()
    .replace(/\.+$/, "")
    .replace("(Did you mean", "(did you mean");
  const choice = /^option '([^' ]+)[^']*' argument '(.*)' is invalid\. Allowed choices are (.*)$/s.exec(message);
  if (choice) {
    const [, flag, value, list] = choice;
    const choices = list!.split(", ");
    message = `${flag} must be one of ${choices.join(", ")}, got "${value}"${didYouMean(value!, choices)}`;
  }
  return message;
}

/** Longest error line printed; messages cut their quotes of input far shorter, this is the last guard. */
const MAX_ERROR_LINE = 600;

/**
 * Prints an error as the one line promised: line breaks flattened, other control characters
 * escaped (input quoted in a message must not move the cursor or recolour the terminal), and cut
 * short should a message still quote too much input.
 */
function fail(message: string, code: number): void {
  process.stderr.write(`collapse: ${oneLine(message)}\n`);
  process.exitCode = code;
}

/** `message` on one line, control characters escaped, at most `max` characters. */
function oneLine(message: string, max = MAX_ERROR_LINE): string {
  const line = message
    .replace(/\r?\n|\r/g, " ")
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f\u009b]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return excerpt(line, max);
}

export async function main(argv: string[]): Promise<void> {
  // A closed pipe (collapse … | head) is a normal way for a reader to stop: end quietly. Any other
  // stdout failure (a full disk behind `> file`, /dev/full, EIO) is one line and exit 2, never a trace.
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    void terminateWorkers();
    removePendingFiles();
    process.stderr.write(`collapse: ${cannotWriteStdout(e)}\n`);
    process.exit(2);
  });
  // Ctrl-C (SIGINT), a job scheduler's time limit (SIGTERM, e.g. Slurm) and a closed terminal or
  // session (SIGHUP) stop workers at once and leave no partial output or temporary file; the exit
  // status is 128 + the signal number.
  const signals = { SIGINT: [130, "interrupted"], SIGHUP: [129, "hangup"], SIGTERM: [143, "terminated"] } as const;
  for (const [signal, [status, word]] of Object.entries(signals)) {
    process.on(signal, () => {
      const stopped = terminateWorkers();
      removePendingFiles();
      // On a terminal the word starts on a fresh line (a progress bar may be drawn); in a log it is the one line.
      process.stderr.write(`${process.stderr.isTTY ? "\n" : ""}collapse: ${word}\n`);
      // That word is the last thing written: the run's own failure (its threads stopped) stays unsaid.
      const quiet = () => true;
      process.stdout.write = quiet;
      process.stderr.write = quiet;
      // Exit once the workers have stopped, at most 0.3 s later: a process that exits while a
      // worker with workers of its own (a coordinator) is still being torn down can crash in
      // Node (nodejs/node#37024), which would turn exit 143 into a signal of its own.
      void Promise.race([stopped, new Promise((resolve) => setTimeout(resolve, 300).unref())]).then(() => process.exit(status));
    });
  }
  try {
    await (await program(argv)).parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version are "errors" to commander; they already printed.
      process.exitCode = e.exitCode === 0 ? 0 : 2;
    } else if (e instanceof CollapseError) {
      fail(e.message, e.exitCode);
    } else if (e instanceof RangeError && /allocation failed|Invalid (typed )?array length|Array buffer/i.test(e.message)) {
      // The memory estimate should refuse such runs first; this is the net under it.
      fail(`not enough memory for this run (${e.message}); lower -r, -g or -m, or use less data`, 2);
    } else {
      // A bug, not a user's mistake: still one line (the trace on request), and its own exit code.
      if (process.env.COLLAPSE_DEBUG) process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
      fail(`internal error: ${(e as Error).message ?? String(e)}; please report it with the command line (COLLAPSE_DEBUG=1 shows the trace)`, 70);
    }
  }
  // A signal is handled on a turn of the event loop: one that came while the last stretch held the
  // thread (writing and committing the output) is answered on this one, not lost to the exit.
  await nextTurn();
}
