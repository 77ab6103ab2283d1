import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import type { RoadmapDetail, RoadmapList } from "../../src/contracts/roadmaps-api.ts";
import { testEngine } from "../helpers/db.ts";
import {
  type IdentityTestApp,
  makeUser,
  openIdentityTestApp,
  type SignedIn,
  signIn,
} from "../helpers/identity.ts";

/**
 * The roadmaps API on a real database: creation from a template and blank, scope of the writers
 * (DRANE, DANE, national administrator), drafts hidden from the public, optimistic concurrency,
 * YAML import and export, checkpoints, audit rows.
 */

let t: IdentityTestApp;
let drane: SignedIn; // région académique 75 (Nouvelle-Aquitaine)
let dane: SignedIn; // académie 04 (Bordeaux)
let reader: SignedIn; // lecteur de l'académie 04
let daneLille: SignedIn; // académie 09

beforeAll(async () => {
  t = await openIdentityTestApp();
  await makeUser(t.db, "drane@ac-bordeaux.fr", [["region-steering", "75"]]);
  await makeUser(t.db, "dane@ac-bordeaux.fr", [["academy-steering", "04"]]);
  await makeUser(t.db, "lecteur@ac-bordeaux.fr", [["reader", "academy:04"]]);
  await makeUser(t.db, "dane@ac-lille.fr", [["academy-steering", "09"]]);
  drane = await signIn(t.app, "drane@ac-bordeaux.fr");
  dane = await signIn(t.app, "dane@ac-bordeaux.fr");
  reader = await signIn(t.app, "lecteur@ac-bordeaux.fr");
  daneLille = await signIn(t.app, "dane@ac-lille.fr");
}, 60_000);
afterAll(async () => t?.close());

function first<T>(items: T[]): T {
  const item = items[0];
  if (item === undefined) throw new Error("liste vide");
  return item;
}

const auditRows = (action: string) =>
  t.db.selectFrom("audit_event").selectAll().where("action", "=", action).orderBy("id").execute();

