import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { expectNoAxeViolations, startVigie, type Vigie, waitForHeading } from "./support/vigie.ts";

let vigie: Vigie;
beforeAll(async () => {
  vigie = await startVigie();
});
afterAll(async () => {
  await vigie?.stop();
});
afterEach(() => {
  expect(vigie.pageErrors).toEqual([]);
});

async function breadcrumb(page: Page): Promise<string[]> {
  const nav = page.getByRole("navigation", { name: "vous êtes ici :" });
  return (await nav.locator("li").allTextContents()).map((text) => text.trim());
}

/** The key figure shown above a label (« établissements ouverts »…). */
async function keyFigure(page: Page, label: RegExp): Promise<number> {
  const section = page.getByRole("region", { name: "Chiffres clés" });
  const item = section.getByRole("listitem").filter({ hasText: label });
  const text = (await item.locator("p").first().textContent()) ?? "";
  return Number(text.replace(/\D/g, ""));
}

async function clickChild(page: Page, name: string | RegExp): Promise<void> {
  await page
    .getByRole("region", { name: /\(\d+\)$/ })
    .getByRole("link", { name })
    .click();
}

describe("territory browser", () => {
  it("clicks through nation → région académique → académie → département → district → school", async () => {
    const page = await vigie.newPage();

    // Nation: the 18 régions académiques
    await page.goto("/territoires");
    await waitForHeading(page, "France");
    expect(await page.title()).toBe("Territoires : France - Vigie");
    const regions = page.getByRole("region", { name: /^Régions académiques/ });
    expect(await regions.getByRole("heading", { level: 2 }).textContent()).toBe("Régions académiques (18)");
    expect(await regions.getByRole("listitem").count()).toBe(18);
    expect(await keyFigure(page, /établissements? ouverts?/)).toBeGreaterThan(100);
    expect(await page.getByRole("table").locator("caption").textContent()).toContain(
      "Établissements – France",
    );
    await expectNoAxeViolations(page, "nation");

    // Région académique Nouvelle-Aquitaine: three académies
    await clickChild(page, /^Nouvelle-Aquitaine/);
    await waitForHeading(page, "Nouvelle-Aquitaine");
    expect(new URL(page.url()).pathname).toBe("/territoires/academicRegion/75");
    expect(await page.title()).toBe("Région académique : Nouvelle-Aquitaine - Vigie");
    expect(await breadcrumb(page)).toEqual(["Accueil", "France", "Nouvelle-Aquitaine"]);
    const academies = page.getByRole("region", { name: /^Académies/ });
    expect(await academies.getByRole("listitem").allTextContents()).toEqual([
      expect.stringContaining("Bordeaux"),
      expect.stringContaining("Limoges"),
      expect.stringContaining("Poitiers"),
    ]);
    await expectNoAxeViolations(page, "région académique");

    // Académie de Bordeaux
    await clickChild(page, /^Bordeaux/);
    await waitForHeading(page, "Bordeaux");
    expect(new URL(page.url()).pathname).toBe("/territoires/academy/04");
    expect(await breadcrumb(page)).toEqual(["Accueil", "France", "Nouvelle-Aquitaine", "Bordeaux"]);
    const openInAcademy = await keyFigure(page, /établissements? ouverts?/);
    const departments = page.getByRole("region", { name: /^Départements/ });
    expect(await departments.getByRole("listitem").count()).toBeGreaterThan(1);
    await expectNoAxeViolations(page, "académie");

    // The focus moved to the new page's heading
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe("H1");

    // Département de la Gironde
    await clickChild(page, /^Gironde/);
    await waitForHeading(page, "Gironde");
    expect(new URL(page.url()).pathname).toBe("/territoires/department/33");
    expect(await breadcrumb(page)).toEqual([
      "Accueil",
      "France",
      "Nouvelle-Aquitaine",
      "Bordeaux",
      "Gironde",
    ]);
    const openInDepartment = await keyFigure(page, /établissements? ouverts?/);
    expect(openInDepartment).toBeLessThanOrEqual(openInAcademy);
    await expectNoAxeViolations(page, "département");

    // A district (the first listed): its school list only has schools of that district
    const districts = page.getByRole("region", { name: /^Bassins de formation et circonscriptions/ });
    const firstDistrict = districts.getByRole("link").first();
    const districtName = ((await firstDistrict.textContent()) ?? "").trim();
    await firstDistrict.click();
    await waitForHeading(page, districtName);
    expect(new URL(page.url()).pathname).toMatch(/^\/territoires\/district\/[0-9A-Za-z_-]+$/);
    expect(await breadcrumb(page)).toEqual([
      "Accueil",
      "France",
      "Nouvelle-Aquitaine",
      "Bordeaux",
      "Gironde",
      districtName,
    ]);
    expect(await page.getByRole("region", { name: /\(\d+\)$/ }).count()).toBe(0);
    await expectNoAxeViolations(page, "district");

    // A school of the district
    const table = page.getByRole("table");
    const firstSchool = table.locator("tbody tr").first().getByRole("link");
    const schoolName = ((await firstSchool.textContent()) ?? "").trim();
    await firstSchool.click();
    await waitForHeading(page, schoolName);
    expect(new URL(page.url()).pathname).toMatch(/^\/etablissements\/\d{7}[A-Z]$/);
    expect(await breadcrumb(page)).toEqual([
      "Accueil",
      "France",
      "Nouvelle-Aquitaine",
      "Bordeaux",
      "Gironde",
      schoolName,
    ]);
    // The district is linked from the school
    expect(
      await page
        .getByRole("region", { name: "Territoires" })
        .getByRole("link", { name: districtName })
        .count(),
    ).toBe(1);
    await expectNoAxeViolations(page, "établissement");

    // Breadcrumb links go back up
    await page
      .getByRole("navigation", { name: "vous êtes ici :" })
      .getByRole("link", { name: "Bordeaux" })
      .click();
    await waitForHeading(page, "Bordeaux");
    // And the browser's back button returns to the school
    await page.goBack();
    await waitForHeading(page, schoolName);
  });

  it("an unknown territory shows a French 404", async () => {
    const page = await vigie.newPage();
    await page.goto("/territoires/academy/99");
    await waitForHeading(page, "Territoire introuvable");
    await expectNoAxeViolations(page, "territoire inconnu");
    await page.goto("/territoires/planet/earth");
    await waitForHeading(page, "Territoire introuvable");
  });
});
