import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { readSchoolValues } from "../../src/server/indicators/index.ts";
import { createE2eAccount, logIn, type TestAccount } from "./support/accounts.ts";
import { expectNoAxeViolations, startVigie, type Vigie, waitForHeading } from "./support/vigie.ts";

/**
 * Issue 11, point 1 in the browser: a DANE builds a form (a section, a field on a data element she
 * defines on the spot, a second field, a rule), saves it, sees the server's refusal of her rule
 * under it, fixes it and saves version 1; launches a campaign from it; a school head answers and
 * submits; the value is in the observatory on her element. axe on every page.
 */

const WAIT = { timeout: 20_000 };
let vigie: Vigie;
let dane: TestAccount;
let head: TestAccount;
let uai: string;
let schoolId: string;
let campaignId = "";

beforeAll(async () => {
  vigie = await startVigie();
  dane = await createE2eAccount(vigie, "dane@ac-bordeaux.fr", [["academy-steering", "04"]]);
  const school = await vigie.server.handle.db
    .selectFrom("school")
    .select(["id", "uai"])
    .where("academy_code", "=", "04")
    .where("type", "=", "college")
    .where("status", "=", "open")
    .orderBy("uai")
    .executeTakeFirstOrThrow();
  uai = school.uai;
  schoolId = String(school.id);
  head = await createE2eAccount(vigie, "principal@college.fr", [["school-head", uai]]);
});
afterAll(async () => {
  await vigie?.stop();
});
afterEach(() => {
  expect(vigie.pageErrors).toEqual([]);
});

describe("collection form editor", () => {
  it("a DANE builds a form on a new data element, fixes the rule the server refuses, saves it", async () => {
    const page = await vigie.newPage();
    await logIn(page, dane, "/connexion?retour=%2Fcollecte");
    await waitForHeading(page, "Campagnes de collecte");
    await page.getByRole("link", { name: "Formulaires", exact: true }).click();
    await waitForHeading(page, "Formulaires de collecte");
    await page.getByText("Aucun formulaire enregistré pour l'instant.").waitFor();
    await expectNoAxeViolations(page, "formulaires, liste vide");

    await page.getByRole("button", { name: "Nouveau formulaire" }).click();
    await waitForHeading(page, "Nouveau formulaire");
    await page.locator("#fe-code").fill("robotique");
    await page.locator("#fe-title").fill("Robotique éducative");
    await page.locator("#fe-sections-0-title").fill("Kits");
    await page.locator("#fe-sections-0-fields-0-label").fill("Kits de robotique");
    expect(await page.locator("#fe-sections-0-fields-0-code").inputValue()).toBe("kits_de_robotique");
    await page.locator("#fe-sections-0-fields-0-dataElement").selectOption("__nouveau__");
    await page.locator("#fe-sections-0-fields-0-dataElement-nouveau-code").fill("robot_kits_e2e");
    await page.getByRole("button", { name: "Définir l'élément" }).click();
    await expect
      .poll(() => page.locator("#fe-sections-0-fields-0-dataElement").inputValue(), WAIT)
      .toBe("robot_kits_e2e");
    await page.getByRole("button", { name: "Ajouter un champ à la section « Kits »" }).click();
    await page.locator("#fe-sections-0-fields-1-label").fill("Kits en panne");
    await page.getByRole("button", { name: "Ajouter une règle" }).click();
    await page.locator("#fe-rules-0-left").fill("kits_en_panne");
    await page.locator("#fe-rules-0-right").fill("kits");
    await page.locator("#fe-rules-0-message").fill("Les kits en panne ne peuvent dépasser les kits.");
    await expectNoAxeViolations(page, "éditeur, formulaire rempli");

    await page.getByRole("button", { name: "Enregistrer le formulaire" }).click();
    const summary = page.getByRole("alert").filter({ hasText: "Le formulaire n'est pas enregistré" });
    await summary.getByText("règle « regle_1 » : champ inconnu « kits »").waitFor(WAIT);
    expect(await page.locator("#fe-rules-0-right-errors").textContent()).toContain("champ inconnu « kits »");
    expect(await page.locator("#fe-rules-0-right").getAttribute("aria-invalid")).toBe("true");
    await expectNoAxeViolations(page, "éditeur, règle refusée");

    await page.locator("#fe-rules-0-right").fill("kits_de_robotique");
    await page.getByRole("button", { name: "Enregistrer le formulaire" }).click();
    await page.getByText("Formulaire « Robotique éducative » enregistré : version 1.").waitFor(WAIT);
    await page.waitForURL((url) => url.pathname === "/collecte/formulaires/robotique/edition");
    await page.getByRole("button", { name: "Aperçu" }).click();
    await page.getByRole("heading", { name: "Aperçu pour l'établissement" }).waitFor();
    await expectNoAxeViolations(page, "éditeur, enregistré, aperçu");
  });

  it("the DANE launches a campaign from the saved form", async () => {
    const page = await vigie.newPage();
    await logIn(page, dane, "/connexion?retour=%2Fcollecte%2Fnouvelle");
    await waitForHeading(page, "Lancer une campagne de collecte");
    await page
      .locator("label", { hasText: "Formulaire enregistré « Robotique éducative » (version 1)" })
      .click();
    await page.getByRole("button", { name: "Lancer la campagne" }).click();
    await page.waitForURL((url) => /^\/collecte\/\d+\/suivi$/.test(url.pathname), WAIT);
    campaignId = new URL(page.url()).pathname.split("/")[2] ?? "";
    const row = await vigie.server.handle.db
      .selectFrom("collection_campaign")
      .select(["template", "feed"])
      .where("id", "=", campaignId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ template: "robotique", feed: "submitted" });
  });

  it("a school head answers, submits, and the value reaches the observatory", async () => {
    const page = await vigie.newPage();
    const address = `/collecte/${campaignId}/${uai}`;
    await logIn(page, head, `/connexion?retour=${encodeURIComponent(address)}`);
    await waitForHeading(page, /Robotique éducative/);
    await page.locator("#champ-kits_de_robotique").fill("7");
    await page.locator("#champ-kits_en_panne").fill("2");
    const submit = page.getByRole("button", { name: "Transmettre les réponses" });
    await expect.poll(() => submit.isEnabled(), WAIT).toBe(true);
    await expectNoAxeViolations(page, "réponse au formulaire d'une DANE");
    await submit.click();
    await page.getByText(/Les réponses ne sont plus modifiables/).waitFor(WAIT);
    const periodRow = await vigie.server.handle.db
      .selectFrom("collection_campaign")
      .select("period")
      .where("id", "=", campaignId)
      .executeTakeFirstOrThrow();
    const values = await readSchoolValues(
      vigie.server.handle.db,
      schoolId,
      ["robot_kits_e2e"],
      [periodRow.period],
    );
    expect(values.map((v) => v.value)).toEqual([7]);
  });
});
