import fs from "node:fs";
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type {
  IndicatorCatalogueItem,
  IndicatorDashboard,
  KeyIndicators,
} from "../../src/contracts/indicators.ts";
import { formatValue } from "../../src/web/indicators/model.ts";
import { createE2eAccount, logIn } from "./support/accounts.ts";
import { HEADLINE_TEST_ID, indicatorPageReadyMs } from "./support/indicator-page.ts";
import { expectNoAxeViolations, startVigie, type Vigie, waitForHeading } from "./support/vigie.ts";

let vigie: Vigie;
/** An indicator whose académie de Bordeaux (04) has published and suppressed départements. */
let code: string;
let academy: IndicatorDashboard;

async function api<T>(path: string): Promise<T> {
  const response = await fetch(`${vigie.url}${path}`);
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}

beforeAll(async () => {
  vigie = await startVigie();
  const { items } = await api<{ items: IndicatorCatalogueItem[] }>("/api/v1/indicators");
  for (const item of items.filter((i) => i.periods.length > 0)) {
    const dashboard = await api<IndicatorDashboard>(
      `/api/v1/indicators/${item.code}/dashboard?territory=academy:04`,
    );
    const published = dashboard.children.filter((c) => c.status === "published" && c.value !== null);
    if (published.length >= 2 && dashboard.children.some((c) => c.status !== "published")) {
      code = item.code;
      academy = dashboard;
      break;
    }
  }
  expect(code, "an indicator of the demo with suppressed départements in Bordeaux").toBeDefined();
});
afterAll(async () => {
  await vigie?.stop();
});
afterEach(() => {
  expect(vigie.pageErrors).toEqual([]);
});

const text = async (page: Page, testId: string) =>
  ((await page.getByTestId(testId).textContent()) ?? "").trim();
const norm = (s: string) => s.replace(/[\u00a0\u202f]/g, " ").trim();

async function childNames(page: Page): Promise<string[]> {
  return (await page.locator("table.vigie-children-table tbody th").allTextContents()).map((t) => t.trim());
}

describe("indicator catalogue", () => {
  it("lists the indicators with unit, definition and sources, filters them, links to each", async () => {
    const { items } = await api<{ items: IndicatorCatalogueItem[] }>("/api/v1/indicators");
    const page = await vigie.newPage();
    await page.goto("/");
    await waitForHeading(page, /Vigie/);
    await page
      .getByRole("navigation", { name: "Menu principal" })
      .getByRole("link", { name: "Indicateurs" })
      .click();
    await waitForHeading(page, "Indicateurs");
    expect(await page.title()).toBe("Indicateurs - Vigie");
    const cards = page.getByRole("main").getByRole("article");
    // The heading shows while the catalogue loads: wait for the list itself.
    await cards.first().waitFor();
    expect(await cards.count()).toBe(items.length);
    const first = items[0] as IndicatorCatalogueItem;
    const card = cards.filter({ has: page.getByRole("heading", { name: first.name, exact: true }) });
    expect(await card.textContent()).toContain(first.definition);
    expect(await card.textContent()).toContain("Unité");
    expect(await card.textContent()).toContain("Sources");
    await expectNoAxeViolations(page, "catalogue");

    await page.getByLabel(/Filtrer par nom/).fill("Pix");
    await page.waitForFunction(() => new URL(location.href).searchParams.get("q") === "Pix");
    const expected = items.filter((i) =>
      [i.code, i.name, i.definition, i.unit, ...i.sources.map((s) => s.system)]
        .join(" ")
        .toLowerCase()
        .includes("pix"),
    ).length;
    expect(await cards.count()).toBe(expected);
    expect(await page.getByRole("main").getByRole("status").textContent()).toContain(
      `${expected} indicateurs trouvés sur ${items.length}`,
    );

    const target = items.find((i) => i.code === code) as IndicatorCatalogueItem;
    await page.getByLabel(/Filtrer par nom/).fill(target.name);
    await page.getByRole("link", { name: target.name, exact: true }).click();
    await waitForHeading(page, target.name);
    expect(new URL(page.url()).pathname).toBe(`/indicateurs/${code}`);
  });
});

