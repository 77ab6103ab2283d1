import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { issueToken } from "../../src/server/identity/tokens.ts";
import { createUser } from "../../src/server/identity/users/users.ts";
import { CLI_ACTOR } from "../../src/server/platform/audit.ts";
import { createE2eAccount, logIn, type TestAccount } from "./support/accounts.ts";
import { expectNoAxeViolations, startVigie, type Vigie, waitForHeading } from "./support/vigie.ts";

let vigie: Vigie;
let dane: TestAccount;
let reader: TestAccount;

beforeAll(async () => {
  vigie = await startVigie();
  dane = await createE2eAccount(vigie, "dane@ac-bordeaux.fr", [["academy-steering", "04"]]);
  reader = await createE2eAccount(vigie, "lecteur@ac-limoges.fr", [["reader", "academy:22"]]);
});
afterAll(async () => {
  await vigie?.stop();
});
afterEach(() => {
  expect(vigie.pageErrors).toEqual([]);
});

describe("login", () => {
  it("/connexion: titled, French, no ProConnect button when it is not configured, no axe violation", async () => {
    const page = await vigie.newPage();
    await page.goto("/connexion");
    await waitForHeading(page, "Se connecter à Vigie");
    expect(await page.title()).toBe("Connexion - Vigie");
    expect(await page.getByText("S’identifier avec").count()).toBe(0);
    expect(await page.getByRole("link", { name: "Mot de passe oublié ?" }).getAttribute("href")).toBe(
      "/mot-de-passe-oublie",
    );
    await expectNoAxeViolations(page, "connexion");
  });

  it("an empty form lists its errors, each linked to its field", async () => {
    const page = await vigie.newPage();
    await page.goto("/connexion");
    await waitForHeading(page, "Se connecter à Vigie");
    await page.getByRole("button", { name: "Se connecter", exact: true }).click();
    const summary = page.getByRole("alert").filter({ hasText: "Le formulaire contient des erreurs" });
    await summary.waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute("role"))).toBe("alert");
    const links = summary.getByRole("link");
    expect(await links.allTextContents()).toEqual([
      "Adresse électronique : saisissez votre adresse électronique.",
      "Mot de passe : saisissez votre mot de passe.",
    ]);
    await links.nth(1).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("connexion-mot-de-passe");
    await expectNoAxeViolations(page, "connexion, champs vides");
  });

  it("a wrong password is refused with a French message in an alert linked to the field", async () => {
    const page = await vigie.newPage();
    await page.goto("/connexion");
    await waitForHeading(page, "Se connecter à Vigie");
    await page.getByLabel("Adresse électronique").fill(dane.email);
    await page.getByLabel("Mot de passe", { exact: true }).fill("Pas-le-bon-mot-de-passe-1");
    await page.getByRole("button", { name: "Se connecter", exact: true }).click();
    const alert = page.getByRole("alert").filter({ hasText: "La connexion a échoué" });
    await alert.waitFor();
    expect(await alert.textContent()).toContain("Adresse électronique ou mot de passe incorrect.");
    expect(await alert.getByRole("link").getAttribute("href")).toBe("#connexion-adresse");
    expect(new URL(page.url()).pathname).toBe("/connexion");
    await expectNoAxeViolations(page, "connexion refusée");
  });

  it("the header offers « Se connecter », and after the login « Mon compte » and « Se déconnecter »", async () => {
    const page = await vigie.newPage();
    await page.goto("/territoires");
    await waitForHeading(page, "France");
    const header = page.getByRole("banner");
    await header.getByRole("link", { name: "Se connecter" }).first().click();
    await waitForHeading(page, "Se connecter à Vigie");
    expect(new URL(page.url()).search).toBe("?retour=%2Fterritoires");
    await page.getByLabel("Adresse électronique").fill(dane.email);
    await page.getByLabel("Mot de passe", { exact: true }).fill(dane.password);
    await page.getByRole("button", { name: "Se connecter", exact: true }).click();
    // Back where the person was
    await waitForHeading(page, "France");
    expect(new URL(page.url()).pathname).toBe("/territoires");
    await header.getByRole("link", { name: "Mon compte" }).first().click();
    await waitForHeading(page, /^Mon compte$/);
    const main = page.getByRole("main");
    expect(await main.textContent()).toContain(dane.email);
    const roles = page.getByRole("table", { name: "Mes rôles et leurs territoires" });
    expect(await roles.locator("tbody tr").first().locator("td").allTextContents()).toEqual([
      "Pilotage d'académie (DANE)",
      "académie Bordeaux (04)",
    ]);
    // Administration: what a DANE may open, and no more
    expect(await main.getByRole("link", { name: "Journal d'audit" }).count()).toBe(1);
    expect(await main.getByRole("link", { name: "Durées de conservation" }).count()).toBe(0);
    expect(await main.getByRole("link", { name: "Mes données" }).getAttribute("href")).toBe("/mes-donnees");
    await expectNoAxeViolations(page, "mon compte");

    await header.getByRole("button", { name: "Se déconnecter" }).first().click();
    await waitForHeading(page, /Vigie, piloter/);
    await header.getByRole("link", { name: "Se connecter" }).first().waitFor();
    expect(await header.getByRole("link", { name: "Mon compte" }).count()).toBe(0);
    // The session is over on the server too
    await page.goto("/mon-compte");
    await waitForHeading(page, /^Mon compte$/);
    await page.getByText("Connexion requise").waitFor();
    expect(await page.title()).toBe("Mon compte - connexion requise - Vigie");
  });

  it("explains the ProConnect error codes in French", async () => {
    const page = await vigie.newPage();
    await page.goto("/connexion?erreur=compte-inconnu");
    await waitForHeading(page, "Se connecter à Vigie");
    const alert = page.locator(".fr-alert--error");
    expect(await alert.getByRole("heading").textContent()).toBe("Aucun compte Vigie pour cette adresse");
    expect(await alert.textContent()).toContain("Demandez une invitation");
    await expectNoAxeViolations(page, "connexion, erreur ProConnect");
  });

  it("dark mode: the login page has no axe violation", async () => {
    const page = await vigie.newPage({ colorScheme: "dark" });
    await page.goto("/connexion?erreur=proconnect-echec");
    await waitForHeading(page, "Se connecter à Vigie");
    await page.waitForFunction(() => document.documentElement.getAttribute("data-fr-theme") === "dark");
    await expectNoAxeViolations(page, "connexion en thème sombre");
  });
});

