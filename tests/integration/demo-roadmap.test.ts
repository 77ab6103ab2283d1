import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RoadmapDetail, RoadmapList } from "../../src/contracts/roadmaps-api.ts";
import { loadObservatoryDemo } from "../../src/server/indicators/index.ts";
import type { DatabaseHandle } from "../../src/server/platform/db.ts";
import { publishDemoRoadmapIfEmpty } from "../../src/server/roadmaps/index.ts";
import { loadDemo } from "../../src/server/territories/index.ts";
import { openTestApp } from "../helpers/app.ts";
import { testEngine } from "../helpers/db.ts";

describe(`the demo's roadmap on ${testEngine}`, () => {
  let app: FastifyInstance;
  let handle: DatabaseHandle;
  let close: () => Promise<void>;
  let published: RoadmapDetail | undefined;

  beforeAll(async () => {
    ({ app, handle, close } = await openTestApp());
    await loadDemo(handle.db, "tiny");
    await loadObservatoryDemo(handle.db, { monthly: false });
    published = await publishDemoRoadmapIfEmpty(handle.db);
  });
  afterAll(async () => close?.());

  it("publishes the Nouvelle-Aquitaine roadmap for its région académique, visible without an account", async () => {
    expect(published).toMatchObject({
      status: "published",
      templateId: "nouvelle-aquitaine-drane-2021",
      territory: { level: "academicRegion", code: "75" },
    });
    const res = await app.inject({ method: "GET", url: "/api/v1/roadmaps" });
    const list = res.json() as RoadmapList;
    expect(list.roadmaps.map((r) => [r.slug, r.status])).toEqual([[published?.slug, "published"]]);
  });

  it("has objectives read against the demo values, so dashboards show them", async () => {
    const res = await app.inject({ method: "GET", url: `/api/v1/roadmaps/${published?.slug}` });
    const detail = res.json() as RoadmapDetail;
    const states = Object.values(detail.evaluation.objectives).map((e) => e.status);
    expect(states.length).toBeGreaterThan(0);
    expect(states.some((s) => s !== "no_data")).toBe(true);
  });

  it("does nothing once a roadmap is stored (a restart publishes no second copy)", async () => {
    expect(await publishDemoRoadmapIfEmpty(handle.db)).toBeUndefined();
    const count = await handle.db
      .selectFrom("roadmap")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });
});
