import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/server/app.ts";
import { NATION } from "../../src/server/identity/permissions.ts";
import { hashPassword } from "../../src/server/identity/sessions/passwords.ts";
import { inviteUser, requestPasswordReset } from "../../src/server/identity/users/invitations.ts";
import {
  RESET_REQUEST_LIMIT,
  RESET_REQUEST_MESSAGE,
} from "../../src/server/identity/users/invitations-routes.ts";
import { directDispatch } from "../../src/server/identity/users/mail-job.ts";
import { createUser, disableUser, grantRole } from "../../src/server/identity/users/users.ts";
import { CLI_ACTOR } from "../../src/server/platform/audit.ts";
import { loadConfig } from "../../src/server/platform/config.ts";
import type { DatabaseHandle } from "../../src/server/platform/db.ts";
import { createMailer, type MailLogger } from "../../src/server/platform/mail.ts";
import { openTestDatabase, testEngine } from "../helpers/db.ts";
import { extractLink, type ReceivedMail, startSmtpServer, type TestSmtpServer } from "../helpers/smtp.ts";

const PUBLIC_URL = "http://vigie.test";
const ADMIN = { email: "admin@ac-test.fr", password: "Phare-du-Cap-Ferret-1857" };
const DANE = { email: "dane@ac-bordeaux.fr", password: "Dune-du-Pilat-110-metres" };
const NEW_PASSWORD = "Estuaire-Gironde-2026!";

let handle: DatabaseHandle;
let app: FastifyInstance;
let smtp: TestSmtpServer;

/** A signed-in client over `inject`: the session cookie and the CSRF token of its login. */
interface Client {
  cookie: string;
  csrf: string;
}

function sessionCookie(res: LightMyRequestResponse): string {
  const cookie = res.cookies.find((c) => c.name === "vigie_session");
  if (!cookie) throw new Error(`pas de cookie de session (${res.statusCode} ${res.body})`);
  return `vigie_session=${cookie.value}`;
}

async function login(
  email: string,
  password: string,
  remoteAddress = "10.0.0.1",
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: "POST",
    url: "/api/v1/auth/login",
    payload: { email, password },
    remoteAddress,
  });
}

async function signIn(email: string, password: string): Promise<Client> {
  const res = await login(email, password);
  expect(res.statusCode, res.body).toBe(200);
  return { cookie: sessionCookie(res), csrf: res.json().csrfToken };
}

function invite(client: Client | null, payload: object) {
  return app.inject({
    method: "POST",
    url: "/api/v1/users/invitations",
    payload,
    headers: client ? { cookie: client.cookie, "x-csrf-token": client.csrf } : {},
  });
}

function resetRequest(email: string, remoteAddress: string) {
  return app.inject({
    method: "POST",
    url: "/api/v1/auth/password/reset-request",
    payload: { email },
    remoteAddress,
  });
}

function setPassword(token: string, password: string) {
  return app.inject({
    method: "POST",
    url: "/api/v1/auth/password",
    payload: { token, password },
    remoteAddress: "10.0.9.9",
  });
}

function tokenOf(link: string): string {
  const token = new URL(link).searchParams.get("jeton");
  if (!token) throw new Error(`pas de jeton dans ${link}`);
  return token;
}

async function auditActions(email: string): Promise<string[]> {
  const rows = await handle.db
    .selectFrom("audit_event as a")
    .innerJoin("app_user as u", (join) => join.on(sql`u.id::text`, "=", sql.ref("a.entity_id")))
    .select("a.action")
    .where("u.email", "=", email)
    .orderBy("a.id")
    .execute();
  return rows.map((r) => r.action);
}

/** Resolves once the mail for `to` has arrived; fails if another message for `to` was already there. */
async function onlyMailFor(to: string): Promise<ReceivedMail> {
  const mail = await smtp.waitForMail(to);
  expect(smtp.messages.filter((m) => m.to.includes(to))).toHaveLength(1);
  return mail;
}

