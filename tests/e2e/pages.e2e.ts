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

describe("home, layout and legal pages", () => {
  it("home page: French, titled, DSFR header and footer, entry points, no axe violation", async () => {
    const page = await vigie.newPage();
    await page.goto("/");
    await waitForHeading(page, /Vigie, piloter le numérique éducatif/);
    expect(await page.getAttribute("html", "lang")).toBe("fr");
    expect(await page.title()).toBe("Accueil - Vigie");
    const header = page.getByRole("banner");
    await expect(header.getByText("Vigie", { exact: true })).toBeDefined();
    expect(await header.getByText("Piloter le numérique éducatif par les données").isVisible()).toBe(true);
    const nav = page.getByRole("navigation", { name: "Menu principal" });
    expect(await nav.getByRole("link", { name: "Territoires" }).isVisible()).toBe(true);
    expect(await nav.getByRole("link", { name: "Accueil" }).getAttribute("aria-current")).toBe("page");
    // Entry points
    const main = page.getByRole("main");
    expect(await main.getByRole("link", { name: "Territoires" }).count()).toBe(1);
    expect(await main.getByRole("link", { name: "Import de l'Annuaire" }).count()).toBe(1);
    // Indicators and roadmaps are here, not « in the next versions »
    expect(await main.getByText(/prochaines versions/).count()).toBe(0);
    for (const [name, href] of [
      ["Indicateurs", "/indicateurs"],
      ["Feuilles de route", "/feuilles-de-route"],
    ] as const) {
      expect(await main.getByRole("link", { name, exact: true }).getAttribute("href"), name).toBe(href);
    }
    // The demo territory's key figures, each leading to its indicator page
    const demo = main.getByRole("region", { name: "Territoire de démonstration : Nouvelle-Aquitaine" });
    expect(
      await demo.getByText(/La région académique compte [\d\s\u202f]+ établissements ouverts/).count(),
    ).toBe(1);
    expect(
      await demo
        .getByRole("link", { name: "Voir la région académique Nouvelle-Aquitaine" })
        .getAttribute("href"),
    ).toBe("/territoires/academicRegion/75");
    const keyIndicators = demo.getByRole("region", { name: "Indicateurs clés : Nouvelle-Aquitaine" });
    const cards = keyIndicators.getByRole("heading", { level: 3 }).getByRole("link");
    await cards.first().waitFor();
    expect(await cards.count()).toBeGreaterThan(0);
    expect(await cards.first().getAttribute("href")).toMatch(
      /^\/indicateurs\/[a-z_]+\?territoire=academicRegion%3A75/,
    );
    // Skip links come first and target existing elements
    await page.keyboard.press("Tab");
    const focused = page.locator(":focus");
    expect(await focused.textContent()).toBe("Contenu");
    for (const target of ["#contenu", "#menu-principal", "#pied-de-page"]) {
      expect(await page.locator(target).count(), target).toBe(1);
    }
    // Footer links to the legal pages
    const footer = page.getByRole("contentinfo");
    for (const [name, href] of [
      ["Plan du site", "/plan-du-site"],
      ["Accessibilité : non conforme", "/accessibilite"],
      ["Mentions légales", "/mentions-legales"],
      ["Données personnelles", "/donnees-personnelles"],
      ["Registre des traitements", "/registre-des-traitements"],
    ] as const) {
      expect(await footer.getByRole("link", { name, exact: true }).getAttribute("href"), name).toBe(href);
    }
    await expectNoAxeViolations(page, "accueil");
  });

  it("the skip link moves the focus to the content", async () => {
    const page = await vigie.newPage();
    await page.goto("/");
    await waitForHeading(page, /Vigie/);
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("contenu");
  });

  for (const [path, title] of [
    ["/accessibilite", "Déclaration d'accessibilité"],
    ["/mentions-legales", "Mentions légales"],
    ["/donnees-personnelles", "Données personnelles"],
    ["/plan-du-site", "Plan du site"],
    ["/registre-des-traitements", "Registre des traitements"],
  ] as const) {
    it(`${path}: titled and without axe violation`, async () => {
      const page = await vigie.newPage();
      await page.goto(path);
      await waitForHeading(page, title);
      expect(await page.title()).toBe(`${title} - Vigie`);
      await expectNoAxeViolations(page, path);
    });
  }

  it("the accessibility statement states the conformity honestly", async () => {
    const page = await vigie.newPage();
    await page.goto("/accessibilite");
    await waitForHeading(page, "Déclaration d'accessibilité");
    expect(await page.getByRole("main").textContent()).toContain("non conforme");
  });

  it("the site map lists every page, and its links work", async () => {
    const page = await vigie.newPage();
    await page.goto("/plan-du-site");
    await waitForHeading(page, "Plan du site");
    const links = page.locator("main h1 + ul").getByRole("link");
    const hrefs = await links.evaluateAll((elements) => elements.map((a) => a.getAttribute("href")));
    expect(hrefs).toEqual([
      "/",
      "/territoires",
      "/etablissements",
      "/indicateurs",
      "/competences",
      "/feuilles-de-route",
      "/collecte",
      "/connexion",
      "/mon-compte",
      "/mes-donnees",
      "/administration/import-annuaire",
      "/donnees/import",
      "/administration/utilisateurs",
      "/administration/journal",
      "/administration/conservation",
      "/administration/secret-statistique",
      "/administration/demandes-donnees",
      "/accessibilite",
      "/mentions-legales",
      "/donnees-personnelles",
      "/registre-des-traitements",
      "/plan-du-site",
    ]);
    await page.getByRole("main").getByRole("link", { name: "Mentions légales" }).click();
    await waitForHeading(page, "Mentions légales");
    expect(new URL(page.url()).pathname).toBe("/mentions-legales");
  });

  it("an unknown address shows the 404 page", async () => {
    const page = await vigie.newPage();
    await page.goto("/cette-page-n-existe-pas");
    await waitForHeading(page, "Page non trouvée");
    expect(await page.title()).toBe("Page non trouvée - Vigie");
    await expectNoAxeViolations(page, "404");
  });

  it("dark mode: the display settings switch the theme, and axe stays clean", async () => {
    const page = await vigie.newPage();
    await page.goto("/");
    await waitForHeading(page, /Vigie/);
    await page.getByRole("banner").getByRole("button", { name: "Paramètres d'affichage" }).first().click();
    const dialog = page.getByRole("dialog", { name: "Paramètres d'affichage" });
    await dialog.waitFor({ state: "visible" });
    await dialog.getByText("Thème sombre").click();
    await page.waitForFunction(() => document.documentElement.getAttribute("data-fr-theme") === "dark");
    await dialog.getByRole("button", { name: "Fermer" }).click();
    await dialog.waitFor({ state: "hidden" });
    await expectNoAxeViolations(page, "accueil en thème sombre");
    // The choice is kept across pages
    await page
      .getByRole("navigation", { name: "Menu principal" })
      .getByRole("link", { name: "Territoires" })
      .click();
    await waitForHeading(page, "France");
    expect(await page.getAttribute("html", "data-fr-theme")).toBe("dark");
    await expectNoAxeViolations(page, "territoires en thème sombre");
    await page.goto("/etablissements");
    await waitForHeading(page, "Établissements");
    await page.getByRole("table").waitFor();
    expect(await page.getAttribute("html", "data-fr-theme")).toBe("dark");
    await expectNoAxeViolations(page, "établissements en thème sombre");
  });

  it("the system dark preference is followed", async () => {
    const page = await vigie.newPage({ colorScheme: "dark" });
    await page.goto("/plan-du-site");
    await waitForHeading(page, "Plan du site");
    await page.waitForFunction(() => document.documentElement.getAttribute("data-fr-theme") === "dark");
    await expectNoAxeViolations(page, "plan du site, préférence système sombre");
  });

  it("mobile (375 px): the header shows the menu button, which opens the navigation", async () => {
    const page = await vigie.newPage({ width: 375, height: 740 });
    await page.goto("/");
    await waitForHeading(page, /Vigie/);
    const menuButton = page.getByRole("banner").getByRole("button", { name: "Menu" });
    expect(await menuButton.isVisible()).toBe(true);
    await expectNoAxeViolations(page, "accueil mobile");
    await menuButton.click();
    const territories = page
      .getByRole("navigation", { name: "Menu principal" })
      .getByRole("link", { name: "Territoires" });
    await territories.waitFor({ state: "visible" });
    await expectNoAxeViolations(page, "menu mobile ouvert");
    await territories.click();
    await waitForHeading(page, "France");
    expect(new URL(page.url()).pathname).toBe("/territoires");
    // No horizontal scrolling at 375 px
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
