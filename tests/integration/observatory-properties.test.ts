import fc from "fast-check";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { processPendingRollups, rollupFull } from "../../src/server/indicators/engine.ts";
import { importValues } from "../../src/server/indicators/import-values.ts";
import { writeSchoolValues } from "../../src/server/indicators/store.ts";
import type { DatabaseHandle } from "../../src/server/platform/db.ts";
import { loadDemo } from "../../src/server/territories/demo/load.ts";
import { openTestDatabase, testEngine } from "../helpers/db.ts";

/**
 * Properties of the stored roll-up on random data (fast-check), on both engines:
 * 1. every territory's Σ numerator, Σ denominator and schools reporting equal the plain SQL sums
 *    over its schools, and its value is Σ/Σ × factor — whatever the values and who reports;
 * 2. no stored table lets a suppressed cell be recomputed by one subtraction: in every equation
 *    node = Σ children (+ schools without district), a suppressed non-empty cell never stands alone.
 */

interface School {
  id: string;
  academy_code: string;
  department_code: string;
  academic_region_code: string;
}

describe(`observatory roll-up properties on ${testEngine}`, () => {
  let handle: DatabaseHandle;
  let schools: School[];

  beforeAll(async () => {
    handle = await openTestDatabase();
    await loadDemo(handle.db, "tiny");
    schools = await handle.db
      .selectFrom("school")
      .select(["id", "academy_code", "department_code", "academic_region_code"])
      .where("status", "=", "open")
      .orderBy("id")
      .execute();
  });
  afterAll(async () => handle?.close());

  it("stores Σ numerator / Σ denominator at every level, for any values", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            school: fc.nat({ max: 10_000 }),
            computers: fc.integer({ min: 0, max: 500 }),
            pupils: fc.integer({ min: 0, max: 2_000 }),
            withPupils: fc.boolean(),
          }),
          { minLength: 1, maxLength: 60 },
        ),
        async (entries) => {
          run++;
          const period = `${2040 + run}-${2041 + run}`;
          const seen = new Set<string>();
          const values = entries.flatMap((e) => {
            const s = schools[e.school % schools.length] as School;
            if (seen.has(s.id)) return [];
            seen.add(s.id);
            return [
              {
                schoolId: s.id,
                academyCode: s.academy_code,
                dataElement: "computers",
                period,
                value: e.computers,
              },
              ...(e.withPupils
                ? [
                    {
                      schoolId: s.id,
                      academyCode: s.academy_code,
                      dataElement: "pupils_enrolled",
                      period,
                      value: e.pupils,
                    },
                  ]
                : []),
            ];
          });
          await writeSchoolValues(handle.db, values, { source: "api" });
          await processPendingRollups(handle.db);
          // The reference: plain SQL over the schools that have both operands.
          const expected = await sql<{ level: string; code: string; num: number; den: number; n: number }>`
            with s as (
              select sc.academy_code, sc.department_code, sc.academic_region_code, c.value as num, p.value as den
              from data_value c
              join data_value p on p.school_id = c.school_id and p.period = c.period
                and p.data_element_code = 'pupils_enrolled' and p.disaggregation = ''
              join school sc on sc.id = c.school_id
              where c.data_element_code = 'computers' and c.period = ${period} and c.disaggregation = ''
            )
            select 'department' as level, department_code as code, sum(num)::float8 as num, sum(den)::float8 as den, count(*)::int as n from s group by department_code
            union all select 'academy', academy_code, sum(num), sum(den), count(*) from s group by academy_code
            union all select 'academicRegion', academic_region_code, sum(num), sum(den), count(*) from s group by academic_region_code
            union all select 'nation', 'FR', sum(num), sum(den), count(*) from s having count(*) > 0`.execute(
            handle.db,
          );
          const stored = await handle.db
            .selectFrom("indicator_aggregate")
            .select(["node_level", "node_code", "numerator", "denominator", "value", "schools_reporting"])
            .where("indicator_code", "=", "computers_per_100_pupils")
            .where("period", "=", period)
            .where("grp", "=", "")
            .where("disaggregation", "=", "")
            .where("node_level", "in", ["department", "academy", "academicRegion", "nation"])
            .where("schools_reporting", ">", 0)
            .execute();
          const byKey = new Map(stored.map((r) => [`${r.node_level}:${r.node_code}`, r]));
          expect(stored.length).toBe(expected.rows.length);
          for (const e of expected.rows) {
            const r = byKey.get(`${e.level}:${e.code}`);
            expect(r, `${e.level}:${e.code}`).toBeDefined();
            expect(r?.numerator).toBe(e.num);
            expect(r?.denominator).toBe(e.den);
            expect(r?.schools_reporting).toBe(Number(e.n));
            expect(r?.value).toBe(e.den === 0 ? null : (e.num / e.den) * 100);
          }
        },
      ),
      { numRuns: 6 },
    );
  });

  it("imports any values file without losing a line: accepted + missing + rejected = read, idempotent", async () => {
    const uais = (await handle.db.selectFrom("school").select("uai").orderBy("uai").limit(20).execute()).map(
      (r) => r.uai,
    );
    const cell = (choices: readonly string[]) => fc.constantFrom(...choices);
    const line = fc.tuple(
      cell([...uais, "0000000A", "", "nimporte"]),
      cell(["computers", "interactive_boards", "nope", "trainee_days", ""]),
      cell(["2050-2051", "2050-13", "2051", "2050-W60", "x"]),
      cell(["", "level=troisieme", "profile=pupil", "=", "sex=girls"]),
      cell(["12", "3,5", "-1", "NA", "", "abc", "1e3", "=1+1"]),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { minLength: 1, maxLength: 40 }),
        fc.boolean(),
        async (lines, latin1) => {
          const text = ["uai;element;periode;ventilation;valeur", ...lines.map((l) => l.join(";"))].join(
            "\r\n",
          );
          const file = Buffer.from(text, latin1 ? "latin1" : "utf8");
          const before = await handle.db
            .selectFrom("data_value")
            .select((eb) => eb.fn.countAll<string>().as("n"))
            .executeTakeFirstOrThrow();
          const dry = await importValues(handle.db, file, { commit: false, fileName: "p.csv" });
          expect(dry.read).toBe(lines.length);
          expect(dry.accepted + dry.missing + dry.rejected.length).toBe(lines.length);
          for (const r of dry.rejected) {
            expect(r.line).toBeGreaterThanOrEqual(2);
            expect(r.line).toBeLessThanOrEqual(lines.length + 1);
            expect(r.reason.length).toBeGreaterThan(0);
          }
          const afterDry = await handle.db
            .selectFrom("data_value")
            .select((eb) => eb.fn.countAll<string>().as("n"))
            .executeTakeFirstOrThrow();
          expect(afterDry.n).toBe(before.n); // a dry run stores nothing
          const first = await importValues(handle.db, file, { commit: true, fileName: "p.csv" });
          expect(first.written + first.unchanged).toBe(dry.accepted);
          const second = await importValues(handle.db, file, { commit: true, fileName: "p.csv" });
          expect(second.written).toBe(0);
          expect(second.unchanged).toBe(dry.accepted);
        },
      ),
      { numRuns: 15 },
    );
  });

  it("never leaves a suppressed cell alone in an equation (demo values, all indicators)", async () => {
    const { loadObservatoryDemo } = await import("../../src/server/indicators/demo.ts");
    await loadObservatoryDemo(handle.db, { monthly: false });
    await rollupFull(handle.db);
    const rows = await handle.db
      .selectFrom("indicator_aggregate")
      .select([
        "indicator_code",
        "period",
        "disaggregation",
        "grp",
        "node_level",
        "node_code",
        "parent_key",
        "schools_reporting",
        "status",
      ])
      .where("schools_reporting", ">", 0)
      .execute();
    // Schools directly under a node (no district) count as one hidden "rest" cell.
    const tables = new Map<string, typeof rows>();
    for (const r of rows) {
      const key = `${r.indicator_code}|${r.period}|${r.disaggregation}|${r.grp}`;
      tables.set(key, [...(tables.get(key) ?? []), r]);
    }
    let equations = 0;
    let suppressedSeen = 0;
    for (const [key, table] of tables) {
      const byNode = new Map(table.map((r) => [`${r.node_level}:${r.node_code}`, r]));
      const children = new Map<string, typeof table>();
      for (const r of table)
        if (r.parent_key) children.set(r.parent_key, [...(children.get(r.parent_key) ?? []), r]);
      for (const [parentKey, parts] of children) {
        const parent = byNode.get(parentKey);
        if (!parent) continue;
        equations++;
        const rest = parent.schools_reporting - parts.reduce((n, p) => n + p.schools_reporting, 0);
        const hidden = [parent, ...parts].filter((c) => c.status !== "published").length + (rest > 0 ? 1 : 0);
        suppressedSeen += hidden;
        expect(hidden === 1, `${key} ${parentKey}: une seule cellule masquée`).toBe(false);
      }
    }
    expect(equations).toBeGreaterThan(100);
    expect(suppressedSeen).toBeGreaterThan(0);
  });
});
