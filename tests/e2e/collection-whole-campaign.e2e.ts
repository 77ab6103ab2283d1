import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createE2eAccount, logIn, type TestAccount } from "./support/accounts.ts";
import { expectNoAxeViolations, startVigie, type Vigie, waitForHeading } from "./support/vigie.ts";

/**
 * Issue 11, « Tests »: a whole campaign in Chromium, one page per person. A DANE launches the
 * equipment survey (template: approval by the département, then the académie; fed on approval)
 * for a collège of Gironde; its head fills it in with an error (seen under the field), corrects
 * it and submits; the département's approver returns it with a comment (required), the school
 * sees it and submits again; the approver validates the school then the département; the DANE
 * (who sent the reminders at once while nobody had answered) grants a lock exception, accepts the département and validates the académie; the school's Wi-Fi coverage is on the
 * indicators API within seconds. Axe on every page visited; the approval page at 375 px.
 */

let vigie: Vigie;
let dane: TestAccount;
let dasen: TestAccount;
let head: TestAccount;
let uai: string;
let schoolName: string;
let campaignId = "";
const TITLE = "Équipement numérique des collèges de Gironde";
/** A step's answer, the roll-up after an approval: seconds on a loaded machine. */
const WAIT = { timeout: 15_000, interval: 250 };

beforeAll(async () => {
  vigie = await startVigie();
  const school = await vigie.server.handle.db
    .selectFrom("school")
    .select(["uai", "name"])
    .where("department_code", "=", "33")
    .where("type", "=", "college")
    .where("status", "=", "open")
    .orderBy("uai")
    .executeTakeFirstOrThrow();
  uai = school.uai;
  schoolName = school.name;
  dane = await createE2eAccount(vigie, "dane.campagne@ac-bordeaux.fr", [["academy-steering", "04"]]);
  dasen = await createE2eAccount(vigie, "dsden33.campagne@ac-bordeaux.fr", [["department", "department:33"]]);
  head = await createE2eAccount(vigie, "principal.campagne@college.fr", [["school-head", uai]]);
});
afterAll(async () => {
  await vigie?.stop();
});
afterEach(() => {
  expect(vigie.pageErrors).toEqual([]);
});

async function responseState(): Promise<string> {
  const row = await vigie.server.handle.db
    .selectFrom("collection_response")
    .select("state")
    .where("campaign_id", "=", campaignId)
    .where("uai", "=", uai)
    .executeTakeFirstOrThrow();
  return row.state;
}

const RETURN_COMMENT = "Vérifiez le nombre de kits d'hybridation avant de transmettre à nouveau.";

/** The school head, after the return: the comment above the form, then the same answers sent again. */
async function resubmit() {
  const page = await vigie.newPage();
  await logIn(page, head, `/connexion?retour=${encodeURIComponent(`/collecte/${campaignId}/${uai}`)}`);
  await waitForHeading(page, /Équipement/);
  await page.getByText(RETURN_COMMENT).waitFor();
  await expectNoAxeViolations(page, "réponse renvoyée");
  const submit = page.getByRole("button", { name: "Transmettre les réponses" });
  await expect.poll(() => submit.isEnabled(), WAIT).toBe(true);
  await submit.click();
  await page.getByText(/Les réponses ne sont plus modifiables/).waitFor(WAIT);
  expect(await responseState()).toBe("submitted");
  await page.close();
}

/** A day in a week, in France (a lock exception's last day). */
function inAWeek(): string {
  const d = new Date(Date.now() + 7 * 86_400_000);
  return new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Paris" }).format(d);
}

/** The live region of the approval page, once it says `text`. */
async function confirmed(page: Page, text: string | RegExp) {
  await page.getByRole("status").filter({ hasText: text }).first().waitFor(WAIT);
}

