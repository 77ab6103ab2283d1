import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashToken } from "../../src/server/identity/tokens.ts";
import { disableUser } from "../../src/server/identity/users/users.ts";
import { SYSTEM_ACTOR } from "../../src/server/platform/audit.ts";
import { testEngine } from "../helpers/db.ts";
import {
  type IdentityTestApp,
  makeUser,
  openIdentityTestApp,
  PASSWORD,
  postLogin,
  signIn,
} from "../helpers/identity.ts";

describe(`sessions: idle and absolute expiry, CSRF, origin on ${testEngine}`, () => {
  let t: IdentityTestApp;
  beforeAll(async () => {
    t = await openIdentityTestApp({ VIGIE_SESSION_IDLE_MINUTES: "60", VIGIE_SESSION_MAX_HOURS: "12" });
    await makeUser(t.db, "dane@ac-bordeaux.fr", [["academy-steering", "04"]]);
  });
  afterAll(async () => t?.close());

  const whoAmI = async (cookie: string) =>
    (await t.app.inject({ url: "/api/v1/auth/session", cookies: { vigie_session: cookie } })).json().user
      ?.email ?? null;
  const sessionRow = (cookie: string) =>
    t.db.selectFrom("user_session").selectAll().where("id_hash", "=", hashToken(cookie)).executeTakeFirst();

  it("ends a session idle for longer than the setting, and deletes it", async () => {
    const me = await signIn(t.app, "dane@ac-bordeaux.fr");
    await t.db
      .updateTable("user_session")
      .set({ last_seen_at: sql<Date>`now() - interval '59 minutes'` })
      .where("id_hash", "=", hashToken(me.cookie))
      .execute();
    expect(await whoAmI(me.cookie)).toBe("dane@ac-bordeaux.fr");
    await t.db
      .updateTable("user_session")
      .set({ last_seen_at: sql<Date>`now() - interval '61 minutes'` })
      .where("id_hash", "=", hashToken(me.cookie))
      .execute();
    expect(await whoAmI(me.cookie)).toBeNull();
    expect(await sessionRow(me.cookie)).toBeUndefined();
  });

  it("sets the absolute expiry at login + 12 h and ends the session there, however active", async () => {
    const me = await signIn(t.app, "dane@ac-bordeaux.fr");
    const row = await sessionRow(me.cookie);
    const hours = ((row?.expires_at.getTime() ?? 0) - (row?.created_at.getTime() ?? 0)) / 3_600_000;
    expect(hours).toBeCloseTo(12, 1);
    await t.db
      .updateTable("user_session")
      .set({ expires_at: sql<Date>`now() - interval '1 second'`, last_seen_at: sql<Date>`now()` })
      .where("id_hash", "=", hashToken(me.cookie))
      .execute();
    expect(await whoAmI(me.cookie)).toBeNull();
    expect(await sessionRow(me.cookie)).toBeUndefined();
  });

  it("refreshes last_seen_at at most once a minute", async () => {
    const me = await signIn(t.app, "dane@ac-bordeaux.fr");
    const set = (interval: string) =>
      t.db
        .updateTable("user_session")
        .set({ last_seen_at: sql<Date>`now() - cast(${interval} as interval)` })
        .where("id_hash", "=", hashToken(me.cookie))
        .execute();
    await set("30 seconds");
    const before = (await sessionRow(me.cookie))?.last_seen_at.getTime() ?? 0;
    await whoAmI(me.cookie);
    expect((await sessionRow(me.cookie))?.last_seen_at.getTime()).toBe(before);
    await set("2 minutes");
    await whoAmI(me.cookie);
    expect((await sessionRow(me.cookie))?.last_seen_at.getTime() ?? 0).toBeGreaterThan(Date.now() - 10_000);
  });

  it("ends the sessions of a disabled account", async () => {
    await makeUser(t.db, "parti@ac-bordeaux.fr", [["reader", "FR"]]);
    const me = await signIn(t.app, "parti@ac-bordeaux.fr");
    expect(await whoAmI(me.cookie)).toBe("parti@ac-bordeaux.fr");
    const user = await t.db
      .selectFrom("app_user")
      .select("id")
      .where("email", "=", "parti@ac-bordeaux.fr")
      .executeTakeFirstOrThrow();
    await disableUser(t.db, String(user.id), SYSTEM_ACTOR);
    expect(await whoAmI(me.cookie)).toBeNull();
    expect((await postLogin(t.app, "parti@ac-bordeaux.fr", PASSWORD)).statusCode).toBe(401);
  });

  it("refuses a state-changing request made with a session but without its CSRF token (403), accepts it with", async () => {
    const me = await signIn(t.app, "dane@ac-bordeaux.fr");
    const logout = (headers: Record<string, string>) =>
      t.app.inject({
        method: "POST",
        url: "/api/v1/auth/logout",
        headers: { cookie: `vigie_session=${me.cookie}`, ...headers },
      });
    const missing = await logout({});
    expect(missing.statusCode).toBe(403);
    expect(missing.json()).toEqual({
      error: "csrf",
      message: "Jeton anti-falsification (CSRF) manquant ou invalide : rechargez la page puis recommencez.",
    });
    expect((await logout({ "x-csrf-token": "x".repeat(43) })).statusCode).toBe(403);
    expect((await logout({ "x-csrf-token": me.csrf.slice(1) })).statusCode).toBe(403);
    // The session is still there: the refused requests did nothing.
    expect(await whoAmI(me.cookie)).toBe("dane@ac-bordeaux.fr");
    expect((await logout({ "x-csrf-token": me.csrf })).statusCode).toBe(204);
    expect(await whoAmI(me.cookie)).toBeNull();
  });

  it("checks the CSRF token on every method that changes state, not on reads", async () => {
    const me = await signIn(t.app, "dane@ac-bordeaux.fr");
    const cookie = `vigie_session=${me.cookie}`;
    for (const method of ["POST", "PUT", "PATCH", "DELETE"] as const) {
      const res = await t.app.inject({ method, url: "/api/v1/users/1/roles", headers: { cookie } });
      expect(res.statusCode, method).toBe(403);
      expect(res.json().error, method).toBe("csrf");
    }
    expect(
      (await t.app.inject({ method: "GET", url: "/api/v1/users", headers: { cookie } })).statusCode,
    ).toBe(200);
  });

  it("refuses requests from another site without a session (login CSRF), accepts Vigie's own origin", async () => {
    const attempt = (headers: Record<string, string>) =>
      postLogin(t.app, "dane@ac-bordeaux.fr", PASSWORD, { headers });
    const foreign = await attempt({ origin: "https://evil.example" });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json()).toEqual({
      error: "cross_origin",
      message: "Requête refusée : elle vient d'une autre origine que Vigie.",
    });
    expect((await attempt({ origin: "null" })).statusCode).toBe(403);
    expect((await attempt({ "sec-fetch-site": "cross-site" })).statusCode).toBe(403);
    expect((await attempt({ "sec-fetch-site": "same-site" })).statusCode).toBe(403);
    // The public address (default http://localhost:3000), or the address the request was sent to.
    expect(
      (await attempt({ origin: "http://localhost:3000", "sec-fetch-site": "same-origin" })).statusCode,
    ).toBe(200);
    expect((await attempt({ origin: "http://vigie.test:8080", host: "vigie.test:8080" })).statusCode).toBe(
      200,
    );
    expect((await attempt({ origin: "http://vigie.test:8081", host: "vigie.test:8080" })).statusCode).toBe(
      403,
    );
    // No provenance header at all: not a browser, so not a forged request (curl, scripts).
    expect((await attempt({})).statusCode).toBe(200);
  });
});
