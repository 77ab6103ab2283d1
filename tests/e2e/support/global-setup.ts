import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startServer } from "../../../src/server/app.ts";
import { e2eConfig } from "./config.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** A data folder holding the migrated base with the "tiny" demo loaded (startVigie copies it). */
    e2eTemplateDataDir: string;
  }
}

/**
 * Loads the "tiny" demo once for the whole browser suite: each test file then starts its own server
 * on a copy of this data folder (its own base, as before) instead of migrating and loading the demo
 * again, which took about 40 s per file.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigie-e2e-template-"));
  const dataDir = path.join(dir, "data");
  const server = await startServer({
    config: e2eConfig(dataDir),
    demo: "tiny",
    // Without the demo's roadmap: the roadmap tests start from an empty list and publish their own
    // (tests/integration/demo-roadmap.test.ts covers the demo's).
    demoRoadmap: false,
    onNotice: () => undefined,
  });
  await server.close();
  project.provide("e2eTemplateDataDir", dataDir);
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