describe("pages that need an account", () => {
  it("the Annuaire import asks anonymous visitors to log in, then comes back", async () => {
    const page = await vigie.newPage();
    await page.goto("/administration/import-annuaire");
    await waitForHeading(page, "Import de l'Annuaire de l'éducation");
    expect(await page.getByText("Connexion requise").isVisible()).toBe(true);
    expect(await page.getByLabel("Fichier de l'Annuaire").count()).toBe(0);
    expect(await page.title()).toBe("Import de l'Annuaire de l'éducation - connexion requise - Vigie");
    await expectNoAxeViolations(page, "import, connexion requise");
    await page.getByRole("main").getByRole("link", { name: "Se connecter" }).click();
    await waitForHeading(page, "Se connecter à Vigie");
    await page.getByLabel("Adresse électronique").fill(dane.email);
    await page.getByLabel("Mot de passe", { exact: true }).fill(dane.password);
    await page.getByRole("button", { name: "Se connecter", exact: true }).click();
    await page.getByLabel("Fichier de l'Annuaire").waitFor();
    expect(new URL(page.url()).pathname).toBe("/administration/import-annuaire");
  });

  it("a role without the permission is told so", async () => {
    const page = await vigie.newPage();
    await logIn(page, reader, "/connexion?retour=%2Fadministration%2Fimport-annuaire");
    await waitForHeading(page, "Import de l'Annuaire de l'éducation");
    await page.getByText("Accès refusé").waitFor();
    expect(await page.getByRole("main").textContent()).toContain(reader.email);
    // No administration menu for a reader
    expect(
      await page.getByRole("navigation", { name: "Menu principal" }).getByText("Administration").count(),
    ).toBe(0);
    await expectNoAxeViolations(page, "import, accès refusé");
  });
});

