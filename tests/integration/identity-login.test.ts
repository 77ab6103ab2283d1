import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashToken } from "../../src/server/identity/tokens.ts";
import { testEngine } from "../helpers/db.ts";
import {
  type IdentityTestApp,
  makeUser,
  nextAddress,
  openIdentityTestApp,
  PASSWORD,
  postLogin,
  sessionCookieOf,
  signIn,
} from "../helpers/identity.ts";

const GENERIC = { error: "invalid_credentials", message: "Adresse électronique ou mot de passe incorrect." };

describe(`local login, lockout and logout on ${testEngine}`, () => {
  let t: IdentityTestApp;
  beforeAll(async () => {
    t = await openIdentityTestApp({ VIGIE_LOGIN_RATE_LIMIT: "8" });
    await makeUser(t.db, "dane@ac-bordeaux.fr", [["academy-steering", "04"]]);
    await makeUser(t.db, "invite@ac-bordeaux.fr", [], { password: null, status: "invited" });
  });
  afterAll(async () => t?.close());

  const auditActions = async (email: string) =>
    (
      await t.db
        .selectFrom("audit_event")
        .select(["action", "source", "summary"])
        .where("actor_label", "=", email)
        .orderBy("id")
        .execute()
    ).map((r) => r.action);

  it("signs in: user with roles, CSRF token, an HttpOnly SameSite=Lax cookie without Secure over http", async () => {
    const res = await postLogin(t.app, "  DANE@ac-bordeaux.fr ", PASSWORD);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.user).toMatchObject({
      email: "dane@ac-bordeaux.fr",
      roles: [
        { role: "academy-steering", territory: "academy:04", territoryLabel: "académie Bordeaux (04)" },
      ],
    });
    expect(body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const cookie = res.cookies.find((c) => c.name === "vigie_session");
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" });
    expect(cookie?.secure).toBeUndefined();
    expect(cookie?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Only the SHA-256 of the cookie is stored.
    const stored = await t.db.selectFrom("user_session").select("id_hash").execute();
    expect(stored.map((s) => s.id_hash)).toContain(hashToken(cookie?.value ?? ""));
    expect(stored.map((s) => s.id_hash)).not.toContain(cookie?.value);

    const session = await t.app.inject({
      url: "/api/v1/auth/session",
      cookies: { vigie_session: cookie?.value ?? "" },
    });
    expect(session.json()).toMatchObject({
      user: { email: "dane@ac-bordeaux.fr" },
      csrfToken: body.csrfToken,
    });
    expect(session.headers["cache-control"]).toBe("no-store");
    expect(await auditActions("dane@ac-bordeaux.fr")).toContain("auth.login");
  });

  it("answers anonymous session requests with nulls", async () => {
    const res = await t.app.inject({ url: "/api/v1/auth/session" });
    expect(res.json()).toEqual({ user: null, csrfToken: null });
    const stale = await t.app.inject({
      url: "/api/v1/auth/session",
      cookies: { vigie_session: "x".repeat(43) },
    });
    expect(stale.json()).toEqual({ user: null, csrfToken: null });
  });

  it("gives one generic answer for a wrong password, an unknown e-mail, an invited account", async () => {
    for (const [email, password] of [
      ["dane@ac-bordeaux.fr", "Mauvais-mot-de-passe-1"],
      ["personne@ac-bordeaux.fr", PASSWORD],
      ["invite@ac-bordeaux.fr", PASSWORD],
      ["pas une adresse", PASSWORD],
    ]) {
      const res = await postLogin(t.app, email as string, password as string);
      expect(res.statusCode, email).toBe(401);
      expect(res.json()).toEqual(GENERIC);
      expect(sessionCookieOf(res)).toBeUndefined();
    }
    const failed = await t.db
      .selectFrom("audit_event")
      .select(["actor_label", "actor_user_id", "source"])
      .where("action", "=", "auth.login_failed")
      .execute();
    expect(failed.map((f) => f.actor_label)).toEqual(
      expect.arrayContaining(["dane@ac-bordeaux.fr", "personne@ac-bordeaux.fr", "invite@ac-bordeaux.fr"]),
    );
    expect(failed.every((f) => f.source === "login")).toBe(true);
    // A success resets the count.
    expect((await postLogin(t.app, "dane@ac-bordeaux.fr", PASSWORD)).statusCode).toBe(200);
    const row = await t.db
      .selectFrom("app_user")
      .select("failed_logins")
      .where("email", "=", "dane@ac-bordeaux.fr")
      .executeTakeFirstOrThrow();
    expect(row.failed_logins).toBe(0);
  });

  it("locks an account 15 minutes after 5 failures in a row (429, Retry-After), even for the right password", async () => {
    await makeUser(t.db, "ien@ac-bordeaux.fr", [["department", "33"]]);
    for (let i = 1; i <= 5; i++) {
      const res = await postLogin(t.app, "ien@ac-bordeaux.fr", `Mauvais-essai-${i}x`);
      expect(res.statusCode, `échec ${i}`).toBe(401);
    }
    const locked = await postLogin(t.app, "ien@ac-bordeaux.fr", PASSWORD);
    expect(locked.statusCode).toBe(429);
    expect(locked.json()).toEqual({
      error: "account_locked",
      message: "Trop d'échecs de connexion : ce compte est verrouillé. Réessayez dans 15 minutes.",
    });
    const retryAfter = Number(locked.headers["retry-after"]);
    expect(retryAfter).toBeGreaterThan(14 * 60);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect(await auditActions("ien@ac-bordeaux.fr")).toEqual(
      expect.arrayContaining(["auth.login_failed", "auth.locked"]),
    );

    // Once the lock has passed, the right password works and starts the count again.
    await t.db
      .updateTable("app_user")
      .set({ locked_until: sql<Date>`now() - interval '1 second'` })
      .where("email", "=", "ien@ac-bordeaux.fr")
      .execute();
    expect((await postLogin(t.app, "ien@ac-bordeaux.fr", PASSWORD)).statusCode).toBe(200);
    for (let i = 1; i <= 4; i++) await postLogin(t.app, "ien@ac-bordeaux.fr", `Mauvais-essai-${i}y`);
    expect((await postLogin(t.app, "ien@ac-bordeaux.fr", PASSWORD)).statusCode).toBe(200);
  });

  it("locks unknown e-mails the same way: the lockout does not reveal which accounts exist", async () => {
    for (let i = 1; i <= 5; i++) {
      expect((await postLogin(t.app, "fantome@ac-bordeaux.fr", `Mauvais-essai-${i}z`)).statusCode).toBe(401);
    }
    const res = await postLogin(t.app, "fantome@ac-bordeaux.fr", PASSWORD);
    expect(res.statusCode).toBe(429);
    expect(res.json().error).toBe("account_locked");
  });

  it("limits login attempts per client address (429 in French), other addresses unaffected", async () => {
    const address = nextAddress();
    const statuses: number[] = [];
    for (let i = 0; i < 9; i++) {
      statuses.push(
        (await postLogin(t.app, "dane@ac-bordeaux.fr", `Faux-${i}-abcdefgh`, { remoteAddress: address }))
          .statusCode,
      );
      // Keep the account below its own lockout: this test is about the address.
      await t.db
        .updateTable("app_user")
        .set({ failed_logins: 0 })
        .where("email", "=", "dane@ac-bordeaux.fr")
        .execute();
    }
    expect(statuses.slice(0, 8)).toEqual(Array(8).fill(401));
    expect(statuses[8]).toBe(429);
    const limited = await postLogin(t.app, "dane@ac-bordeaux.fr", PASSWORD, { remoteAddress: address });
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ error: "too_many_requests" });
    expect(limited.json().message).toMatch(
      /^Trop de tentatives depuis votre adresse : réessayez dans \d+ secondes\.$/,
    );
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
    expect((await postLogin(t.app, "dane@ac-bordeaux.fr", PASSWORD)).statusCode).toBe(200);
  });

  it("renews the session at login: the cookie the browser came with is not kept (session fixation)", async () => {
    // An attacker's own valid session, planted in the victim's browser…
    const attacker = await makeUser(t.db, "attaquant@ac-bordeaux.fr");
    const planted = await signIn(t.app, attacker.email);
    // …then the victim signs in with that cookie. A request with a session carries its CSRF
    // token, a login too (the web app sends the one it holds): without it, 403.
    const withoutToken = await postLogin(t.app, "dane@ac-bordeaux.fr", PASSWORD, { cookie: planted.cookie });
    expect(withoutToken.statusCode).toBe(403);
    const res = await postLogin(t.app, "dane@ac-bordeaux.fr", PASSWORD, {
      cookie: planted.cookie,
      headers: { "x-csrf-token": planted.csrf },
    });
    expect(res.statusCode).toBe(200);
    const fresh = sessionCookieOf(res);
    expect(fresh).toBeDefined();
    expect(fresh).not.toBe(planted.cookie);
    // The planted session no longer exists: it cannot ride along with the victim's.
    const old = await t.app.inject({
      url: "/api/v1/auth/session",
      cookies: { vigie_session: planted.cookie },
    });
    expect(old.json().user).toBeNull();
    const now = await t.app.inject({ url: "/api/v1/auth/session", cookies: { vigie_session: fresh ?? "" } });
    expect(now.json().user.email).toBe("dane@ac-bordeaux.fr");

    // A value chosen by an attacker is never adopted as a session id either.
    const chosen = "A".repeat(43);
    const again = await postLogin(t.app, "dane@ac-bordeaux.fr", PASSWORD, { cookie: chosen });
    expect(sessionCookieOf(again)).not.toBe(chosen);
    expect(
      await t.db
        .selectFrom("user_session")
        .select("id_hash")
        .where("id_hash", "=", hashToken(chosen))
        .execute(),
    ).toEqual([]);
  });

  it("logs out: 204, cookie cleared, session row deleted, the old cookie no longer works", async () => {
    const me = await signIn(t.app, "dane@ac-bordeaux.fr");
    const res = await me.request({ method: "POST", url: "/api/v1/auth/logout" });
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe("");
    const cleared = res.cookies.find((c) => c.name === "vigie_session");
    expect(cleared?.value).toBe("");
    expect(new Date(cleared?.expires ?? 0).getTime()).toBeLessThan(Date.now());
    const rows = await t.db
      .selectFrom("user_session")
      .select("id_hash")
      .where("id_hash", "=", hashToken(me.cookie))
      .execute();
    expect(rows).toEqual([]);
    const after = await me.request({ url: "/api/v1/auth/session" });
    expect(after.json()).toEqual({ user: null, csrfToken: null });
    expect(await auditActions("dane@ac-bordeaux.fr")).toContain("auth.logout");
    // Without a session, a logout is harmless.
    expect((await t.app.inject({ method: "POST", url: "/api/v1/auth/logout" })).statusCode).toBe(204);
  });
});

describe(`session cookie behind HTTPS on ${testEngine}`, () => {
  it("is Secure when the public address is https", async () => {
    const t = await openIdentityTestApp({ VIGIE_PUBLIC_URL: "https://vigie.example.fr" });
    try {
      await makeUser(t.db, "a@ac-bordeaux.fr");
      const res = await postLogin(t.app, "a@ac-bordeaux.fr", PASSWORD, {
        headers: { origin: "https://vigie.example.fr" },
      });
      expect(res.statusCode).toBe(200);
      expect(res.cookies.find((c) => c.name === "vigie_session")?.secure).toBe(true);
      expect(res.headers["strict-transport-security"]).toMatch(/max-age=31536000/);
      expect(res.headers["content-security-policy"]).toContain("upgrade-insecure-requests");
    } finally {
      await t.close();
    }
  });
});
