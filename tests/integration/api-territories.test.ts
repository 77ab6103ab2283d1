import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SchoolDetail, SchoolPage, TerritoryDetail } from "../../src/contracts/territories.ts";
import type { DatabaseHandle } from "../../src/server/platform/db.ts";
import { generateDemoSchools } from "../../src/server/territories/demo/generate.ts";
import { loadDemo } from "../../src/server/territories/demo/load.ts";
import { openTestApp } from "../helpers/app.ts";
import { testEngine } from "../helpers/db.ts";
import { byListOrder } from "../helpers/school-order.ts";

describe(`territories and schools API on ${testEngine}`, () => {
  let app: FastifyInstance;
  let handle: DatabaseHandle;
  let close: () => Promise<void>;
  const demo = generateDemoSchools("tiny");
  const openDemo = demo.filter((s) => s.status === "open");

  beforeAll(async () => {
    ({ app, handle, close } = await openTestApp());
    await loadDemo(handle.db, "tiny");
  });
  afterAll(async () => close?.());

  const get = async <T>(url: string) => {
    const res = await app.inject({ method: "GET", url });
    return { status: res.statusCode, body: res.json() as T };
  };

  it("reports its health and engine", async () => {
    const { status, body } = await get<{ status: string; engine: string }>("/api/health");
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: "ok", engine: testEngine });
  });

  it("lists the 30 académies with their région académique", async () => {
    const { body } = await get<{ items: { code: string; name: string; academicRegion: { code: string } }[] }>(
      "/api/v1/territories/academies",
    );
    expect(body.items).toHaveLength(30);
    expect(body.items.find((a) => a.code === "04")).toEqual({
      code: "04",
      name: "Bordeaux",
      academicRegion: { code: "75", name: "Nouvelle-Aquitaine" },
    });
    expect(body.items.map((a) => a.code)).toEqual(expect.arrayContaining(["01", "43", "70"]));
  });

  it("describes the nation with its 18 régions académiques and exact school counts", async () => {
    const { body } = await get<TerritoryDetail>("/api/v1/territories/nation/FR");
    expect(body.children).toHaveLength(18);
    expect(body.openSchools).toBe(openDemo.length);
    expect(body.closedSchools).toBe(demo.length - openDemo.length);
    expect(body.pupils).toBe(openDemo.reduce((s, r) => s + (r.pupils ?? 0), 0));
    const na = body.children.find((c) => c.code === "75");
    expect(na?.openSchools).toBe(openDemo.length);
    expect(body.children.find((c) => c.code === "53")?.openSchools).toBe(0);
  });

  it("walks down académie → département → district with ancestors", async () => {
    const academy = (await get<TerritoryDetail>("/api/v1/territories/academy/04")).body;
    expect(academy.name).toBe("Bordeaux");
    expect(academy.ancestors.map((a) => a.code)).toEqual(["FR", "75"]);
    expect(academy.children.map((c) => c.code)).toEqual(["24", "33", "40", "47", "64"]);
    const gironde = (await get<TerritoryDetail>("/api/v1/territories/department/33")).body;
    expect(gironde.childLevel).toBe("district");
    expect(gironde.children.length).toBeGreaterThan(0);
    const sumOfDistricts = gironde.children.reduce((s, c) => s + c.openSchools, 0);
    // Every open school of the département sits in exactly one bassin or one circonscription.
    expect(sumOfDistricts).toBe(gironde.openSchools);
    const district = gironde.children[0];
    const detail = (await get<TerritoryDetail>(`/api/v1/territories/district/${district?.code}`)).body;
    expect(detail.ancestors.map((a) => a.code)).toEqual(["FR", "75", "04", "33"]);
    expect(detail.openSchools).toBe(district?.openSchools);
    const children = await get<{ items: unknown[] }>("/api/v1/territories/academicRegion/75/children");
    expect(children.body.items).toHaveLength(3);
  });

  it("answers 404 in French for an unknown territory and 400 for an unknown level", async () => {
    const unknown = await get<{ message: string }>("/api/v1/territories/academy/99");
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toContain("Territoire inconnu");
    expect((await get("/api/v1/territories/planet/1")).status).toBe(400);
  });

  it("filters, searches and paginates schools", async () => {
    const colleges = (await get<SchoolPage>("/api/v1/schools?territory=academy:04&type=college&pageSize=200"))
      .body;
    const expected = openDemo.filter((s) => s.academyCode === "04" && s.type === "college");
    expect(colleges.total).toBe(expected.length);
    expect(colleges.items.every((s) => s.type === "college" && s.academy === "04")).toBe(true);

    // The nation: one node, written nation:FR, FR still read.
    const nation = (await get<SchoolPage>("/api/v1/schools?territory=nation:FR&pageSize=1")).body;
    expect(nation.total).toBe(openDemo.length);
    expect((await get<SchoolPage>("/api/v1/schools?territory=FR&pageSize=1")).body.total).toBe(
      openDemo.length,
    );

    const rep = (await get<SchoolPage>("/api/v1/schools?priorityEducation=REP%2B&pageSize=200")).body;
    expect(rep.total).toBe(openDemo.filter((s) => s.priorityEducation === "REP+").length);

    const privateNoContract = (await get<SchoolPage>("/api/v1/schools?sector=private_no_contract")).body;
    expect(privateNoContract.total).toBe(openDemo.filter((s) => s.sector === "private_no_contract").length);

    const target = openDemo[10];
    const byUai = (await get<SchoolPage>(`/api/v1/schools?q=${target?.uai.toLowerCase()}`)).body;
    expect(byUai.items.map((s) => s.uai)).toEqual([target?.uai]);
    const byName = (
      await get<SchoolPage>(`/api/v1/schools?q=${encodeURIComponent("jules ferry")}&pageSize=200`)
    ).body;
    expect(byName.total).toBe(openDemo.filter((s) => s.name.toLowerCase().includes("jules ferry")).length);

    const page1 = (await get<SchoolPage>("/api/v1/schools?pageSize=10&page=1")).body;
    const page2 = (await get<SchoolPage>("/api/v1/schools?pageSize=10&page=2")).body;
    expect(page1.items).toHaveLength(10);
    expect(page1.total).toBe(openDemo.length);
    // In list order across pages: folded name (« École » with « Ecole », before « Lycée »), then UAI.
    const listed = [...page1.items, ...page2.items];
    expect(listed).toEqual([...listed].sort(byListOrder));
    expect(new Set([...page1.items, ...page2.items].map((s) => s.uai)).size).toBe(20);

    const all = (await get<SchoolPage>("/api/v1/schools?status=all&pageSize=1")).body;
    expect(all.total).toBe(demo.length);
  });

  it("rejects invalid filters with a 400", async () => {
    expect((await get("/api/v1/schools?pageSize=100000")).status).toBe(400);
    expect((await get("/api/v1/schools?type=university")).status).toBe(400);
    expect((await get("/api/v1/schools?territory=moon:1")).status).toBe(400);
  });

  it("returns a school with its districts and ancestors", async () => {
    const s = demo.find((r) => r.circonscription && r.status === "open");
    const { status, body } = await get<SchoolDetail>(`/api/v1/schools/${s?.uai}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      uai: s?.uai,
      name: s?.name,
      type: s?.type,
      sector: s?.sector,
      department: s?.departmentCode,
      academy: s?.academyCode,
      status: "open",
    });
    expect(body.districts.map((d) => d.name)).toContain(s?.circonscription?.name);
    expect(body.ancestors.map((a) => a.level)).toEqual(["nation", "academicRegion", "academy", "department"]);
  });

  it("answers 404 with a French message for an unknown or malformed UAI", async () => {
    const malformed = await get<{ message: string }>("/api/v1/schools/12345");
    expect(malformed.status).toBe(404);
    expect(malformed.body.message).toMatch(/mal formé/);
    const wrongLetter = await get<{ message: string }>("/api/v1/schools/0350122A");
    expect(wrongLetter.status).toBe(404);
    expect(wrongLetter.body.message).toMatch(/lettre de contrôle/);
    const unknown = await get<{ message: string }>("/api/v1/schools/0000001B");
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toMatch(/Aucun établissement/);
  });

  it("serves the OpenAPI description", async () => {
    const res = await app.inject({ method: "GET", url: "/api/docs/json" });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(["/api/health", "/api/v1/territories/academies", "/api/v1/schools/{uai}"]),
    );
  });

  it("answers unknown API routes with a JSON 404", async () => {
    const res = await get<{ error: string }>("/api/v1/nothing");
    expect(res.status).toBe(404);
    expect(res.body.error).toBe("not_found");
  });
});
