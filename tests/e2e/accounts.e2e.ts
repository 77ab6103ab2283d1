import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createE2eAccount, logIn, type TestAccount } from "./support/accounts.ts";
import { expectNoAxeViolations, FIXTURES, startVigie, type Vigie, waitForHeading } from "./support/vigie.ts";

let vigie: Vigie;
let admin: TestAccount;
let dane: TestAccount;

beforeAll(async () => {
  vigie = await startVigie();
  admin = await createE2eAccount(vigie, "admin@ac-test.fr", [["national-admin", "FR"]]);
  dane = await createE2eAccount(vigie, "dane@ac-bordeaux.fr", [["academy-steering", "04"]]);
});
afterAll(async () => {
  await vigie?.stop();
});
afterEach(() => {
  expect(vigie.pageErrors).toEqual([]);
});

describe("administration", () => {
  it("invites a user: errors linked to fields, then a confirmation, and the list shows the account", async () => {
    const page = await vigie.newPage();
    await logIn(page, admin, "/connexion?retour=%2Fadministration%2Futilisateurs");
    await waitForHeading(page, "Utilisateurs et invitations");
    await page.getByRole("table", { name: /Comptes ayant un rôle/ }).waitFor();
    await expectNoAxeViolations(page, "utilisateurs");

    await page.getByRole("button", { name: "Envoyer l'invitation" }).click();
    const summary = page.getByRole("alert").filter({ hasText: "Le formulaire contient des erreurs" });
    await summary.waitFor();
    expect(await summary.getByRole("link").count()).toBe(3);
    await expectNoAxeViolations(page, "utilisateurs, formulaire incomplet");

    await page.getByLabel(/^Adresse électronique/).fill("nouvelle.dane@ac-limoges.fr");
    const role = page.getByLabel("Rôle", { exact: true });
    expect(await role.locator("option").allTextContents()).toContain("Pilotage d'académie (DANE)");
    await role.selectOption({ label: "Pilotage d'académie (DANE)" });
    expect(await page.getByText("Pour ce rôle : code de l'académie, ex. 04 (Bordeaux)").isVisible()).toBe(
      true,
    );
    await page.getByLabel(/^Territoire/).fill("22");
    await page.getByRole("button", { name: "Envoyer l'invitation" }).click();
    const done = page.locator(".fr-alert").filter({ hasText: "Invitation de nouvelle.dane@ac-limoges.fr" });
    await done.waitFor();
    // No mail server in the tests: the page says where the link went
    expect(await done.textContent()).toContain("Aucun serveur de messagerie");
    const row = page.getByRole("row").filter({ hasText: "nouvelle.dane@ac-limoges.fr" });
    await row.waitFor();
    expect(await row.textContent()).toContain("Invité");
    expect(await row.textContent()).toContain("Pilotage d'académie (DANE) — académie Limoges (22)");
    await expectNoAxeViolations(page, "utilisateurs, invitation envoyée");
  });

  it("the audit log shows the logins, the invitation and an Annuaire import; filters, sorts and exports CSV", async () => {
    const page = await vigie.newPage();
    await logIn(page, admin, "/connexion?retour=%2Fadministration%2Fimport-annuaire");
    await waitForHeading(page, "Import de l'Annuaire de l'éducation");
    await page.getByLabel("Fichier de l'Annuaire").setInputFiles(path.join(FIXTURES, "annuaire-e2e.csv"));
    await page.getByRole("button", { name: "Vérifier le fichier" }).click();
    await page.getByRole("button", { name: "Confirmer l'import" }).click();
    await page.getByRole("heading", { level: 2, name: "Import confirmé", exact: true }).waitFor();

    await page.goto("/administration/journal");
    await waitForHeading(page, "Journal d'audit");
    const table = page.getByRole("table", { name: /Événements du journal d'audit/ });
    await table.waitFor();
    const text = (await table.textContent()) ?? "";
    for (const label of [
      "Import de l'Annuaire",
      "Connexion",
      "Invitation",
      "Création de compte",
      "Attribution de rôle",
    ]) {
      expect(text, label).toContain(label);
    }
    // The newest first: the import just made
    const first = table.locator("tbody tr").first();
    expect(await first.locator("td").nth(2).textContent()).toBe("Import de l'Annuaire");
    expect(await first.locator("td").nth(1).textContent()).toBe(admin.email);
    expect(await first.textContent()).toContain("created : 3");
    await expectNoAxeViolations(page, "journal d'audit");

    // Filter on the logins
    const search = page.getByRole("search", { name: "Rechercher dans le journal d'audit" });
    await search.getByLabel("Action").selectOption({ label: "Connexion" });
    await search.getByRole("button", { name: "Rechercher" }).click();
    await page.waitForURL(/action=auth\.login/);
    // The count of the unfiltered list is still shown until the filtered one arrives: wait for
    // the rows themselves (the same assertion, read until the new answer is on the page).
    await expect
      .poll(async () => new Set(await table.locator("tbody tr td:nth-child(3)").allTextContents()), {
        timeout: 10_000,
      })
      .toEqual(new Set(["Connexion"]));

    // Sort by author: the column says how it is sorted
    await page.getByRole("button", { name: /^Auteur/ }).click();
    await page.waitForURL(/sort=actor/);
    await page.waitForFunction(() =>
      [...document.querySelectorAll("th")].some(
        (th) => th.getAttribute("aria-sort") === "ascending" && th.textContent?.startsWith("Auteur"),
      ),
    );
    const authors = await table.locator("tbody tr td:nth-child(2)").allTextContents();
    expect(authors).toEqual([...authors].sort());
    await expectNoAxeViolations(page, "journal d'audit filtré et trié");

    // The CSV export of the same filters, with the page's session
    const href = await page.getByRole("link", { name: /Exporter ces événements/ }).getAttribute("href");
    expect(href).toBe("/api/v1/audit-events.csv?action=auth.login&sort=actor&order=asc");
    const csv = await page.request.get(href ?? "");
    expect(csv.status()).toBe(200);
    expect(csv.headers()["content-type"]).toBe("text/csv; charset=utf-8");
    const body = (await csv.body()).toString("utf8");
    expect(body.startsWith("\uFEFFid;occurred_at;actor_user_id;actor_label;action;action_label;")).toBe(true);
    expect(body).toContain(";auth.login;Connexion;");
  });

  it("a DANE sees the events of its académie only, and not the administrators' pages", async () => {
    const page = await vigie.newPage();
    await logIn(page, dane, "/connexion?retour=%2Fadministration%2Fjournal");
    await waitForHeading(page, "Journal d'audit");
    await page
      .getByRole("status")
      .filter({ hasText: /trouvé|Aucun/ })
      .waitFor();
    const text = (await page.getByRole("main").textContent()) ?? "";
    expect(text).not.toContain("admin@ac-test.fr");
    await page.goto("/administration/conservation");
    await waitForHeading(page, "Durées de conservation");
    await page.getByText("Accès refusé").waitFor();
  });

  it("saves the retention periods, and refuses values out of bounds", async () => {
    const page = await vigie.newPage();
    await logIn(page, admin, "/connexion?retour=%2Fadministration%2Fconservation");
    await waitForHeading(page, "Durées de conservation");
    const audit = page.getByLabel(/^Journal d'audit \(en jours\)/);
    await audit.waitFor();
    expect(await audit.inputValue()).toBe("365");
    await expectNoAxeViolations(page, "conservation");
    await audit.fill("5");
    await page.getByRole("button", { name: "Enregistrer les durées" }).click();
    const summary = page.getByRole("alert").filter({ hasText: "Le formulaire contient des erreurs" });
    await summary.waitFor();
    expect(await summary.textContent()).toMatch(/entre 30 et 3\s650/u);
    await expectNoAxeViolations(page, "conservation, valeur refusée");
    await audit.fill("400");
    await page.getByRole("button", { name: "Enregistrer les durées" }).click();
    await page.getByText("Durées de conservation enregistrées.").waitFor();
    expect(await page.getByText(`par ${admin.email}`).isVisible()).toBe(true);
    await page.reload();
    await waitForHeading(page, "Durées de conservation");
    await page.getByLabel(/^Journal d'audit \(en jours\)/).waitFor();
    expect(await page.getByLabel(/^Journal d'audit \(en jours\)/).inputValue()).toBe("400");
  });
});

describe("Mes données", () => {
  it("shows my data, downloads it, and records a deletion request that an administrator handles", async () => {
    const person = await createE2eAccount(vigie, "partante@ac-poitiers.fr", [["reader", "academy:13"]]);
    const page = await vigie.newPage();
    await logIn(page, person, "/connexion?retour=%2Fmes-donnees");
    await waitForHeading(page, "Mes données");
    await page.getByRole("table", { name: "Les informations de mon compte" }).waitFor();
    const main = page.getByRole("main");
    expect(await main.textContent()).toContain(person.email);
    expect(
      await page.getByRole("table", { name: /Mes sessions ouvertes : 1 session/ }).textContent(),
    ).toContain("(cette session)");
    expect(await main.textContent()).toContain("Lecteur");
    await expectNoAxeViolations(page, "mes données");

    const json = await page.request.get(
      (await page.getByRole("link", { name: /JSON/ }).getAttribute("href")) ?? "",
    );
    expect((await json.json()).account.email).toBe(person.email);
    const csv = await page.request.get(
      (await page.getByRole("link", { name: /CSV/ }).getAttribute("href")) ?? "",
    );
    expect((await csv.body()).toString("utf8").startsWith("\uFEFFsection;id;occurred_at;label;details")).toBe(
      true,
    );

    await page.getByRole("button", { name: "Demander la suppression de mon compte" }).click();
    const question = page.getByRole("heading", {
      name: "Confirmez-vous la demande de suppression de votre compte ?",
    });
    await question.waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain("Confirmez-vous");
    await page.getByLabel("Message pour l'administrateur (facultatif)").fill("Je change de poste.");
    await expectNoAxeViolations(page, "mes données, confirmation de suppression");
    await page.getByRole("button", { name: "Confirmer la demande de suppression" }).click();
    const done = page.locator(".fr-alert--success").filter({ hasText: "Demande enregistrée" });
    await done.waitFor();
    expect(await done.textContent()).toContain("délai d'un mois");
    await page.getByRole("table", { name: "Mes demandes sur mes données personnelles" }).waitFor();
    expect(
      await page.getByRole("table", { name: "Mes demandes sur mes données personnelles" }).textContent(),
    ).toContain("En cours");

    // The national administrator handles it
    const adminPage = await vigie.newPage();
    await logIn(adminPage, admin, "/connexion?retour=%2Fadministration%2Fdemandes-donnees");
    await waitForHeading(adminPage, "Demandes sur les données personnelles");
    const row = adminPage.getByRole("row").filter({ hasText: person.email });
    await row.waitFor();
    expect(await row.textContent()).toContain("Je change de poste.");
    await expectNoAxeViolations(adminPage, "demandes sur les données");
    await row.getByRole("button", { name: `Traiter la demande de ${person.email}` }).click();
    await adminPage.getByRole("heading", { name: `Traiter la demande de ${person.email}` }).waitFor();
    await adminPage.getByRole("button", { name: "Supprimer le compte et clore la demande" }).click();
    await adminPage.getByText(`Le compte de ${person.email} est supprimé et la demande est close.`).waitFor();
    expect(await adminPage.getByText("Aucune demande en cours.").isVisible()).toBe(true);

    // The person's session is gone with the account
    await page.reload();
    await waitForHeading(page, "Mes données");
    await page.getByText("Connexion requise").waitFor();
  });
});

describe("register of processing", () => {
  it("is a page linked from the footer, honest about what is left to configure", async () => {
    const page = await vigie.newPage();
    await page.goto("/");
    await waitForHeading(page, /Vigie, piloter/);
    await page.getByRole("contentinfo").getByRole("link", { name: "Registre des traitements" }).click();
    await waitForHeading(page, "Registre des traitements");
    expect(await page.title()).toBe("Registre des traitements - Vigie");
    const text = (await page.getByRole("main").textContent()) ?? "";
    for (const part of [
      "Mission d'intérêt public",
      "Journal d'audit",
      "365 jours",
      "à renseigner par l'organisme",
    ]) {
      expect(text, part).toContain(part);
    }
    await expectNoAxeViolations(page, "registre des traitements");
  });
});
