import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../src/server/app.ts";
import { createUser, grantRole } from "../../src/server/identity/users/users.ts";
import { CLI_ACTOR } from "../../src/server/platform/audit.ts";
import { LOGIN_ERROR_MESSAGES } from "../../src/web/identity/LoginPage.tsx";
import { startOidcProvider, type TestOidcProvider } from "../helpers/oidc-provider.ts";
import { startTestServer } from "../helpers/vigie-server.ts";
import { CHROMIUM_ARGS } from "./support/vigie.ts";

/**
 * ProConnect in a real browser: Chromium goes from Vigie to a real OpenID provider (oidc-provider,
 * started here), types in the provider's login form, and comes back signed in to Vigie.
 */

let op: TestOidcProvider;
let vigie: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  op = await startOidcProvider([
    {
      login: "marie",
      email: "marie.curie@education.gouv.fr",
      given_name: "Marie",
      usual_name: "Curie",
      uid: "uid-marie",
      siret: "13002526500013",
      idp_id: "fia1v2",
    },
    {
      login: "inconnu",
      email: "personne@interieur.gouv.fr",
      given_name: "Paul",
      usual_name: "Personne",
      uid: "uid-inconnu",
      siret: "11000201100044",
      idp_id: "fia1v2",
    },
  ]);
  vigie = await startTestServer({
    PROCONNECT_ISSUER: op.issuer,
    PROCONNECT_CLIENT_ID: op.clientId,
    PROCONNECT_CLIENT_SECRET: op.clientSecret,
  });
  op.configure({ vigiePublicUrl: vigie.url });
  const user = await createUser(
    vigie.handle.db,
    { email: "marie.curie@education.gouv.fr", status: "active" },
    CLI_ACTOR,
  );
  await grantRole(
    vigie.handle.db,
    user.id,
    { role: "academy-steering", scope: { kind: "territory", level: "academy", code: "04" } },
    CLI_ACTOR,
  );
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: CHROMIUM_ARGS,
  });
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close().catch(() => undefined);
  await vigie?.close();
  await op?.close();
});

afterEach(() => {
  expect(pageErrors).toEqual([]);
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ baseURL: vigie.url, locale: "fr-FR" });
  contexts.push(context);
  // Offline test: the provider's development pages import a web font; nothing leaves the machine.
  await context.route(/^https?:\/\/(?!localhost[:/]|127\.0\.0\.1[:/])/, (route) => route.abort());
  const page = await context.newPage();
  page.on("pageerror", (error) => pageErrors.push(`${page.url()} : ${error.message}`));
  return page;
}

/** Starts a ProConnect login as the login page's button does, and signs in at the provider. */
async function loginWithProConnect(page: Page, login: string): Promise<void> {
  await page.goto("/connexion");
  const heading = page.getByRole("heading", { level: 1 }).first();
  await heading.waitFor();
  if (/Se connecter/.test((await heading.textContent()) ?? "")) {
    // The login page must offer the DSFR ProConnect button, since the server announces ProConnect.
    const button = page.locator("a.fr-connect");
    await button.waitFor({ state: "visible" });
    expect(await button.getAttribute("href")).toBe("/api/v1/auth/proconnect/login");
    await button.click();
  } else {
    // A build without the login page yet: go where its button leads.
    await page.goto("/api/v1/auth/proconnect/login");
  }
  await page.waitForURL((url) => url.origin === op.issuer && url.pathname.startsWith("/interaction/"));
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill("n'importe lequel");
  await page.getByRole("button", { name: "Sign-in" }).click();
}

async function sessionFromPage(page: Page) {
  return page.evaluate(async () => {
    const res = await fetch("/api/v1/auth/session", { credentials: "same-origin" });
    return (await res.json()) as {
      user: { email: string; givenName: string | null } | null;
      csrfToken: string | null;
    };
  });
}

describe("ProConnect in Chromium", () => {
  it("clicking through the provider's login form lands signed in on Vigie; logout goes through the provider", async () => {
    const page = await newPage();
    await loginWithProConnect(page, "marie");
    await page.waitForURL(`${vigie.url}/`);
    await page.getByRole("heading", { level: 1 }).first().waitFor();

    const session = await sessionFromPage(page);
    expect(session.user?.email).toBe("marie.curie@education.gouv.fr");
    expect(session.user?.givenName).toBe("Marie");
    const cookies = await page.context().cookies(vigie.url);
    const sessionCookie = cookies.find((c) => c.name === "vigie_session");
    expect(sessionCookie).toMatchObject({ httpOnly: true, sameSite: "Lax" });
    expect(cookies.some((c) => c.name === "vigie_proconnect")).toBe(false);
    // HttpOnly: the page's scripts cannot read the session cookie.
    expect(await page.evaluate(() => document.cookie)).not.toContain("vigie_session");

    // Logout as the web app does it: POST with the CSRF token, then follow `redirectTo`.
    const redirectTo = await page.evaluate(async (csrf) => {
      const res = await fetch("/api/v1/auth/logout", {
        method: "POST",
        headers: { "x-csrf-token": csrf ?? "", "content-type": "application/json" },
        body: "{}",
      });
      return ((await res.json()) as { redirectTo: string }).redirectTo;
    }, session.csrfToken);
    expect(new URL(redirectTo).origin).toBe(op.issuer);
    expect(new URL(redirectTo).searchParams.get("id_token_hint")).toBeTruthy();
    await page.goto(redirectTo);
    await page.getByRole("button", { name: "Yes, sign me out" }).click();
    await page.waitForURL((url) => url.origin === new URL(vigie.url).origin && url.pathname === "/");
    expect((await sessionFromPage(page)).user).toBeNull();
  });

  it("a ProConnect identity without a Vigie account comes back to the login page with compte-inconnu", async () => {
    const page = await newPage();
    await loginWithProConnect(page, "inconnu");
    await page.waitForURL(
      (url) => url.pathname === "/connexion" && url.searchParams.get("erreur") === "compte-inconnu",
    );
    // The login page explains the refusal in French (its text: src/web/identity/LoginPage.tsx).
    await page.getByText(LOGIN_ERROR_MESSAGES["compte-inconnu"]?.title ?? "?").waitFor();
    expect((await sessionFromPage(page)).user).toBeNull();
  });
});
