/**
 * Work written as a generator that pauses (`yield`) between steps, run to its end either at once
 * or with an await between steps. The same code then serves callers that cannot wait (tests, the
 * library's synchronous functions) and the main thread, which must take a turn of its event loop
 * every so often to answer a signal (a large sweep merged: src/sweep/merge.ts). Not for code that
 * worker threads run too: a generator takes V8 about twice as long to compile as a plain loop.
 */
export type Steps<T> = Generator<undefined, T>;

/** Runs every step at once. */
export function runSteps<T>(steps: Steps<T>): T {
  let step = steps.next();
  while (!step.done) step = steps.next();
  return step.value;
}

/** Runs the steps, awaiting `between` after each one but the last. */
export async function runStepsAsync<T>(steps: Steps<T>, between: () => Promise<unknown>): Promise<T> {
  let step = steps.next();
  while (!step.done) {
    await between();
    step = steps.next();
  }
  return step.value;
}
