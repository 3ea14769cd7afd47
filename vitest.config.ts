import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Statistical tests run thousands of chains; end-to-end tests spawn the built binary.
    testTimeout: 60_000,
    pool: "forks",
  },
});
