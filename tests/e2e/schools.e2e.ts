import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { SchoolDetail, SchoolPage } from "../../src/contracts/territories.ts";
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

/** The API, to know what the page should show. */
async function apiSchools(query: string): Promise<SchoolPage> {
  const response = await fetch(`${vigie.url}/api/v1/schools?${query}`);
  expect(response.status).toBe(200);
  return (await response.json()) as SchoolPage;
}

function frenchCount(n: number): string {
  return new Intl.NumberFormat("fr-FR").format(n);
}

/** Waits until the live result count says `total` results. */
async function expectCount(page: Page, total: number): Promise<void> {
  const expected =
    total === 0
      ? "Aucun établissement"
      : `${frenchCount(total)} ${total < 2 ? "établissement trouvé" : "établissements trouvés"}`;
  await page.waitForFunction(
    ({ expected }) =>
      [...document.querySelectorAll("main [role=status]")].some((el) => el.textContent?.startsWith(expected)),
    { expected },
  );
  // The list's own count (its id ends in « -count »): a territory page has other live regions (its
  // key indicators say when they are loading), in any order.
  expect(await page.locator('main [role=status][id$="-count"]').textContent()).toContain(expected);
}

async function column(page: Page, index: number): Promise<string[]> {
  await page.getByRole("table").waitFor();
  return (await page.locator(`table tbody tr td:nth-child(${index + 1})`).allTextContents()).map((t) =>
    t.trim(),
  );
}

function search(page: Page): URLSearchParams {
  return new URL(page.url()).searchParams;
}