beforeAll(async () => {
  smtp = await startSmtpServer();
  handle = await openTestDatabase();
  const config = loadConfig({
    SMTP_HOST: smtp.host,
    SMTP_PORT: String(smtp.port),
    MAIL_FROM: "Vigie <vigie@vigie.test>",
    VIGIE_PUBLIC_URL: PUBLIC_URL,
    LOG_LEVEL: "warn",
  });
  app = await buildApp(handle, config);
  const admin = await createUser(
    handle.db,
    { email: ADMIN.email, status: "active", passwordHash: await hashPassword(ADMIN.password) },
    CLI_ACTOR,
  );
  await grantRole(handle.db, admin.id, { role: "national-admin", scope: NATION }, CLI_ACTOR);
  const dane = await createUser(
    handle.db,
    { email: DANE.email, status: "active", passwordHash: await hashPassword(DANE.password) },
    CLI_ACTOR,
  );
  await grantRole(
    handle.db,
    dane.id,
    { role: "academy-steering", scope: { kind: "territory", level: "academy", code: "04" } },
    CLI_ACTOR,
  );
});

afterAll(async () => {
  await app?.close();
  await handle?.close();
  await smtp?.close();
});

describe(`invitations (${testEngine})`, () => {
  it("invitation mail → activation link → password chosen → login works", async () => {
    const admin = await signIn(ADMIN.email, ADMIN.password);
    const res = await invite(admin, {
      email: "  Nouvelle.Dane@AC-Bordeaux.fr ",
      role: "academy-steering",
      territory: "04",
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      user: { email: "nouvelle.dane@ac-bordeaux.fr", status: "invited" },
      created: true,
      roleGranted: true,
      delivery: "sent",
    });

    const mail = await onlyMailFor("nouvelle.dane@ac-bordeaux.fr");
    expect(mail.subject).toBe("Invitation à rejoindre Vigie");
    expect(mail.text).toContain("admin@ac-test.fr vous invite à rejoindre Vigie");
    expect(mail.text).toContain("« pilotage d'académie (DANE) » sur académie Bordeaux (04)");
    expect(mail.text).toContain("valable 7 jours");
    expect(mail.html).toContain("Activer mon compte");
    const link = extractLink(mail, `${PUBLIC_URL}/activation?jeton=`);
    const token = tokenOf(link);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // Not active yet: no password login.
    expect((await login("nouvelle.dane@ac-bordeaux.fr", NEW_PASSWORD)).statusCode).toBe(401);

    const set = await setPassword(token, NEW_PASSWORD);
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json().user.roles).toEqual([
      {
        role: "academy-steering",
        territory: "academy:04",
        territoryLabel: expect.stringContaining("Bordeaux"),
      },
    ]);
    const relogin = await login("nouvelle.dane@ac-bordeaux.fr", NEW_PASSWORD);
    expect(relogin.statusCode, relogin.body).toBe(200);

    // The link works once.
    const again = await setPassword(token, "Un-Autre-Mot-De-Passe-99");
    expect(again.statusCode).toBe(400);
    expect(again.json().error).toBe("invalid_token");

    expect(await auditActions("nouvelle.dane@ac-bordeaux.fr")).toEqual(
      expect.arrayContaining(["user.create", "role.grant", "user.invite", "user.password_set", "auth.login"]),
    );
    // The token is never stored in clear, nor in the audit log.
    const stored = JSON.stringify(await handle.db.selectFrom("auth_token").selectAll().execute());
    const audited = JSON.stringify(await handle.db.selectFrom("audit_event").select("summary").execute());
    expect(stored).not.toContain(token);
    expect(audited).not.toContain(token);
  });

  it("an expired invitation link is refused", async () => {
    const admin = await signIn(ADMIN.email, ADMIN.password);
    const res = await invite(admin, {
      email: "retard@ac-bordeaux.fr",
      role: "reader",
      territory: "academy:04",
    });
    expect(res.statusCode, res.body).toBe(201);
    const token = tokenOf(
      extractLink(await onlyMailFor("retard@ac-bordeaux.fr"), `${PUBLIC_URL}/activation`),
    );
    const user = await handle.db
      .selectFrom("app_user")
      .select("id")
      .where("email", "=", "retard@ac-bordeaux.fr")
      .executeTakeFirstOrThrow();
    await handle.db
      .updateTable("auth_token")
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where("user_id", "=", user.id)
      .execute();
    const set = await setPassword(token, NEW_PASSWORD);
    expect(set.statusCode).toBe(400);
    expect(set.json()).toMatchObject({ error: "invalid_token", message: expect.stringContaining("expiré") });
  });

  it("re-inviting an invited account sends a new link and the old one stops working", async () => {
    const admin = await signIn(ADMIN.email, ADMIN.password);
    await invite(admin, { email: "deux.fois@ac-bordeaux.fr", role: "reader", territory: "FR" });
    const first = tokenOf(
      extractLink(await onlyMailFor("deux.fois@ac-bordeaux.fr"), `${PUBLIC_URL}/activation`),
    );
    const second = await invite(admin, {
      email: "deux.fois@ac-bordeaux.fr",
      role: "department",
      territory: "33",
    });
    expect(second.statusCode, second.body).toBe(201);
    expect(second.json()).toMatchObject({ created: false, roleGranted: true, user: { status: "invited" } });
    await expect
      .poll(() => smtp.messages.filter((m) => m.to.includes("deux.fois@ac-bordeaux.fr")).length)
      .toBe(2);
    const latest = smtp.messages.filter((m) => m.to.includes("deux.fois@ac-bordeaux.fr"))[1] as ReceivedMail;
    const token = tokenOf(extractLink(latest, `${PUBLIC_URL}/activation`));
    expect((await setPassword(first, NEW_PASSWORD)).statusCode).toBe(400);
    expect((await setPassword(token, NEW_PASSWORD)).statusCode).toBe(200);
  });

  it("inviting an active account grants the role and says so, without an activation link", async () => {
    const admin = await signIn(ADMIN.email, ADMIN.password);
    const res = await invite(admin, { email: DANE.email, role: "reader", territory: "FR" });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ created: false, roleGranted: true, user: { status: "active" } });
    const mail = await onlyMailFor(DANE.email);
    expect(mail.subject).toBe("Un nouveau rôle vous est attribué dans Vigie");
    expect(mail.text).not.toContain("jeton");
    expect(mail.text).toContain(`${PUBLIC_URL}/connexion`);
  });

  it("a disabled account is not invited (409)", async () => {
    const user = await createUser(handle.db, { email: "parti@ac-bordeaux.fr", status: "active" }, CLI_ACTOR);
    await disableUser(handle.db, user.id, CLI_ACTOR);
    const admin = await signIn(ADMIN.email, ADMIN.password);
    const res = await invite(admin, { email: "parti@ac-bordeaux.fr", role: "reader", territory: "FR" });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      error: "account_disabled",
      message: expect.stringContaining("désactivé"),
    });
  });

  it("permission users.manage in scope, role at or below one's own; French errors", async () => {
    const dane = await signIn(DANE.email, DANE.password);
    // In scope, lower role: allowed.
    const ok = await invite(dane, { email: "ien@ac-bordeaux.fr", role: "department", territory: "33" });
    expect(ok.statusCode, ok.body).toBe(201);
    // Another académie (Limoges): out of scope.
    const out = await invite(dane, { email: "x@ac-limoges.fr", role: "department", territory: "87" });
    expect(out.statusCode).toBe(403);
    expect(out.json().message).toContain("périmètre");
    // A higher role: refused.
    const higher = await invite(dane, { email: "y@ac-bordeaux.fr", role: "national-admin", territory: "FR" });
    expect(higher.statusCode).toBe(403);
    // Anonymous: 401. Without the permission: 403.
    expect(
      (await invite(null, { email: "z@ac-bordeaux.fr", role: "reader", territory: "FR" })).statusCode,
    ).toBe(401);
    // Bad input.
    const badTerritory = await invite(dane, {
      email: "w@ac-bordeaux.fr",
      role: "department",
      territory: "999",
    });
    expect(badTerritory.statusCode).toBe(400);
    const badEmail = await invite(dane, { email: "pas-une-adresse", role: "department", territory: "33" });
    expect(badEmail.statusCode).toBe(400);
    expect(badEmail.json().message).toContain("Adresse électronique invalide");
    // Without the CSRF token, a signed-in request is refused.
    const noCsrf = await app.inject({
      method: "POST",
      url: "/api/v1/users/invitations",
      payload: { email: "v@ac-bordeaux.fr", role: "reader", territory: "FR" },
      headers: { cookie: dane.cookie },
    });
    expect(noCsrf.statusCode).toBe(403);
    for (const email of [
      "x@ac-limoges.fr",
      "y@ac-bordeaux.fr",
      "z@ac-bordeaux.fr",
      "w@ac-bordeaux.fr",
      "v@ac-bordeaux.fr",
    ]) {
      expect(
        smtp.messages.some((m) => m.to.includes(email)),
        email,
      ).toBe(false);
    }
  });
});