describe("a whole campaign", () => {
  it("the DANE launches the equipment survey for one collège and sends the reminders at once", async () => {
    const page = await vigie.newPage();
    await logIn(page, dane, "/connexion?retour=%2Fcollecte%2Fnouvelle");
    await waitForHeading(page, "Lancer une campagne de collecte");
    await page.locator("label", { hasText: "Équipement et usages numériques" }).click();
    await page.locator("#campagne-titre").fill(TITLE);
    await page.locator("#campagne-periode").fill("2025-2026");
    await page.getByLabel("Liste d'UAI").fill(uai);
    await expectNoAxeViolations(page, "lancement");
    await page.getByRole("button", { name: "Lancer la campagne" }).click();
    await page.waitForURL(/\/collecte\/[^/]+\/suivi/);
    campaignId = new URL(page.url()).pathname.split("/")[2] ?? "";
    await waitForHeading(page, new RegExp(`${TITLE} : complétude`));
    // The template's levels: a link to the approval page from the completeness.
    await page.getByRole("link", { name: /^Valider les réponses/ }).waitFor();
    await expectNoAxeViolations(page, "complétude");

    // Nobody has answered yet: the DANE sends the reminders at once, follows the job, reads the history.
    await page.getByRole("link", { name: /^Valider les réponses/ }).click();
    await waitForHeading(page, /^Validation de la campagne/);
    await page.getByText("Aucune relance envoyée pour l'instant.").waitFor();
    await page.getByRole("button", { name: "Relancer les établissements en retard" }).click();
    await page.getByRole("progressbar", { name: "Envoi des relances" }).waitFor(WAIT);
    const history = page.getByRole("table", { name: "Relances envoyées" });
    await history.getByRole("cell", { name: "À la demande" }).waitFor(WAIT);
    expect(await history.getByRole("row").count()).toBe(2);
    await expectNoAxeViolations(page, "validation, relance envoyée");
    const row = await vigie.server.handle.db
      .selectFrom("collection_campaign")
      .select(["approval_levels", "feed"])
      .where("id", "=", campaignId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ approval_levels: ["department", "academy"], feed: "approved" });
  });

  it("the school head fills it in with an error, sees it, corrects it and submits", async () => {
    const page = await vigie.newPage();
    const address = `/collecte/${campaignId}/${uai}`;
    await logIn(page, head, `/connexion?retour=${encodeURIComponent(address)}`);
    await waitForHeading(page, /Équipement/);
    // Every number a zero (the known headcount kept), every yes/no « Oui ».
    const inputs = page.locator('input[id^="champ-"]:not([type="checkbox"]):not([type="radio"])');
    const count = await inputs.count();
    expect(count).toBeGreaterThan(10);
    for (let i = 0; i < count; i++) {
      const input = inputs.nth(i);
      if ((await input.inputValue()) === "") await input.fill("0");
    }
    const yes = page.locator("label", { hasText: /^Oui$/ });
    for (let i = 0; i < (await yes.count()); i++) await yes.nth(i).click();
    const wifi = page.getByLabel(/^Salles d'enseignement couvertes par le Wi-Fi/);
    await wifi.fill("120");
    await expect.poll(() => wifi.getAttribute("aria-invalid"), WAIT).toBe("true");
    const error = page.locator(".fr-error-text", { hasText: /100/ }).first();
    await error.waitFor();
    const submit = page.getByRole("button", { name: "Transmettre les réponses" });
    await expect.poll(() => submit.isDisabled()).toBe(true);
    await expectNoAxeViolations(page, "réponse avec une erreur");

    await wifi.fill("85");
    await expect.poll(() => page.locator(".fr-error-text").count(), WAIT).toBe(0);
    await expect.poll(() => submit.isEnabled(), WAIT).toBe(true);
    await submit.click();
    await page.getByText(/Les réponses ne sont plus modifiables/).waitFor(WAIT);
    expect(await responseState()).toBe("submitted");
    await expectNoAxeViolations(page, "réponse transmise");
  });

  it("the département's approver returns the response with a comment, the school submits again; then the school and the département are validated", async () => {
    const page = await vigie.newPage();
    await logIn(page, dasen, "/connexion?retour=%2Fcollecte");
    await waitForHeading(page, "Campagnes de collecte");
    await expectNoAxeViolations(page, "campagnes, approbateur");
    await page.getByRole("link", { name: `Validation de « ${TITLE} »` }).click();
    await waitForHeading(page, /^Validation de la campagne : Gironde/);
    expect(new URL(page.url()).search).toBe("?territory=department%3A33");
    // Not yet: the département cannot be validated while its school is not.
    expect(await page.getByRole("button", { name: /^Valider : Département Gironde/ }).count()).toBe(0);
    await page.getByRole("link", { name: schoolName }).first().waitFor();
    await page.getByText("Aucune valeur transmise ne s'écarte nettement").waitFor();
    await expectNoAxeViolations(page, "validation, département");

    // Returned first, with the comment it requires; the school sees it and submits again.
    await page.getByRole("button", { name: `Renvoyer pour correction : ${schoolName}` }).click();
    const confirm = page.getByRole("button", { name: `Confirmer le renvoi : ${schoolName}` });
    await confirm.click();
    await page.getByText("Dites à l'établissement ce qu'il doit corriger.").waitFor();
    await page.getByLabel(`Commentaire pour ${schoolName} (obligatoire)`).fill(RETURN_COMMENT);
    await confirm.click();
    await confirmed(page, `Les réponses de ${schoolName} sont renvoyées pour correction`);
    expect(await responseState()).toBe("returned");
    await expectNoAxeViolations(page, "validation, réponse renvoyée");
    await resubmit();
    await page.reload();
    await waitForHeading(page, /^Validation de la campagne : Gironde/);

    await page.getByRole("button", { name: `Valider : ${schoolName}`, exact: true }).click();
    await confirmed(page, `Les réponses de ${schoolName} sont validées.`);
    await confirmed(page, /valeurs versées dans l'observatoire/);
    expect(await responseState()).toBe("approved");
    await page.getByRole("button", { name: /^Valider : Département Gironde/ }).click();
    await confirmed(page, "Le département Gironde est validé.");
    await page.getByRole("button", { name: /^Annuler la validation : Département Gironde/ }).waitFor();
    await expectNoAxeViolations(page, "validation, département validé");
    // The DANE's controls are not the département's: no reminders here.
    expect(await page.getByRole("button", { name: "Relancer les établissements en retard" }).count()).toBe(0);
  });

  it("the DANE grants a lock exception, accepts the département and validates the académie; the value is on the indicators API", async () => {
    const page = await vigie.newPage();
    await logIn(page, dane, `/connexion?retour=${encodeURIComponent(`/collecte/${campaignId}/suivi`)}`);
    await waitForHeading(page, new RegExp(`${TITLE} : complétude`));
    await page.getByRole("link", { name: /^Valider les réponses/ }).click();
    await waitForHeading(page, /^Validation de la campagne : .*Bordeaux/);
    await page.getByRole("button", { name: "Relancer les établissements en retard" }).waitFor();
    await expectNoAxeViolations(page, "validation, académie");

    // A lock exception for the school, from above it.
    const until = inAWeek();
    await page.getByLabel(`Exception au verrouillage pour ${schoolName} : dernier jour`).fill(until);
    await page.getByRole("button", { name: `Accorder une exception : ${schoolName}` }).click();
    await confirmed(page, `${schoolName} peut saisir et transmettre jusqu'au`);
    // The row reads it back from the server: « Jusqu'au 8 décembre 2026 ».
    await page
      .getByRole("row", { name: new RegExp(schoolName) })
      .getByText(/^Jusqu'au /)
      .waitFor(WAIT);

    await page.getByRole("button", { name: /^Accepter : Département Gironde/ }).click();
    await confirmed(page, /^Le département Gironde est accepté/);
    expect(await responseState()).toBe("accepted");
    await page.getByRole("button", { name: /^Valider : Académie de Bordeaux/ }).click();
    await confirmed(page, "L'académie de Bordeaux est validée.");
    await expectNoAxeViolations(page, "validation, académie validée");

    // The school's value, through the roll-up the approval requested (the DANE sees it).
    const started = Date.now();
    await expect
      .poll(async () => {
        const res = await page.request.get(
          `/api/v1/indicators/wifi_coverage_mean/values?territory=school:${uai}&period=2025-2026`,
        );
        return res.ok()
          ? ((await res.json()) as { territory: { value: number | null } }).territory.value
          : null;
      }, WAIT)
      .toBe(85);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it("the approval page fits 375 px", async () => {
    const mobile = await vigie.newPage({ width: 375, height: 740 });
    const address = `/collecte/${campaignId}/validation`;
    await logIn(mobile, dane, `/connexion?retour=${encodeURIComponent(address)}`);
    await waitForHeading(mobile, /^Validation de la campagne/);
    await mobile.getByRole("button", { name: /^Annuler la validation : Académie de Bordeaux/ }).waitFor();
    await expectNoAxeViolations(mobile, "validation, mobile");
    expect(
      await mobile.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
    ).toBeLessThanOrEqual(0);
  });
});