describe("school list", () => {
  it("filters by type, sector and éducation prioritaire, with the state in the URL", async () => {
    const page = await vigie.newPage();
    await page.goto("/etablissements");
    await waitForHeading(page, "Établissements");
    const all = await apiSchools("status=open&pageSize=1");
    await expectCount(page, all.total);
    expect(await page.locator("table caption").textContent()).toMatch(/^Établissements – tous territoires/);
    await expectNoAxeViolations(page, "liste des établissements");

    // Type
    await page.getByLabel("Type", { exact: true }).selectOption({ label: "Collège" });
    const colleges = await apiSchools("type=college&pageSize=1");
    await expectCount(page, colleges.total);
    expect(search(page).get("type")).toBe("college");
    expect(new Set(await column(page, 2))).toEqual(new Set(["Collège"]));

    // Sector (on top of the type)
    await page.getByLabel("Secteur").selectOption({ label: "Privé sous contrat" });
    const privateColleges = await apiSchools("type=college&sector=private_contract&pageSize=1");
    await expectCount(page, privateColleges.total);
    expect(search(page).get("sector")).toBe("private_contract");
    if (privateColleges.total > 0)
      expect(new Set(await column(page, 3))).toEqual(new Set(["Privé sous contrat"]));

    // The back button restores the previous filters, in the URL and in the form
    await page.goBack();
    await expectCount(page, colleges.total);
    expect(search(page).get("sector")).toBeNull();
    expect(await page.getByLabel("Secteur").inputValue()).toBe("");
    expect(await page.getByLabel("Type", { exact: true }).inputValue()).toBe("college");

    // Éducation prioritaire: REP+ then hors EP
    await page.getByLabel("Type", { exact: true }).selectOption({ label: "Tous les types" });
    await page.getByLabel("Éducation prioritaire").selectOption({ label: "REP+" });
    const repPlus = await apiSchools("priorityEducation=REP%2B&pageSize=1");
    expect(repPlus.total).toBeGreaterThan(0);
    await expectCount(page, repPlus.total);
    expect(search(page).get("priorityEducation")).toBe("REP+");
    expect(new Set(await column(page, 4))).toEqual(new Set(["REP+"]));
    await expectNoAxeViolations(page, "liste filtrée REP+");

    await page.getByLabel("Éducation prioritaire").selectOption({ label: "REP" });
    await expectCount(page, (await apiSchools("priorityEducation=REP&pageSize=1")).total);
    expect(new Set(await column(page, 4))).toEqual(new Set(["REP"]));

    await page.getByLabel("Éducation prioritaire").selectOption({ label: "Hors éducation prioritaire" });
    await expectCount(page, (await apiSchools("priorityEducation=none&pageSize=1")).total);
    expect(new Set(await column(page, 4))).toEqual(new Set(["—Hors éducation prioritaire"]));

    // Status: closed schools are shown with a « Fermé » text badge
    await page.getByLabel("Éducation prioritaire").selectOption({ label: "Tous" });
    await page.getByLabel("État").selectOption({ label: "Fermés" });
    const closed = await apiSchools("status=closed&pageSize=1");
    expect(closed.total).toBeGreaterThan(0);
    await expectCount(page, closed.total);
    expect(new Set(await column(page, 7))).toEqual(new Set(["Fermé"]));

    // A shared link opens the same list
    const shared = page.url();
    const other = await vigie.newPage();
    await other.goto(shared);
    await waitForHeading(other, "Établissements");
    await expectCount(other, closed.total);
    expect(await other.getByLabel("État").inputValue()).toBe("closed");

    // Clearing
    await page.getByRole("link", { name: "Effacer la recherche et les filtres" }).click();
    await expectCount(page, all.total);
    expect(new URL(page.url()).search).toBe("");
  });

  it("searches by UAI and by name", async () => {
    const page = await vigie.newPage();
    const sample = (await apiSchools("territory=department:33&pageSize=5")).items[3];
    if (!sample) throw new Error("La démo devrait compter des établissements en Gironde");
    await page.goto("/etablissements");
    await waitForHeading(page, "Établissements");

    const input = page.getByLabel("Rechercher par UAI ou par nom");
    await input.fill(sample.uai.toLowerCase());
    await input.press("Enter");
    await expectCount(page, 1);
    expect(await column(page, 0)).toEqual([sample.uai]);
    expect(search(page).get("q")).toBe(sample.uai.toLowerCase());

    const word = "Montesquieu";
    const byName = await apiSchools(`q=${word}&pageSize=200`);
    expect(byName.total).toBeGreaterThan(0);
    await input.fill(word);
    await page.getByRole("main").getByRole("button", { name: "Rechercher" }).click();
    await expectCount(page, byName.total);
    for (const name of await column(page, 1)) expect(name).toContain(word);
    await expectNoAxeViolations(page, "recherche par nom");

    await input.fill("aucun établissement ne porte ce nom");
    await input.press("Enter");
    await expectCount(page, 0);
    expect(await page.getByRole("table").count()).toBe(0);
  });

  it("the header search bar leads to the school list, on desktop and on mobile", async () => {
    const sample = (await apiSchools("territory=academy:13&pageSize=1")).items[0];
    if (!sample) throw new Error("La démo devrait compter des établissements dans l'académie de Poitiers");
    const page = await vigie.newPage();
    await page.goto("/");
    await waitForHeading(page, /Vigie/);
    const header = page.getByRole("banner");
    await header.getByRole("searchbox", { name: "Rechercher" }).fill(sample.uai);
    await header.getByRole("searchbox", { name: "Rechercher" }).press("Enter");
    await waitForHeading(page, "Établissements");
    await expectCount(page, 1);
    expect(search(page).get("q")).toBe(sample.uai);
    expect(await page.getByLabel("Rechercher par UAI ou par nom").inputValue()).toBe(sample.uai);

    const mobile = await vigie.newPage({ width: 375, height: 740 });
    await mobile.goto("/");
    await waitForHeading(mobile, /Vigie/);
    await mobile.getByRole("banner").getByRole("button", { name: "Rechercher" }).first().click();
    const input = mobile.getByRole("banner").getByRole("searchbox", { name: "Rechercher" });
    await input.waitFor({ state: "visible" });
    await expectNoAxeViolations(mobile, "recherche mobile ouverte");
    await input.fill(sample.name);
    await input.press("Enter");
    await waitForHeading(mobile, "Établissements");
    await input.waitFor({ state: "hidden" });
    expect(search(mobile).get("q")).toBe(sample.name);
  });

  it("paginates, and the back button returns to the previous page", async () => {
    const page = await vigie.newPage();
    await page.goto("/territoires/academy/04");
    await waitForHeading(page, "Bordeaux");
    const total = (await apiSchools("territory=academy:04&pageSize=1")).total;
    const pages = Math.ceil(total / 20);
    expect(pages).toBeGreaterThan(2);
    await expectCount(page, total);
    const caption = page.locator("table caption");
    expect(await caption.textContent()).toBe(`Établissements – Académie : Bordeaux (page 1 sur ${pages})`);
    const firstPage = await column(page, 0);
    expect(firstPage).toHaveLength(20);

    const pagination = page.getByRole("navigation", { name: "Pagination" });
    await pagination.getByRole("link", { name: "Page suivante" }).click();
    await page.waitForFunction(() =>
      document.querySelector("table caption")?.textContent?.includes("page 2 sur"),
    );
    expect(search(page).get("page")).toBe("2");
    const secondPage = await column(page, 0);
    expect(secondPage.some((uai) => firstPage.includes(uai))).toBe(false);
    expect(await pagination.getByRole("link", { name: "2", exact: true }).getAttribute("aria-current")).toBe(
      "true",
    );
    await expectNoAxeViolations(page, "page 2");

    await pagination.getByRole("link", { name: "Dernière page" }).click();
    await page.waitForFunction(
      (pages) => document.querySelector("table caption")?.textContent?.includes(`page ${pages} sur`),
      pages,
    );
    expect((await column(page, 0)).length).toBe(total - (pages - 1) * 20);

    await page.goBack();
    await page.waitForFunction(() =>
      document.querySelector("table caption")?.textContent?.includes("page 2 sur"),
    );
    await page.goBack();
    await page.waitForFunction(() =>
      document.querySelector("table caption")?.textContent?.includes("page 1 sur"),
    );
    expect(await column(page, 0)).toEqual(firstPage);

    // A filter change goes back to page 1
    await pagination.getByRole("link", { name: "Page suivante" }).click();
    await page.waitForFunction(() =>
      document.querySelector("table caption")?.textContent?.includes("page 2 sur"),
    );
    await page.getByLabel("Type", { exact: true }).selectOption({ label: "École maternelle" });
    await page.waitForFunction(() => !new URL(location.href).searchParams.has("page"));
    expect(search(page).get("type")).toBe("ecole_maternelle");
  });
});

