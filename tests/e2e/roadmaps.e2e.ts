import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createE2eAccount, logIn, type TestAccount } from "./support/accounts.ts";
import { expectNoAxeViolations, startVigie, type Vigie, waitForHeading } from "./support/vigie.ts";

let vigie: Vigie;
let dane: TestAccount;
let tmp: string;
beforeAll(async () => {
  vigie = await startVigie();
  dane = await createE2eAccount(vigie, "dane@ac-bordeaux.fr", [["academy-steering", "04"]]);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "vigie-roadmaps-e2e-"));
});
afterAll(async () => {
  await vigie?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});
afterEach(() => {
  expect(vigie.pageErrors).toEqual([]);
});

describe("roadmaps", () => {
  it("lists the templates from the header navigation; a template shows its tree, statuses and table", async () => {
    const page = await vigie.newPage();
    await page.goto("/");
    await waitForHeading(page, /Vigie/);
    await page
      .getByRole("navigation", { name: "Menu principal" })
      .getByRole("link", { name: "Feuilles de route" })
      .click();
    await waitForHeading(page, "Feuilles de route");
    expect(await page.title()).toBe("Feuilles de route - Vigie");
    const templates = page.getByRole("region", { name: "Modèles tirés des documents stratégiques" });
    await templates.getByRole("link").first().waitFor();
    expect(await templates.getByRole("link").count()).toBe(5);
    expect(await page.getByText("Aucune feuille de route publiée pour l'instant.").isVisible()).toBe(true);
    // The anonymous see no creation form.
    expect(await page.getByRole("heading", { name: "Créer une feuille de route" }).count()).toBe(0);
    await expectNoAxeViolations(page, "liste des feuilles de route");

    await templates.getByRole("link", { name: /Poitiers/ }).click();
    await waitForHeading(page, /Poitiers/);
    const main = page.getByRole("main");
    expect(await main.getByRole("heading", { level: 3, name: /^Ambition / }).count()).toBe(3);
    // Every status is written, not only coloured; progress bars carry a name and a value.
    const table = page.getByRole("table", { name: /Objectifs chiffrés du modèle/ });
    const rows = await table.locator("tbody tr").count();
    expect(rows).toBe(20);
    const states = await table.locator("tbody tr td:last-child").allTextContents();
    for (const state of states)
      expect(["Atteint", "En bonne voie", "En retard", "Sans donnée"]).toContain(state.trim());
    const bars = page.getByRole("progressbar");
    expect(await bars.count()).toBeGreaterThan(0);
    expect(await bars.first().getAttribute("aria-label")).toContain("part des objectifs atteints");
    await expectNoAxeViolations(page, "modèle Poitiers");
  });

  it("a DANE creates a roadmap from a template, edits an objective, adds a checkpoint and publishes", async () => {
    const page = await vigie.newPage();
    await logIn(page, dane, "/connexion?retour=%2Ffeuilles-de-route");
    await waitForHeading(page, "Feuilles de route");
    await page.getByRole("heading", { name: "Créer une feuille de route" }).waitFor();
    await expectNoAxeViolations(page, "feuilles de route, connecté");
    expect(await page.locator("#creation-territoire").inputValue()).toBe("academy:04");
    await page.getByLabel("Modèle de départ").selectOption({ label: "Poitiers 2020-2021" });
    await page.getByLabel("Titre (facultatif)").fill("Feuille de route numérique de Bordeaux");
    await page.getByRole("button", { name: "Créer en brouillon" }).click();
    await waitForHeading(page, "Feuille de route numérique de Bordeaux");
    const main = page.getByRole("main");
    expect(await main.getByText("Brouillon", { exact: true }).isVisible()).toBe(true);
    expect(await main.textContent()).toContain("Académie Bordeaux");
    await expectNoAxeViolations(page, "feuille de route en brouillon");

    // Edit the first objective's target
    await main.getByRole("link", { name: "Modifier" }).click();
    await waitForHeading(page, /^Modifier/);
    await expectNoAxeViolations(page, "modification");
    const firstTarget = page.locator('input[id$="-cible"]:not([id^="nouveau-"])').first();
    await firstTarget.fill("95");
    await page.getByLabel("Titre de la feuille de route").fill("Feuille de route numérique de Bordeaux 2026");
    await page.getByRole("button", { name: "Enregistrer" }).click();
    await waitForHeading(page, /^Feuille de route numérique de Bordeaux 2026$/);
    expect(await main.textContent()).toContain("version 2");
    expect(await page.getByRole("table", { name: /Objectifs chiffrés/ }).textContent()).toContain("95");

    // A checkpoint freezes the values
    await page.getByLabel("Titre du point d'étape").fill("Point d'étape de janvier");
    await page.getByLabel("Date (facultatif)").fill("2027-01-15");
    await page.getByLabel("Commentaire (facultatif)").fill("Premier bilan");
    await page.getByRole("button", { name: "Figer les valeurs" }).click();
    await page
      .getByRole("heading", { level: 3, name: /Point d'étape de janvier — 15 janvier 2027/ })
      .waitFor();
    expect(await page.getByRole("table", { name: "Valeurs figées au 15 janvier 2027" }).isVisible()).toBe(
      true,
    );
    await expectNoAxeViolations(page, "feuille de route avec un point d'étape");

    // Publish: visible to everyone
    await page.getByRole("button", { name: "Publier" }).click();
    await main.getByText("Publiée", { exact: true }).waitFor();
    const anonymous = await vigie.newPage({ colorScheme: "dark" });
    await anonymous.goto("/feuilles-de-route");
    await anonymous.getByRole("link", { name: "Feuille de route numérique de Bordeaux 2026" }).click();
    await waitForHeading(anonymous, "Feuille de route numérique de Bordeaux 2026");
    expect(await anonymous.getByRole("link", { name: "Modifier" }).count()).toBe(0);
    await expectNoAxeViolations(anonymous, "feuille de route publiée, thème sombre");
    const small = await vigie.newPage({ width: 375, height: 740 });
    await small.goto(new URL(anonymous.url()).pathname);
    await waitForHeading(small, "Feuille de route numérique de Bordeaux 2026");
    await expectNoAxeViolations(small, "feuille de route publiée, 375 px");
  });

  it("a DANE adds an indicator and an objective, removes one in the editor, then unpublishes", async () => {
    const page = await vigie.newPage();
    await logIn(page, dane, "/connexion?retour=%2Ffeuilles-de-route");
    await waitForHeading(page, "Feuilles de route");
    await page.getByLabel("Modèle de départ").selectOption({ label: "Poitiers 2020-2021" });
    await page.getByLabel("Titre (facultatif)").fill("Plan de Bordeaux restructuré");
    await page.getByRole("button", { name: "Créer en brouillon" }).click();
    await waitForHeading(page, "Plan de Bordeaux restructuré");
    const main = page.getByRole("main");
    const table = page.getByRole("table", { name: /Objectifs chiffrés/ });
    const rowsBefore = await table.locator("tbody tr").count();
    await main.getByRole("link", { name: "Modifier" }).click();
    await waitForHeading(page, /^Modifier/);

    // Adding an indicator without choosing one: the error summary gets the focus.
    const addIndicator = page.getByRole("group", {
      name: /^Ajouter un indicateur au champ opérationnel 1\.1\.1$/,
    });
    await addIndicator.getByRole("button", { name: "Ajouter l'indicateur" }).click();
    const summary = page.getByRole("alert").filter({ hasText: "Le formulaire contient des erreurs" });
    await summary.getByText(/choisissez un indicateur/).waitFor();
    expect(await summary.evaluate((el) => el === document.activeElement)).toBe(true);
    await expectNoAxeViolations(page, "modification, erreur d'ajout d'indicateur");

    // From the catalogue: the label defaults to the indicator's name.
    await addIndicator.getByLabel("Indicateur du catalogue").selectOption("trainee_days");
    expect(await addIndicator.getByLabel("Libellé dans la feuille de route").inputValue()).toBe(
      "Journées stagiaires",
    );
    await addIndicator.getByRole("button", { name: "Ajouter l'indicateur" }).click();
    const indicator = page.getByRole("group", { name: "Indicateur : Journées stagiaires (trainee_days)" });
    await indicator.waitFor();
    expect(await summary.count()).toBe(0);
    const newObjective = indicator.getByRole("group", {
      name: "Ajouter un objectif à « Journées stagiaires »",
    });
    const deadline = newObjective.getByLabel("Échéance");
    expect(await deadline.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await newObjective.getByLabel("Territoire").locator("option:checked").textContent()).toContain(
      "Bordeaux",
    );
    expect(await newObjective.getByLabel("Unité").inputValue()).toBe("jours");

    // A wrong target is refused before anything is added.
    await deadline.fill("2027");
    await newObjective.getByLabel("Cible").fill("beaucoup");
    await newObjective.getByRole("button", { name: "Ajouter l'objectif" }).click();
    await summary.getByText(/Cible, nouvel objectif, Journées stagiaires : saisissez un nombre/).waitFor();
    await expectNoAxeViolations(page, "modification, objectif refusé");
    await newObjective.getByLabel("Cible").fill("12 000");
    await newObjective.getByRole("textbox", { name: /^Base \(facultatif\)/ }).fill("2000");
    await newObjective.getByLabel("Année de la base (facultatif)").fill("2025");
    await newObjective.getByLabel("Comparateur").selectOption(">=");
    await newObjective.getByRole("button", { name: "Ajouter l'objectif" }).click();
    const added = indicator.getByRole("group", { name: /^Objectif : Journées stagiaires/ });
    await added.waitFor();
    const addedTarget = added.locator('input[id$="-cible"]');
    expect(await addedTarget.inputValue()).toBe("12000");
    expect(await addedTarget.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await addedTarget.getAttribute("id")).toMatch(/^obj-\d+-cible$/);
    await expectNoAxeViolations(page, "modification, objectif ajouté");

    // Remove the roadmap's first objective (not the new one).
    const removeButtons = page.getByRole("button", { name: /^Retirer l'objectif / });
    const countBefore = await removeButtons.count();
    await removeButtons.first().click();
    expect(await removeButtons.count()).toBe(countBefore - 1);

    // An error only the server sees (an empty ambition title) comes back in the summary, in French.
    const ambitionTitle = page.getByLabel("Titre de l'ambition 1");
    const ambitionText = await ambitionTitle.inputValue();
    await ambitionTitle.fill("");
    await page.getByRole("button", { name: "Enregistrer" }).click();
    await summary.getByText(/ambitions\[0\]\.title/).waitFor();
    expect(await summary.evaluate((el) => el === document.activeElement)).toBe(true);
    await expectNoAxeViolations(page, "modification, refus du serveur");
    await ambitionTitle.fill(ambitionText);
    await page.getByRole("button", { name: "Enregistrer" }).click();
    await waitForHeading(page, /^Plan de Bordeaux restructuré$/);
    expect(await table.locator("tbody tr").count()).toBe(rowsBefore);
    expect(await table.textContent()).toContain("Journées stagiaires");

    // Publish, then unpublish: back to draft, hidden from the public.
    await page.getByRole("button", { name: "Publier" }).click();
    await main.getByText("Publiée", { exact: true }).waitFor();
    await page.getByRole("button", { name: "Dépublier" }).click();
    await main.getByText("Brouillon", { exact: true }).waitFor();
    await main.getByText(/revenue au brouillon/).waitFor();
    await expectNoAxeViolations(page, "feuille de route dépubliée");
    const slug = new URL(page.url()).pathname.split("/").pop();
    const anonymous = await fetch(`${vigie.url}/api/v1/roadmaps/${slug}`);
    expect(anonymous.status).toBe(404);
  });

  it("a bad YAML file is refused with the path and the reason; nothing is created", async () => {
    const page = await vigie.newPage();
    await logIn(page, dane, "/connexion?retour=%2Ffeuilles-de-route");
    await waitForHeading(page, "Feuilles de route");
    const file = path.join(tmp, "mauvais.yaml");
    fs.writeFileSync(
      file,
      `id: x
title: Plan
shortTitle: Plan
authority: DANE
territory: { level: academy, code: "04", name: Bordeaux }
period: { from: "2025", to: "2028", label: 2025-2028 }
summary: Essai
ambitions:
  - id: a1
    title: Ambition
    targets: []
`,
    );
    await page.getByLabel("Fichier YAML").setInputFiles(file);
    await page.getByRole("button", { name: "Importer" }).click();
    const alert = page.getByRole("alert").filter({ hasText: "Erreurs dans le fichier" });
    await alert.getByText("chemin « ambitions[0].targets »").waitFor();
    expect(await alert.textContent()).toContain("Fichier « mauvais.yaml »");
    await expectNoAxeViolations(page, "import YAML refusé");
    const list = (await (await fetch(`${vigie.url}/api/v1/roadmaps`)).json()) as { roadmaps: unknown[] };
    expect(list.roadmaps).toHaveLength(1); // the published one; the unpublished draft is hidden
  });
});
