import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { processPendingRollups } from "../../src/server/indicators/engine.ts";
import { type SchoolValueInput, writeSchoolValues } from "../../src/server/indicators/store.ts";
import { expectNoAxeViolations, startVigie, type Vigie, waitForHeading } from "./support/vigie.ts";

/**
 * The digital-competences dashboard (issue 10, item 9): an académie's headline Pix figures with
 * the roadmap target, the legend of the score bands, the heat maps competence × département as
 * tables, and the drill-down to a département; axe clean, on a phone too.
 */

let vigie: Vigie;
const PERIOD = "2033-2034";

beforeAll(async () => {
  vigie = await startVigie();
  const db = vigie.server.handle.db;
  const schools = await db
    .selectFrom("school")
    .select(["id", "academy_code"])
    .where("academy_code", "=", "04")
    .where("status", "=", "open")
    .orderBy("uai")
    .limit(30)
    .execute();
  const values: SchoolValueInput[] = schools.flatMap((s) => {
    const at = { schoolId: s.id, academyCode: s.academy_code, period: PERIOD };
    const both = (dataElement: string, value: number, extra: Record<string, string> = {}) => [
      { ...at, dataElement, value, disaggregation: extra },
      { ...at, dataElement, value, disaggregation: { ...extra, level: "troisieme" } },
    ];
    return [
      ...both("pupils_in_pix_campaign", 25),
      ...both("pupils_pix_profile_shared", 20),
      ...both("pupils_pix_scored", 20),
      ...both("pix_score_total", 20 * 140),
      ...both("pupils_pix_certifiable", 15),
      { ...at, dataElement: "pix_competence_level_sum", value: 50, disaggregation: { competence: "c3_4" } },
      {
        ...at,
        dataElement: "pupils_pix_competence_target_reached",
        value: 18,
        disaggregation: { competence: "c3_4", level: "troisieme" },
      },
    ];
  });
  await writeSchoolValues(db, values, { source: "import" });
  await processPendingRollups(db);
});
afterAll(async () => {
  await vigie?.stop();
});
afterEach(() => {
  expect(vigie.pageErrors).toEqual([]);
});

describe("competences dashboard", () => {
  it("shows an académie's Pix figures against the target, the legend and the heat maps; axe stays clean", async () => {
    const page = await vigie.newPage();
    await page.goto("/");
    await page.getByRole("link", { name: "Compétences numériques" }).first().click();
    await waitForHeading(page, "Compétences numériques des élèves");
    await page.goto(`/competences?territoire=academy:04&periode=${PERIOD}&niveau=troisieme`);
    await waitForHeading(page, "Compétences numériques des élèves");
    expect(await page.title()).toMatch(/^Compétences numériques : .+ - Vigie$/);
    const card = page.locator(".fr-card").filter({ hasText: "Score Pix moyen" });
    await expect.poll(() => card.textContent()).toContain("140");
    expect(await card.textContent()).toContain("Cible de la feuille de route : 128");
    await page.getByRole("table", { name: "Paliers du score Pix (sur 1 024 pix)" }).waitFor();
    const heat = page.getByRole("table", { name: /Part des élèves de troisième au niveau 1 ou plus/ });
    const row = heat.getByRole("row").filter({ hasText: "3.4 Programmer" });
    expect(await row.textContent()).toContain("90"); // 18 / 20
    await expectNoAxeViolations(page, "compétences numériques, académie");

    // A département's column opens its own dashboard.
    const firstColumn = heat.getByRole("columnheader").nth(2).getByRole("link");
    const name = (await firstColumn.textContent()) ?? "";
    await firstColumn.click();
    await page.getByText(`Département : ${name}`).waitFor();
    await expectNoAxeViolations(page, "compétences numériques, département");
  });

  it("fits a 375 px screen without horizontal scrolling", async () => {
    const mobile = await vigie.newPage({ width: 375, height: 740 });
    await mobile.goto(`/competences?territoire=academy:04&periode=${PERIOD}&niveau=troisieme`);
    await waitForHeading(mobile, "Compétences numériques des élèves");
    await mobile.getByRole("table", { name: /Niveau moyen par compétence/ }).waitFor();
    await expectNoAxeViolations(mobile, "compétences numériques, mobile");
    expect(
      await mobile.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
    ).toBeLessThanOrEqual(0);
  });
});
