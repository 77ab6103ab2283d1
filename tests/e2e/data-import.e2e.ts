import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { CRCN_COMPETENCES } from "../../src/contracts/crcn.ts";
import { pixProfilesHeader } from "../fixtures/imports/pix-profiles-export.ts";
import { createE2eAccount, logIn, type TestAccount } from "./support/accounts.ts";
import { expectNoAxeViolations, startVigie, type Vigie, waitForHeading } from "./support/vigie.ts";

/**
 * Issue 10, the web flow: a collège's head uploads a Pix Orga « collecte de profils » export on
 * a slow connection (the upload's progress bar), reads the dry run, confirms (the job's
 * progress), sees the figures on the school's competences dashboard, then rolls the import back.
 */

let vigie: Vigie;
let head: TestAccount;
let uai: string;
let dir: string;
let file: string;
const PUPILS = 2500;

/** A Pix Orga export with PUPILS participants of 3e, every competence at level 1 (8 pix, 128 in all). */
function pixExport(): string {
  const header = pixProfilesHeader();
  const rows = Array.from({ length: PUPILS }, (_, i) =>
    [
      "Collège de test",
      "9001",
      "E2EPIX001",
      "Collecte de rentrée",
      `Nom${i}`,
      `Prénom${i}`,
      i % 2 === 0 ? "3A" : "3B",
      "Oui",
      "14/10/2025 10:12",
      "128",
      "Oui",
      "16",
      ...CRCN_COMPETENCES.flatMap(() => ["1", "8"]),
    ].join(";"),
  );
  return `\uFEFF${[header.join(";"), ...rows].join("\r\n")}\r\n`;
}

beforeAll(async () => {
  vigie = await startVigie();
  const college = await vigie.server.handle.db
    .selectFrom("school")
    .select("uai")
    .where("type", "=", "college")
    .where("status", "=", "open")
    .orderBy("uai")
    .executeTakeFirstOrThrow();
  uai = college.uai;
  head = await createE2eAccount(vigie, "principal.pix@ac-bordeaux.fr", [["school-head", uai]]);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigie-e2e-pix-"));
  file = path.join(dir, "pix-collecte.csv");
  fs.writeFileSync(file, pixExport());
});
afterAll(async () => {
  await vigie?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  expect(vigie.pageErrors).toEqual([]);
});

describe("data import", () => {
  it("upload with progress → dry run → confirm → figures on the dashboard → rollback; axe stays clean", async () => {
    const page = await vigie.newPage();
    await logIn(page, head, "/connexion?retour=%2Fdonnees%2Fimport");
    await waitForHeading(page, "Importer des données");
    expect(await page.title()).toBe("Importer des données - étape 1 sur 3 : Déposer le fichier - Vigie");
    await expectNoAxeViolations(page, "import de données, étape 1");

    await page.getByLabel("Type de fichier").selectOption("pix-profiles");
    await page.getByLabel("Fichier", { exact: false }).last().setInputFiles(file);
    // A slow connection: the upload's progress is shown while the file is sent.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 20,
      downloadThroughput: -1,
      uploadThroughput: 150 * 1024,
    });
    await page.getByRole("button", { name: "Vérifier le fichier" }).click();
    await page.getByRole("progressbar", { name: "Envoi du fichier" }).waitFor();
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });

    await page
      .getByRole("heading", { level: 2, name: "Rapport de vérification" })
      .waitFor({ timeout: 60_000 });
    const summary = page.getByRole("table", { name: /Synthèse de la vérification/ });
    expect(await summary.getByRole("row", { name: /Lignes acceptées/ }).textContent()).toContain(
      (2500).toLocaleString("fr-FR"),
    );
    // No name of the file reaches the page (only counts).
    expect(await page.getByRole("main").textContent()).not.toContain("Prénom12");
    await expectNoAxeViolations(page, "import de données, rapport");

    await page.getByRole("button", { name: "Confirmer l'import" }).click();
    await page
      .getByRole("heading", { level: 2, name: "Import confirmé", exact: true })
      .waitFor({ timeout: 60_000 });
    await expectNoAxeViolations(page, "import de données, confirmé");

    // The figures reach the school's competences dashboard within seconds.
    const dashboard = await vigie.newPage();
    await logIn(
      dashboard,
      head,
      `/connexion?retour=${encodeURIComponent(`/competences?territoire=school:${uai}&niveau=troisieme`)}`,
    );
    await waitForHeading(dashboard, "Compétences numériques des élèves");
    const card = dashboard.locator(".fr-card").filter({ hasText: "Score Pix moyen" });
    await expect.poll(() => card.textContent(), { timeout: 10_000 }).toContain("128");
    // The school's own staff also read it class by class.
    const classes = dashboard.getByRole("table", { name: "Profils Pix par classe" });
    await classes.waitFor();
    expect(await classes.getByRole("row", { name: /^3A/ }).textContent()).toContain(
      (1250).toLocaleString("fr-FR"),
    );
    await expectNoAxeViolations(dashboard, "compétences d'un établissement, par classe");

    // Rolled back from the list of confirmed imports.
    await page.reload();
    await waitForHeading(page, "Importer des données");
    const list = page.getByRole("table", { name: "Imports confirmés dans votre périmètre" });
    await list.getByRole("button", { name: "Annuler l'import pix-collecte.csv" }).click();
    await list.getByRole("button", { name: "Confirmer l'annulation de pix-collecte.csv" }).click();
    await page
      .getByRole("status")
      .getByText(/Import annulé/)
      .waitFor();
    await list.getByRole("row").filter({ hasText: "annulé" }).first().waitFor();
    await expectNoAxeViolations(page, "import de données, après l'annulation");
  });
});
