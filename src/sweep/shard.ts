/**
 * Shards: `--shard i/n` runs the points p (0-based) with p mod n = i − 1 — a round-robin deal, so
 * that each shard gets a fair mix of cheap and expensive points whatever axis drives the cost.
 */
import { UsageError } from "../errors.js";
import { quote } from "../excerpt.js";

export interface Shard {
  /** 1-based. */
  readonly index: number;
  readonly count: number;
}

/** What a shard file records so that `collapse merge` can check it. */
export interface ShardMeta extends Shard {
  /** Points in the whole sweep. */
  readonly points: number;
  /** The sweep's config hash. */
  readonly hash: string;
}

export const MAX_SHARDS = 1_000_000;

export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  const expects = `--shard expects i/n with 1 <= i <= n (e.g. --shard 2/4 runs the second of four slices), got ${quote(text)}`;
  if (!m || count < 1) throw new UsageError(expects);
  // The two slips job engines invite, each named with its way out.
  if (index === 0) throw new UsageError(`${expects}: shards count from 1, so an index counting from 0 (Kubernetes' JOB_COMPLETION_INDEX) needs 1 added`);
  if (index > count) {
    throw new UsageError(
      `${expects}: every shard of a sweep takes the same n, and a re-run of Slurm array task ${index} alone sees SLURM_ARRAY_TASK_COUNT=1; fix n in the script`,
    );
  }
  if (count > MAX_SHARDS) throw new UsageError(`${expects}: at most ${MAX_SHARDS} shards`);
  return { index, count };
}

/** How many points shard i/n of a sweep of `total` points holds (computed, nothing allocated). */
export function shardSize(total: number, shard: Shard): number {
  return total >= shard.index ? Math.floor((total - shard.index) / shard.count) + 1 : 0;
}

/** The points of shard i/n of a sweep of `total` points, in order. */
export function shardPoints(total: number, shard: Shard): number[] {
  const out: number[] = [];
  for (let p = shard.index - 1; p < total; p += shard.count) out.push(p);
  return out;
}
