/**
 * Declares the simulation options on a commander command (from the one table in config/spec.ts)
 * and gathers what the user gave — from flags and from a --config file — for resolution.
 */
import { type Command, Option } from "commander";
import { rawOptions } from "../config/raw.js";
import { atModelDefault, type RawOption } from "../config/resolve.js";
import { helpLine, type OptionSpec, SIM_OPTIONS } from "../config/spec.js";
import { parseJsonUniqueKeys } from "../data/json.js";
import { readTextSync } from "../data/read.js";
import { UsageError } from "../errors.js";

/** A --config file is a few options and a grid: more than this is not a config file. */
const MAX_CONFIG_BYTES = 16 * 2 ** 20;

const GROUP_TITLES: Record<OptionSpec["group"], string> = {
  data: "Seed data:",
  loop: "The loop:",
  model: "Model:",
  regime: "Regime (how each generation's training set is built):",
  sampling: "Sampling distortions:",
  metrics: "Metrics:",
};

function flagsOf(spec: OptionSpec): string {
  const long = spec.type === "boolean" ? `--${spec.flag}` : `--${spec.flag} <${spec.arg ?? "value"}>`;
  return spec.short ? `-${spec.short}, ${long}` : long;
}

/** Adds every simulation option to `cmd`, grouped in --help. Values stay strings; resolve.ts checks them. */
export function addSimOptions(cmd: Command): Command {
  for (const group of Object.keys(GROUP_TITLES) as OptionSpec["group"][]) {
    for (const spec of SIM_OPTIONS.filter((o) => o.group === group)) {
      const option = new Option(flagsOf(spec), helpLine(spec)).helpGroup(GROUP_TITLES[group]);
      if (spec.choices) option.choices(spec.choices as string[]);
      cmd.addOption(option);
    }
  }
  return cmd;
}

/** Reads a JSON config file: an object of camelCase option names. Errors name file:line:column. */
export function readConfigFile(path: string): Map<string, RawOption> {
  let text: string;
  try {
    // Config files are small: read synchronously (options resolve synchronously), but never
    // without bound, and strictly as UTF-8.
    text = readTextSync(path, "check the path given to --config", MAX_CONFIG_BYTES, true).text;
  } catch (e) {
    const message = (e as Error).message;
    throw new UsageError(
      message.startsWith(`${path} is larger`)
        ? `--config ${path} is larger than the ${MAX_CONFIG_BYTES / 2 ** 20} MiB input limit; a config file holds options and a grid, not data`
        : message.replace(/^cannot read /, "cannot read --config "),
    );
  }
  const doc = parseJsonUniqueKeys(
    text,
    { name: path, usage: true, invalid: (where, reason) => `${where}: invalid JSON in --config (${reason}); fix the syntax` },
    "--config",
  );
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) {
    throw new UsageError(`--config ${path}: expected a JSON object of options, e.g. {"generations": 9}`);
  }
  // A results document's "config" block can be used as a config file: nulls mean "default".
  return rawOptions(doc as Record<string, unknown>, { kind: "config", file: path });
}

/**
 * The options the user gave: those of the --config file, overridden by flags given on the
 * command line (commander tells which values came from the command line).
 */
export function gatherSimOptions(cmd: Command, configPath: string | undefined, extraKeys: readonly string[] = []): Map<string, RawOption> {
  const raw = configPath ? readConfigFile(configPath) : new Map<string, RawOption>();
  for (const key of extraKeys) raw.delete(key);
  const values = cmd.opts();
  for (const spec of SIM_OPTIONS) {
    if (cmd.getOptionValueSource(spec.key) === "cli") raw.set(spec.key, { value: values[spec.key], origin: { kind: "flag" } });
  }
  return withoutRecordedDefaults(raw);
}

/**
 * A recorded configuration (--print-config's, or a results document's "config") names every
 * option: those of other models at their defaults, and with --data the file's hash and the seed
 * size it found. Given back as a --config file, those are not the user's choices: a file's option
 * at the chosen model's default is dropped (it changes nothing), and so are the data's hash and,
 * beside it, the seed size that the data determines. A file's option of another model that is not
 * at its default is still refused, as a flag is.
 */
function withoutRecordedDefaults(raw: Map<string, RawOption>): Map<string, RawOption> {
  const fromFile = (key: string) => raw.get(key)?.origin.kind === "config";
  if (![...raw.keys()].some(fromFile)) return raw;
  let atDefault: (key: string, value: unknown) => boolean;
  try {
    atDefault = atModelDefault(raw.get("model"));
  } catch {
    return raw; // a bad model: resolution names it
  }
  if (fromFile("dataSha256")) {
    raw.delete("dataSha256");
    if (fromFile("seedSize") && raw.has("data")) raw.delete("seedSize");
  }
  for (const [key, option] of raw) {
    if (option.origin.kind === "config" && key !== "model" && atDefault(key, option.value)) raw.delete(key);
  }
  return raw;
}
