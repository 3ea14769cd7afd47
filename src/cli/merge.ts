/** `collapse merge`: reassemble a sharded sweep, checking that every shard of one sweep is there once. */
import { Command, Option } from "commander";
import { readText } from "../data/read.js";
import { InputError } from "../errors.js";
import { checkOutput, writeOutputs } from "../output/write.js";
import { mergeShards } from "../sweep/merge.js";

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

Examples:
  collapse merge part-1.csv part-2.csv part-3.csv -o sweep.csv
  collapse merge shards/*.json > sweep.json`,
    )
    .addOption(new Option("-o, --output <FILE>", "write to FILE atomically instead of stdout"));
  cmd.action(async (files: string[]) => {
    // The output path is checked before the shards are read, so a bad one fails at once.
    const output = checkOutput(cmd.opts().output as string | undefined);
    const shards = [];
    for (const path of files) {
      if (path === "-") throw new InputError("collapse merge reads shard files, not stdin; give their paths");
      shards.push(await readText(path, "check the shard paths"));
    }
    await writeOutputs([{ output, text: mergeShards(shards) }]);
  });
  return cmd;
}
