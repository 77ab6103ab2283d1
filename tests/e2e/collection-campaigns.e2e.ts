import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createE2eAccount, logIn, type TestAccount } from "./support/accounts.ts";
import { expectNoAxeViolations, startVigie, type Vigie, waitForHeading } from "./support/vigie.ts";

/**
 * Issue 11, items 1 and 5 in the browser: a DANE launches a campaign from the equipment template
 * (the form's French errors first), lands on its completeness, drills down to a département and
 * downloads the CSV; the campaign is listed; a school head of the académie sees « Répondre » for
 * their school; axe on every page, and the completeness fits 375 px.
 */

let vigie: Vigie;
let dane: TestAccount;
let head: TestAccount;
let uai: string;
let campaignPath = "";
let openSchools = 0;

beforeAll(async () => {
  vigie = await startVigie();
  dane = await createE2eAccount(vigie, "dane@ac-bordeaux.fr", [["academy-steering", "04"]]);
  const school = await vigie.server.handle.db
    .selectFrom("school")
    .select("uai")
    .where("academy_code", "=", "04")
    .where("type", "=", "college")
    .where("status", "=", "open")
    .orderBy("uai")
    .executeTakeFirstOrThrow();
  uai = school.uai;
  head = await createE2eAccount(vigie, "principal@college.fr", [["school-head", uai]]);
  const count = await vigie.server.handle.db
    .selectFrom("school")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("academy_code", "=", "04")
    .where("status", "=", "open")
    .executeTakeFirstOrThrow();
  openSchools = Number(count.n);
});
afterAll(async () => {
  await vigie?.stop();
});
afterEach(() => {
  expect(vigie.pageErrors).toEqual([]);
});