describe("passwords from a link", () => {
  it("/activation: the policy is shown, a weak password is refused, a good one activates and logs in", async () => {
    const invited = await createUser(
      vigie.server.handle.db,
      { email: "invitee@ac-poitiers.fr", status: "invited" },
      CLI_ACTOR,
    );
    const { token } = await issueToken(vigie.server.handle.db, invited.id, "invitation");
    const page = await vigie.newPage();
    await page.goto(`/activation?jeton=${token}`);
    await waitForHeading(page, "Activer mon compte");
    expect(await page.getByText("12 caractères au minimum").isVisible()).toBe(true);
    await expectNoAxeViolations(page, "activation");
    const field = page.getByLabel(/^Mot de passe/);
    await field.fill("azertyuiopqsd");
    await page.getByRole("button", { name: "Activer mon compte" }).click();
    const alert = page.getByRole("alert").filter({ hasText: "Le mot de passe ne convient pas" });
    await alert.waitFor();
    expect(
      await page
        .getByText(/mot trop courant/)
        .first()
        .isVisible(),
    ).toBe(true);
    await expectNoAxeViolations(page, "activation, mot de passe refusé");
    // Show / hide the password (DSFR PasswordInput)
    expect(await field.getAttribute("type")).toBe("password");
    await page.getByText("Afficher", { exact: true }).click();
    await page.waitForFunction(
      () => document.getElementById("nouveau-mot-de-passe")?.getAttribute("type") === "text",
    );
    await field.fill("Marais-Poitevin-Venise-Verte-2026");
    await page.getByRole("button", { name: "Activer mon compte" }).click();
    await waitForHeading(page, /^Mon compte$/);
    expect(await page.getByText("Votre compte est activé et vous êtes connecté.").isVisible()).toBe(true);
    expect(await page.getByRole("main").textContent()).toContain("invitee@ac-poitiers.fr");

    // The same link does not work twice
    const again = await vigie.newPage();
    await again.goto(`/activation?jeton=${token}`);
    await waitForHeading(again, "Activer mon compte");
    await again.getByLabel(/^Mot de passe/).fill("Marais-Poitevin-Venise-Verte-2027");
    await again.getByRole("button", { name: "Activer mon compte" }).click();
    await again.getByRole("alert").filter({ hasText: "Ce lien ne peut pas servir" }).waitFor();
    expect(await again.getByRole("alert").textContent()).toContain("ne fonctionne qu'une fois");
  });

  it("/reinitialisation without a token, and /mot-de-passe-oublie", async () => {
    const page = await vigie.newPage();
    await page.goto("/reinitialisation");
    await waitForHeading(page, "Choisir un nouveau mot de passe");
    expect(await page.getByText("Lien incomplet").isVisible()).toBe(true);
    await expectNoAxeViolations(page, "réinitialisation sans jeton");
    await page.getByRole("link", { name: "Demander un nouveau lien" }).click();
    await waitForHeading(page, "Mot de passe oublié");
    await expectNoAxeViolations(page, "mot de passe oublié");
    await page.getByLabel("Adresse électronique").fill(dane.email);
    await page.getByRole("button", { name: "Recevoir un lien" }).click();
    await page.getByText("Demande enregistrée").waitFor();
    expect(await page.getByRole("main").textContent()).toContain(
      "Si un compte actif correspond à cette adresse",
    );
    await expectNoAxeViolations(page, "mot de passe oublié, demande envoyée");
  });
});
