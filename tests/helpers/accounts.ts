import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from "fastify";
import type { Kysely } from "kysely";
import { isRole, parseScope } from "../../src/server/identity/permissions.ts";
import { hashPassword } from "../../src/server/identity/sessions/passwords.ts";
import { createUser, grantRole } from "../../src/server/identity/users/users.ts";
import { CLI_ACTOR } from "../../src/server/platform/audit.ts";
import type { Database } from "../../src/server/platform/schema.ts";

/**
 * Accounts for tests, made through the identity store (as `vigie user create` does), and
 * signed-in clients over `app.inject` that send the session cookie and the CSRF token.
 */

export interface TestAccount {
  id: string;
  email: string;
  password: string;
}

/** An active account with a password and roles given as [role, territory] pairs (`["academy-steering", "04"]`). */
export async function createAccount(
  db: Kysely<Database>,
  email: string,
  roles: readonly (readonly [string, string])[] = [],
  password = "Cormorans-de-l-estuaire-2026",
): Promise<TestAccount> {
  const user = await createUser(
    db,
    { email, status: "active", passwordHash: await hashPassword(password) },
    CLI_ACTOR,
  );
  for (const [role, territory] of roles) {
    if (!isRole(role)) throw new Error(`rôle inconnu ${role}`);
    const parsed = parseScope(role, territory);
    if (!parsed.ok) throw new Error(parsed.error);
    await grantRole(db, user.id, { role, scope: parsed.scope }, CLI_ACTOR);
  }
  return { id: user.id, email: user.email, password };
}

export interface Client {
  cookie: string;
  csrf: string;
  /** `app.inject` with the session cookie and, on every request, the CSRF token. */
  request(options: InjectOptions): Promise<LightMyRequestResponse>;
}

export async function signIn(
  app: FastifyInstance,
  account: Pick<TestAccount, "email" | "password">,
): Promise<Client> {
  const res = await app.inject({
    method: "POST",
    url: "/api/v1/auth/login",
    payload: { email: account.email, password: account.password },
    // Each client from its own address: the login rate limit is per address.
    remoteAddress: `10.1.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`,
  });
  if (res.statusCode !== 200)
    throw new Error(`connexion de ${account.email} refusée : ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === "vigie_session");
  if (!cookie) throw new Error("pas de cookie de session");
  const client = {
    cookie: `vigie_session=${cookie.value}`,
    csrf: (res.json() as { csrfToken: string }).csrfToken,
    request: (options: InjectOptions) =>
      app.inject({
        ...options,
        headers: { ...options.headers, cookie: client.cookie, "x-csrf-token": client.csrf },
      }),
  };
  return client;
}
