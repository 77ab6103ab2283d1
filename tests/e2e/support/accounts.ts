import type { Page } from "playwright-core";
import { createAccount, type TestAccount } from "../../helpers/accounts.ts";
import type { Vigie } from "./vigie.ts";
import { waitForHeading } from "./vigie.ts";

export type { TestAccount };

/** An account in the browser tests' server (through its store, as `vigie user create` would). */
export function createE2eAccount(
  vigie: Vigie,
  email: string,
  roles: readonly (readonly [string, string])[] = [],
  password?: string,
): Promise<TestAccount> {
  return createAccount(vigie.server.handle.db, email, roles, password);
}

/** Logs in through the login page, as a person would; lands on `/mon-compte` (or `retour`). */
export async function logIn(
  page: Page,
  account: Pick<TestAccount, "email" | "password">,
  path = "/connexion",
) {
  await page.goto(path);
  await waitForHeading(page, "Se connecter à Vigie");
  await page.getByLabel("Adresse électronique").fill(account.email);
  await page.getByLabel("Mot de passe", { exact: true }).fill(account.password);
  await page.getByRole("button", { name: "Se connecter", exact: true }).click();
  await page.waitForURL((url) => url.pathname !== "/connexion");
}