describe("school page", () => {
  it("shows the identity, territories and coordinates of a school", async () => {
    const page = await vigie.newPage();
    const rep = (await apiSchools("territory=department:33&priorityEducation=REP&pageSize=1")).items[0];
    if (!rep) throw new Error("La démo devrait compter un établissement REP en Gironde");
    const detail = (await (await fetch(`${vigie.url}/api/v1/schools/${rep.uai}`)).json()) as SchoolDetail;

    await page.goto(`/etablissements/${rep.uai}`);
    await waitForHeading(page, detail.name);
    expect(await page.title()).toBe(`${detail.name} (${detail.uai}) - Vigie`);
    const identity = page.getByRole("region", { name: "Identité" });
    const value = async (label: string) =>
      (
        await identity
          .locator("div")
          .filter({ has: page.locator("dt", { hasText: label }) })
          .locator("dd")
          .textContent()
      )?.trim();
    expect(await value("UAI")).toBe(detail.uai);
    expect(await value("Type")).toBe("Collège");
    expect(await value("Secteur")).toBe("Public");
    expect(await value("Éducation prioritaire")).toBe("REP");
    expect(await value("État")).toBe("Ouvert");
    expect(await value("Commune")).toContain(detail.communeName ?? "");
    // The status badge carries a word, not only a colour
    expect(await page.locator("main h1 + p").textContent()).toBe("Ouvert");

    const territories = page.getByRole("region", { name: "Territoires" });
    for (const ancestor of detail.ancestors.filter((a) => a.level !== "nation")) {
      expect(
        await territories.getByRole("link", { name: ancestor.name, exact: true }).count(),
        ancestor.name,
      ).toBe(1);
    }
    for (const district of detail.districts) {
      expect(
        await territories.getByRole("link", { name: district.name, exact: true }).getAttribute("href"),
      ).toBe(`/territoires/district/${encodeURIComponent(district.code)}`);
    }
    const location = page.getByRole("region", { name: "Localisation" });
    if (detail.latitude !== null) expect(await location.textContent()).toContain("Latitude");
    await expectNoAxeViolations(page, "fiche établissement");

    // The département link of the breadcrumb goes to the territory page
    await page
      .getByRole("navigation", { name: "vous êtes ici :" })
      .getByRole("link", { name: "Gironde" })
      .click();
    await waitForHeading(page, "Gironde");
  });

  it("a closed school says so in words", async () => {
    const page = await vigie.newPage();
    const closed = (await apiSchools("status=closed&pageSize=1")).items[0];
    if (!closed) throw new Error("La démo devrait compter un établissement fermé");
    await page.goto(`/etablissements/${closed.uai}`);
    await waitForHeading(page, closed.name);
    expect(await page.locator("main h1 + p").textContent()).toBe("Fermé");
    await expectNoAxeViolations(page, "établissement fermé");
  });

  it("a malformed UAI shows a French 404 page", async () => {
    const page = await vigie.newPage();
    await page.goto("/etablissements/pas-un-uai");
    await waitForHeading(page, "Établissement introuvable");
    expect(await page.title()).toBe("Établissement introuvable - Vigie");
    expect(await page.getByRole("main").textContent()).toContain("mal formé");
    await expectNoAxeViolations(page, "UAI mal formé");

    await page.goto("/etablissements/0000000A");
    await waitForHeading(page, "Établissement introuvable");
    expect(await page.getByRole("main").textContent()).toContain("0000000A");
  });
});
