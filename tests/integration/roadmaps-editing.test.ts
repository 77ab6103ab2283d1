import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Objective, RoadmapDocument } from "../../src/contracts/roadmaps.ts";
import type { RoadmapDetail, RoadmapList } from "../../src/contracts/roadmaps-api.ts";
import { testEngine } from "../helpers/db.ts";
import {
  type IdentityTestApp,
  makeUser,
  openIdentityTestApp,
  type SignedIn,
  signIn,
} from "../helpers/identity.ts";
import { storeAggregate } from "../helpers/observatory.ts";

/**
 * What the web editor does through the API: a PUT of the whole document that adds an indicator
 * and an objective (its status read back from the observatory's values) or removes one; and
 * unpublishing (back to draft), with its scope rule and its audit row.
 */

let t: IdentityTestApp;
let dane: SignedIn; // académie 04 (Bordeaux)
let daneLille: SignedIn; // académie 09
let reader: SignedIn; // lecteur de l'académie 04

const academy = { level: "academy", code: "04", name: "Bordeaux" } as const;

beforeAll(async () => {
  t = await openIdentityTestApp();
  await makeUser(t.db, "dane@ac-bordeaux.fr", [["academy-steering", "04"]]);
  await makeUser(t.db, "dane@ac-lille.fr", [["academy-steering", "09"]]);
  await makeUser(t.db, "lecteur@ac-bordeaux.fr", [["reader", "academy:04"]]);
  dane = await signIn(t.app, "dane@ac-bordeaux.fr");
  daneLille = await signIn(t.app, "dane@ac-lille.fr");
  reader = await signIn(t.app, "lecteur@ac-bordeaux.fr");
  // Pix certification in the académie: 40 % then 70 % (target 80 % in 2026-2027: on track).
  for (const [period, value] of [
    ["2023-2024", 40],
    ["2025-2026", 70],
  ] as const)
    await storeAggregate(
      t.db,
      "pix_certification_rate",
      { level: "academy", code: "04", academyCode: "04" },
      period,
      value,
    );
}, 60_000);
afterAll(async () => t?.close());

const auditRows = (action: string) =>
  t.db.selectFrom("audit_event").selectAll().where("action", "=", action).orderBy("id").execute();

function fieldOf(document: RoadmapDocument) {
  const field = document.ambitions[0]?.targets[0]?.operationalFields[0];
  if (!field) throw new Error("pas de champ opérationnel");
  return field;
}

