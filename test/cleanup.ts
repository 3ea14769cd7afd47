/**
 * Set up before every test file: once the file's tests are done, the temporary folders it made with
 * tempDir() are removed (a run used to leave dozens behind, some holding 100 MB files).
 */
import { rmSync } from "node:fs";
import { afterAll } from "vitest";
import { madeDirs } from "./cli/cli.js";

afterAll(() => {
  for (const dir of madeDirs) rmSync(dir, { recursive: true, force: true });
  madeDirs.clear();
});
