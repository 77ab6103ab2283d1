import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CompetencesDashboard } from "../../src/contracts/competences.ts";
import { rollupFull } from "../../src/server/indicators/engine.ts";
import { type SchoolValueInput, writeSchoolValues } from "../../src/server/indicators/store.ts";
import { loadDemo } from "../../src/server/territories/demo/load.ts";
import { testEngine } from "../helpers/db.ts";
import { type IdentityTestApp, openIdentityTestApp } from "../helpers/identity.ts";

/**
 * The digital-competences dashboard (issue 10, item 9) reads the observatory's cells: hand-computed
 * figures for an académie, the roadmap target beside the mean score, the heat map competence ×
 * département, and a département with a single school hidden by the statistical confidentiality
 * in the JSON and in the exports alike.
 */

const PERIOD = "2032-2033";

interface School {
  id: string;
  uai: string;
  academy_code: string;
  department_code: string;
}

function pixValues(s: School): SchoolValueInput[] {
  const at = { schoolId: s.id, academyCode: s.academy_code, period: PERIOD };
  const both = (dataElement: string, value: number, extra: Record<string, string> = {}) => [
    { ...at, dataElement, value, disaggregation: extra },
    { ...at, dataElement, value, disaggregation: { ...extra, level: "troisieme" } },
  ];
  return [
    ...both("pupils_in_pix_campaign", 20),
    ...both("pupils_pix_profile_shared", 16),
    ...both("pupils_pix_scored", 16),
    ...both("pix_score_total", 16 * 120),
    ...both("pupils_pix_certifiable", 8),
    ...both("pupils_pix_certification_candidates", 10),
    ...both("pupils_pix_certified", 9),
    { ...at, dataElement: "pix_competence_level_sum", value: 16, disaggregation: { competence: "c1_1" } },
    {
      ...at,
      dataElement: "pupils_pix_competence_target_reached",
      value: 12,
      disaggregation: { competence: "c1_1", level: "troisieme" },
    },
  ];
}

describe(`competences dashboard on ${testEngine}`, () => {
  let t: IdentityTestApp;
  let lone: School; // the only school of its département with Pix figures

  beforeAll(async () => {
    t = await openIdentityTestApp();
    await loadDemo(t.db, "tiny");
    const schools = (await t.db
      .selectFrom("school")
      .select(["id", "uai", "academy_code", "department_code"])
      .where("status", "=", "open")
      .where("academy_code", "=", "04")
      .orderBy("uai")
      .execute()) as School[];
    const byDepartment = new Map<string, School[]>();
    for (const s of schools)
      byDepartment.set(s.department_code, [...(byDepartment.get(s.department_code) ?? []), s]);
    const [big, other] = [...byDepartment.values()].sort((a, b) => b.length - a.length) as [
      School[],
      School[],
    ];
    lone = other[0] as School;
    const chosen = [...big.slice(0, 24), lone];
    await writeSchoolValues(t.db, chosen.flatMap(pixValues), { source: "import" });
    await rollupFull(t.db);
  });
  afterAll(async () => t?.close());

  const get = async (query: string) => {
    const res = await t.app.inject({ method: "GET", url: `/api/v1/competences/dashboard?${query}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as CompetencesDashboard;
  };

  it("gives the académie's headline figures, computed by hand, with the target of troisième", async () => {
    const d = await get(`territory=academy:04&period=${PERIOD}&level=troisieme`);
    const byKey = new Map(d.headlines.map((h) => [h.key, h]));
    expect(byKey.get("participants")?.cell.value).toBeCloseTo(80); // 16 / 20
    expect(byKey.get("certifiable")?.cell.value).toBeCloseTo(50); // 8 / 16
    expect(byKey.get("meanScore")?.cell.value).toBeCloseTo(120);
    expect(byKey.get("meanScore")?.target).toBe(128);
    expect(byKey.get("certification")?.cell.value).toBeCloseTo(90); // 9 / 10
    // Evolution: five school years, the current one last; the years before have no value.
    const series = byKey.get("meanScore")?.series ?? [];
    expect(series.map((c) => c.period)).toEqual(["2028-2029", "2029-2030", "2030-2031", "2031-2032", PERIOD]);
    expect(series.slice(0, 4).every((c) => c.value === null)).toBe(true);
  });

  it("draws the heat map competence × département, hiding a département of one school", async () => {
    const d = await get(`territory=academy:04&period=${PERIOD}&level=troisieme`);
    const target = d.heatMaps.find((m) => m.metric === "targetRate");
    expect(target?.indicator).toBe("pix_competence_target_rate_troisieme");
    expect(target?.targetLevel).toBe(1);
    expect(target?.rows).toHaveLength(16);
    const c11 = target?.rows.find((r) => r.competence === "1.1");
    expect(c11?.territory.value).toBeCloseTo(75); // 12 / 16
    const loneColumn = target?.columns.findIndex((n) => n.code === lone.department_code) ?? -1;
    expect(loneColumn).toBeGreaterThanOrEqual(0);
    const loneCell = c11?.cells[loneColumn];
    expect(loneCell?.status).toBe("suppressed-frequency");
    expect(loneCell?.value).toBeNull();
    const mean = d.heatMaps.find((m) => m.metric === "meanLevel")?.rows.find((r) => r.competence === "1.1");
    expect(mean?.territory.value).toBeCloseTo(1); // 16 levels for 16 profiles
  });

  it("exports the same figures as CSV and XLSX, the hidden cell without its figures", async () => {
    const csv = await t.app.inject({
      method: "GET",
      url: `/api/v1/competences/dashboard.csv?territory=academy:04&period=${PERIOD}&level=troisieme`,
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers["content-disposition"]).toContain(`competences-academy-04-${PERIOD}.csv`);
    const lines = csv.body.replace(/^\uFEFF/, "").split("\r\n");
    expect(lines[0]).toBe(
      "tableau;indicateur;competence;territoire_niveau;territoire_code;territoire_nom;periode;ventilation;valeur;numerateur;denominateur;cible;statut",
    );
    const hidden = lines.find(
      (l) =>
        l.includes("pix_competence_target_rate_troisieme;1.1;department;") &&
        l.includes(`;${lone.department_code};`),
    );
    expect(hidden?.split(";").slice(8, 11)).toEqual(["", "", ""]);
    const xlsx = await t.app.inject({
      method: "GET",
      url: `/api/v1/competences/dashboard.xlsx?territory=academy:04&period=${PERIOD}`,
    });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe("PK");
  });

  it("refuses an unknown level and an unknown territory in French", async () => {
    const bad = await t.app.inject({ method: "GET", url: "/api/v1/competences/dashboard?level=cm2" });
    expect(bad.statusCode).toBe(400);
    const missing = await t.app.inject({
      method: "GET",
      url: "/api/v1/competences/dashboard?territory=academy:99",
    });
    expect(missing.statusCode).toBe(404);
    expect((missing.json() as { message: string }).message).toMatch(/introuvable|inconnu/);
  });
});
