import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ValuesResponse } from "../../src/contracts/indicators.ts";
import { rollupFull } from "../../src/server/indicators/engine.ts";
import { loadDemo } from "../../src/server/territories/demo/load.ts";
import { testEngine } from "../helpers/db.ts";
import { type IdentityTestApp, makeUser, type SignedIn, signIn } from "../helpers/identity.ts";

/**
 * Issue 9, item 1: values are bounded and typed, sums and ratios stay finite, and one school
 * cannot blank a territory's cell. Reproduced first as they were found: two values of 1e308 for
 * `computers` made the public values, dashboard and key-indicators routes answer 500 (Infinity
 * could not be serialised); one school head writing the largest double turned the nation's,
 * académie's and département's cells into `suppressed-dominance`.
 */

const PERIOD = "2031-2032";
const INDICATOR = "computers_per_100_pupils";

interface School {
  id: string;
  uai: string;
  department_code: string;
}

describe(`bounded values on ${testEngine}`, () => {
  let t: IdentityTestApp;
  let schools: School[]; // open schools of académie 04 (Bordeaux)
  let admin: SignedIn;
  let head: SignedIn; // school head of schools[0]

  const values = (uai: string, computers: number, pupils = 200) => [
    { uai, dataElement: "computers", period: PERIOD, value: computers },
    { uai, dataElement: "pupils_enrolled", period: PERIOD, value: pupils },
  ];
  const post = (who: SignedIn, payload: object) =>
    who.request({ method: "POST", url: "/api/v1/data-values", payload: payload as Record<string, unknown> });
  const cells = async (territory: string) => {
    const res = await t.app.inject({
      method: "GET",
      url: `/api/v1/indicators/${INDICATOR}/values?territory=${territory}&period=${PERIOD}`,
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as ValuesResponse;
  };

  beforeAll(async () => {
    t = await openApp();
    await loadDemo(t.db, "tiny");
    schools = (await t.db
      .selectFrom("school")
      .select(["id", "uai", "department_code"])
      .where("status", "=", "open")
      .where("academy_code", "=", "04")
      .orderBy("uai")
      .execute()) as School[];
    expect(schools.length).toBeGreaterThan(100);
    const first = schools[0] as School;
    await makeUser(t.db, "admin@bounds.test", [["national-admin", "FR"]]);
    await makeUser(t.db, "head@bounds.test", [["school-head", first.uai]]);
    admin = await signIn(t.app, "admin@bounds.test");
    head = await signIn(t.app, "head@bounds.test");
    // Plausible values for every school of the académie: 20 to 59 computers for 200 pupils.
    const res = await post(admin, {
      values: schools.flatMap((s, i) => values(s.uai, 20 + (i % 40))),
    });
    expect(res.statusCode, res.body).toBe(200);
  });
  afterAll(async () => t?.close());

  async function openApp() {
    const { openIdentityTestApp } = await import("../helpers/identity.ts");
    return openIdentityTestApp();
  }

  it("refuses 1e308 for a count, naming the element, the bound and the line", async () => {
    const [a, b] = schools.slice(1, 3) as [School, School];
    const res = await post(admin, { values: [...values(a.uai, 1e308), ...values(b.uai, 1e308)] });
    expect(res.statusCode).toBe(400);
    const body = res.json() as { errors: { line: number; column: string; reason: string }[] };
    expect(body.errors).toEqual([
      { line: 1, column: "value", reason: "1e+308 dépasse le maximum de « computers » (1 000 000 000)" },
      { line: 3, column: "value", reason: "1e+308 dépasse le maximum de « computers » (1 000 000 000)" },
    ]);
  });

  it("refuses 12.5 for an integer element", async () => {
    const res = await post(admin, { values: [values((schools[1] as School).uai, 12.5)[0]] });
    expect(res.statusCode).toBe(400);
    expect(JSON.stringify(res.json())).toContain(
      "12,5 n'est pas un entier : « computers » se compte en unités",
    );
  });

  it("answers 200 with finite figures on every public route even if the base holds huge values", async () => {
    // A base written before the bounds: two schools at 1e308 sum to Infinity.
    const [a, b] = schools.slice(1, 3) as [School, School];
    for (const s of [a, b])
      await t.db
        .updateTable("data_value")
        .set({ value: 1e308 })
        .where("school_id", "=", s.id)
        .where("data_element_code", "=", "computers")
        .where("period", "=", PERIOD)
        .execute();
    await rollupFull(t.db);
    for (const territory of [
      "nation:FR",
      "FR",
      "academicRegion:75",
      "academy:04",
      `department:${a.department_code}`,
    ]) {
      const body = await cells(territory);
      for (const c of [body.territory, ...(body.children ?? [])]) {
        for (const x of [c.value, c.numerator, c.denominator])
          expect(x === null || Number.isFinite(x)).toBe(true);
      }
    }
    for (const url of [
      `/api/v1/indicators/${INDICATOR}/dashboard?territory=academy:04&period=${PERIOD}`,
      "/api/v1/territories/academy/04/indicators",
      "/api/v1/territories/nation/FR/indicators",
      `/api/v1/schools/${a.uai}/indicators`,
    ]) {
      const res = await t.app.inject({ method: "GET", url });
      expect(res.statusCode, `${url}: ${res.body.slice(0, 300)}`).toBe(200);
    }
    // Back to plausible values for the next tests.
    const res = await post(admin, { values: [...values(a.uai, 30), ...values(b.uai, 31)] });
    expect(res.statusCode, res.body).toBe(200);
  });

  it("refuses the largest double from a school head, and the nation's cell stays published", async () => {
    const own = schools[0] as School;
    const res = await post(head, { values: [values(own.uai, 1.7976931348623157e308)[0]] });
    expect(res.statusCode).toBe(400);
    expect(JSON.stringify(res.json())).toContain("dépasse le maximum de « computers »");
    for (const territory of ["nation:FR", "academy:04", `department:${own.department_code}`]) {
      expect((await cells(territory)).territory.status, territory).toBe("published");
    }
  });

  it("holds a value within the bounds but far beyond its peers: the cells above the school stay published", async () => {
    const own = schools[0] as School;
    const res = await post(head, { values: [values(own.uai, 1e9)[0]] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ written: 1, held: 1 });
    for (const territory of [
      "nation:FR",
      "academicRegion:75",
      "academy:04",
      `department:${own.department_code}`,
    ]) {
      expect((await cells(territory)).territory.status, territory).toBe("published");
    }
    // Out of the figures: the académie's numerator is the other schools' computers only.
    expect((await cells("academy:04")).territory.numerator).toBeLessThan(100_000);
    const row = await heldRow(own);
    expect(row).toMatchObject({ status: "held", value: 1e9 });
    // Ten times the 9th decile of the académie's values (20 to 59 computers, and the held one).
    expect(row?.held_limit).toBe(560);
  });

  it("shows the held value to the users above the school in scope, and to no one else", async () => {
    const own = schools[0] as School;
    const list = async (who: SignedIn | null) => {
      const options = { method: "GET" as const, url: "/api/v1/data-values/held" };
      return who ? who.request(options) : t.app.inject(options);
    };
    expect((await list(null)).statusCode).toBe(401);
    expect((await list(head)).statusCode).toBe(403);
    for (const [email, role, territory] of [
      ["dane04@bounds.test", "academy-steering", "04"],
      ["dane13@bounds.test", "academy-steering", "13"],
      ["dasen@bounds.test", "department", own.department_code],
      ["referent@bounds.test", "school-referent", own.uai],
    ] as const)
      await makeUser(t.db, email, [[role, territory]]);
    const dane04 = await signIn(t.app, "dane04@bounds.test");
    const dane13 = await signIn(t.app, "dane13@bounds.test");
    const dasen = await signIn(t.app, "dasen@bounds.test");
    const referent = await signIn(t.app, "referent@bounds.test");
    expect((await list(referent)).statusCode).toBe(403);
    for (const who of [dane04, dasen, admin]) {
      const res = await list(who);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({
        total: 1,
        items: [
          { uai: own.uai, dataElement: "computers", period: PERIOD, value: 1e9, limit: 560, source: "api" },
        ],
      });
    }
    const outside = await list(dane13);
    expect(outside.statusCode).toBe(200);
    expect(outside.json()).toEqual({ items: [], total: 0 });

    const decide = (who: SignedIn | null, decision: string) => {
      const options = {
        method: "POST" as const,
        url: "/api/v1/data-values/held/decisions",
        payload: { uai: own.uai, dataElement: "computers", period: PERIOD, decision },
      };
      return who ? who.request(options) : t.app.inject(options);
    };
    expect((await decide(null, "reject")).statusCode).toBe(401);
    expect((await decide(head, "accept")).statusCode).toBe(403);
    expect((await decide(referent, "accept")).statusCode).toBe(403);
    expect((await decide(dane13, "accept")).statusCode).toBe(403);
    expect(await heldRow(own)).toMatchObject({ status: "held" });

    // Rejected: the value is gone, the decision audited; a second decision finds nothing (404).
    const rejected = await decide(dane04, "reject");
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect(await heldRow(own)).toBeUndefined();
    expect((await decide(dane04, "reject")).statusCode).toBe(404);

    // Written again and accepted: published, in the figures, with who accepted it.
    expect((await post(head, { values: [values(own.uai, 1e9)[0]] })).json()).toMatchObject({ held: 1 });
    const accepted = await decide(dasen, "accept");
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(await heldRow(own)).toMatchObject({ status: "published", reviewed_by: "dasen@bounds.test" });
    // Accepted by a reviewer, the value counts, and dominance applies as designed.
    expect((await cells("academy:04")).territory.status).toBe("suppressed-dominance");
    const stored = await t.db
      .selectFrom("indicator_aggregate")
      .select("numerator")
      .where("indicator_code", "=", INDICATOR)
      .where("period", "=", PERIOD)
      .where("node_level", "=", "academy")
      .where("node_code", "=", "04")
      .where("grp", "=", "")
      .where("disaggregation", "=", "")
      .executeTakeFirstOrThrow();
    expect(stored.numerator).toBeGreaterThan(1e9);
    // Accepted and unchanged: writing the same value again does not hold it again.
    expect((await post(head, { values: [values(own.uai, 1e9)[0]] })).json()).toMatchObject({ held: 0 });
    const events = await t.db
      .selectFrom("audit_event")
      .select(["action", "actor_label"])
      .where("action", "like", "data_values.held.%")
      .orderBy("id")
      .execute();
    expect(events).toEqual([
      { action: "data_values.held.reject", actor_label: "dane04@bounds.test" },
      { action: "data_values.held.accept", actor_label: "dasen@bounds.test" },
    ]);
    // Back to a plausible value.
    expect((await post(head, { values: [values(own.uai, 25)[0]] })).statusCode).toBe(200);
  });

  const heldRow = (s: School) =>
    t.db
      .selectFrom("data_value")
      .select(["status", "value", "held_limit", "reviewed_by"])
      .where("school_id", "=", s.id)
      .where("data_element_code", "=", "computers")
      .where("period", "=", PERIOD)
      .executeTakeFirst();
});

describe(`demo values on ${testEngine}`, () => {
  it("keeps every demo value to its element's type and bounds", async () => {
    const { openTestDatabase } = await import("../helpers/db.ts");
    const { loadDemoValues } = await import("../../src/server/indicators/demo-values.ts");
    const { getCatalogue } = await import("../../src/server/indicators/catalogue.ts");
    const { checkValue, valueRule } = await import("../../src/server/indicators/domain/bounds.ts");
    const handle = await openTestDatabase();
    try {
      await loadDemo(handle.db, "tiny");
      const inserted = await loadDemoValues(handle.db, { schoolYears: ["2024-2025"] });
      expect(inserted).toBeGreaterThan(1000);
      const catalogue = await getCatalogue();
      const rows = await handle.db.selectFrom("data_value").select(["data_element_code", "value"]).execute();
      expect(rows.length).toBe(inserted);
      const bad = rows.filter((r) => {
        const element = catalogue.elements.get(r.data_element_code);
        return !element || !checkValue(r.data_element_code, valueRule(element), r.value).ok;
      });
      expect(bad).toEqual([]);
    } finally {
      await handle.close();
    }
  });
});
