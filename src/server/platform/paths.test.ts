import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT, projectPath, RUNS_COMPILED, workerEntry } from "./paths.ts";

describe("Vigie's own paths, from the sources", () => {
  it("finds the repository's root, which holds package.json and the templates", () => {
    expect(fs.existsSync(path.join(PROJECT_ROOT, "package.json"))).toBe(true);
    expect(fs.existsSync(projectPath("data/templates/collection"))).toBe(true);
  });

  it("knows it runs from the sources and keeps the source entry of a worker thread", () => {
    expect(RUNS_COMPILED).toBe(false);
    const entry = new URL("./pglite-worker-entry.mjs", import.meta.url);
    expect(workerEntry("pglite-worker", entry)).toBe(entry);
  });
});
