import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../src/server/app.ts";
import { PROCONNECT_SCOPES } from "../../src/server/identity/proconnect/proconnect.ts";
import { LOGIN_STARTS_PER_MINUTE } from "../../src/server/identity/proconnect/proconnect-routes.ts";
import { createUser, disableUser } from "../../src/server/identity/users/users.ts";
import { CLI_ACTOR } from "../../src/server/platform/audit.ts";
import { openTestApp } from "../helpers/app.ts";
import { CookieJar } from "../helpers/cookie-jar.ts";
import { testEngine } from "../helpers/db.ts";
import { startOidcProvider, type TestIdentity, type TestOidcProvider } from "../helpers/oidc-provider.ts";
import { startTestServer } from "../helpers/vigie-server.ts";

const person = (login: string, email: string, extra: Partial<TestIdentity> = {}): TestIdentity => ({
  login,
  email,
  given_name: "Camille",
  usual_name: login.toUpperCase(),
  uid: `uid-${login}`,
  siret: "13002526500013",
  idp_id: "fia1v2",
  ...extra,
});

const DIRECTORY = [
  // ProConnect may send the address in another case than the one Vigie stores.
  person("marie", "Marie.Curie@Education.gouv.fr", { given_name: "Marie", usual_name: "Curie" }),
  person("inconnu", "personne@interieur.gouv.fr"),
  person("desactive", "ancien@education.gouv.fr"),
  person("invitee", "nouvelle@ac-bordeaux.fr", { given_name: "Nina", usual_name: "Nouvelle" }),
];

let op: TestOidcProvider;
let vigie: RunningServer;

beforeAll(async () => {
  op = await startOidcProvider(DIRECTORY);
  vigie = await startTestServer({
    PROCONNECT_ISSUER: op.issuer,
    PROCONNECT_CLIENT_ID: op.clientId,
    PROCONNECT_CLIENT_SECRET: op.clientSecret,
  });
  op.configure({ vigiePublicUrl: vigie.url });
  const db = vigie.handle.db;
  await createUser(db, { email: "marie.curie@education.gouv.fr", status: "active" }, CLI_ACTOR);
  const gone = await createUser(db, { email: "ancien@education.gouv.fr", status: "active" }, CLI_ACTOR);
  await disableUser(db, gone.id, CLI_ACTOR);
  await createUser(db, { email: "nouvelle@ac-bordeaux.fr", status: "invited" }, CLI_ACTOR);
});

afterAll(async () => {
  await vigie?.close();
  await op?.close();
});

const callbackPrefix = () => `${vigie.url}/api/v1/auth/proconnect/callback`;

/** The browser's first step: Vigie's login route, answered by a redirect to the provider. */
async function startLogin(jar: CookieJar): Promise<URL> {
  const res = await jar.fetch(`${vigie.url}/api/v1/auth/proconnect/login`);
  expect(res.status).toBe(302);
  return new URL(res.headers.get("location") ?? "");
}

/**
 * At the provider: follows the redirects to its login form, submits it for `login`, and follows
 * until the provider sends the browser back to Vigie. Returns that callback URL (not yet visited).
 */
async function loginAtProvider(jar: CookieJar, authorizationUrl: URL, login: string): Promise<URL> {
  const page = await jar.follow(authorizationUrl);
  expect(page.response.status).toBe(200);
  const html = await page.response.text();
  const action = html.match(/<form[^>]*action="([^"]+)"[^>]*method="post"/)?.[1];
  if (!action) throw new Error(`Pas de formulaire de connexion chez le fournisseur :\n${html.slice(0, 500)}`);
  const back = await jar.follow(new URL(action.replaceAll("&amp;", "&"), page.url), {
    init: {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ prompt: "login", login, password: "peu-importe" }).toString(),
    },
    stopAt: (next) => next.href.startsWith(callbackPrefix()),
  });
  if (!back.location) throw new Error(`Le fournisseur n'a pas renvoyé vers Vigie (${back.response.status})`);
  return back.location;
}

/** A whole login for `login`: returns Vigie's answer to the callback. */
async function proconnectLogin(
  jar: CookieJar,
  login: string,
): Promise<{ callback: URL; response: Response }> {
  const callback = await loginAtProvider(jar, await startLogin(jar), login);
  const response = await jar.fetch(callback);
  return { callback, response };
}

