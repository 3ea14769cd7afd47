/**
 * Set up before every test file: once the file's tests are done, any collapse process a test
 * started with start() and left running is killed (a test that fails before signalling an endless
 * run would otherwise leave it computing), and the temporary folders the file made with tempDir()
 * are removed (a run used to leave dozens behind, some holding 100 MB files).
 */
import { rmSync } from "node:fs";
import { afterAll } from "vitest";
import { madeDirs } from "./cli/cli.js";
import { runningChildren } from "./cli/process.js";

afterAll(() => {
  for (const child of runningChildren) child.kill("SIGKILL");
  runningChildren.clear();
  for (const dir of madeDirs) rmSync(dir, { recursive: true, force: true });
  madeDirs.clear();
});
