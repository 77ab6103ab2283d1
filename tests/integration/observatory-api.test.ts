import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IndicatorDashboard, KeyIndicators, ValuesResponse } from "../../src/contracts/indicators.ts";
import { processPendingRollups, rollupFull } from "../../src/server/indicators/engine.ts";
import { importValues } from "../../src/server/indicators/import-values.ts";
import { requestFullRefresh, writeSchoolValues } from "../../src/server/indicators/store.ts";
import { readRawSeries } from "../../src/server/indicators/values.ts";
import { loadDemo } from "../../src/server/territories/demo/load.ts";
import { testEngine } from "../helpers/db.ts";
import { type IdentityTestApp, makeUser, openIdentityTestApp, signIn } from "../helpers/identity.ts";

/**
 * The observatory end to end on a real database: values written, rolled up incrementally,
 * read through the API by the public and by users in and out of scope. Figures are computed by
 * hand here (Σ numerators / Σ denominators, never a mean of school rates).
 */

const PERIOD = "2030-2031";

interface SchoolRow {
  id: string;
  uai: string;
  academy_code: string;
  department_code: string;
  sector: string;
  district: string;
}

describe(`observatory on ${testEngine}`, () => {
  let t: IdentityTestApp;
  let big: SchoolRow[]; // 6 schools of a district, with values
  let small: SchoolRow[]; // 2 schools of another district of the same département
  let department: string;
  let academy: string;

  beforeAll(async () => {
    t = await openIdentityTestApp();
    await loadDemo(t.db, "tiny");
    const schools = (await t.db
      .selectFrom("school")
      .select([
        "id",
        "uai",
        "academy_code",
        "department_code",
        "sector",
        "circonscription_code",
        "bassin_code",
      ])
      .where("status", "=", "open")
      .orderBy("uai")
      .execute()) as (SchoolRow & { circonscription_code: string | null; bassin_code: string | null })[];
    const byDistrict = new Map<string, SchoolRow[]>();
    for (const s of schools) {
      const district = s.circonscription_code ?? s.bassin_code;
      if (!district) continue;
      byDistrict.set(district, [...(byDistrict.get(district) ?? []), { ...s, district }]);
    }
    // A département with one district of ≥ 6 schools and another of ≥ 2.
    for (const [, list] of byDistrict) {
      if (list.length < 6) continue;
      const first = list[0] as SchoolRow;
      const other = [...byDistrict.values()].find(
        (l) => l !== list && (l[0] as SchoolRow).department_code === first.department_code && l.length >= 2,
      );
      if (!other) continue;
      big = list.slice(0, 6);
      small = other.slice(0, 2);
      department = first.department_code;
      academy = first.academy_code;
      break;
    }
    expect(big, "tiny demo has a suitable département").toBeDefined();
    const computers = [1, 9, 0, 30, 10, 50];
    const pupils = [10, 10, 80, 100, 200, 100];
    await writeSchoolValues(
      t.db,
      [
        ...big.flatMap((s, i) => [
          {
            schoolId: s.id,
            academyCode: s.academy_code,
            dataElement: "computers",
            period: PERIOD,
            value: computers[i] as number,
          },
          {
            schoolId: s.id,
            academyCode: s.academy_code,
            dataElement: "pupils_enrolled",
            period: PERIOD,
            value: pupils[i] as number,
          },
        ]),
        ...small.flatMap((s) => [
          { schoolId: s.id, academyCode: s.academy_code, dataElement: "computers", period: PERIOD, value: 7 },
          {
            schoolId: s.id,
            academyCode: s.academy_code,
            dataElement: "pupils_enrolled",
            period: PERIOD,
            value: 70,
          },
        ]),
        // Monthly usage of one school: the school year is the sum of its months.
        ...["2030-09", "2030-10", "2030-11", "2030-12"].map((month, i) => ({
          schoolId: (big[0] as SchoolRow).id,
          academyCode: (big[0] as SchoolRow).academy_code,
          dataElement: "ent_connections",
          period: month,
          value: (i + 1) * 10,
        })),
      ],
      { source: "api" },
    );
    const report = await processPendingRollups(t.db);
    expect(report?.rows).toBeGreaterThan(0);
    await makeUser(t.db, "admin@vigie.test", [["national-admin", "FR"]]);
  });
  afterAll(async () => t?.close());

  const get = async <T>(url: string, cookie?: string) => {
    const res = await t.app.inject({
      method: "GET",
      url,
      ...(cookie ? { headers: { cookie: `vigie_session=${cookie}` } } : {}),
    });
    return { status: res.statusCode, body: res.json() as T, raw: res };
  };

  it("rolls up Σ numerators / Σ denominators, never the mean of school rates", async () => {
    // Read by a national administrator: the district cell is hidden from the public (see below).
    const admin = await signIn(t.app, "admin@vigie.test");
    const { status, body } = await get<ValuesResponse>(
      `/api/v1/indicators/computers_per_100_pupils/values?territory=district:${big[0]?.district}&period=${PERIOD}`,
      admin.cookie,
    );
    expect(status).toBe(200);
    // (1+9+0+30+10+50) / (10+10+80+100+200+100) × 100 = 100 / 500 × 100 = 20 (mean of rates: 30.8)
    expect(body.territory.value).toBeCloseTo(20, 10);
    expect(body.territory.numerator).toBe(100);
    expect(body.territory.denominator).toBe(500);
    expect(body.territory.schoolsReporting).toBe(6);
    const expected = await t.db
      .selectFrom("school")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("status", "=", "open")
      .where((eb) =>
        eb.or([
          eb("circonscription_code", "=", big[0]?.district as string),
          eb.and([
            eb("circonscription_code", "is", null),
            eb("bassin_code", "=", big[0]?.district as string),
          ]),
        ]),
      )
      .executeTakeFirstOrThrow();
    expect(body.territory.schoolsExpected).toBe(Number(expected.n));
    expect(body.territory.coverage).toBeCloseTo(6 / Number(expected.n), 10);
  });

  it("sums the département, the académie and the nation from the same schools", async () => {
    for (const territory of [`department:${department}`, `academy:${academy}`, "nation:FR"]) {
      const { body } = await get<ValuesResponse>(
        `/api/v1/indicators/computers_per_100_pupils/values?territory=${territory}&period=${PERIOD}`,
      );
      // 100 + 2 × 7 computers for 500 + 2 × 70 pupils
      expect(body.territory.numerator, territory).toBe(114);
      expect(body.territory.denominator, territory).toBe(640);
      expect(body.territory.schoolsReporting, territory).toBe(8);
    }
  });

  it("aggregates months into the school year with the element's time aggregation (sum)", async () => {
    const series = await readRawSeries(t.db, "ent_connections_count", { level: "academy", code: academy });
    const year = series.find((p) => p.period === PERIOD);
    expect(year?.value).toBe(100); // 10 + 20 + 30 + 40
    expect(series.find((p) => p.period === "2030-11")?.value).toBe(30);
  });

  it("hides a cell of fewer than 5 schools from the public, with secondary suppression", async () => {
    const { body } = await get<ValuesResponse>(
      `/api/v1/indicators/computers_per_100_pupils/values?territory=department:${department}&period=${PERIOD}&children=true`,
    );
    const smallCell = body.children?.find((c) => c.node.code === small[0]?.district);
    expect(smallCell?.status).toBe("suppressed-frequency");
    expect(smallCell?.value).toBeNull();
    expect(smallCell?.statusLabel).toContain("secret statistique");
    // département = Σ districts (+ schools without district): one hidden cell alone would be
    // recomputed by subtraction, so another non-empty cell of the equation is hidden too.
    const hidden = [body.territory, ...(body.children ?? [])].filter(
      (c) => c.status !== "published" && (c.schoolsExpected ?? 0) > 0,
    );
    const restRows = await t.db
      .selectFrom("school")
      .select("id")
      .where("department_code", "=", department)
      .where("circonscription_code", "is", null)
      .where("bassin_code", "is", null)
      .execute();
    if (restRows.length === 0) expect(hidden.length).toBeGreaterThanOrEqual(2);
    const bigCell = body.children?.find((c) => c.node.code === big[0]?.district);
    if (restRows.length === 0) expect(bigCell?.status).toBe("suppressed-secondary");
  });

  it("shows unpublished figures to staff in scope only, flagged restricted", async () => {
    await makeUser(t.db, "dane@vigie.test", [["academy-steering", academy]]);
    const other = academy === "04" ? "13" : "04";
    await makeUser(t.db, "ailleurs@vigie.test", [["academy-steering", other]]);
    const url = `/api/v1/indicators/computers_per_100_pupils/values?territory=district:${small[0]?.district}&period=${PERIOD}`;
    const inScope = await signIn(t.app, "dane@vigie.test");
    const mine = await get<ValuesResponse>(url, inScope.cookie);
    expect(mine.body.territory.value).toBeCloseTo(10, 10); // 14 / 140 × 100
    expect(mine.body.territory.restricted).toBe(true);
    const outScope = await signIn(t.app, "ailleurs@vigie.test");
    const theirs = await get<ValuesResponse>(url, outScope.cookie);
    expect(theirs.body.territory.value).toBeNull();
    expect(theirs.body.territory.restricted).toBe(false);
  });

  it("lets a school's own head see its raw values, and no one else's", async () => {
    const school = small[0] as SchoolRow;
    await makeUser(t.db, "principal@vigie.test", [["school-head", school.uai]]);
    const head = await signIn(t.app, "principal@vigie.test");
    const own = await get<KeyIndicators>(
      `/api/v1/schools/${school.uai}/indicators?period=${PERIOD}`,
      head.cookie,
    );
    const computers = own.body.items.find((i) => i.indicator.code === "computers_per_100_pupils");
    expect(computers?.cell.value).toBeCloseTo(10, 10);
    expect(computers?.cell.restricted).toBe(true);
    const publicView = await get<KeyIndicators>(`/api/v1/schools/${school.uai}/indicators?period=${PERIOD}`);
    const publicItem = publicView.body.items.find((i) => i.indicator.code === "computers_per_100_pupils");
    expect(publicItem?.cell.value).toBeNull();
    // The same-type peers of the académie (a group cell of a few schools): hidden from the public
    // when suppressed, shown to the académie's staff.
    expect(publicItem?.parent?.node.level).toBe("academy");
    expect(publicItem?.parent?.group).toMatch(/^type=/);
    const dane = await signIn(t.app, "dane@vigie.test");
    const staffView = await get<KeyIndicators>(
      `/api/v1/schools/${school.uai}/indicators?period=${PERIOD}`,
      dane.cookie,
    );
    const staffParent = staffView.body.items.find(
      (i) => i.indicator.code === "computers_per_100_pupils",
    )?.parent;
    expect(staffParent?.value).not.toBeNull();
    expect(publicItem?.parent?.value === null).toBe(staffParent?.status !== "published");
    const neighbour = await get<KeyIndicators>(
      `/api/v1/schools/${big[0]?.uai}/indicators?period=${PERIOD}`,
      head.cookie,
    );
    expect(
      neighbour.body.items.find((i) => i.indicator.code === "computers_per_100_pupils")?.cell.value,
    ).toBeNull();
  });

  it("gives the dashboard: ancestors, nation, series, children, comparisons", async () => {
    const { status, body } = await get<IndicatorDashboard>(
      `/api/v1/indicators/computers_per_100_pupils/dashboard?territory=academy:${academy}&period=${PERIOD}`,
    );
    expect(status).toBe(200);
    expect(body.ancestors.map((a) => a.node.level)).toEqual(["academicRegion", "nation"]);
    expect(body.nation.numerator).toBe(114);
    expect(body.children.length).toBeGreaterThan(0);
    expect(body.series.map((s) => s.period)).toContain(PERIOD);
    expect(body.comparisons.nation?.difference).toBeCloseTo(0, 10);
    expect(body.groups.map((g) => g.key)).toContain("sector=public");
  });

  it("gives deciles of school values and the share above the nation to staff in scope only", async () => {
    const url = `/api/v1/indicators/computers_per_100_pupils/dashboard?territory=department:${department}&period=${PERIOD}`;
    const admin = await signIn(t.app, "admin@vigie.test");
    const staff = await get<IndicatorDashboard>(url, admin.cookie);
    // School rates of the 8 schools: 10, 90, 0, 30, 5, 50 (big district), 10, 10 (small one).
    expect(staff.body.deciles).toHaveLength(9);
    expect(staff.body.deciles?.[0]).toBeGreaterThanOrEqual(0);
    expect(staff.body.deciles?.[8]).toBeLessThanOrEqual(90);
    // The nation is 114 / 640 = 17.8 %: 3 schools above (90, 30, 50).
    expect(staff.body.schoolsAboveNational).toEqual({ share: 3 / 8, count: 3, of: 8 });
    const publicView = await get<IndicatorDashboard>(url);
    expect(publicView.body.deciles).toBeNull();
    expect(publicView.body.schoolsAboveNational).toBeNull();
  });

  it("leads a territory's dashboard with its published roadmap's indicators", async () => {
    const admin = await signIn(t.app, "admin@vigie.test");
    await writeSchoolValues(
      t.db,
      big.map((s) => ({
        schoolId: s.id,
        academyCode: s.academy_code,
        dataElement: "school_e_devoirs_faits",
        period: PERIOD,
        value: 1,
      })),
      { source: "api" },
    );
    await processPendingRollups(t.db);
    const before = await get<KeyIndicators>(`/api/v1/territories/department/${department}/indicators`);
    expect(before.body.roadmap).toBeNull();
    expect(before.body.items.length).toBeGreaterThan(0);
    const created = await admin.request({
      method: "POST",
      url: "/api/v1/roadmaps",
      payload: { territory: `academy:${academy}`, templateId: "lille-2022-2025" },
    });
    expect(created.statusCode).toBe(201);
    const id = (created.json() as { id: string }).id;
    expect((await admin.request({ method: "POST", url: `/api/v1/roadmaps/${id}/publish` })).statusCode).toBe(
      200,
    );
    // A département shows the roadmap of its académie (its nearest ancestor with one).
    const after = await get<KeyIndicators>(`/api/v1/territories/department/${department}/indicators`);
    expect(after.body.roadmap?.id).toBe(id);
    const codes = after.body.items.map((i) => i.indicator.code);
    expect(codes).toEqual(["e_devoirs_faits_schools_count"]); // the only one of Lille's with values here
    expect(codes).not.toContain("computers_per_100_pupils"); // a headline the roadmap does not follow
    // The indicator page shows the objectives of the published roadmaps for the territory.
    const na = await admin.request({
      method: "POST",
      url: "/api/v1/roadmaps",
      payload: { territory: "academicRegion:75", templateId: "nouvelle-aquitaine-drane-2021" },
    });
    const naId = (na.json() as { id: string }).id;
    await admin.request({ method: "POST", url: `/api/v1/roadmaps/${naId}/publish` });
    const page = await get<IndicatorDashboard>(
      `/api/v1/indicators/ent_activation_rate/dashboard?territory=academicRegion:75&period=${PERIOD}`,
    );
    // « 50 % des écoles publiques avec l'ENT activé » en 2021 et 2022 (seed 002).
    expect(page.body.objectives.map((o) => o.evaluation.targetYear).sort()).toEqual([2021, 2022]);
    expect(page.body.objectives[0]?.roadmap.id).toBe(naId);
    expect(["reached", "on_track", "late", "no_data"]).toContain(page.body.objectives[0]?.evaluation.status);
  });

  it("exports CSV (BOM, ;) and XLSX, described by a Table Schema", async () => {
    const csv = await t.app.inject({
      method: "GET",
      url: `/api/v1/indicators/computers_per_100_pupils/values.csv?territory=department:${department}&period=${PERIOD}`,
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.body.startsWith("\uFEFFindicator_code;period;group;")).toBe(true);
    const lines = csv.body.trim().split("\r\n");
    expect(lines[1]).toContain(";17.8125;114;640;"); // 114 / 640 × 100
    const xlsx = await t.app.inject({
      method: "GET",
      url: `/api/v1/indicators/computers_per_100_pupils/values.xlsx?territory=department:${department}&period=${PERIOD}`,
    });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe("PK");
    const schema = await get<{ fields: { name: string }[]; dialect: { delimiter: string } }>(
      "/api/v1/indicators/computers_per_100_pupils/values.schema.json",
    );
    expect(schema.body.fields.map((f) => f.name)).toEqual(lines[0]?.replace("\uFEFF", "").split(";"));
    expect(schema.body.dialect.delimiter).toBe(";");
  });

  it("answers 404 and 400 in French for unknown indicators, territories and groups", async () => {
    const a = await get<{ message: string }>("/api/v1/indicators/nope/values");
    expect(a.status).toBe(404);
    expect(a.body.message).toContain("Indicateur inconnu");
    const b = await get<{ message: string }>(
      "/api/v1/indicators/computers_per_100_pupils/values?territory=academy:99",
    );
    expect(b.status).toBe(404);
    expect(b.body.message).toBe("territory : Territoire « academy:99 » inconnu : pas d'académie de code 99");
    const c = await get<{ message: string }>(
      "/api/v1/indicators/computers_per_100_pupils/values?territory=bad",
    );
    expect(c.status).toBe(400);
    expect(c.body.message).toContain("niveau:code");
    const d = await get<{ message: string }>(
      "/api/v1/indicators/computers_per_100_pupils/values?group=sector=nope",
    );
    expect(d.status).toBe(400);
  });

  it("refuses API writes with a bad line, naming it, and stores nothing", async () => {
    const admin = await signIn(t.app, "admin@vigie.test");
    const before = await t.db
      .selectFrom("data_value")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .executeTakeFirstOrThrow();
    const res = await admin.request({
      method: "POST",
      url: "/api/v1/data-values",
      payload: {
        values: [
          { uai: big[0]?.uai, dataElement: "computers", period: PERIOD, value: 3 },
          { uai: big[1]?.uai, dataElement: "computers", period: "2030-13", value: 3 },
        ],
      },
    });
    expect(res.statusCode).toBe(400);
    const body = res.json() as { errors: { line: number; column: string; reason: string }[] };
    expect(body.errors[0]).toMatchObject({ line: 2, column: "period" });
    expect(body.errors[0]?.reason).toContain("mois");
    const after = await t.db
      .selectFrom("data_value")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it("refuses a school head writing for another school (403), nothing stored", async () => {
    const head = await signIn(t.app, "principal@vigie.test");
    const res = await head.request({
      method: "POST",
      url: "/api/v1/data-values",
      payload: { values: [{ uai: big[0]?.uai, dataElement: "computers", period: PERIOD, value: 999 }] },
    });
    expect(res.statusCode).toBe(403);
    const stored = await t.db
      .selectFrom("data_value")
      .select("value")
      .where("school_id", "=", big[0]?.id as string)
      .where("data_element_code", "=", "computers")
      .where("period", "=", PERIOD)
      .executeTakeFirstOrThrow();
    expect(stored.value).toBe(1);
  });

  it("refreshes the aggregates right after an API write (incremental)", async () => {
    const admin = await signIn(t.app, "admin@vigie.test");
    const res = await admin.request({
      method: "POST",
      url: "/api/v1/data-values",
      payload: { values: [{ uai: big[2]?.uai, dataElement: "computers", period: PERIOD, value: 40 }] },
    });
    expect(res.statusCode).toBe(200);
    const { body } = await get<ValuesResponse>(
      `/api/v1/indicators/computers_per_100_pupils/values?territory=nation:FR&period=${PERIOD}`,
    );
    expect(body.territory.numerator).toBe(154); // 114 − 0 + 40
  });

  it("reads the nation as nation:FR or FR, one node answered as nation:FR", async () => {
    const url = (territory: string) =>
      `/api/v1/indicators/computers_per_100_pupils/values?territory=${territory}&period=${PERIOD}`;
    const long = await get<ValuesResponse>(url("nation:FR"));
    const short = await get<ValuesResponse>(url("FR"));
    expect(short.status).toBe(200);
    expect(short.body).toEqual(long.body);
    expect(short.body.territory.node).toEqual({ level: "nation", code: "FR", name: "France" });
  });

  it("imports a values file: dry run, line errors, commit, idempotent re-import", async () => {
    const s = big[3] as SchoolRow;
    const file = Buffer.from(
      [
        "uai;element;periode;ventilation;valeur",
        `${s.uai};interactive_boards;${PERIOD};;4`,
        `${s.uai};interactive_boards;2031-2033;;4`,
        `${s.uai};nope;${PERIOD};;4`,
        // A count with a space as thousands separator; 12,5 is not a count (issue 9).
        `${s.uai};computers;${PERIOD};;1 012`,
        `${s.uai};ent_connections;2030-09;profile=alien;3`,
        `0000000A;computers;${PERIOD};;1`,
        `${s.uai};computers;${PERIOD};;NA`,
        `${(big[4] as SchoolRow).uai};computers;${PERIOD};;12,5`,
      ].join("\r\n"),
      "latin1",
    );
    const dry = await importValues(t.db, file, { commit: false, fileName: "valeurs.csv" });
    expect(dry.committed).toBe(false);
    expect(dry.accepted).toBe(2);
    expect(dry.missing).toBe(1);
    expect(dry.rejected.map((r) => [r.line, r.column])).toEqual([
      [3, "periode"],
      [4, "element"],
      [6, "ventilation"],
      [7, "uai"],
      [9, "valeur"],
    ]);
    expect(dry.rejected[4]?.reason).toBe(
      "« 12,5 » n'est pas un entier : « computers » se compte en unités (le séparateur des milliers est une espace : 1 234)",
    );
    const first = await importValues(t.db, file, { commit: true, fileName: "valeurs.csv" });
    expect(first.written).toBe(2);
    await processPendingRollups(t.db);
    const pendingBefore = await t.db.selectFrom("rollup_request").select("id").execute();
    const again = await importValues(t.db, file, { commit: true, fileName: "valeurs.csv" });
    expect(again.written).toBe(0);
    expect(again.unchanged).toBe(2);
    const pendingAfter = await t.db.selectFrom("rollup_request").select("id").execute();
    expect(pendingAfter.length).toBe(pendingBefore.length); // nothing to refresh
    const stored = await t.db
      .selectFrom("data_value")
      .select(["value", "source", "import_batch_id"])
      .where("school_id", "=", s.id)
      .where("data_element_code", "=", "computers")
      .where("period", "=", PERIOD)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ value: 1012, source: "import", import_batch_id: first.batchId });
  });

  it("gives the same aggregates incrementally as with a full rebuild", async () => {
    await processPendingRollups(t.db);
    const snapshot = async () =>
      (
        await t.db
          .selectFrom("indicator_aggregate")
          .select([
            "indicator_code",
            "period",
            "node_level",
            "node_code",
            "grp",
            "disaggregation",
            "numerator",
            "denominator",
            "value",
            "schools_reporting",
            "schools_expected",
            "status",
          ])
          .execute()
      )
        .map((r) => JSON.stringify(r))
        .sort();
    const incremental = await snapshot();
    await rollupFull(t.db);
    const full = await snapshot();
    expect(full.length).toBe(incremental.length);
    expect(full).toEqual(incremental);
    // What an Annuaire import asks for: everything, again the same figures.
    await requestFullRefresh(t.db);
    const report = await processPendingRollups(t.db);
    expect(report?.academies).toBe(30);
    expect(await snapshot()).toEqual(full);
  });
});
