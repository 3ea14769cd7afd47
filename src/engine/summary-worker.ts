/** Worker thread body of a run's second summariser (src/engine/summaries.ts): its metrics' summaries, moved back. */
import { SUMMARY_KEYS, summarizeMetrics } from "../core/aggregate.js";
import { serveTasks } from "./pool-worker.js";
import type { SummaryTask } from "./summaries.js";

serveTasks<SummaryTask, Float64Array>(
  ({ blocks, shape }) => {
    const out = new Float64Array(shape.count * shape.metricCount * SUMMARY_KEYS.length);
    summarizeMetrics(blocks, shape.metricCount, (b, m) => b.values[m]!, shape, out);
    return out;
  },
  (out) => [out.buffer as ArrayBuffer],
);
