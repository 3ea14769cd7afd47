/** A sweep's output and shards computed in this thread, framed exactly as the sweep command frames them. */

import type { ShardFile } from "../../src/sweep/merge.js";
import type { SweepPlan } from "../../src/sweep/plan.js";
import { renderPointBody, type SweepFormat, SweepFramer } from "../../src/sweep/render.js";
import { type Shard, shardPoints } from "../../src/sweep/shard.js";
import { TOOL } from "../../src/version.js";
import { simulate } from "../run.js";

/** The output the sweep command writes (same framing and bodies), or one shard of it. */
export function output(plan: SweepPlan, format: SweepFormat, shard: Shard | null = null): string {
  const head = { tool: { ...TOOL }, config: plan.config, seed: plan.seed, grid: plan.axes.map((a) => a.spec.key) };
  const framer = new SweepFramer(format, head, shard ? { ...shard, points: plan.points.length, hash: plan.hash } : null);
  const indices = shard ? shardPoints(plan.points.length, shard) : plan.points.map((p) => p.index);
  let text = framer.opening();
  for (const i of indices) {
    const point = plan.points[i]!;
    text += framer.point(i, renderPointBody(format, point.params, simulate(point.config).result));
  }
  return text + framer.closing();
}

/** All n shards of the sweep, named part-i.FORMAT. */
export const shards = (plan: SweepPlan, format: SweepFormat, n: number): ShardFile[] =>
  Array.from({ length: n }, (_, i) => ({ name: `part-${i + 1}.${format}`, text: output(plan, format, { index: i + 1, count: n }) }));
