import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createCampaign, shippedTemplates } from "../../src/server/collection/index.ts";
import { CLI_ACTOR } from "../../src/server/platform/index.ts";
import { createE2eAccount, logIn, type TestAccount } from "./support/accounts.ts";
import { expectNoAxeViolations, startVigie, type Vigie, waitForHeading } from "./support/vigie.ts";

/**
 * Issue 11, item 3 and the offline draft, in Chromium: an école's head fills in « Activation de
 * l'ENT » — a broken rule and a decimal in an integer field shown as they type, then corrected —,
 * the autosave survives a reload, answers typed offline are kept in the browser and sent when the
 * connection returns, the submission makes the page read-only; axe on the page, and at 375 px.
 */

let vigie: Vigie;
let head: TestAccount;
let uai: string;
let campaignId: string;
let equipmentId: string;
/** The autosave waits 1.5 s after the last keystroke, then the PUT: a few seconds on a loaded machine. */
const SAVE_WAIT = { timeout: 15_000, interval: 250 };
const url = () => `/collecte/${campaignId}/${uai}`;

beforeAll(async () => {
  vigie = await startVigie();
  const db = vigie.server.handle.db;
  const ecole = await db
    .selectFrom("school")
    .select("uai")
    .where("academy_code", "=", "04")
    .where("type", "in", ["ecole_elementaire", "ecole_primaire", "ecole_maternelle"])
    .where("status", "=", "open")
    .orderBy("uai")
    .executeTakeFirstOrThrow();
  uai = ecole.uai;
  head = await createE2eAccount(vigie, "directrice.ent@ac-bordeaux.fr", [["school-head", uai]]);
  const templates = await shippedTemplates();
  const campaign = await createCampaign(
    db,
    templates,
    { template: "ent-activation", period: "2025-2026", target: { territory: "academy:04", uais: [uai] } },
    "cli",
    CLI_ACTOR,
  );
  campaignId = campaign.id;
  // The equipment survey has a grid (computers by kind × state): for axe and the small screen.
  const equipment = await createCampaign(
    db,
    templates,
    { template: "equipment", period: "2025-2026", target: { territory: "academy:04", uais: [uai] } },
    "cli",
    CLI_ACTOR,
  );
  equipmentId = equipment.id;
});
afterAll(async () => {
  await vigie?.stop();
});
afterEach(() => {
  // A save refused while offline is a failed fetch, not a page error: none expected here.
  expect(vigie.pageErrors).toEqual([]);
});

const saved = (page: Page) => page.getByRole("status").filter({ hasText: /^Enregistré à \d\d:\d\d$/ });

async function waitSaved(page: Page) {
  await saved(page).waitFor();
}

