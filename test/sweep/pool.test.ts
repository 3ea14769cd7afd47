/**
 * runPoints in-process: the sweep worker runs from its build in dist/ (the suite builds it first),
 * or is replaced by a throwaway script that misbehaves.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type ResultColumns, resultFromColumns } from "../../src/core/result-columns.js";
import { estimateWork, fitsInThread } from "../../src/engine/work.js";
import { liveWorkers } from "../../src/engine/workers.js";
import { CollapseError } from "../../src/errors.js";
import type { SeedInput } from "../../src/models/model.js";
import { parseGridFlag } from "../../src/sweep/grid.js";
import { planSweep } from "../../src/sweep/plan.js";
import type { PointText } from "../../src/sweep/point.js";
import { type PointBody, type PointTask, runPoints } from "../../src/sweep/pool.js";
import { renderPointBody } from "../../src/sweep/render.js";
import { SHARE_MIN_NS } from "../../src/sweep/shared-point.js";
import { ROOT, tempDir } from "../cli/cli.js";
import { redirect, resetRedirect } from "../engine/redirected-workers.js";
import { flags } from "../helpers.js";
import { simulate } from "../run.js";

vi.mock("../../src/builtins.js", async (original) => (await import("../engine/redirected-workers.js")).redirectedBuiltins(original));

afterEach(resetRedirect);

/** The last four points of `plan`, as a shard would run them: task positions differ from point indexes. */
function shardTasks(plan: ReturnType<typeof planSweep>): PointTask[] {
  return plan.points.slice(2).map((p) => ({ index: p.index, config: p.config, params: p.params, format: "csv" }));
}
const GRID = ["sample-size=10,20,30", "components=1,2"].map(parseGridFlag);
/**
 * Points of 2-D mixtures, long enough together by their estimate (src/engine/work.ts, EM priced
 * for its worst case) to go to workers, which take a small part of that.
 */
const plan = planSweep(flags({ model: "gmm", dims: "2", generations: "10", replicates: "5", seedSize: "30" }), GRID);
const tasks = shardTasks(plan);
/** A sweep estimated at a few milliseconds: it runs in this thread. */
const tiny = shardTasks(planSweep(flags({ model: "gmm", dims: "2", generations: "1", replicates: "2", seedSize: "30" }), GRID));
const label = (index: number) => `point ${index + 1} of ${plan.points.length}`;
const work = (ts: readonly PointTask[]) => ts.reduce((sum, t) => sum + estimateWork(t.config, null).total, 0);

function misbehaving(body: string): URL {
  const path = join(tempDir(), "worker.mjs");
  writeFileSync(path, `import { parentPort } from "node:worker_threads";\nparentPort.on("message", (task) => {\n${body}\n});\n`);
  return pathToFileURL(path);
}

function stopped(): void {
  expect(liveWorkers()).toHaveLength(0);
  for (const w of redirect.made) expect(w.threadId).toBe(-1);
}

/** A point's rows as text: this thread's string, or the UTF-8 bytes a worker shared, in pieces. */
function rowsOf(body: PointBody): string {
  const { rows, baseline } = body as PointText;
  expect(baseline).toBeNull();
  return typeof rows === "string" ? rows : Buffer.concat(rows).toString("utf8");
}