describe(`roadmaps API on ${testEngine}`, () => {
  it("lists the five templates to everyone, without any roadmap at first", async () => {
    const res = await t.app.inject({ url: "/api/v1/roadmaps" });
    expect(res.statusCode).toBe(200);
    const list = res.json() as RoadmapList;
    expect(list.roadmaps).toEqual([]);
    expect(list.templates.map((x) => x.id).sort()).toHaveLength(5);
    expect(list.manageableScopes).toEqual([]);
    const mine = (await dane.request({ url: "/api/v1/roadmaps" })).json() as RoadmapList;
    expect(mine.manageableScopes).toEqual(["academy:04"]);
  });

  it("shows a template as a tree with the status of every objective (no value: sans donnée)", async () => {
    const list = (await t.app.inject({ url: "/api/v1/roadmaps" })).json() as RoadmapList;
    const na = list.templates.find((x) => x.territory.level === "academicRegion");
    expect(na).toBeDefined();
    const res = await t.app.inject({ url: `/api/v1/roadmaps/templates/${na?.id}` });
    expect(res.statusCode).toBe(200);
    const detail = res.json() as RoadmapDetail;
    const statuses = Object.values(detail.evaluation.objectives).map((o) => o.statusLabel);
    expect(statuses.length).toBe(na?.objectives);
    expect(new Set(statuses)).toEqual(new Set(["sans donnée"]));
    expect(detail.evaluation.roadmap.status).toBe("no_data");
    expect((await t.app.inject({ url: "/api/v1/roadmaps/templates/inconnu" })).statusCode).toBe(404);
  });

  let fromTemplate: RoadmapDetail;
  it("creates a draft from a template, re-targeted to an académie of the DANE's scope", async () => {
    const list = (await t.app.inject({ url: "/api/v1/roadmaps" })).json() as RoadmapList;
    const templateId = list.templates.find((x) => x.territory.level === "academicRegion")?.id as string;
    const res = await dane.request({
      method: "POST",
      url: "/api/v1/roadmaps",
      payload: { territory: "academy:04", templateId, title: "Feuille de route numérique de Bordeaux" },
    });
    expect(res.statusCode, res.body).toBe(201);
    fromTemplate = res.json() as RoadmapDetail;
    expect(fromTemplate).toMatchObject({
      status: "draft",
      version: 1,
      slug: "feuille-de-route-numerique-de-bordeaux",
      territory: { level: "academy", code: "04", name: "Bordeaux" },
      templateId,
      canEdit: true,
    });
    // Every objective now bears on the académie (« 3 000 par académie » once, not three times).
    const territories = new Set<string>();
    for (const a of fromTemplate.document.ambitions)
      for (const c of a.targets)
        for (const f of c.operationalFields)
          for (const i of f.indicatorRefs)
            for (const o of i.objectives) territories.add(`${o.territory.level}:${o.territory.code}`);
    expect([...territories]).toEqual(["academy:04"]);
    expect(fromTemplate.objectives).toBeGreaterThan(10);
    const audit = await auditRows("roadmap.create");
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      entity_type: "roadmap",
      entity_id: fromTemplate.id,
      academy_code: "04",
    });
  });

  it("hides drafts from the public and from users outside the territory, shows them inside", async () => {
    expect((await t.app.inject({ url: `/api/v1/roadmaps/${fromTemplate.id}` })).statusCode).toBe(404);
    expect((await daneLille.request({ url: `/api/v1/roadmaps/${fromTemplate.slug}` })).statusCode).toBe(404);
    const seen = await reader.request({ url: `/api/v1/roadmaps/${fromTemplate.slug}` });
    expect(seen.statusCode).toBe(200);
    expect((seen.json() as RoadmapDetail).canEdit).toBe(false);
    expect(((await t.app.inject({ url: "/api/v1/roadmaps" })).json() as RoadmapList).roadmaps).toEqual([]);
    expect(((await drane.request({ url: "/api/v1/roadmaps" })).json() as RoadmapList).roadmaps).toHaveLength(
      1,
    );
  });

  it("refuses writers outside their scope (403), readers (403) and the anonymous (401)", async () => {
    const create = { method: "POST" as const, url: "/api/v1/roadmaps", payload: { territory: "academy:04" } };
    const outside = await daneLille.request(create);
    expect(outside.statusCode).toBe(403);
    expect(outside.json().message).toContain("hors de votre périmètre");
    const readerRes = await reader.request(create);
    expect(readerRes.statusCode).toBe(403);
    expect(readerRes.json().message).toMatch(/^Vos rôles/);
    expect((await t.app.inject(create)).statusCode).toBe(401);
    const put = {
      method: "PUT" as const,
      url: `/api/v1/roadmaps/${fromTemplate.id}`,
      payload: { version: 1, document: fromTemplate.document },
    };
    expect((await t.app.inject(put)).statusCode).toBe(401);
    expect((await daneLille.request(put)).statusCode).toBe(404); // a draft out of scope does not exist for them
    expect((await reader.request(put)).statusCode).toBe(403);
  });

  let blank: RoadmapDetail;
  it("creates a blank roadmap; the DRANE may write in an académie of the région", async () => {
    const res = await drane.request({
      method: "POST",
      url: "/api/v1/roadmaps",
      payload: { territory: "academy:04", title: "Plan numérique 2027" },
    });
    expect(res.statusCode, res.body).toBe(201);
    blank = res.json() as RoadmapDetail;
    expect(blank.document.ambitions).toHaveLength(1);
    expect(blank.objectives).toBe(0);
    expect(blank.evaluation.roadmap).toMatchObject({ status: null, total: 0 });
  });

  it("updates the document with the version read; a stale version gets 409 in French", async () => {
    const document = structuredClone(blank.document);
    const ambition = first(document.ambitions);
    ambition.title = "Former tous les enseignants";
    first(ambition.targets).operationalFields.push({
      id: "champ-1",
      title: "Certification Pix des élèves",
      actions: [],
      qualitativeObjectives: [],
      recommendationRefs: [],
      indicatorRefs: [
        {
          indicatorCode: "pix_certification_rate",
          label: "Part des élèves certifiés",
          objectives: [
            {
              id: "obj-pix",
              indicatorCode: "pix_certification_rate",
              territory: { level: "department", code: "33", name: "Gironde" },
              schoolYear: "2026-2027",
              mode: "level",
              baseline: { value: 40, schoolYear: "2023-2024" },
              target: 80,
              unit: "%",
              comparator: ">=",
              perYear: false,
            },
          ],
        },
      ],
    });
    const ok = await dane.request({
      method: "PUT",
      url: `/api/v1/roadmaps/${blank.id}`,
      payload: { version: 1, document },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    const saved = ok.json() as RoadmapDetail;
    expect(saved.version).toBe(2);
    expect(saved.document.ambitions[0]?.title).toBe("Former tous les enseignants");
    expect(saved.evaluation.objectives["obj-pix"]).toMatchObject({
      status: "no_data",
      statusLabel: "sans donnée",
      targetValue: 80,
      targetYear: 2026,
    });
    expect(saved.evaluation.nodes["champ-1"]).toMatchObject({ status: "no_data", total: 1 });

    const stale = await drane.request({
      method: "PUT",
      url: `/api/v1/roadmaps/${blank.id}`,
      payload: { version: 1, document: blank.document },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().message).toContain("modifiée entre-temps");
    const after = (await dane.request({ url: `/api/v1/roadmaps/${blank.id}` })).json() as RoadmapDetail;
    expect(after.document.ambitions[0]?.title).toBe("Former tous les enseignants");
    expect(await auditRows("roadmap.update")).toHaveLength(1);
  });

  it("under concurrency: two saves of the same version give one 200 and one 409; same titles get distinct slugs", async () => {
    const created = await Promise.all(
      [dane, drane].map((who) =>
        who.request({
          method: "POST",
          url: "/api/v1/roadmaps",
          payload: { territory: "academy:04", title: "Même titre" },
        }),
      ),
    );
    expect(created.map((r) => r.statusCode)).toEqual([201, 201]);
    const [a, b] = created.map((r) => r.json() as RoadmapDetail);
    expect(new Set([a?.slug, b?.slug])).toEqual(new Set(["meme-titre", "meme-titre-2"]));
    const target = a as RoadmapDetail;
    const saves = await Promise.all(
      ["Version de la DANE", "Version de la DRANE"].map((title, i) =>
        (i === 0 ? dane : drane).request({
          method: "PUT",
          url: `/api/v1/roadmaps/${target.id}`,
          payload: { version: 1, document: { ...target.document, title } },
        }),
      ),
    );
    expect(saves.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const after = (await dane.request({ url: `/api/v1/roadmaps/${target.id}` })).json() as RoadmapDetail;
    expect(after.version).toBe(2);
    for (const r of [a, b]) await dane.request({ method: "DELETE", url: `/api/v1/roadmaps/${r?.id}` });
  });

  it("refuses an invalid document with the path and the reason, in French", async () => {
    const document = structuredClone(blank.document) as unknown as { ambitions: { targets: unknown[] }[] };
    first(document.ambitions).targets = [];
    const res = await dane.request({
      method: "PUT",
      url: `/api/v1/roadmaps/${blank.id}`,
      payload: { version: 2, document },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain("ambitions[0].targets");
    const outside = structuredClone(blank.document);
    outside.territory = { level: "academy", code: "09", name: "Lille" };
    const moved = await dane.request({
      method: "PUT",
      url: `/api/v1/roadmaps/${blank.id}`,
      payload: { version: 2, document: outside },
    });
    expect(moved.statusCode).toBe(403);
  });

  it("exports YAML, and importing it back gives the same document", async () => {
    const exported = await dane.request({ url: `/api/v1/roadmaps/${fromTemplate.id}/export.yaml` });
    expect(exported.statusCode).toBe(200);
    expect(exported.headers["content-type"]).toContain("text/yaml");
    expect(exported.headers["content-disposition"]).toContain(`${fromTemplate.slug}.yaml`);
    expect(parseYaml(exported.body)).toEqual(fromTemplate.document);
    const imported = await dane.request({
      method: "POST",
      url: "/api/v1/roadmaps/import",
      headers: { "content-type": "text/yaml" },
      payload: exported.body,
    });
    expect(imported.statusCode, imported.body).toBe(201);
    const copy = imported.json() as RoadmapDetail;
    expect(copy.document).toEqual(fromTemplate.document);
    expect(copy.slug).toBe(`${fromTemplate.slug}-2`);
    expect(copy.status).toBe("draft");
    expect(await auditRows("roadmap.import")).toHaveLength(1);
  });

  it("imports a YAML file sent as multipart, re-targeted with ?territoire", async () => {
    const exported = (await dane.request({ url: `/api/v1/roadmaps/${blank.id}/export.yaml` })).body;
    const boundary = "roadmapboundary";
    const res = await drane.request({
      method: "POST",
      url: "/api/v1/roadmaps/import?territoire=academy:22",
      headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="plan.yaml"\r\nContent-Type: text/yaml\r\n\r\n${exported}\r\n--${boundary}--\r\n`,
    });
    expect(res.statusCode, res.body).toBe(201);
    const moved = res.json() as RoadmapDetail;
    expect(moved.territory).toMatchObject({ level: "academy", code: "22" });
    expect(
      moved.document.ambitions[0]?.targets[0]?.operationalFields[0]?.indicatorRefs[0]?.objectives[0]
        ?.territory,
    ).toMatchObject({
      level: "academy",
      code: "22",
    });
    // The DANE of Bordeaux may not import into Limoges.
    const refused = await dane.request({
      method: "POST",
      url: "/api/v1/roadmaps/import?territoire=academy:22",
      headers: { "content-type": "text/yaml" },
      payload: exported,
    });
    expect(refused.statusCode).toBe(403);
  });

  it("refuses bad YAML with the YAML path and the reason in French, and stores nothing", async () => {
    const before = (
      await t.db
        .selectFrom("roadmap")
        .select(({ fn }) => fn.countAll<string>().as("n"))
        .executeTakeFirstOrThrow()
    ).n;
    const exported = (await dane.request({ url: `/api/v1/roadmaps/${blank.id}/export.yaml` })).body;
    const badTarget = exported.replace("target: 80", "target: quatre-vingts");
    const res = await dane.request({
      method: "POST",
      url: "/api/v1/roadmaps/import",
      headers: { "content-type": "text/yaml" },
      payload: badTarget,
    });
    expect(res.statusCode).toBe(400);
    const body = res.json() as { message: string; details: string[] };
    expect(body.details).toEqual([
      expect.stringMatching(
        /chemin « ambitions\[0\]\.targets\[0\]\.operationalFields\[0\]\.indicatorRefs\[0\]\.objectives\[0\]\.target » : .*nombre/,
      ),
    ]);
    const syntax = await dane.request({
      method: "POST",
      url: "/api/v1/roadmaps/import",
      headers: { "content-type": "text/yaml" },
      payload: "id: x\ntitle: [non fermé\n",
    });
    expect(syntax.statusCode).toBe(400);
    expect(syntax.json().message).toMatch(/ligne \d+, colonne \d+.*YAML invalide/);
    const unknownIndicator = await dane.request({
      method: "POST",
      url: "/api/v1/roadmaps/import",
      headers: { "content-type": "text/yaml" },
      payload: exported.replaceAll("pix_certification_rate", "indicateur_inconnu"),
    });
    expect(unknownIndicator.statusCode).toBe(400);
    expect(unknownIndicator.json().message).toContain("absent du catalogue");
    const after = (
      await t.db
        .selectFrom("roadmap")
        .select(({ fn }) => fn.countAll<string>().as("n"))
        .executeTakeFirstOrThrow()
    ).n;
    expect(Number(after)).toBe(Number(before));
    expect(await auditRows("roadmap.import")).toHaveLength(2);
  });

  it("adds checkpoints that freeze every objective's value and status", async () => {
    const res = await dane.request({
      method: "POST",
      url: `/api/v1/roadmaps/${blank.id}/checkpoints`,
      payload: { date: "2027-01-15", title: "Point d'étape de janvier", comment: "Premier bilan" },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      date: "2027-01-15",
      title: "Point d'étape de janvier",
      comment: "Premier bilan",
      values: [
        {
          objectiveId: "obj-pix",
          indicatorCode: "pix_certification_rate",
          territory: { level: "department", code: "33" },
          targetValue: 80,
          status: "no_data",
          statusLabel: "sans donnée",
        },
      ],
    });
    const bad = await dane.request({
      method: "POST",
      url: `/api/v1/roadmaps/${blank.id}/checkpoints`,
      payload: { date: "2027-02-30", title: "x" },
    });
    expect(bad.statusCode).toBe(400);
    expect(
      (
        await reader.request({
          method: "POST",
          url: `/api/v1/roadmaps/${blank.id}/checkpoints`,
          payload: { title: "x" },
        })
      ).statusCode,
    ).toBe(403);
    const list = await reader.request({ url: `/api/v1/roadmaps/${blank.id}/checkpoints` });
    expect(list.json().items).toHaveLength(1);
    expect(await auditRows("roadmap.checkpoint")).toHaveLength(1);
  });

  it("publishes (visible to all) and deletes (checkpoints with it)", async () => {
    const pub = await dane.request({ method: "POST", url: `/api/v1/roadmaps/${blank.id}/publish` });
    expect(pub.statusCode).toBe(200);
    expect((pub.json() as RoadmapDetail).status).toBe("published");
    const anonymous = await t.app.inject({ url: `/api/v1/roadmaps/${blank.slug}` });
    expect(anonymous.statusCode).toBe(200);
    expect((anonymous.json() as RoadmapDetail).checkpoints).toHaveLength(1);
    const publicList = (await t.app.inject({ url: "/api/v1/roadmaps" })).json() as RoadmapList;
    expect(publicList.roadmaps.map((r) => r.id)).toEqual([blank.id]);
    expect(
      (await daneLille.request({ method: "DELETE", url: `/api/v1/roadmaps/${blank.id}` })).statusCode,
    ).toBe(403);
    const del = await dane.request({ method: "DELETE", url: `/api/v1/roadmaps/${blank.id}` });
    expect(del.statusCode).toBe(204);
    expect((await t.app.inject({ url: `/api/v1/roadmaps/${blank.id}` })).statusCode).toBe(404);
    const left = await t.db
      .selectFrom("roadmap_checkpoint")
      .selectAll()
      .where("roadmap_id", "=", blank.id)
      .execute();
    expect(left).toEqual([]);
    expect(await auditRows("roadmap.publish")).toHaveLength(1);
    expect((await auditRows("roadmap.delete")).filter((r) => r.entity_id === blank.id)).toHaveLength(1);
  });
});
