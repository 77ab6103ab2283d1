import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IndicatorDashboard, KeyIndicators } from "../../src/contracts/indicators.ts";
import { processPendingRollups } from "../../src/server/indicators/engine.ts";
import { typeGroupOf } from "../../src/server/indicators/groups.ts";
import { writeSchoolValues } from "../../src/server/indicators/store.ts";
import { forgetPeriods } from "../../src/server/indicators/values.ts";
import { loadDemo } from "../../src/server/territories/demo/load.ts";
import { testEngine } from "../helpers/db.ts";
import { type IdentityTestApp, makeUser, openIdentityTestApp, signIn } from "../helpers/identity.ts";
import { storeAggregate } from "../helpers/observatory.ts";

/**
 * The similar-IPS peers comparison through the API: a school against the schools of its type in
 * its académie within ±5 IPS points, a département against the départements within ±2.5 points
 * of its mean IPS; Σ numerators / Σ denominators over the peers, hidden under 5 schools.
 */

const PERIOD = "2030-2031";
const TERRITORY_PERIOD = "2031-2032";

interface SchoolRow {
  id: string;
  uai: string;
  academy_code: string;
  type: string;
  sector: string;
  priority_education: string | null;
}

describe(`similar-IPS peers on ${testEngine}`, () => {
  let t: IdentityTestApp;
  let self: SchoolRow;
  let lonely: SchoolRow;
  // IPS 100 (self), peers at 95, 98, 102, 104, 105; outside the band at 94.9 and 106; lonely at 140 with one peer at 137.
  const IPS = [100, 95, 98, 102, 104, 105, 94.9, 106, 140, 137];
  const COMPUTERS = [50, 10, 20, 30, 40, 50, 500, 500, 5, 5];
  const PUPILS = [100, 100, 100, 100, 100, 400, 100, 100, 50, 50];

  beforeAll(async () => {
    t = await openIdentityTestApp();
    await loadDemo(t.db, "tiny");
    const schools = (await t.db
      .selectFrom("school")
      .select(["id", "uai", "academy_code", "type", "sector", "priority_education"])
      .where("status", "=", "open")
      .orderBy("uai")
      .execute()) as SchoolRow[];
    // Ten open schools of one type group in one académie.
    const groups = new Map<string, SchoolRow[]>();
    for (const s of schools) {
      const key = `${s.academy_code}|${typeGroupOf({ type: s.type, sector: s.sector, priority: s.priority_education })}`;
      groups.set(key, [...(groups.get(key) ?? []), s]);
    }
    const chosen = [...groups.values()].find((list) => list.length >= IPS.length);
    expect(chosen, "tiny demo has ten schools of one type in one académie").toBeDefined();
    const ten = (chosen as SchoolRow[]).slice(0, IPS.length);
    self = ten[0] as SchoolRow;
    lonely = ten[8] as SchoolRow;
    await writeSchoolValues(
      t.db,
      ten.flatMap((s, i) => [
        {
          schoolId: s.id,
          academyCode: s.academy_code,
          dataElement: "ips",
          period: PERIOD,
          value: IPS[i] as number,
        },
        {
          schoolId: s.id,
          academyCode: s.academy_code,
          dataElement: "computers",
          period: PERIOD,
          value: COMPUTERS[i] as number,
        },
        {
          schoolId: s.id,
          academyCode: s.academy_code,
          dataElement: "pupils_enrolled",
          period: PERIOD,
          value: PUPILS[i] as number,
        },
      ]),
      { source: "api" },
    );
    await processPendingRollups(t.db);
    // Départements' mean IPS and values, stored as the roll-up would (40 schools each).
    const departments: [string, string, number, number][] = [
      ["35", "14", 100, 30],
      ["22", "14", 101, 10],
      ["29", "14", 102.5, 40],
      ["56", "14", 97.4, 90],
      ["33", "04", 110, 90],
    ];
    for (const [code, academyCode, ips, value] of departments) {
      const node = { level: "department", code, academyCode };
      await storeAggregate(t.db, "ips_mean", node, TERRITORY_PERIOD, ips);
      await storeAggregate(t.db, "computers_per_100_pupils", node, TERRITORY_PERIOD, value);
    }
    await storeAggregate(
      t.db,
      "ips_mean",
      { level: "nation", code: "FR", academyCode: "" },
      TERRITORY_PERIOD,
      103,
    );
    forgetPeriods(t.db);
    await makeUser(t.db, "admin@vigie.test", [["national-admin", "FR"]]);
  });
  afterAll(async () => t?.close());

  const get = async <T>(url: string, cookie?: string) => {
    const res = await t.app.inject({
      method: "GET",
      url,
      ...(cookie ? { headers: { cookie: `vigie_session=${cookie}` } } : {}),
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as T;
  };

  it("compares a school with the schools of its type in its académie within ±5 IPS points", async () => {
    const admin = await signIn(t.app, "admin@vigie.test");
    const body = await get<IndicatorDashboard>(
      `/api/v1/indicators/computers_per_100_pupils/dashboard?territory=school:${self.uai}&period=${PERIOD}`,
      admin.cookie,
    );
    // Peers 95, 98, 102, 104, 105: (10 + 20 + 30 + 40 + 50) / (100 + 100 + 100 + 100 + 400) × 100 = 18.75
    // (the mean of their rates would be 22.5).
    expect(body.comparisons.ipsPeers).toMatchObject({
      ips: 100,
      ipsPeriod: PERIOD,
      band: { min: 95, max: 105 },
      peers: 5,
      schools: 5,
      status: "published",
      reference: 18.75,
      // The school: 50 / 100 = 50 per 100 pupils, 31.25 more than its peers.
      difference: 31.25,
      verdict: "better",
    });
  });

  it("gives the public the peers' value but neither the school's IPS nor its own figure", async () => {
    const body = await get<IndicatorDashboard>(
      `/api/v1/indicators/computers_per_100_pupils/dashboard?territory=school:${self.uai}&period=${PERIOD}`,
    );
    expect(body.territory.value).toBeNull();
    expect(body.comparisons.ipsPeers).toMatchObject({
      ips: null,
      band: null,
      reference: 18.75,
      difference: null,
      verdict: null,
      peers: 5,
    });
  });

  it("shows no peers' value when fewer than 5 schools are within the band", async () => {
    const admin = await signIn(t.app, "admin@vigie.test");
    const body = await get<IndicatorDashboard>(
      `/api/v1/indicators/computers_per_100_pupils/dashboard?territory=school:${lonely.uai}&period=${PERIOD}`,
      admin.cookie,
    );
    expect(body.comparisons.ipsPeers).toMatchObject({
      ips: 140,
      peers: 1,
      reference: null,
      difference: null,
      status: "suppressed-frequency",
    });
  });

  it("puts the comparison on the school's key indicators", async () => {
    const admin = await signIn(t.app, "admin@vigie.test");
    const body = await get<KeyIndicators>(
      `/api/v1/schools/${self.uai}/indicators?period=${PERIOD}`,
      admin.cookie,
    );
    const computers = body.items.find((i) => i.indicator.code === "computers_per_100_pupils");
    expect(computers?.ipsPeers).toMatchObject({ reference: 18.75, peers: 5, status: "published" });
  });

  it("compares a département with the départements whose mean IPS is within ±2.5 points", async () => {
    const body = await get<IndicatorDashboard>(
      `/api/v1/indicators/computers_per_100_pupils/dashboard?territory=department:35&period=${TERRITORY_PERIOD}`,
    );
    // 35 (IPS 100): 22 (101) and 29 (102.5) are peers, 56 (97.4) and 33 (110) are not: (10 + 40) / 200 × 100.
    expect(body.comparisons.ipsPeers).toMatchObject({
      ips: 100,
      ipsPeriod: TERRITORY_PERIOD,
      band: { min: 97.5, max: 102.5 },
      peers: 2,
      schools: 80,
      status: "published",
      reference: 25,
      difference: 5,
      verdict: "better",
    });
  });

  it("has no IPS peers for the nation, nor for a territory without an IPS", async () => {
    const nation = await get<IndicatorDashboard>(
      `/api/v1/indicators/computers_per_100_pupils/dashboard?territory=nation:FR&period=${TERRITORY_PERIOD}`,
    );
    expect(nation.comparisons.ipsPeers).toBeNull();
    const other = await get<IndicatorDashboard>(
      `/api/v1/indicators/computers_per_100_pupils/dashboard?territory=department:44&period=${TERRITORY_PERIOD}`,
    );
    expect(other.comparisons.ipsPeers).toBeNull();
  });
});
