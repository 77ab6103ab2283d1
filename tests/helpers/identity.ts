import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from "fastify";
import type { Kysely } from "kysely";
import type { DestinationStream } from "pino";
import { buildApp } from "../../src/server/app.ts";
import { isRole, parseScope } from "../../src/server/identity/permissions.ts";
import { hashPassword } from "../../src/server/identity/sessions/passwords.ts";
import { createUser, grantRole } from "../../src/server/identity/users/users.ts";
import { CLI_ACTOR } from "../../src/server/platform/audit.ts";
import { type Config, loadConfig } from "../../src/server/platform/config.ts";
import type { DatabaseHandle } from "../../src/server/platform/db.ts";
import type { Database } from "../../src/server/platform/schema.ts";
import { openTestDatabase } from "./db.ts";

/** Identity test kit: the app with chosen settings, accounts, sign-in over `app.inject`. */

export const PASSWORD = "Cormorans-estuaire-2026";

export interface IdentityTestApp {
  handle: DatabaseHandle;
  db: Kysely<Database>;
  app: FastifyInstance;
  config: Config;
  close(): Promise<void>;
}

/** A test database and the real app on it, configured from `env` like `vigie serve`. */
export async function openIdentityTestApp(
  env: Record<string, string> = {},
  options: { logStream?: DestinationStream; dataDir?: string } = {},
): Promise<IdentityTestApp> {
  const handle = await openTestDatabase();
  const config = {
    ...loadConfig({ LOG_LEVEL: "warn", ...env }),
    // The base is the test database whatever this says: it only places the uploaded files.
    dataDir: options.dataDir ?? ":memory:",
    databaseUrl: undefined,
  };
  const app = await buildApp(handle, config, options.logStream ? { logStream: options.logStream } : {});
  return {
    handle,
    db: handle.db,
    app,
    config,
    async close() {
      await app.close();
      await handle.close();
    },
  };
}

/** An active account with a password and its roles, as `[role, territory]` pairs. */
export async function makeUser(
  db: Kysely<Database>,
  email: string,
  roles: readonly (readonly [string, string])[] = [],
  options: { password?: string | null; status?: "active" | "invited" } = {},
): Promise<{ id: string; email: string; password: string }> {
  const password = options.password === undefined ? PASSWORD : options.password;
  const user = await createUser(
    db,
    {
      email,
      status: options.status ?? "active",
      passwordHash: password === null ? null : await hashPassword(password),
    },
    CLI_ACTOR,
  );
  for (const [role, territory] of roles) {
    if (!isRole(role)) throw new Error(`rôle inconnu ${role}`);
    const parsed = parseScope(role, territory);
    if (!parsed.ok) throw new Error(parsed.error);
    await grantRole(db, user.id, { role, scope: parsed.scope }, CLI_ACTOR);
  }
  return { id: user.id, email: user.email, password: password ?? "" };
}

let addressCounter = 0;
/** A new client address for each call: the login rate limit counts per address. */
export function nextAddress(): string {
  addressCounter++;
  return `10.${(addressCounter >> 16) & 255}.${(addressCounter >> 8) & 255}.${addressCounter & 255}`;
}

export function sessionCookieOf(res: LightMyRequestResponse): string | undefined {
  return res.cookies.find((c) => c.name === "vigie_session")?.value;
}

export async function postLogin(
  app: FastifyInstance,
  email: string,
  password: string,
  options: { remoteAddress?: string; cookie?: string; headers?: Record<string, string> } = {},
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: "POST",
    url: "/api/v1/auth/login",
    payload: { email, password },
    remoteAddress: options.remoteAddress ?? nextAddress(),
    headers: { ...(options.cookie ? { cookie: `vigie_session=${options.cookie}` } : {}), ...options.headers },
  });
}

export interface SignedIn {
  cookie: string;
  csrf: string;
  /** `app.inject` with the session cookie and the CSRF token. */
  request(options: InjectOptions): Promise<LightMyRequestResponse>;
}

export async function signIn(app: FastifyInstance, email: string, password = PASSWORD): Promise<SignedIn> {
  const res = await postLogin(app, email, password);
  if (res.statusCode !== 200)
    throw new Error(`connexion de ${email} refusée : ${res.statusCode} ${res.body}`);
  const cookie = sessionCookieOf(res);
  if (!cookie) throw new Error("pas de cookie de session");
  const csrf = (res.json() as { csrfToken: string }).csrfToken;
  return {
    cookie,
    csrf,
    request: (options) =>
      app.inject({
        ...options,
        headers: { ...options.headers, cookie: `vigie_session=${cookie}`, "x-csrf-token": csrf },
      }),
  };
}
