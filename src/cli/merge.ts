/** `collapse merge`: reassemble a sharded sweep, checking that every shard of one sweep is there once. */
import { extname } from "node:path";
import { Command, Option } from "commander";
import { readUtf8 } from "../data/read.js";
import { InputError, UsageError } from "../errors.js";
import { readExtension, SWEEP_EXTENSIONS, shownPath } from "../output/format-by-extension.js";
import { checkOutput, writeOutputs } from "../output/write.js";
import { mergeShardBytes } from "../sweep/merge.js";

export function mergeCommand(): Command {
  const cmd = new Command("merge")
    .description("combine the shards of one sweep (collapse sweep --shard i/n) into the unsharded output")
    .argument("<files...>", "every shard file of the sweep, in any order")
    .addHelpText(
      "after",
      `
The shards must share the sweep's config hash (same options, grid, seed, --data content and
collapse version), format and shard count; every shard 1..n must be given exactly once and be
complete, and each must match the SHA-256 checksums it carries (an edited or damaged shard is
refused, naming the point that differs). The output is byte for byte what the sweep writes without --shard.

The output is in the shards' format. An -o name whose extension names another format
(.csv, .ndjson or .jsonl, .json) is refused rather than filled with the wrong one; an
extension merge does not know gets a note on stderr.

Examples:
  collapse merge part-1.csv part-2.csv part-3.csv -o sweep.csv
  collapse merge shards/*.json > sweep.json`,
    )
    .addOption(new Option("-o, --output <FILE>", "write to FILE atomically instead of stdout"))
    .addOption(new Option("--quiet", "no notes on stderr"));
  cmd.action(async (files: string[]) => {
    const path = cmd.opts().output as string | undefined;
    // The output path is checked before the shards are read, so a bad one fails at once.
    const output = checkOutput(path);
    const shards = [];
    for (const file of files) {
      if (file === "-") throw new InputError("collapse merge reads shard files, not stdin; give their paths");
      shards.push(await readUtf8(file, "check the shard paths"));
    }
    const merged = await mergeShardBytes(shards);
    // The shards fix the format: an -o name promising another would be a file that lies.
    const verdict = readExtension(path, SWEEP_EXTENSIONS);
    if (verdict.kind === "named" && verdict.format !== merged.format) {
      const fixed = `${path!.slice(0, path!.length - extname(path!).length)}.${merged.format}`;
      throw new UsageError(
        `-o ${shownPath(path!)} names the ${verdict.format} format, but the shards are ${merged.format} and merge writes them as they are; name the output ${shownPath(fixed)}`,
      );
    }
    await writeOutputs([{ output, text: merged.text }]);
    // Said once the output is written, so that a failed write stays the one line on stderr.
    if (verdict.kind === "unknown" && cmd.opts().quiet !== true) {
      process.stderr.write(`collapse: -o ${shownPath(path!)}: unknown extension, writing the shards' ${merged.format} format\n`);
    }
  });
  return cmd;
}