describe(`without an SMTP server (${testEngine})`, () => {
  it("the invitation and the reset link go to the log, which says they were not sent", async () => {
    const lines: Array<{ obj: object; msg: string }> = [];
    const log: MailLogger = {
      info: (obj, msg) => lines.push({ obj, msg }),
      error: (obj, msg) => lines.push({ obj, msg }),
    };
    const context = {
      actor: { ...CLI_ACTOR, label: ADMIN.email },
      send: directDispatch(handle.db, {
        config: { publicUrl: PUBLIC_URL },
        mailer: createMailer(loadConfig({})),
        log,
      }),
    };
    const result = await inviteUser(
      handle.db,
      { email: "sans.smtp@ac-bordeaux.fr", grant: { role: "reader", scope: NATION } },
      context,
    );
    expect(result).toMatchObject({ created: true, delivery: "logged" });
    expect(lines).toHaveLength(1);
    expect(lines[0]?.msg).toContain("n'a PAS été envoyé");
    expect(JSON.stringify(lines[0]?.obj)).toMatch(
      /http:\/\/vigie\.test\/activation\?jeton=[A-Za-z0-9_-]{43}/,
    );

    await createUser(
      handle.db,
      {
        email: "sans.smtp.actif@ac-bordeaux.fr",
        status: "active",
        passwordHash: await hashPassword(NEW_PASSWORD),
      },
      CLI_ACTOR,
    );
    expect(await requestPasswordReset(handle.db, "sans.smtp.actif@ac-bordeaux.fr", context)).toBe("logged");
    expect(JSON.stringify(lines[1]?.obj)).toMatch(
      /http:\/\/vigie\.test\/reinitialisation\?jeton=[A-Za-z0-9_-]{43}/,
    );
    expect(await requestPasswordReset(handle.db, "personne.du.tout@ac-bordeaux.fr", context)).toBe(
      "no_account",
    );
    expect(lines).toHaveLength(2);
    expect(smtp.messages.some((m) => m.to.some((to) => to.startsWith("sans.smtp")))).toBe(false);
  });
});