describe(`roadmap editing and unpublishing on ${testEngine}`, () => {
  let roadmap: RoadmapDetail;

  it("adds an indicator and an objective with a PUT, then reads back its status", async () => {
    const created = await dane.request({
      method: "POST",
      url: "/api/v1/roadmaps",
      payload: { territory: "academy:04", title: "Plan numérique de Bordeaux" },
    });
    expect(created.statusCode, created.body).toBe(201);
    roadmap = created.json() as RoadmapDetail;
    const document = structuredClone(roadmap.document);
    const target = document.ambitions[0]?.targets[0];
    if (!target) throw new Error("pas de cible");
    target.operationalFields = [
      {
        id: "f1",
        title: "Certification Pix",
        actions: [],
        qualitativeObjectives: [],
        recommendationRefs: [],
        indicatorRefs: [],
      },
    ];
    // What the editor sends: the indicator added from the catalogue, then an objective `obj-<n>`.
    fieldOf(document).indicatorRefs.push({
      indicatorCode: "pix_certification_rate",
      label: "Part des élèves certifiés",
      objectives: [
        {
          id: "obj-1",
          indicatorCode: "pix_certification_rate",
          territory: academy,
          schoolYear: "2026-2027",
          mode: "level",
          baseline: { value: 40, schoolYear: "2023-2024" },
          target: 80,
          unit: "%",
          comparator: ">=",
          perYear: false,
        } satisfies Objective,
      ],
    });
    const res = await dane.request({
      method: "PUT",
      url: `/api/v1/roadmaps/${roadmap.id}`,
      payload: { version: roadmap.version, document },
    });
    expect(res.statusCode, res.body).toBe(200);
    const saved = (await dane.request({ url: `/api/v1/roadmaps/${roadmap.id}` })).json() as RoadmapDetail;
    expect(saved.version).toBe(roadmap.version + 1);
    expect(saved.objectives).toBe(1);
    expect(saved.evaluation.objectives["obj-1"]).toMatchObject({
      status: "on_track",
      current: { value: 70 },
      targetValue: 80,
    });
    expect(saved.evaluation.nodes.f1).toMatchObject({ status: "on_track", total: 1 });
    roadmap = saved;
  });

  it("refuses a duplicate objective id and an objective outside the territory, in French", async () => {
    const document = structuredClone(roadmap.document);
    const ref = fieldOf(document).indicatorRefs[0];
    const existing = ref?.objectives[0];
    if (!ref || !existing) throw new Error("pas d'objectif");
    ref.objectives.push({ ...existing, schoolYear: "2027-2028" });
    const duplicate = await dane.request({
      method: "PUT",
      url: `/api/v1/roadmaps/${roadmap.id}`,
      payload: { version: roadmap.version, document },
    });
    expect(duplicate.statusCode).toBe(400);
    expect(duplicate.json().message).toContain("obj-1");
    const last = ref.objectives[1];
    if (!last) throw new Error("pas d'objectif");
    last.id = "obj-2";
    last.territory = { level: "academy", code: "09", name: "Lille" };
    const outside = await dane.request({
      method: "PUT",
      url: `/api/v1/roadmaps/${roadmap.id}`,
      payload: { version: roadmap.version, document },
    });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().message).toContain("objectives[1]");
  });

  it("removes an objective with a PUT: the field has no figure any more", async () => {
    const document = structuredClone(roadmap.document);
    const ref = fieldOf(document).indicatorRefs[0];
    if (!ref) throw new Error("pas d'indicateur");
    ref.objectives = [];
    const res = await dane.request({
      method: "PUT",
      url: `/api/v1/roadmaps/${roadmap.id}`,
      payload: { version: roadmap.version, document },
    });
    expect(res.statusCode, res.body).toBe(200);
    const saved = res.json() as RoadmapDetail;
    expect(saved.objectives).toBe(0);
    expect(saved.evaluation.objectives["obj-1"]).toBeUndefined();
    expect(saved.evaluation.nodes.f1).toMatchObject({ status: null, total: 0 });
  });

  it("unpublishes: back to draft, hidden from the public again, audited like publish", async () => {
    const url = `/api/v1/roadmaps/${roadmap.id}`;
    expect((await dane.request({ method: "POST", url: `${url}/publish` })).statusCode).toBe(200);
    expect((await t.app.inject({ url })).statusCode).toBe(200);

    expect((await t.app.inject({ method: "POST", url: `${url}/unpublish` })).statusCode).toBe(401);
    const outside = await daneLille.request({ method: "POST", url: `${url}/unpublish` });
    expect(outside.statusCode).toBe(403);
    expect(outside.json().message).toContain("hors de votre périmètre");
    const readerRes = await reader.request({ method: "POST", url: `${url}/unpublish` });
    expect(readerRes.statusCode).toBe(403);
    expect(readerRes.json().message).toContain("roadmaps.manage");
    expect(
      (await dane.request({ method: "POST", url: "/api/v1/roadmaps/999999/unpublish" })).statusCode,
    ).toBe(404);

    const res = await dane.request({ method: "POST", url: `${url}/unpublish` });
    expect(res.statusCode, res.body).toBe(200);
    const draft = res.json() as RoadmapDetail;
    expect(draft.status).toBe("draft");
    expect(draft.canEdit).toBe(true);
    expect((await t.app.inject({ url })).statusCode).toBe(404);
    const list = (await t.app.inject({ url: "/api/v1/roadmaps" })).json() as RoadmapList;
    expect(list.roadmaps).toEqual([]);
    expect((await reader.request({ url })).statusCode).toBe(200);
    // Unpublishing a draft changes nothing and writes no second row.
    expect((await dane.request({ method: "POST", url: `${url}/unpublish` })).statusCode).toBe(200);

    const audit = await t.db
      .selectFrom("audit_event")
      .selectAll()
      .where("action", "=", "roadmap.unpublish")
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ entity_type: "roadmap", entity_id: roadmap.id, academy_code: "04" });
    expect(await auditRows("roadmap.publish")).toHaveLength(1);
  });

  it("a draft out of scope is not found for unpublishing (404), as for publishing", async () => {
    const url = `/api/v1/roadmaps/${roadmap.id}`;
    expect((await daneLille.request({ method: "POST", url: `${url}/publish` })).statusCode).toBe(404);
    expect((await daneLille.request({ method: "POST", url: `${url}/unpublish` })).statusCode).toBe(404);
  });
});
