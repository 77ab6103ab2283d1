import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer } from "../../src/server/app.ts";
import { consumeToken, hashToken, issueToken, peekToken } from "../../src/server/identity/tokens.ts";
import { ensureFirstAdmin } from "../../src/server/identity/users/bootstrap.ts";
import { loadConfig } from "../../src/server/platform/config.ts";
import { openTestDatabase, testEngine } from "../helpers/db.ts";
import {
  type IdentityTestApp,
  makeUser,
  openIdentityTestApp,
  PASSWORD,
  postLogin,
  signIn,
} from "../helpers/identity.ts";

const NEW_PASSWORD = "Phare-de-Cordouan-1611";

describe(`one-time tokens and choosing a password on ${testEngine}`, () => {
  let t: IdentityTestApp;
  beforeAll(async () => {
    t = await openIdentityTestApp();
  });
  afterAll(async () => t?.close());

  const setPassword = (token: string, password: string) =>
    t.app.inject({ method: "POST", url: "/api/v1/auth/password", payload: { token, password } });

  it("stores only the SHA-256 of a token, which works once", async () => {
    const user = await makeUser(t.db, "jeton@ac-bordeaux.fr", [], { password: null, status: "invited" });
    const { token, expiresAt } = await issueToken(t.db, user.id, "invitation");
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((expiresAt.getTime() - Date.now()) / 86_400_000).toBeCloseTo(7, 1);
    const rows = await t.db
      .selectFrom("auth_token")
      .select("token_hash")
      .where("user_id", "=", user.id)
      .execute();
    expect(rows).toEqual([{ token_hash: hashToken(token) }]);
    expect(await peekToken(t.db, token, ["password_reset"])).toEqual({ ok: false, reason: "unknown" });
    expect(await consumeToken(t.db, token, ["invitation"])).toEqual({
      userId: user.id,
      purpose: "invitation",
    });
    expect(await consumeToken(t.db, token, ["invitation"])).toBeNull();
    expect(await peekToken(t.db, token, ["invitation"])).toEqual({ ok: false, reason: "used" });
    // A new token of the same purpose replaces the unused ones.
    const first = await issueToken(t.db, user.id, "password_reset");
    const second = await issueToken(t.db, user.id, "password_reset");
    expect((await peekToken(t.db, first.token, ["password_reset"])).ok).toBe(false);
    expect((await peekToken(t.db, second.token, ["password_reset"])).ok).toBe(true);
  });

  it("activates an invited account: policy enforced, token used once, session opened, audit written", async () => {
    const user = await makeUser(t.db, "marie.curie@ac-bordeaux.fr", [["school-head", "0331501C"]], {
      password: null,
      status: "invited",
    });
    const { token } = await issueToken(t.db, user.id, "invitation");

    const weak = await setPassword(token, "marie.curie-2026");
    expect(weak.statusCode).toBe(400);
    expect(weak.json()).toEqual({
      error: "weak_password",
      message:
        "Ce mot de passe ne convient pas. Il doit : ne pas contenir l'identifiant de l'adresse électronique.",
      problems: ["ne pas contenir l'identifiant de l'adresse électronique"],
    });
    const short = await setPassword(token, "court");
    expect(short.json().problems).toEqual([
      "comporter au moins 12 caractères (il en a 5)",
      "mêler au moins 3 types de caractères parmi minuscules, majuscules, chiffres et caractères spéciaux (il manque : majuscules, chiffres, caractères spéciaux)",
    ]);
    // The refused attempt did not use the link.
    expect((await peekToken(t.db, token, ["invitation"])).ok).toBe(true);

    const ok = await setPassword(token, NEW_PASSWORD);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({
      user: { email: "marie.curie@ac-bordeaux.fr" },
      csrfToken: expect.any(String),
    });
    expect(ok.cookies.find((c) => c.name === "vigie_session")?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const row = await t.db
      .selectFrom("app_user")
      .select(["status", "password_hash"])
      .where("id", "=", user.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe("active");
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect((await postLogin(t.app, "marie.curie@ac-bordeaux.fr", NEW_PASSWORD)).statusCode).toBe(200);

    const reuse = await setPassword(token, "Autre-mot-de-passe-42");
    expect(reuse.statusCode).toBe(400);
    expect(reuse.json()).toEqual({
      error: "invalid_token",
      message: "Ce lien a déjà servi : il ne fonctionne qu'une fois. Demandez un nouveau lien si besoin.",
    });
    const actions = await t.db
      .selectFrom("audit_event")
      .select("action")
      .where("entity_id", "=", user.id)
      .orderBy("id")
      .execute();
    expect(actions.map((a) => a.action)).toEqual(
      expect.arrayContaining(["user.create", "role.grant", "user.password_set", "auth.login"]),
    );
  });

  it("refuses an expired or unknown link", async () => {
    const user = await makeUser(t.db, "tard@ac-bordeaux.fr", [], { password: null, status: "invited" });
    const { token } = await issueToken(t.db, user.id, "invitation");
    await t.db
      .updateTable("auth_token")
      .set({ expires_at: sql<Date>`now() - interval '1 minute'` })
      .where("token_hash", "=", hashToken(token))
      .execute();
    const expired = await setPassword(token, NEW_PASSWORD);
    expect(expired.statusCode).toBe(400);
    expect(expired.json().message).toBe("Ce lien a expiré. Demandez un nouveau lien.");
    expect(await consumeToken(t.db, token, ["invitation"])).toBeNull();
    const unknown = await setPassword("n".repeat(43), NEW_PASSWORD);
    expect(unknown.json()).toEqual({
      error: "invalid_token",
      message: "Ce lien n'est pas valide. Vérifiez qu'il est complet, ou demandez un nouveau lien.",
    });
  });

  it("resets a password: the old one and the sessions opened with it stop working", async () => {
    const user = await makeUser(t.db, "oubli@ac-bordeaux.fr", [["reader", "FR"]]);
    const before = await signIn(t.app, "oubli@ac-bordeaux.fr");
    const { token } = await issueToken(t.db, user.id, "password_reset");
    expect((await setPassword(token, NEW_PASSWORD)).statusCode).toBe(200);
    expect((await before.request({ url: "/api/v1/auth/session" })).json().user).toBeNull();
    expect((await postLogin(t.app, "oubli@ac-bordeaux.fr", PASSWORD)).statusCode).toBe(401);
    expect((await postLogin(t.app, "oubli@ac-bordeaux.fr", NEW_PASSWORD)).statusCode).toBe(200);
  });
});

describe(`first administrator of an empty instance on ${testEngine}`, () => {
  it("is created once, with a 24 h one-time link renewed at each start until it is used", async () => {
    const handle = await openTestDatabase();
    const t = { db: handle.db };
    try {
      const options = { adminEmail: "admin@vigie.localhost", publicUrl: "https://vigie.example.fr" };
      const first = await ensureFirstAdmin(t.db, options);
      expect(first?.email).toBe("admin@vigie.localhost");
      expect(first?.link).toMatch(/^https:\/\/vigie\.example\.fr\/activation\?jeton=[A-Za-z0-9_-]{43}$/);
      expect(((first?.expiresAt.getTime() ?? 0) - Date.now()) / 3_600_000).toBeCloseTo(24, 1);
      const roles = await t.db.selectFrom("role_assignment").selectAll().execute();
      expect(roles).toMatchObject([
        { role: "national-admin", territory_level: "nation", territory_code: "FR" },
      ]);
      const audit = await t.db.selectFrom("audit_event").select(["action", "source"]).orderBy("id").execute();
      expect(audit).toEqual([
        { action: "user.create", source: "system" },
        { action: "role.grant", source: "system" },
      ]);

      // Restarted before using the link: a new link, the old one stops working.
      const second = await ensureFirstAdmin(t.db, options);
      const token = (link: string | undefined) => new URL(link ?? "http://x").searchParams.get("jeton") ?? "";
      expect(token(second?.link)).not.toBe(token(first?.link));
      expect((await peekToken(t.db, token(first?.link), ["first_admin"])).ok).toBe(false);
      expect((await peekToken(t.db, token(second?.link), ["first_admin"])).ok).toBe(true);
      expect(await t.db.selectFrom("app_user").select("id").execute()).toHaveLength(1);

      // Once an account is active, nothing more.
      const consumed = await consumeToken(t.db, token(second?.link), ["first_admin"]);
      await t.db
        .updateTable("app_user")
        .set({ status: "active" })
        .where("id", "=", consumed?.userId ?? "")
        .execute();
      expect(await ensureFirstAdmin(t.db, options)).toBeNull();
    } finally {
      await handle.close();
    }
  });
});

describe("first start of the server", () => {
  it("prints the first administrator's link (not in the log), which opens the account", async () => {
    const notices: string[] = [];
    const config = {
      ...loadConfig({ LOG_LEVEL: "warn", VIGIE_ADMIN_EMAIL: "Chef@Vigie.localhost" }),
      dataDir: ":memory:",
      databaseUrl: undefined,
      port: 0,
    };
    const server = await startServer({ config, demo: false, onNotice: (m) => notices.push(m) });
    try {
      expect(notices).toHaveLength(1);
      expect(notices[0]).toContain("Première mise en service");
      expect(notices[0]).toContain("chef@vigie.localhost");
      const link = notices[0]?.match(/http:\/\/localhost:\d+\/activation\?jeton=([A-Za-z0-9_-]{43})/);
      expect(link).not.toBeNull();
      const res = await server.app.inject({
        method: "POST",
        url: "/api/v1/auth/password",
        payload: { token: link?.[1], password: NEW_PASSWORD },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json().user.roles).toEqual([
        { role: "national-admin", territory: "nation:FR", territoryLabel: "France" },
      ]);
    } finally {
      await server.close();
    }
  });
});