describe("collection campaigns", () => {
  it("a DANE launches a campaign from the equipment template, sees its completeness and drills down to a département", async () => {
    const page = await vigie.newPage();
    await logIn(page, dane, "/connexion?retour=%2Fcollecte");
    await waitForHeading(page, "Campagnes de collecte");
    expect(await page.title()).toBe("Campagnes de collecte - Vigie");
    const nav = page.getByRole("navigation", { name: "Menu principal" });
    expect(await nav.getByRole("link", { name: "Collecte" }).getAttribute("aria-current")).toBe("page");
    await page.getByText("Aucune campagne ne vous concerne pour l'instant.").waitFor();
    await expectNoAxeViolations(page, "campagnes, liste vide");

    await page.getByRole("link", { name: "Lancer une campagne" }).click();
    await waitForHeading(page, "Lancer une campagne de collecte");
    const equipment = page.getByRole("radio", { name: /Équipement et usages numériques/ });
    await equipment.waitFor();
    expect(await page.getByRole("radio").count()).toBe(3);
    expect(await page.getByText(/\d+ champs, \d+ règles de contrôle/).count()).toBe(3);
    expect(await page.locator("#campagne-territoire").inputValue()).toBe("academy:04");
    await expectNoAxeViolations(page, "lancement d'une campagne");

    // Errors first: no template, then a period whose years do not follow each other.
    await page.getByRole("button", { name: "Lancer la campagne" }).click();
    const summary = page.getByRole("alert");
    await summary.getByText("Modèle : choisissez un modèle.").waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute("role"))).toBe("alert");
    // The DSFR's label covers its radio: a person clicks the label.
    await page.locator("label", { hasText: "Équipement et usages numériques" }).click();
    expect(await equipment.isChecked()).toBe(true);
    expect(await page.locator("#campagne-periode").inputValue()).toMatch(/^(\d{4})-\d{4}$/);
    await page.locator("#campagne-periode").fill("2025-2027");
    await page.getByRole("button", { name: "Lancer la campagne" }).click();
    await summary.getByText("Période : les deux années doivent se suivre (ex. 2025-2026).").waitFor();
    await expectNoAxeViolations(page, "lancement d'une campagne, erreurs");
    // The link of the summary moves the focus to the field.
    await summary.getByRole("link", { name: /Période/ }).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("campagne-periode");

    await page.locator("#campagne-periode").fill("2025-2026");
    // The server's refusal, in French, and nothing created: a UAI outside the académie.
    await page.getByLabel("Liste d'UAI").fill("0750001A");
    await page.getByRole("button", { name: "Lancer la campagne" }).click();
    await summary.getByText("La campagne n'a pas été lancée").waitFor();
    expect(await summary.textContent()).toContain("UAI hors de la cible");
    expect(new URL(page.url()).pathname).toBe("/collecte/nouvelle");
    await page.getByLabel("Liste d'UAI").fill("");
    await page.getByRole("button", { name: "Lancer la campagne" }).click();
    await page.waitForURL(/\/collecte\/\d+\/suivi$/);
    campaignPath = new URL(page.url()).pathname;
    await waitForHeading(page, /Équipement et usages numériques 2025-2026 : complétude, Bordeaux/);
    const main = page.getByRole("main");
    expect(await main.getByText("Ouverte", { exact: true }).isVisible()).toBe(true);
    const expected = new Intl.NumberFormat("fr-FR").format(openSchools);
    expect(
      await main.getByText("établissements attendus", { exact: true }).locator("xpath=..").textContent(),
    ).toBe(`${expected}établissements attendus`);
    const table = page.getByRole("table", { name: "Départements de Bordeaux : complétude" });
    const rows = table.locator("tbody tr");
    expect(await rows.count()).toBeGreaterThan(1);
    // The last line is the whole académie; nothing submitted yet.
    expect(await rows.last().locator("th").textContent()).toBe("Ensemble : Bordeaux");
    expect(await rows.last().locator("td").first().textContent()).toBe(expected);
    expect(await rows.last().locator("td").nth(2).textContent()).toBe("0 (0 %)");
    // The map comes lazily, with its outlines.
    await page.getByRole("img", { name: /^Carte : départements/ }).waitFor();
    const csv = main.getByRole("link", { name: "Complétude par départements (CSV)" });
    const href = (await csv.getAttribute("href")) ?? "";
    expect(href).toMatch(/^\/api\/v1\/collection\/campaigns\/\d+\/status\.csv$/);
    const download = await page.request.get(href);
    expect(download.status()).toBe(200);
    expect(await download.text()).toContain("territoire;code;attendus");
    await expectNoAxeViolations(page, "complétude de l'académie");

    // Drill down to the first département.
    const first = table.locator("tbody tr").first().getByRole("link");
    const name = ((await first.textContent()) ?? "").trim();
    await first.click();
    await page.waitForURL(/\?territory=department%3A/);
    await waitForHeading(page, new RegExp(`complétude, ${name}$`));
    await page.getByRole("table", { name: `Districts de ${name} : complétude` }).waitFor();
    expect(
      await main.getByRole("link", { name: "Revenir à l'ensemble de la campagne (Bordeaux)" }).count(),
    ).toBe(1);
    expect(await main.getByRole("link", { name: /\(CSV\)$/ }).getAttribute("href")).toMatch(
      /status\.csv\?territory=department%3A/,
    );
    // No map below an académie: the table alone.
    expect(await page.getByRole("img", { name: /^Carte/ }).count()).toBe(0);
    await expectNoAxeViolations(page, "complétude d'un département");

    // Down to a district: its schools, each leading to its response.
    const districts = page.getByRole("table", { name: `Districts de ${name} : complétude` });
    const district = districts.locator("tbody tr th a").first();
    const districtName = ((await district.textContent()) ?? "").trim();
    await district.click();
    await page.waitForURL(/\?territory=district%3A/);
    const schools = page.getByRole("table", { name: `Établissements de ${districtName} : complétude` });
    await schools.waitFor();
    const id = campaignPath.split("/")[2];
    const school = schools.locator("tbody tr th a").first();
    expect(await school.getAttribute("href")).toMatch(new RegExp(`^/collecte/${id}/\\d{7}[A-Z]$`));
    expect(await school.textContent()).toMatch(/\(\d{7}[A-Z]\)$/);
    // Each school shows its response's state, not counts of 0 or 1: nothing started yet.
    const firstSchool = schools.locator("tbody tr").first();
    expect(await firstSchool.locator("td").first().textContent()).toBe("Non commencé");
    expect(await firstSchool.locator("td").nth(1).textContent()).toBe("—");
    expect(await schools.locator("thead th").allTextContents()).toEqual([
      "Établissement",
      "État de la réponse",
      "Transmise le",
      "À temps",
      "Champs obligatoires renseignés",
    ]);
    await expectNoAxeViolations(page, "complétude d'un district");

    // Listed, with its phase and its figures.
    await nav.getByRole("link", { name: "Collecte" }).click();
    await waitForHeading(page, "Campagnes de collecte");
    const list = page.getByRole("table", { name: "Campagnes (1)" });
    await list.waitFor();
    const line = list.locator("tbody tr").first();
    expect(await line.locator("th").textContent()).toBe("Équipement et usages numériques 2025-2026");
    expect(await line.getByText("Ouverte", { exact: true }).isVisible()).toBe(true);
    expect(await line.textContent()).toMatch(/0 \/ \d+/);
    expect(await line.getByRole("link", { name: /^Complétude/ }).getAttribute("href")).toBe(campaignPath);
    expect(await line.getByRole("link", { name: /^Répondre/ }).count()).toBe(0);
    await expectNoAxeViolations(page, "campagnes, une campagne");
  });

  it("a school head sees the campaign with « Répondre » for their school, and no launch button", async () => {
    expect(campaignPath).not.toBe("");
    const page = await vigie.newPage();
    await logIn(page, head, "/connexion?retour=%2Fcollecte");
    await waitForHeading(page, "Campagnes de collecte");
    const line = page.getByRole("table", { name: "Campagnes (1)" }).locator("tbody tr").first();
    await line.waitFor();
    const id = campaignPath.split("/")[2];
    expect(await line.getByRole("link", { name: /^Répondre/ }).getAttribute("href")).toBe(
      `/collecte/${id}/${uai}`,
    );
    expect(await line.getByRole("link", { name: /^Complétude/ }).count()).toBe(0);
    expect(await page.getByRole("link", { name: "Lancer une campagne" }).count()).toBe(0);
    await expectNoAxeViolations(page, "campagnes, chef d'établissement");
    // The creation page explains that it is not theirs.
    await page.goto("/collecte/nouvelle");
    await waitForHeading(page, "Lancer une campagne de collecte");
    await page.getByText("Accès refusé").waitFor();
  });

  it("the completeness fits a 375 px screen", async () => {
    const small = await vigie.newPage({ width: 375, height: 740 });
    await logIn(small, dane, `/connexion?retour=${encodeURIComponent(campaignPath)}`);
    await waitForHeading(small, /complétude, Bordeaux/);
    await small.getByRole("table", { name: "Départements de Bordeaux : complétude" }).waitFor();
    await expectNoAxeViolations(small, "complétude, 375 px");
    expect(
      await small.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
    ).toBeLessThanOrEqual(0);
    await small.goto("/collecte/nouvelle");
    await waitForHeading(small, "Lancer une campagne de collecte");
    await expectNoAxeViolations(small, "lancement, 375 px");
    expect(
      await small.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
    ).toBeLessThanOrEqual(0);
  });
});
