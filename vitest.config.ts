import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // One temporary directory per run, which must be empty at the end (test/support/temp-dir-guard.ts).
    globalSetup: ["test/support/temp-dir-guard.ts"],
  },
});