describe("runPoints", () => {
  it("runs a sweep estimated under the in-thread limit in this thread, with the bodies workers give", async () => {
    expect(fitsInThread(work(tiny))).toBe(true);
    const expected = tiny.map((t) => [t.index, renderPointBody("csv", t.params, simulate(t.config).result)]);
    const got: [number, string][] = [];
    await runPoints(tiny, 2, (task, body) => got.push([task.index, rowsOf(body)]), label);
    expect(got).toEqual(expected);
    expect(redirect.made).toHaveLength(0);
  });

  it("in this thread, a point's error names the point and keeps the user error's exit code; a bug keeps its stack", async () => {
    const withSeed = (input: SeedInput) => tiny.map((t, i) => (i === 1 ? { ...t, seed: { input, source: null, notes: [] } } : t));
    // One row of data for a mixture: the user's mistake, exit 2.
    const oneRow = await runPoints(withSeed({ kind: "table", columns: [Float64Array.of(1), Float64Array.of(2)], names: ["a", "b"] }), 2, () => {}, label).catch(
      (e: unknown) => e,
    );
    expect(oneRow).toBeInstanceOf(CollapseError);
    expect((oneRow as CollapseError).exitCode).toBe(2);
    expect((oneRow as Error).message).toMatch(/^point 4 of 6: /);
    // A column where the model reads a table cannot come from the data layer: a bug, with its stack.
    const bug = await runPoints(withSeed({ kind: "numbers", values: Float64Array.of(1), name: "x" }), 2, () => {}, label).catch((e: unknown) => e);
    expect(bug).not.toBeInstanceOf(CollapseError);
    expect((bug as Error).message).toMatch(/^point 4 of 6: Error: .*\n\s+at /s);
    const failing = await runPoints(
      tiny,
      2,
      () => {
        throw new Error("the sink broke");
      },
      label,
    ).catch((e: unknown) => e);
    expect((failing as Error).message).toBe("the sink broke");
    expect(redirect.made).toHaveLength(0);
  });

  it("delivers every point's body in task order for any number of jobs", async () => {
    expect(fitsInThread(work(tasks))).toBe(false);
    const expected = tasks.map((t) => [t.index, renderPointBody("csv", t.params, simulate(t.config).result)]);
    for (const jobs of [1, 8]) {
      const got: [number, string][] = [];
      const bytes: boolean[] = [];
      await runPoints(
        tasks,
        jobs,
        (task, body) => {
          got.push([task.index, rowsOf(body)]);
          // Sent by workers as bytes in shared memory: not a string (copied, slow to receive), and
          // not a moved buffer (after a move, V8 slows every typed-array access of that worker).
          const { rows } = body as PointText;
          bytes.push(typeof rows !== "string" && rows.every((piece) => piece.buffer instanceof SharedArrayBuffer));
        },
        label,
      );
      expect(got).toEqual(expected);
      expect(bytes.every(Boolean)).toBe(true);
      expect(redirect.made).toHaveLength(Math.min(jobs, tasks.length));
      stopped();
      redirect.made = [];
    }
  });

  it("shares a long point's replicates with the workers that have no point left: the same bodies, in order", async () => {
    // One small point and one long one (by its estimate, over SHARE_MIN_NS): with three workers,
    // the two left idle help with the long one's 40 replicates.
    const uneven = shardTasks(planSweep(flags({ model: "gmm", dims: "2", generations: "20", seedSize: "30" }), [parseGridFlag("replicates=4,5,6,40")]));
    expect(uneven.map((t) => t.config.replicates)).toEqual([6, 40]);
    expect(estimateWork(uneven[1]!.config, null).total).toBeGreaterThan(SHARE_MIN_NS);
    const expected = uneven.map((t) => [t.index, renderPointBody("csv", t.params, simulate(t.config).result)]);
    const got: [number, string][] = [];
    await runPoints(uneven, 3, (task, body) => got.push([task.index, rowsOf(body)]), label);
    expect(got).toEqual(expected);
    // Two workers for the points, and at least one helper started once the long one was offered.
    expect(redirect.made.length).toBeGreaterThan(2);
    stopped();
  });

  it("a helper's error stops the point's own worker, waiting or computing, and names the point", { timeout: 20_000 }, async () => {
    // The real sweep worker, except that a task to help with a point fails at once.
    const real = pathToFileURL(join(ROOT, "dist", "sweep", "worker.js")).href;
    const path = join(tempDir(), "worker.mjs");
    writeFileSync(
      path,
      `import { parentPort } from "node:worker_threads";
const on = parentPort.on.bind(parentPort);
parentPort.on = (event, handler) => on(event, event !== "message" ? handler : (task) => {
  if (task.helping) parentPort.postMessage({ type: "error", error: { message: "the helper broke", exitCode: null, stack: "Error: the helper broke" } });
  else handler(task);
});
await import(${JSON.stringify(real)});
`,
    );
    redirect.script = pathToFileURL(path);
    const uneven = shardTasks(planSweep(flags({ model: "gmm", dims: "2", generations: "20", seedSize: "30" }), [parseGridFlag("replicates=1,2,3,400")]));
    // Point 3 has too few replicates to share (three): only point 4 has helpers.
    await expect(runPoints(uneven, 3, () => {}, label)).rejects.toThrow(/^point 4 of 6: Error: the helper broke/);
    stopped();
  });

  it('format "document" delivers each point\'s results document, as columns', async () => {
    const documents = tasks.map((t) => ({ ...t, format: "document" as const }));
    const got: PointBody[] = [];
    await runPoints(documents, 2, (_, body) => got.push(body), label);
    const made = got.map((columns) => resultFromColumns(columns as ResultColumns));
    expect(JSON.stringify(made)).toBe(JSON.stringify(documents.map((t) => simulate(t.config).result)));
    stopped();
  });

  it("a point's error names the point (not its position) and keeps the user error's exit code", { timeout: 20_000 }, async () => {
    redirect.script = misbehaving(
      'if (task.index === 4) parentPort.postMessage({ type: "error", error: { message: "too few rows", exitCode: 2 } });\n' +
        'else parentPort.postMessage({ type: "result", result: "" });',
    );
    const error = await runPoints(tasks, 2, () => {}, label).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CollapseError);
    expect((error as CollapseError).exitCode).toBe(2);
    expect((error as Error).message).toBe("point 5 of 6: too few rows");
    stopped();
  });

  it("a sweep worker that exits without a word rejects, naming the point and the exit code", { timeout: 20_000 }, async () => {
    redirect.script = misbehaving("process.exit(3);");
    // One point, long by its estimate: it goes to a worker.
    const long = [{ ...tasks[0]!, config: { ...tasks[0]!.config, replicates: 100_000 } }];
    expect(fitsInThread(work(long))).toBe(false);
    await expect(runPoints(long, 2, () => {}, label)).rejects.toThrow(/^point 3 of 6: a sweep worker stopped unexpectedly \(exit code 3\)$/);
    stopped();
  });
});
