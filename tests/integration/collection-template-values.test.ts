import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CampaignTemplate } from "../../src/contracts/collection.ts";
import { type ExpandedField, expandForm } from "../../src/contracts/collection-form.ts";
import { loadCampaignTemplates } from "../../src/server/collection/templates.ts";
import { importValues, processPendingRollups } from "../../src/server/indicators/index.ts";
import type { DatabaseHandle } from "../../src/server/platform/index.ts";
import { loadDemo } from "../../src/server/territories/index.ts";
import { openTestDatabase, testEngine } from "../helpers/db.ts";

/**
 * The shipped collection templates against the real observatory (issue 11): every answer a
 * template feeds is a data value the observatory accepts (element, level, breakdown, type and
 * bounds), and the indicators read what they should — the computers' total, not its grid cells.
 * The figures are computed by hand from the values written.
 */

const PERIOD = "2030-2031";

interface School {
  uai: string;
  academy_code: string;
}

/** A plausible answer of each type, varied by school so that means and ratios are not trivial. */
function answer(field: ExpandedField, n: number): number {
  if (field.type === "yes_no") return n % 2;
  if (field.type === "percentage") return 40 + 20 * n;
  if (field.type === "number") return 10.5 + n;
  return 3 + n;
}

function breakdown(field: ExpandedField): string {
  return Object.entries(field.disaggregation)
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
}

describe(`shipped collection templates in the observatory on ${testEngine}`, () => {
  let handle: DatabaseHandle;
  let templates: CampaignTemplate[];
  let schools: School[];

  const aggregate = async (indicator: string, academy: string) =>
    handle.db
      .selectFrom("indicator_aggregate")
      .select(["value", "schools_expected", "schools_reporting"])
      .where("indicator_code", "=", indicator)
      .where("period", "=", PERIOD)
      .where("node_level", "=", "academy")
      .where("node_code", "=", academy)
      .where("grp", "=", "")
      .where("disaggregation", "=", "")
      .executeTakeFirst();

  beforeAll(async () => {
    handle = await openTestDatabase();
    await loadDemo(handle.db, "tiny");
    templates = await loadCampaignTemplates();
    const open = (await handle.db
      .selectFrom("school")
      .select(["uai", "academy_code"])
      .where("status", "=", "open")
      .orderBy("uai")
      .execute()) as School[];
    const academy = open[0]?.academy_code;
    schools = open.filter((s) => s.academy_code === academy).slice(0, 3);
    expect(schools).toHaveLength(3);
  });
  afterAll(async () => handle?.close());

  it("accepts every value the templates feed, then rolls them into the indicators", async () => {
    // Two templates may ask the same fact (« ENT activé » is in two of them): one value each.
    const byValue = new Map<string, ExpandedField>();
    for (const t of templates)
      for (const f of expandForm(t.form))
        if (f.dataElement !== undefined) byValue.set(`${f.dataElement}|${breakdown(f)}`, f);
    const fed = [...byValue.values()];
    expect(fed.length).toBeGreaterThan(30);
    const lines = schools.flatMap((school, n) => [
      `${school.uai};pupils_enrolled;${PERIOD};;${100 * (n + 1)}`,
      ...fed.map((f) => `${school.uai};${f.dataElement};${PERIOD};${breakdown(f)};${answer(f, n)}`),
    ]);
    const file = Buffer.from(["uai;element;periode;ventilation;valeur", ...lines].join("\n"), "utf8");
    const report = await importValues(handle.db, file, { commit: true, fileName: "campagnes.csv" });
    expect(report.rejected).toEqual([]);
    expect(report.duplicates).toEqual([]);
    expect(report.written).toBe(lines.length);
    await processPendingRollups(handle.db);

    const academy = schools[0]?.academy_code ?? "";
    // computers_total answers 3, 4, 5; the six grid cells of each school (3 + n each) are not added.
    const computers = await aggregate("computers_per_100_pupils", academy);
    expect(computers?.value).toBeCloseTo(((3 + 4 + 5) / (100 + 200 + 300)) * 100, 9);
    const equipped = await aggregate("pupils_with_individual_device_rate", academy);
    expect(equipped?.value).toBeCloseTo(((3 + 4 + 5) / 600) * 100, 9);
    // A simple mean of the schools' declared coverage (40, 60, 80 %).
    expect((await aggregate("wifi_coverage_mean", academy))?.value).toBeCloseTo(60, 9);
    expect((await aggregate("internet_bandwidth_mean", academy))?.value).toBeCloseTo(11.5, 9);
    // One school of the three that answered says « oui » (n = 1): the share is over the schools
    // with a value (indicator-semantics.md), the others lower the coverage.
    const referents = await aggregate("digital_referent_named_rate", academy);
    expect(referents?.value).toBeCloseTo(100 / 3, 9);
    expect(referents?.schools_reporting).toBe(3);
    expect(referents?.schools_expected).toBeGreaterThan(3);
  });
});