describe("filling in a campaign", () => {
  it("live errors → corrected → autosave across reload → offline draft sent → submitted, read-only", async () => {
    const page = await vigie.newPage();
    await logIn(page, head, `/connexion?retour=${encodeURIComponent(url())}`);
    await waitForHeading(page, "Activation de l'ENT");
    await expectNoAxeViolations(page, "réponse, vide");

    // DSFR radios: the label is what one clicks.
    const activatedGroup = page.getByRole("group", { name: /L'ENT de l'école est activé/ });
    await activatedGroup.getByText("Oui", { exact: true }).click();
    expect(await activatedGroup.getByLabel("Oui").isChecked()).toBe(true);
    await page.getByLabel("Élèves inscrits (élèves)").fill("200");
    await page.getByLabel("Comptes élèves chargés (comptes)").fill("100");
    await page.getByLabel("Comptes élèves activés (comptes)").fill("120");
    await page.getByLabel("Comptes enseignants chargés (comptes)").fill("12,5");
    // As they type: the rule's message under the field, the integer check, and the summary's links.
    const activated = page.getByLabel("Comptes élèves activés (comptes)");
    const ruleMessage = "Les comptes élèves activés ne peuvent pas dépasser les comptes élèves chargés.";
    await page.locator(".fr-error-text", { hasText: ruleMessage }).waitFor();
    expect(await activated.getAttribute("aria-invalid")).toBe("true");
    const teachers = page.getByLabel("Comptes enseignants chargés (comptes)");
    const describedBy = (await teachers.getAttribute("aria-describedby")) ?? "";
    expect(await page.locator(`[id="${describedBy.split(" ").pop()}"]`).textContent()).toContain(
      "un nombre entier est attendu",
    );
    const summary = page.getByRole("region", { name: /Contrôles des réponses : 2 erreurs/ });
    await summary.getByRole("link", { name: ruleMessage }).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(await activated.getAttribute("id"));
    await expect
      .poll(() => page.getByRole("button", { name: "Transmettre les réponses" }).isDisabled())
      .toBe(true);
    await page.getByText(/Transmission impossible tant que/).waitFor();
    await expectNoAxeViolations(page, "réponse, erreurs");
    await waitSaved(page);

    // Corrected: the errors go; the autosave stores them (the decimal was never sent).
    await activated.fill("90");
    await teachers.fill("12");
    await expect.poll(() => page.locator(".fr-error-text").count()).toBe(0);
    await expect.poll(() => storedAnswer("pupil_accounts_activated"), SAVE_WAIT).toBe(90);
    await page.reload();
    await waitForHeading(page, "Activation de l'ENT");
    expect(await page.getByLabel("Comptes élèves activés (comptes)").inputValue()).toBe("90");
    expect(await page.getByLabel("Comptes enseignants chargés (comptes)").inputValue()).toBe("12");

    // Offline: the answers stay in the browser, the banner says so; back online, the draft is sent.
    await page.context().setOffline(true);
    await page.getByText(/Hors connexion : vos réponses sont gardées dans ce navigateur/).waitFor();
    await page.getByLabel("Comptes parents chargés (comptes)").fill("300");
    await page
      .getByRole("status")
      .filter({ hasText: "Hors connexion : enregistré dans ce navigateur" })
      .waitFor();
    const draft = await page.evaluate(() =>
      Object.keys(localStorage).filter((k) => k.startsWith("vigie:collecte:brouillon")),
    );
    expect(draft).toHaveLength(1);
    expect(await storedAnswer("parent_accounts")).toBeUndefined();
    await page.context().setOffline(false);
    await waitSaved(page);
    await expect.poll(() => storedAnswer("parent_accounts"), SAVE_WAIT).toBe(300);
    expect(
      await page.evaluate(() =>
        Object.keys(localStorage).filter((k) => k.startsWith("vigie:collecte:brouillon")),
      ),
    ).toEqual([]);

    // The rest, then the submission: read-only with its date.
    await page.getByLabel("Comptes parents activés (comptes)").fill("150");
    await page.getByLabel("Comptes élèves chargés (comptes)").fill("180");
    await page.getByLabel("Comptes enseignants activés (comptes)").fill("10");
    const submit = page.getByRole("button", { name: "Transmettre les réponses" });
    await expect.poll(() => submit.isEnabled()).toBe(true);
    await submit.click();
    await page.getByText(/Les réponses ne sont plus modifiables/).waitFor();
    expect(await page.getByText(/État : Transmis, transmis le/).count()).toBe(1);
    expect(await page.getByRole("textbox").count()).toBe(0);
    expect(await page.getByText("Comptes parents chargés : 300 comptes").count()).toBe(1);
    expect(await storedState()).toBe("submitted");
    await expectNoAxeViolations(page, "réponse transmise");
  });

  it("a draft kept offline, page closed, is sent when the page is opened again online", async () => {
    const page = await vigie.newPage();
    const address = `/collecte/${equipmentId}/${uai}`;
    await logIn(page, head, `/connexion?retour=${encodeURIComponent(address)}`);
    await waitForHeading(page, /Équipement/);
    await page.context().setOffline(true);
    await page.locator("#champ-computers-desktop-functional").fill("7");
    await page
      .getByRole("status")
      .filter({ hasText: "Hors connexion : enregistré dans ce navigateur" })
      .waitFor();
    const context = page.context();
    await page.close();
    expect(await storedAnswer("computers.desktop.functional", equipmentId)).toBeUndefined();
    await context.setOffline(false);
    const again = await context.newPage();
    await again.goto(address);
    await waitForHeading(again, /Équipement/);
    await expect.poll(() => storedAnswer("computers.desktop.functional", equipmentId), SAVE_WAIT).toBe(7);
    await saved(again).waitFor();
    expect(await again.locator("#champ-computers-desktop-functional").inputValue()).toBe("7");
  });

  it("a save on a stale revision is explained; after the reload the browser's answers can be taken back", async () => {
    const page = await vigie.newPage();
    const address = `/collecte/${equipmentId}/${uai}`;
    await logIn(page, head, `/connexion?retour=${encodeURIComponent(address)}`);
    await waitForHeading(page, /Équipement/);
    // Another tab saved meanwhile.
    await vigie.server.handle.db
      .updateTable("collection_response")
      .set((eb) => ({ revision: eb("revision", "+", 1) }))
      .where("campaign_id", "=", equipmentId)
      .where("uai", "=", uai)
      .execute();
    await page.locator("#champ-computers-desktop-functional").fill("8");
    await page.getByText("Réponses modifiées entre-temps").waitFor({ timeout: 15_000 });
    await page.getByRole("button", { name: "Recharger la dernière version" }).click();
    await page.getByText("Des saisies plus récentes sont gardées dans ce navigateur").waitFor();
    expect(await page.locator("#champ-computers-desktop-functional").inputValue()).toBe("7");
    await page.getByRole("button", { name: "Reprendre les saisies de ce navigateur" }).click();
    expect(await page.locator("#champ-computers-desktop-functional").inputValue()).toBe("8");
    await expect.poll(() => storedAnswer("computers.desktop.functional", equipmentId), SAVE_WAIT).toBe(8);
    await expectNoAxeViolations(page, "réponse reprise après conflit");
  });

  it("a grid as a table of number inputs; fits a 375 px screen; axe clean", async () => {
    const mobile = await vigie.newPage({ width: 375, height: 740 });
    await logIn(mobile, head, `/connexion?retour=${encodeURIComponent(`/collecte/${equipmentId}/${uai}`)}`);
    await waitForHeading(mobile, /Équipement/);
    const grid = mobile.getByRole("table").first();
    expect(await grid.getByRole("columnheader").count()).toBeGreaterThan(0);
    expect(await grid.getByRole("rowheader").count()).toBeGreaterThan(0);
    expect(await grid.getByRole("textbox").count()).toBeGreaterThan(1);
    await expectNoAxeViolations(mobile, "réponse avec grille, mobile");
    expect(
      await mobile.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
    ).toBeLessThanOrEqual(0);

    // A comment per cell: a button in the cell opens its text area; the comment is saved with the cell.
    const cell = "champ-computers-desktop-functional";
    const toggle = mobile.locator(`button[aria-controls="${cell}-commentaire-zone"]`);
    expect(await toggle.textContent()).toMatch(/^Commentaire sur « .+ »$/);
    expect(await toggle.getAttribute("aria-expanded")).toBe("false");
    expect(await mobile.locator(`#${cell}-commentaire`).isVisible()).toBe(false);
    await toggle.click();
    expect(await toggle.getAttribute("aria-expanded")).toBe("true");
    expect(await mobile.locator(`label[for="${cell}-commentaire"]`).textContent()).toMatch(
      /^Commentaire sur « .+ » \(facultatif\)$/,
    );
    await mobile.locator(`#${cell}-commentaire`).fill("Deux en panne");
    await expect
      .poll(() => storedComment("computers.desktop.functional", equipmentId), SAVE_WAIT)
      .toBe("Deux en panne");
    await expectNoAxeViolations(mobile, "commentaire d'une case de grille, mobile");
    expect(
      await mobile.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
    ).toBeLessThanOrEqual(0);
    // Opened again, the comment is there and its text area open.
    await mobile.reload();
    await waitForHeading(mobile, /Équipement/);
    expect(await mobile.locator(`#${cell}-commentaire`).inputValue()).toBe("Deux en panne");
    expect(await toggle.getAttribute("aria-expanded")).toBe("true");
  });
});

async function storedRow(id = campaignId) {
  return vigie.server.handle.db
    .selectFrom("collection_response")
    .select(["answers", "state"])
    .where("campaign_id", "=", id)
    .where("uai", "=", uai)
    .executeTakeFirstOrThrow();
}

async function storedAnswer(code: string, id = campaignId): Promise<unknown> {
  const row = await storedRow(id);
  const answers = (typeof row.answers === "string" ? JSON.parse(row.answers) : row.answers) as Record<
    string,
    { value: unknown }
  >;
  return answers[code]?.value;
}

async function storedState(): Promise<string> {
  return (await storedRow()).state;
}

async function storedComment(code: string, id = campaignId): Promise<unknown> {
  const row = await storedRow(id);
  const answers = (typeof row.answers === "string" ? JSON.parse(row.answers) : row.answers) as Record<
    string,
    { comment?: string }
  >;
  return answers[code]?.comment;
}
