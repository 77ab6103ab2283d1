import { defineConfig } from "vitest/config";

/**
 * Browser tests: the real server (in-process, PGlite, "tiny" demo) serving the built web app
 * (`npm run build:web` first), driven through Debian's Chromium with playwright-core, checked with
 * axe. One file at a time: each starts its own server (on a copy of the base the global set-up
 * loads once) and browser.
 */
export default defineConfig({
  test: {
    include: ["tests/e2e/**/*.e2e.ts"],
    globalSetup: ["tests/e2e/support/global-setup.ts"],
    pool: "forks",
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