async function sessionOf(jar: CookieJar) {
  const res = await jar.fetch(`${vigie.url}/api/v1/auth/session`);
  return (await res.json()) as {
    user: { email: string; givenName: string | null } | null;
    csrfToken: string | null;
  };
}

describe(`ProConnect against a real OpenID provider (${testEngine})`, () => {
  it("announces ProConnect to the login page", async () => {
    const res = await fetch(`${vigie.url}/api/v1/auth/providers`);
    expect(await res.json()).toEqual({ proconnect: true });
  });

  it("login redirect: code flow, exact scopes, state and nonce of 32+ random characters, PKCE, a binding cookie", async () => {
    const jar = new CookieJar();
    const url = await startLogin(jar);
    const discovery = await (await fetch(`${op.issuer}/.well-known/openid-configuration`)).json();
    expect(`${url.origin}${url.pathname}`).toBe(discovery.authorization_endpoint);
    const params = url.searchParams;
    expect(params.get("response_type")).toBe("code");
    expect(params.get("client_id")).toBe(op.clientId);
    expect(params.get("redirect_uri")).toBe(callbackPrefix());
    expect(params.get("scope")).toBe("openid given_name usual_name email uid siret idp_id");
    expect(params.get("scope")).toBe(PROCONNECT_SCOPES);
    const state = params.get("state") ?? "";
    const nonce = params.get("nonce") ?? "";
    expect(state.length).toBeGreaterThanOrEqual(32);
    expect(nonce.length).toBeGreaterThanOrEqual(32);
    expect(state).not.toBe(nonce);
    expect(params.get("code_challenge_method")).toBe("S256");
    expect(params.get("code_challenge")?.length).toBe(43);

    const cookie = jar.get(vigie.url, "vigie_proconnect");
    expect(cookie).toMatchObject({
      value: state,
      httpOnly: true,
      sameSite: "lax",
      path: "/api/v1/auth/proconnect",
    });

    // Each login draws new values.
    const other = await startLogin(new CookieJar());
    expect(other.searchParams.get("state")).not.toBe(state);
    expect(other.searchParams.get("nonce")).not.toBe(nonce);
  });

  it("callback: a session for the Vigie account of the same e-mail; sub, idp_id and siret kept for information", async () => {
    const jar = new CookieJar();
    const { response } = await proconnectLogin(jar, "marie");
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/");
    const sessionCookie = jar.get(vigie.url, "vigie_session");
    expect(sessionCookie?.httpOnly).toBe(true);
    expect(jar.get(vigie.url, "vigie_proconnect")).toBeUndefined();

    const session = await sessionOf(jar);
    expect(session.user?.email).toBe("marie.curie@education.gouv.fr");
    expect(session.user?.givenName).toBe("Marie");

    const db = vigie.handle.db;
    const user = await db
      .selectFrom("app_user")
      .select(["id", "oidc_subject", "oidc_idp_id", "siret", "family_name", "last_login_at"])
      .where("email", "=", "marie.curie@education.gouv.fr")
      .executeTakeFirstOrThrow();
    expect(user.oidc_subject).toBe(op.subjectFor("marie"));
    expect(user.oidc_subject).not.toBe("marie"); // pairwise, not the provider's account id
    expect(user).toMatchObject({ oidc_idp_id: "fia1v2", siret: "13002526500013", family_name: "Curie" });
    expect(user.last_login_at).not.toBeNull();

    const sessions = await db
      .selectFrom("user_session")
      .select(["auth_method", "id_token"])
      .where("user_id", "=", user.id)
      .execute();
    expect(sessions).toHaveLength(1);
    expect(sessions[0]?.auth_method).toBe("proconnect");
    expect(sessions[0]?.id_token?.split(".")).toHaveLength(3);

    const audit = await db
      .selectFrom("audit_event")
      .select(["action", "source", "summary", "actor_user_id"])
      .where("entity_id", "=", user.id)
      .where("action", "=", "auth.login")
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      source: "login",
      actor_user_id: user.id,
      summary: { method: "proconnect" },
    });
  });

  it("a replayed callback is refused: the state is single use", async () => {
    const jar = new CookieJar();
    const callback = await loginAtProvider(jar, await startLogin(jar), "marie");
    const binding = jar.header(callback);
    const first = await jar.fetch(callback);
    expect(first.headers.get("location")).toBe("/");
    // Same URL, same binding cookie as the first time (an attacker who captured both).
    const replay = await fetch(callback, { headers: { cookie: binding }, redirect: "manual" });
    expect(replay.status).toBe(302);
    expect(replay.headers.get("location")).toBe("/connexion?erreur=session-expiree");
    expect(replay.headers.getSetCookie().some((c) => c.startsWith("vigie_session="))).toBe(false);
  });

  it("a forged state, or a callback reaching another browser, is refused without consuming the login", async () => {
    const jar = new CookieJar();
    const callback = await loginAtProvider(jar, await startLogin(jar), "marie");

    const forged = new URL(callback);
    forged.searchParams.set("state", "x".repeat(43));
    const withForgedState = await jar.fetch(forged);
    expect(withForgedState.headers.get("location")).toBe("/connexion?erreur=session-expiree");

    // The genuine callback URL opened in a browser that did not start this login (login CSRF).
    const elsewhere = await new CookieJar().fetch(callback);
    expect(elsewhere.headers.get("location")).toBe("/connexion?erreur=session-expiree");
    expect(elsewhere.headers.getSetCookie().some((c) => c.startsWith("vigie_session="))).toBe(false);
  });

  it("a forged authorization code is refused", async () => {
    const jar = new CookieJar();
    const callback = await loginAtProvider(jar, await startLogin(jar), "marie");
    callback.searchParams.set("code", "forged-code-000000000000000000000000000");
    const res = await jar.fetch(callback);
    expect(res.headers.get("location")).toBe("/connexion?erreur=proconnect-echec");
    expect((await sessionOf(jar)).user).toBeNull();
  });

  it("a login cancelled at the provider comes back as proconnect-annule", async () => {
    const jar = new CookieJar();
    const authorization = await startLogin(jar);
    const state = authorization.searchParams.get("state") ?? "";
    const res = await jar.fetch(
      `${callbackPrefix()}?error=access_denied&error_description=annul%C3%A9&state=${state}&iss=${encodeURIComponent(op.issuer)}`,
    );
    expect(res.headers.get("location")).toBe("/connexion?erreur=proconnect-annule");
  });

  it("an e-mail without a Vigie account is refused: no session, compte-inconnu, audited", async () => {
    const jar = new CookieJar();
    const { response } = await proconnectLogin(jar, "inconnu");
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/connexion?erreur=compte-inconnu");
    expect(jar.get(vigie.url, "vigie_session")).toBeUndefined();
    expect((await sessionOf(jar)).user).toBeNull();
    const db = vigie.handle.db;
    expect(
      await db
        .selectFrom("app_user")
        .select("id")
        .where("email", "=", "personne@interieur.gouv.fr")
        .execute(),
    ).toEqual([]);
    const refused = await db
      .selectFrom("audit_event")
      .select(["summary"])
      .where("action", "=", "auth.login_failed")
      .where("actor_label", "=", "personne@interieur.gouv.fr")
      .execute();
    expect(refused).toHaveLength(1);
    expect(refused[0]?.summary).toMatchObject({ method: "proconnect", reason: "compte inconnu" });
  });

  it("a disabled account is refused like an unknown one", async () => {
    const jar = new CookieJar();
    const { response } = await proconnectLogin(jar, "desactive");
    expect(response.headers.get("location")).toBe("/connexion?erreur=compte-inconnu");
    expect((await sessionOf(jar)).user).toBeNull();
  });

  it("an invited account is activated by its first ProConnect login", async () => {
    const jar = new CookieJar();
    const { response } = await proconnectLogin(jar, "invitee");
    expect(response.headers.get("location")).toBe("/");
    expect((await sessionOf(jar)).user?.email).toBe("nouvelle@ac-bordeaux.fr");
    const db = vigie.handle.db;
    const user = await db
      .selectFrom("app_user")
      .select(["id", "status", "given_name"])
      .where("email", "=", "nouvelle@ac-bordeaux.fr")
      .executeTakeFirstOrThrow();
    expect(user).toMatchObject({ status: "active", given_name: "Nina" });
    const actions = await db
      .selectFrom("audit_event")
      .select("action")
      .where("entity_id", "=", user.id)
      .execute();
    expect(actions.map((a) => a.action)).toEqual(expect.arrayContaining(["user.activate", "auth.login"]));
  });

  it("logout ends the Vigie session and sends the browser to the provider's end_session_endpoint", async () => {
    const jar = new CookieJar();
    await proconnectLogin(jar, "marie");
    const { csrfToken } = await sessionOf(jar);
    const db = vigie.handle.db;
    const user = await db
      .selectFrom("app_user")
      .select("id")
      .where("email", "=", "marie.curie@education.gouv.fr")
      .executeTakeFirstOrThrow();
    const stored = await db
      .selectFrom("user_session")
      .select("id_token")
      .where("user_id", "=", user.id)
      .execute();
    const idTokens = stored.map((s) => s.id_token);

    const res = await jar.fetch(`${vigie.url}/api/v1/auth/logout`, {
      method: "POST",
      headers: { "x-csrf-token": csrfToken ?? "", origin: vigie.url, "content-type": "application/json" },
      body: "{}",
    });
    expect(res.status).toBe(200);
    const { redirectTo } = (await res.json()) as { redirectTo: string };
    const discovery = await (await fetch(`${op.issuer}/.well-known/openid-configuration`)).json();
    const end = new URL(redirectTo);
    expect(`${end.origin}${end.pathname}`).toBe(discovery.end_session_endpoint);
    expect(idTokens).toContain(end.searchParams.get("id_token_hint"));
    expect(end.searchParams.get("post_logout_redirect_uri")).toBe(`${vigie.url}/`);
    expect(end.searchParams.get("client_id")).toBe(op.clientId);
    const logoutState = end.searchParams.get("state") ?? "";
    expect(logoutState.length).toBeGreaterThanOrEqual(32);
    expect((await sessionOf(jar)).user).toBeNull();

    // The provider accepts the hint and, once the person confirms, comes back to Vigie.
    const confirm = await jar.follow(end);
    expect(confirm.response.status).toBe(200);
    const html = await confirm.response.text();
    const action = html.match(/<form[^>]*action="([^"]+)"/)?.[1];
    const xsrf = html.match(/name="xsrf" value="([^"]+)"/)?.[1];
    expect(action && xsrf).toBeTruthy();
    const back = await jar.follow(new URL(action ?? "", confirm.url), {
      init: {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ xsrf: xsrf ?? "", logout: "yes" }).toString(),
      },
      stopAt: (next) => next.origin === new URL(vigie.url).origin,
    });
    expect(back.location?.href).toBe(`${vigie.url}/?state=${logoutState}`);
  });
});