describe("indicator page", () => {
  it("at nation level: headline value, coverage, comparisons, trend with its table, map with the five DROM", async () => {
    const nation = await api<IndicatorDashboard>(`/api/v1/indicators/${code}/dashboard`);
    const page = await vigie.newPage();
    const ready = await indicatorPageReadyMs(page, `/indicateurs/${code}`);
    console.info(`Page indicateur (nation) prête en ${ready} ms`);
    await waitForHeading(page, nation.indicator.name);
    expect(await page.title()).toBe(`${nation.indicator.name} : France - Vigie`);
    expect(norm(await text(page, HEADLINE_TEST_ID))).toBe(
      norm(formatValue(nation.territory.value as number, nation.indicator.unit)),
    );
    const coverage = norm(await text(page, "couverture"));
    expect(coverage).toMatch(
      new RegExp(
        `^${nation.territory.schoolsReporting} établissements? sur ${nation.territory.schoolsExpected}, \\d+ %$`,
      ),
    );
    const main = page.getByRole("main");
    expect(await main.getByRole("heading", { name: "Comparaisons" }).isVisible()).toBe(true);
    // The trend chart: an image with a text alternative, and its data table
    const chart = main.getByRole("img", { name: /^Évolution : France/ });
    expect(await chart.count()).toBe(1);
    const trendTable = main.getByRole("table", { name: /Données du graphique d'évolution/ });
    expect(await trendTable.locator("tbody tr").count()).toBe(nation.series.length);
    // The map: metropolitan France and the five DROM, with a legend
    await main.getByRole("img", { name: /^Carte : régions académiques de la France/ }).waitFor();
    for (const drom of ["Guadeloupe", "Martinique", "Guyane", "La Réunion", "Mayotte"]) {
      expect(await main.getByRole("img", { name: `Carte : ${drom}` }).count(), drom).toBe(1);
    }
    expect(await main.locator("[data-departement]").count()).toBe(101);
    expect(await main.getByText("Légende").isVisible()).toBe(true);
    // The children table has every child
    expect(await childNames(page)).toHaveLength(nation.children.length);
    await expectNoAxeViolations(page, "indicateur, nation");
  });

  it("at académie level: breadcrumb, départements sorted by click, « secret statistique » with its reason", async () => {
    const page = await vigie.newPage();
    const ready = await indicatorPageReadyMs(page, `/indicateurs/${code}?territoire=academy:04`);
    console.info(`Page indicateur (académie) prête en ${ready} ms`);
    await waitForHeading(page, academy.indicator.name);
    expect(norm(await text(page, HEADLINE_TEST_ID))).toBe(
      norm(formatValue(academy.territory.value as number, academy.indicator.unit)),
    );
    expect(norm(await text(page, "couverture"))).toContain(`sur ${academy.territory.schoolsExpected}`);
    const crumbs = (
      await page.getByRole("navigation", { name: "vous êtes ici :" }).locator("li").allTextContents()
    ).map((t) => t.trim());
    expect(crumbs).toEqual(["Accueil", "Indicateurs", "France", "Nouvelle-Aquitaine", "Bordeaux"]);
    const main = page.getByRole("main");
    expect(await main.textContent()).toMatch(/moins bien que|mieux que|égal à/);
    await main.getByRole("img", { name: /^Carte : départements de l'académie de Bordeaux/ }).waitFor();
    expect(await main.locator("[data-departement]").count()).toBe(5);

    // Sorted by name first
    const byName = [...academy.children].map((c) => c.node.name).sort((a, b) => a.localeCompare(b, "fr"));
    expect(await childNames(page)).toEqual(byName);
    const header = (name: string) =>
      page.locator("table.vigie-children-table thead th").filter({ hasText: name });
    expect(await header("Territoire").getAttribute("aria-sort")).toBe("ascending");

    // By value, highest first, suppressed last
    await header("Valeur").getByRole("button").click();
    expect(await header("Valeur").getAttribute("aria-sort")).toBe("descending");
    expect(await header("Territoire").getAttribute("aria-sort")).toBeNull();
    const published = academy.children
      .filter((c) => c.status === "published" && c.value !== null)
      .sort((a, b) => (b.value as number) - (a.value as number));
    const names = await childNames(page);
    expect(names.slice(0, published.length)).toEqual(published.map((c) => c.node.name));
    await header("Valeur").getByRole("button").click();
    expect(await header("Valeur").getAttribute("aria-sort")).toBe("ascending");
    expect((await childNames(page))[0]).toBe(published[published.length - 1]?.node.name);
    expect(await page.locator("table.vigie-children-table caption").textContent()).toContain(
      "trié par valeur, ordre croissant",
    );

    // A suppressed département reads « secret statistique » and the reason
    const suppressed = academy.children.find((c) => c.status !== "published");
    const row = page
      .locator("table.vigie-children-table tbody tr")
      .filter({ has: page.getByRole("rowheader", { name: suppressed?.node.name }) });
    const rowText = (await row.textContent()) ?? "";
    expect(rowText).toContain("secret statistique");
    expect(rowText).toContain(suppressed?.statusLabel ?? "?");
    await expectNoAxeViolations(page, "indicateur, académie");

    // A child's link opens its own page
    await page.getByRole("link", { name: published[0]?.node.name }).click();
    await waitForHeading(page, academy.indicator.name);
    expect(new URL(page.url()).searchParams.get("territoire")).toBe(`department:${published[0]?.node.code}`);
    await page.getByTestId(HEADLINE_TEST_ID).waitFor();
    expect(await page.locator("[data-departement]").count()).toBe(0);
  });

  it("compares a département and a school with their similar-IPS peers", async () => {
    const department = academy.children.find((c) => c.status === "published" && c.value !== null);
    const key = `department:${department?.node.code}`;
    const dashboard = await api<IndicatorDashboard>(`/api/v1/indicators/${code}/dashboard?territory=${key}`);
    const peers = dashboard.comparisons.ipsPeers;
    expect(peers, "the demo's départements have a mean IPS").not.toBeNull();
    const page = await vigie.newPage();
    await page.goto(`/indicateurs/${code}?territoire=${key}`);
    const card = page.getByTestId("ips-peers");
    await card.waitFor();
    const cardText = norm((await card.textContent()) ?? "");
    expect(cardText).toContain("Par rapport aux départements d'IPS moyen voisin");
    expect(cardText).toContain(`${peers?.peers} territoire`);
    expect(cardText).toContain("IPS moyen compris entre");
    if (peers?.reference != null)
      expect(cardText).toContain(norm(formatValue(peers.reference, dashboard.indicator.unit)));
    await expectNoAxeViolations(page, "indicateur, pairs d'IPS voisin");

    // A school: its peers' value is public, its own IPS is not.
    const { items } = await api<{ items: { uai: string }[] }>(
      "/api/v1/schools?territory=academy:04&pageSize=1",
    );
    const uai = items[0]?.uai as string;
    const school = await api<IndicatorDashboard>(
      `/api/v1/indicators/${code}/dashboard?territory=school:${uai}`,
    );
    expect(school.comparisons.ipsPeers?.ips ?? null).toBeNull();
    await page.goto(`/indicateurs/${code}?territoire=school:${uai}`);
    await page.getByTestId("ips-peers").waitFor();
    const schoolText = norm((await page.getByTestId("ips-peers").textContent()) ?? "");
    expect(schoolText).toContain("Par rapport aux établissements du même type de l'académie d'IPS voisin");
    expect(schoolText).not.toContain("compris entre");
  });

  it("period and group selectors keep their state in the URL", async () => {
    const page = await vigie.newPage();
    await page.goto(`/indicateurs/${code}?territoire=academy:04`);
    await page.getByTestId(HEADLINE_TEST_ID).waitFor();
    const previous = academy.indicator.periods[1];
    if (previous) {
      await page.getByLabel("Période", { exact: true }).selectOption(previous);
      await page.waitForFunction((p) => new URL(location.href).searchParams.get("periode") === p, previous);
      await page.getByRole("heading", { name: new RegExp(`Valeur .*${previous}`) }).waitFor();
    }
    const group = academy.groups.find((g) => g.key !== "");
    if (group) {
      await page.getByLabel("Établissements", { exact: true }).selectOption(group.key);
      await page.waitForFunction((g) => new URL(location.href).searchParams.get("groupe") === g, group.key);
      await page.getByRole("status").filter({ hasText: group.label }).waitFor();
      expect(new URL(page.url()).searchParams.get("territoire")).toBe("academy:04");
    }
    await expectNoAxeViolations(page, "indicateur, période et groupe");
  });

  it("exports: CSV (UTF-8 with BOM, « ; ») and XLSX downloads, Table Schema link", async () => {
    const page = await vigie.newPage();
    await page.goto(`/indicateurs/${code}?territoire=academy:04`);
    await page.getByTestId(HEADLINE_TEST_ID).waitFor();
    const csvLink = page.getByRole("link", { name: "Télécharger en CSV" });
    expect(await csvLink.getAttribute("href")).toContain(`/api/v1/indicators/${code}/values.csv?`);
    const [download] = await Promise.all([page.waitForEvent("download"), csvLink.click()]);
    const file = await download.path();
    const bytes = fs.readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const content = bytes.toString("utf8").slice(1);
    expect(content.split(/\r?\n/)[0]).toContain(";");
    expect(content).toContain("Bordeaux");

    const xlsxLink = page.getByRole("link", { name: "Télécharger en XLSX" });
    const [xlsx] = await Promise.all([page.waitForEvent("download"), xlsxLink.click()]);
    const xlsxBytes = fs.readFileSync(await xlsx.path());
    expect(xlsxBytes.subarray(0, 2).toString("latin1")).toBe("PK");

    const schema = await page.request.get(
      (await page.getByRole("link", { name: /Table Schema/ }).getAttribute("href")) ?? "",
    );
    expect(schema.status()).toBe(200);
    expect(Array.isArray((await schema.json()).fields)).toBe(true);
  });

  it("dark theme and 375 px: no axe violation, no horizontal scrolling", async () => {
    const dark = await vigie.newPage({ colorScheme: "dark" });
    await dark.goto(`/indicateurs/${code}?territoire=academy:04`);
    await dark.getByTestId(HEADLINE_TEST_ID).waitFor();
    await dark.waitForFunction(() => document.documentElement.getAttribute("data-fr-theme") === "dark");
    await dark.locator("[data-departement]").first().waitFor();
    await expectNoAxeViolations(dark, "indicateur, thème sombre");

    const mobile = await vigie.newPage({ width: 375, height: 740 });
    await mobile.goto(`/indicateurs/${code}`);
    await mobile.getByTestId(HEADLINE_TEST_ID).waitFor();
    await mobile.locator("[data-departement]").first().waitFor();
    await expectNoAxeViolations(mobile, "indicateur, mobile");
    const overflow = await mobile.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);

    // A monthly series (a dozen points) fits too
    const { items } = await api<{ items: IndicatorCatalogueItem[] }>("/api/v1/indicators");
    const monthly = items.find((i) => i.periods.some((p) => /^\d{4}-\d{2}$/.test(p)));
    if (monthly) {
      const month = monthly.periods.find((p) => /^\d{4}-\d{2}$/.test(p)) as string;
      await mobile.goto(`/indicateurs/${monthly.code}?territoire=academy:04&periode=${month}`);
      await mobile.getByTestId(HEADLINE_TEST_ID).waitFor();
      const rows = mobile
        .getByRole("table", { name: /Données du graphique d'évolution/ })
        .locator("tbody tr");
      expect(await rows.count()).toBeGreaterThan(1);
      await expectNoAxeViolations(mobile, "indicateur mensuel, mobile");
      expect(
        await mobile.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
      ).toBeLessThanOrEqual(0);
    }
  });

  it("an unknown indicator shows the 404 page", async () => {
    const page = await vigie.newPage();
    await page.goto("/indicateurs/cet_indicateur_n_existe_pas");
    await waitForHeading(page, "Indicateur ou territoire introuvable");
    await page.goto(`/indicateurs/${code}?territoire=academy:99`);
    await waitForHeading(page, "Indicateur ou territoire introuvable");
    expect(await page.getByRole("main").textContent()).toContain("academy:99");
  });
});

describe("indicator page for a user whose role covers the territory", () => {
  it("shows the deciles and the share of schools above the national value, and restricted figures", async () => {
    const { items } = await api<{ items: IndicatorCatalogueItem[] }>("/api/v1/indicators");
    const ratio = items.find((i) => i.kind === "ratio" && i.periods.length > 0) as IndicatorCatalogueItem;
    const steering = await createE2eAccount(vigie, "pilotage@ac-bordeaux.fr", [
      ["academy-steering", "academy:04"],
    ]);
    const page = await vigie.newPage();
    await logIn(page, steering);
    const response = await page.request.get(
      `/api/v1/indicators/${ratio.code}/dashboard?territory=academy:04`,
    );
    expect(response.status()).toBe(200);
    const dashboard = (await response.json()) as IndicatorDashboard;
    expect(dashboard.deciles, "deciles for the académie's staff").toHaveLength(9);
    await page.goto(`/indicateurs/${ratio.code}?territoire=academy:04`);
    await page.getByTestId(HEADLINE_TEST_ID).waitFor();
    const main = page.getByRole("main");
    const deciles = main.getByRole("table", { name: /Déciles des valeurs des établissements/ });
    expect(await deciles.locator("tbody tr").count()).toBe(9);
    expect(norm((await deciles.locator("tbody td").first().textContent()) ?? "")).toBe(
      norm(formatValue(dashboard.deciles?.[0] as number, dashboard.indicator.unit)),
    );
    if (dashboard.schoolsAboveNational) {
      expect(await main.textContent()).toContain("Établissements au-dessus de la valeur nationale");
    }
    await expectNoAxeViolations(page, "indicateur, pilotage académique");

    // Suppressed départements are shown to this user, with the « non publiée » mention
    const perSchool = await page.request.get(`/api/v1/indicators/${code}/dashboard?territory=academy:04`);
    const restricted = ((await perSchool.json()) as IndicatorDashboard).children.find(
      (c) => c.restricted && c.status !== "published",
    );
    expect(restricted, "a suppressed département shown to the académie's staff").toBeDefined();
    await page.goto(`/indicateurs/${code}?territoire=academy:04`);
    await page.getByTestId(HEADLINE_TEST_ID).waitFor();
    const row = page
      .locator("table.vigie-children-table tbody tr")
      .filter({ has: page.getByRole("rowheader", { name: restricted?.node.name }) });
    expect(await row.textContent()).toContain("non publiée");
  });
});

describe("key indicators on the territory and school pages", () => {
  it("territory page: « Indicateurs clés » with value, coverage, comparison with France, links", async () => {
    const key = await api<KeyIndicators>("/api/v1/territories/academy/04/indicators");
    expect(key.items.length).toBeGreaterThan(0);
    const page = await vigie.newPage();
    await page.goto("/territoires/academy/04");
    await waitForHeading(page, "Bordeaux");
    const section = page.getByRole("region", { name: "Indicateurs clés" });
    const cards = section.getByRole("article");
    await cards.first().waitFor();
    expect(await cards.count()).toBe(key.items.length);
    const item = key.items[0] as KeyIndicators["items"][number];
    const card = cards.first();
    expect(await card.getByRole("heading").textContent()).toBe(item.indicator.name);
    const cardText = norm((await card.textContent()) ?? "");
    if (item.cell.value !== null)
      expect(cardText).toContain(norm(formatValue(item.cell.value, item.indicator.unit)));
    expect(cardText).toContain("Couverture");
    expect(cardText).toContain("France");
    // The académies' mean IPS of the demo are close: Bordeaux has similar-IPS peers.
    expect(item.ipsPeers, "similar-IPS peers of the académie").not.toBeNull();
    expect(cardText).toContain(`Pairs d'IPS voisin (${item.ipsPeers?.peers})`);
    await expectNoAxeViolations(page, "territoire, indicateurs clés");
    await card.getByRole("link").click();
    await waitForHeading(page, item.indicator.name);
    expect(new URL(page.url()).searchParams.get("territoire")).toBe("academy:04");
  });

  it("school page: « secret statistique » for the public, the raw values for the school's head", async () => {
    const { items } = await api<{ items: { uai: string }[] }>(
      "/api/v1/schools?territory=academy:04&pageSize=1",
    );
    const uai = items[0]?.uai as string;
    const publicView = await api<KeyIndicators>(`/api/v1/schools/${uai}/indicators`);
    const page = await vigie.newPage();
    await page.goto(`/etablissements/${uai}`);
    const section = page.getByRole("region", { name: "Indicateurs de l'établissement" });
    await section.getByRole("article").first().waitFor();
    expect(await section.getByRole("article").count()).toBe(publicView.items.length);
    if (publicView.items.some((i) => i.cell.status !== "published")) {
      expect(await section.textContent()).toContain("secret statistique");
    }
    await expectNoAxeViolations(page, "établissement, indicateurs");

    const head = await createE2eAccount(vigie, "principal@ac-bordeaux.fr", [["school-head", uai]]);
    const own = await vigie.newPage();
    await logIn(own, head);
    await own.goto(`/etablissements/${uai}`);
    const ownSection = own.getByRole("region", { name: "Indicateurs de l'établissement" });
    await ownSection.getByRole("article").first().waitFor();
    const restricted = await fetchAs(own, `/api/v1/schools/${uai}/indicators`);
    const own_ = restricted.items.find((i) => i.cell.restricted && i.cell.status !== "published");
    expect(own_, "a value of the school, not publishable, shown to its head").toBeDefined();
    const ownText = norm((await ownSection.textContent()) ?? "");
    expect(ownText).toContain("données de votre établissement, non publiées");
    if (own_?.cell.value != null) {
      expect(ownText).toContain(norm(formatValue(own_.cell.value, own_.indicator.unit)));
    }
    await expectNoAxeViolations(own, "établissement, indicateurs du chef d'établissement");
  });
});

describe("statistical confidentiality thresholds", () => {
  it("lets a national administrator change them, refuses values out of bounds, and re-protects the figures", async () => {
    const admin = await createE2eAccount(vigie, "admin-secret@education.gouv.fr", [["national-admin", "FR"]]);
    const page = await vigie.newPage();
    await logIn(page, admin, "/connexion?retour=%2Fadministration%2Fsecret-statistique");
    await waitForHeading(page, "Secret statistique");
    const units = page.getByLabel(/^Nombre minimal d'établissements/);
    await units.waitFor();
    expect(await units.inputValue()).toBe("5");
    await expectNoAxeViolations(page, "secret statistique");
    await units.fill("0");
    await page.getByRole("button", { name: "Enregistrer les seuils" }).click();
    await page.getByRole("alert").filter({ hasText: "Le formulaire contient des erreurs" }).waitFor();
    await expectNoAxeViolations(page, "secret statistique, valeur refusée");
    await units.fill("3");
    await page.getByRole("button", { name: "Enregistrer les seuils" }).click();
    await page.getByText(/Seuils enregistrés : \d+ valeurs ont changé de statut/).waitFor();
    const response = await page.request.get("/api/v1/settings/confidentiality");
    expect(((await response.json()) as { minUnits: number }).minUnits).toBe(3);
    // Back to the defaults, for the other tests of this file.
    await units.fill("5");
    await page.getByRole("button", { name: "Enregistrer les seuils" }).click();
    await expect
      .poll(
        async () =>
          (
            (await (await page.request.get("/api/v1/settings/confidentiality")).json()) as {
              minUnits: number;
            }
          ).minUnits,
      )
      .toBe(5);
  });
});

/** The API as the page's user sees it (with its session cookie). */
async function fetchAs(page: Page, path: string): Promise<KeyIndicators> {
  const response = await page.request.get(path);
  expect(response.status()).toBe(200);
  return (await response.json()) as KeyIndicators;
}
