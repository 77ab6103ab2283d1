import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createE2eAccount, logIn, type TestAccount } from "./support/accounts.ts";
import { expectNoAxeViolations, FIXTURES, startVigie, type Vigie, waitForHeading } from "./support/vigie.ts";

let vigie: Vigie;
let admin: TestAccount;
beforeAll(async () => {
  vigie = await startVigie();
  admin = await createE2eAccount(vigie, "admin.national@education.gouv.fr", [["national-admin", "FR"]]);
});
afterAll(async () => {
  await vigie?.stop();
});
afterEach(() => {
  expect(vigie.pageErrors).toEqual([]);
});

/*
 * tests/fixtures/e2e/annuaire-e2e.csv: the 2023 Annuaire layout, 5 rows in Gironde —
 * line 2 collège 0331501C (REP+), line 3 école 0331502D, line 4 an invalid UAI (0331504A, the check
 * letter should be F), line 5 a duplicate of 0331501C, line 6 lycée professionnel privé 0331503E.
 */
const FIXTURE = path.join(FIXTURES, "annuaire-e2e.csv");

describe("Annuaire import", () => {
  it("upload → dry-run report → confirm → committed, and the new school exists", async () => {
    const page = await vigie.newPage();
    await logIn(page, admin, "/connexion?retour=%2Fadministration%2Fimport-annuaire");
    await waitForHeading(page, "Import de l'Annuaire de l'éducation");
    expect(await page.getByRole("main").textContent()).toContain(
      "Un administrateur national importe toute la France",
    );
    expect(await page.title()).toBe("Import de l'Annuaire - étape 1 sur 3 : Déposer le fichier - Vigie");
    await expectNoAxeViolations(page, "import, étape 1");

    // The school does not exist yet
    expect((await fetch(`${vigie.url}/api/v1/schools/0331501C`)).status).toBe(404);

    // Submitting without a file explains what to do
    await page.getByRole("button", { name: "Vérifier le fichier" }).click();
    expect(
      await page.getByText("Sélectionnez un fichier CSV avant de lancer la vérification.").isVisible(),
    ).toBe(true);
    await expectNoAxeViolations(page, "import, fichier manquant");

    await page.getByLabel("Fichier de l'Annuaire").setInputFiles(FIXTURE);
    await page.getByRole("button", { name: "Vérifier le fichier" }).click();
    const reportHeading = page.getByRole("heading", {
      level: 2,
      name: "Rapport de vérification",
      exact: true,
    });
    await reportHeading.waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Rapport de vérification");
    expect(await page.title()).toContain("étape 2 sur 3");

    const summary = page.getByRole("table", { name: /Synthèse de la vérification/ });
    const count = async (label: string) =>
      (await summary.getByRole("row").filter({ hasText: label }).locator("td").nth(1).textContent())?.trim();
    expect(await count("Lignes lues")).toBe("5");
    expect(await count("Établissements à créer")).toBe("3");
    expect(await count("Lignes rejetées")).toBe("1");
    expect(await count("Doublons")).toBe("1");

    const rejected = page.getByRole("table", { name: /Lignes rejetées/ });
    const rejectedCells = await rejected.locator("tbody tr").first().locator("td").allTextContents();
    expect(rejectedCells.slice(0, 3)).toEqual(["4", "0331504A", "Identifiant_de_l_etablissement"]);
    expect(rejectedCells[3]).toContain("lettre de contrôle");

    const duplicates = page.getByRole("table", { name: /Doublons/ });
    expect(await duplicates.locator("tbody tr").first().locator("td").allTextContents()).toEqual([
      "5",
      "0331501C",
      "2",
    ]);
    // Every rejection and duplicate, in a CSV the page links to (for its sender's session only).
    const fullReport = page.getByRole("link", { name: /Télécharger le rapport complet/ });
    expect(await fullReport.textContent()).toContain("1 ligne rejetée, 1 doublon");
    const csv = await page.evaluate(
      async (href) => {
        const res = await fetch(href as string);
        return { status: res.status, type: res.headers.get("content-type"), text: await res.text() };
      },
      await fullReport.getAttribute("href"),
    );
    expect(csv).toMatchObject({ status: 200, type: "text/csv; charset=utf-8" });
    expect(csv.text.split("\r\n").slice(0, 3)).toEqual([
      "Ligne;UAI;Type;Colonne;Motif;Première ligne avec cet UAI",
      expect.stringMatching(/^4;0331504A;rejet;Identifiant_de_l_etablissement;/),
      "5;0331501C;doublon;;UAI déjà présent plus haut dans le fichier;2",
    ]);
    expect((await fetch(`${vigie.url}${await fullReport.getAttribute("href")}`)).status).toBe(401);
    await expectNoAxeViolations(page, "import, rapport de vérification");

    // Still nothing written
    expect((await fetch(`${vigie.url}/api/v1/schools/0331501C`)).status).toBe(404);

    await page.getByRole("button", { name: "Confirmer l'import" }).click();
    await page.getByRole("heading", { level: 2, name: "Import confirmé", exact: true }).waitFor();
    expect(await page.title()).toContain("étape 3 sur 3");
    const committed = page.getByRole("table", { name: "Synthèse de l'import" });
    expect(
      (
        await committed
          .getByRole("row")
          .filter({ hasText: "Établissements créés" })
          .locator("td")
          .nth(1)
          .textContent()
      )?.trim(),
    ).toBe("3");
    await expectNoAxeViolations(page, "import confirmé");

    // The new school's page is reachable, and it is listed in its département
    await page.goto("/etablissements/0331501C");
    await waitForHeading(page, "Collège Rosa Bonheur");
    expect(await page.getByRole("main").textContent()).toContain("REP+");
    await page.goto("/etablissements?q=Rosa%20Bonheur");
    await page.getByRole("link", { name: "Collège Rosa Bonheur" }).waitFor();
  });

  it("a file that is not an Annuaire export is refused with a French error alert", async () => {
    const page = await vigie.newPage();
    await logIn(page, admin, "/connexion?retour=%2Fadministration%2Fimport-annuaire");
    await waitForHeading(page, "Import de l'Annuaire de l'éducation");
    await page.getByLabel("Fichier de l'Annuaire").setInputFiles({
      name: "notes.csv",
      mimeType: "text/csv",
      buffer: Buffer.from("nom;prenom\nDupont;Jean\n", "utf8"),
    });
    await page.getByRole("button", { name: "Vérifier le fichier" }).click();
    const alert = page.locator(".fr-alert--error");
    await alert.waitFor();
    expect(await alert.getByRole("heading").textContent()).toBe("Le fichier n'a pas pu être vérifié");
    expect(((await alert.textContent()) ?? "").length).toBeGreaterThan(40);
    expect(await page.getByRole("heading", { name: "Rapport de vérification" }).count()).toBe(0);
    await expectNoAxeViolations(page, "import, fichier refusé");
  });
});