describe(`password reset (${testEngine})`, () => {
  it("reset mail → link → new password; the old one no longer works; the link works once", async () => {
    const email = "reset.moi@ac-bordeaux.fr";
    const oldPassword = "Ancien-Mot-De-Passe-2020";
    await createUser(
      handle.db,
      { email, status: "active", passwordHash: await hashPassword(oldPassword) },
      CLI_ACTOR,
    );
    const res = await resetRequest("Reset.Moi@ac-bordeaux.fr", "10.1.0.1");
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ message: RESET_REQUEST_MESSAGE });
    const mail = await onlyMailFor(email);
    expect(mail.subject).toBe("Réinitialisation de votre mot de passe Vigie");
    expect(mail.text).toContain("valable 60 minutes");
    const token = tokenOf(extractLink(mail, `${PUBLIC_URL}/reinitialisation?jeton=`));

    const set = await setPassword(token, NEW_PASSWORD);
    expect(set.statusCode, set.body).toBe(200);
    expect((await login(email, oldPassword, "10.1.0.2")).statusCode).toBe(401);
    expect((await login(email, NEW_PASSWORD, "10.1.0.2")).statusCode).toBe(200);
    expect((await setPassword(token, "Encore-Un-Autre-2027!")).statusCode).toBe(400);
    expect(await auditActions(email)).toEqual(
      expect.arrayContaining(["auth.password_reset_request", "user.password_set"]),
    );
  });

  it("an expired reset link is refused", async () => {
    const email = "trop.tard@ac-bordeaux.fr";
    const user = await createUser(
      handle.db,
      { email, status: "active", passwordHash: await hashPassword("Ancien-Mot-De-Passe-2020") },
      CLI_ACTOR,
    );
    expect((await resetRequest(email, "10.2.0.1")).statusCode).toBe(202);
    const token = tokenOf(extractLink(await onlyMailFor(email), `${PUBLIC_URL}/reinitialisation`));
    await handle.db
      .updateTable("auth_token")
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where("user_id", "=", user.id)
      .execute();
    const set = await setPassword(token, NEW_PASSWORD);
    expect(set.statusCode).toBe(400);
    expect(set.json().message).toContain("expiré");
  });

  it("unknown, invited or disabled addresses: the same 202 and no mail", async () => {
    await createUser(handle.db, { email: "invite.seul@ac-bordeaux.fr", status: "invited" }, CLI_ACTOR);
    const answers = [];
    for (const email of [
      "personne@ac-bordeaux.fr",
      "invite.seul@ac-bordeaux.fr",
      "parti@ac-bordeaux.fr",
      "n'importe quoi",
    ]) {
      const res = await resetRequest(email, "10.3.0.1");
      answers.push([res.statusCode, res.body]);
    }
    expect(new Set(answers.map((a) => JSON.stringify(a)))).toEqual(
      new Set([JSON.stringify([202, JSON.stringify({ message: RESET_REQUEST_MESSAGE })])]),
    );
    // A known address sent afterwards arrives: the earlier ones had their turn and sent nothing.
    const witness = "temoin@ac-bordeaux.fr";
    await createUser(
      handle.db,
      { email: witness, status: "active", passwordHash: await hashPassword(NEW_PASSWORD) },
      CLI_ACTOR,
    );
    await resetRequest(witness, "10.3.0.2");
    await smtp.waitForMail(witness);
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (const email of ["personne@ac-bordeaux.fr", "invite.seul@ac-bordeaux.fr", "parti@ac-bordeaux.fr"]) {
      expect(
        smtp.messages.some((m) => m.to.includes(email)),
        email,
      ).toBe(false);
    }
    const tokens = await handle.db
      .selectFrom("auth_token as t")
      .innerJoin("app_user as u", "u.id", "t.user_id")
      .select("u.email")
      .where("t.purpose", "=", "password_reset")
      .execute();
    expect(tokens.map((t) => t.email)).not.toContain("invite.seul@ac-bordeaux.fr");
  });

  it(`is rate limited per client address (${RESET_REQUEST_LIMIT} per quarter of an hour, then 429)`, async () => {
    for (let i = 0; i < RESET_REQUEST_LIMIT; i++) {
      expect((await resetRequest(`inconnu${i}@ac-bordeaux.fr`, "10.4.0.1")).statusCode).toBe(202);
    }
    const limited = await resetRequest("inconnu@ac-bordeaux.fr", "10.4.0.1");
    expect(limited.statusCode).toBe(429);
    expect(limited.json().message).toContain("Trop de tentatives");
    // Another address is not affected.
    expect((await resetRequest("inconnu@ac-bordeaux.fr", "10.4.0.2")).statusCode).toBe(202);
  });
});