describe(`ProConnect login starts are rate limited (${testEngine})`, () => {
  // Last: it spends this address's allowance for the minute.
  it(`answers 429 beyond ${LOGIN_STARTS_PER_MINUTE} starts a minute from one address`, async () => {
    const statuses: number[] = [];
    for (let i = 0; i <= LOGIN_STARTS_PER_MINUTE; i++) {
      const res = await fetch(`${vigie.url}/api/v1/auth/proconnect/login`, { redirect: "manual" });
      statuses.push(res.status);
      await res.body?.cancel();
    }
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.filter((status) => status === 302).length).toBeLessThanOrEqual(LOGIN_STARTS_PER_MINUTE);
  });
});

describe(`ProConnect not configured (${testEngine})`, () => {
  it("routes answer 404 with a French message and the login page is told to hide the button", async () => {
    const { app, close } = await openTestApp();
    try {
      expect((await app.inject({ method: "GET", url: "/api/v1/auth/providers" })).json()).toEqual({
        proconnect: false,
      });
      for (const url of [
        "/api/v1/auth/proconnect/login",
        "/api/v1/auth/proconnect/callback?code=x&state=y",
      ]) {
        const res = await app.inject({ method: "GET", url });
        expect(res.statusCode, url).toBe(404);
        expect(res.json()).toMatchObject({
          error: "proconnect_disabled",
          message: expect.stringContaining("ProConnect"),
        });
      }
    } finally {
      await close();
    }
  });
});
