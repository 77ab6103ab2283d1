import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HealthDto } from "../../src/contracts/health.ts";
import { type RunningServer, startServer } from "../../src/server/app.ts";
import { loadConfig } from "../../src/server/platform/index.ts";
import { createServerTestDatabase, testEngine } from "../helpers/db.ts";
import { freePort } from "../helpers/vigie-server.ts";

/**
 * A new instance answers before its demo is loaded (issue 8): the demo runs as a job after the
 * server listens, `/api/health` tells its steps, and the figures arrive when it is done.
 */
describe(`first start of a new instance on ${testEngine}`, { timeout: 300_000 }, () => {
  let server: RunningServer;
  let drop: (() => Promise<void>) | undefined;
  let startedInMs: number;

  beforeAll(async () => {
    let databaseUrl = "";
    if (process.env.TEST_DATABASE_URL) {
      const created = await createServerTestDatabase(process.env.TEST_DATABASE_URL);
      databaseUrl = created.url;
      drop = created.drop;
    }
    const port = await freePort();
    const config = loadConfig({
      LOG_LEVEL: "warn",
      VIGIE_DATA_DIR: ":memory:",
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      VIGIE_PUBLIC_URL: `http://localhost:${port}`,
    });
    const t = performance.now();
    server = await startServer({ config, demo: "tiny", demoInBackground: true, onNotice: () => undefined });
    startedInMs = performance.now() - t;
  });
  afterAll(async () => {
    await server?.close();
    await drop?.();
  });

  const health = async () => (await (await fetch(`${server.url}/api/health`)).json()) as HealthDto;

  it("answers while the demo loads, and says which step it is at", async () => {
    const first = await health();
    expect(first.status).toBe("ok");
    expect(first.demo).not.toBeNull();
    expect(["queued", "running"]).toContain(first.demo?.state);
    // Listening did not wait for the demo (which takes longer than this on any machine).
    expect(startedInMs).toBeLessThan(60_000);
  });

  it("ends done, with the schools, the values and the published roadmap", async () => {
    let last = await health();
    const steps = new Set<string>();
    for (let i = 0; i < 600 && last.demo?.state !== "done" && last.demo?.state !== "failed"; i++) {
      if (last.demo?.progress?.message) steps.add(last.demo.progress.message);
      await new Promise((r) => setTimeout(r, 250));
      last = await health();
    }
    expect(last.demo).toMatchObject({ state: "done", error: null, progress: { done: 3, total: 3 } });
    const schools = (await (
      await fetch(`${server.url}/api/v1/schools?territory=nation:FR&pageSize=1`)
    ).json()) as {
      total: number;
    };
    expect(schools.total).toBeGreaterThan(0);
    const roadmaps = (await (await fetch(`${server.url}/api/v1/roadmaps`)).json()) as { roadmaps: unknown[] };
    expect(roadmaps.roadmaps).toHaveLength(1);
  });
});
