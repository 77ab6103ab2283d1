import { parse } from "csv-parse/sync";
import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MyData, PersonalDataRequestList } from "../../src/contracts/personal-data.ts";
import { buildApp } from "../../src/server/app.ts";
import { deletedAccountLabel } from "../../src/server/identity/personal-data/personal-data.ts";
import { DELETION_REQUESTED_MESSAGE } from "../../src/server/identity/personal-data/personal-data-routes.ts";
import { loadConfig } from "../../src/server/platform/config.ts";
import type { DatabaseHandle } from "../../src/server/platform/db.ts";
import { type Client, createAccount, signIn, type TestAccount } from "../helpers/accounts.ts";
import { openTestDatabase, testEngine } from "../helpers/db.ts";

let handle: DatabaseHandle;
let app: FastifyInstance;
let admin: TestAccount;
let dane: TestAccount;
let adminClient: Client;
let daneClient: Client;

beforeAll(async () => {
  handle = await openTestDatabase();
  app = await buildApp(handle, { ...loadConfig({}), logLevel: "warn" });
  admin = await createAccount(handle.db, "admin@ac-test.fr", [["national-admin", "FR"]]);
  dane = await createAccount(handle.db, "dane@ac-bordeaux.fr", [
    ["academy-steering", "04"],
    ["reader", "FR"],
  ]);
  adminClient = await signIn(app, admin);
  daneClient = await signIn(app, dane);
});

afterAll(async () => {
  await app?.close();
  await handle?.close();
});

describe(`« Mes données » (${testEngine})`, () => {
  it("publishes the controller and DPO contacts of the instance, null until configured", async () => {
    const res = await app.inject({ method: "GET", url: "/api/v1/privacy/contacts" });
    expect(res.json()).toEqual({ controller: null, dpo: null });
    const config = loadConfig({
      VIGIE_CONTROLLER: "Rectorat de Bordeaux",
      VIGIE_DPO_CONTACT: " dpd@ac-bordeaux.fr ",
    });
    expect(config.privacyContacts).toEqual({ controller: "Rectorat de Bordeaux", dpo: "dpd@ac-bordeaux.fr" });
  });

  it("needs a session", async () => {
    for (const url of ["/api/v1/me/data", "/api/v1/me/data.csv"]) {
      expect((await app.inject({ method: "GET", url })).statusCode).toBe(401);
    }
    expect(
      (await app.inject({ method: "POST", url: "/api/v1/me/deletion-request", payload: {} })).statusCode,
    ).toBe(401);
  });

  it("gives the account, its roles, its sessions and its audit trail, without any secret", async () => {
    const second = await signIn(app, dane);
    const res = await daneClient.request({ method: "GET", url: "/api/v1/me/data" });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers["cache-control"]).toBe("no-store");
    const data = res.json() as MyData;
    expect(data.account).toMatchObject({
      email: dane.email,
      status: "active",
      hasPassword: true,
      id: dane.id,
    });
    expect(data.roles.map((r) => [r.role, r.territory])).toEqual([
      ["academy-steering", "academy:04"],
      ["reader", "nation:FR"],
    ]);
    expect(data.roles[0]?.territoryLabel).toBe("académie Bordeaux (04)");
    expect(data.sessions.length).toBe(2);
    expect(data.sessions.filter((s) => s.current).length).toBe(1);
    expect(data.sessions[0]).not.toHaveProperty("idHash");
    const actions = data.auditEvents.map((e) => e.action);
    expect(actions).toContain("auth.login");
    expect(actions).toContain("user.create");
    expect(actions).toContain("role.grant");
    // Nothing about the others
    expect(data.auditEvents.every((e) => e.actorUserId === dane.id || e.entityId === dane.id)).toBe(true);
    const text = res.body;
    for (const secret of [
      dane.password,
      daneClient.csrf,
      daneClient.cookie.split("=")[1] ?? "",
      second.csrf,
    ]) {
      expect(text.includes(secret), "secret dans l'export").toBe(false);
    }
    const hash = await handle.db
      .selectFrom("app_user")
      .select("password_hash")
      .where("id", "=", dane.id)
      .executeTakeFirst();
    expect(text.includes(hash?.password_hash ?? "none")).toBe(false);
    expect(text).not.toMatch(/argon2/);
  });

  it("exports the same data as CSV (`;`, BOM, stable columns)", async () => {
    const res = await daneClient.request({ method: "GET", url: "/api/v1/me/data.csv" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(res.headers["content-disposition"]).toMatch(/attachment; filename="mes-donnees-vigie-/);
    expect(res.body.startsWith("\uFEFFsection;id;occurred_at;label;details\r\n")).toBe(true);
    const records = parse(res.rawPayload, { delimiter: ";", bom: true, columns: true }) as Record<
      string,
      string
    >[];
    expect(records[0]).toMatchObject({ section: "account", id: dane.id, label: dane.email });
    expect(records.filter((r) => r.section === "role").length).toBe(2);
    expect(records.filter((r) => r.section === "session").length).toBeGreaterThanOrEqual(1);
    expect(records.some((r) => r.section === "audit_event" && r.label === "auth.login")).toBe(true);
  });

  it("records a deletion request once, with a French confirmation, and shows it", async () => {
    const withoutCsrf = await app.inject({
      method: "POST",
      url: "/api/v1/me/deletion-request",
      payload: {},
      headers: { cookie: daneClient.cookie },
    });
    expect(withoutCsrf.statusCode).toBe(403);
    const res = await daneClient.request({
      method: "POST",
      url: "/api/v1/me/deletion-request",
      payload: { message: "Je quitte la DANE." },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ created: true, message: DELETION_REQUESTED_MESSAGE });
    expect(res.json().request).toMatchObject({ kind: "deletion", status: "open", email: dane.email });
    const again = await daneClient.request({
      method: "POST",
      url: "/api/v1/me/deletion-request",
      payload: {},
    });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ created: false, request: { id: res.json().request.id } });
    expect(again.json().message).toMatch(/déjà en cours/);
    const data = (await daneClient.request({ method: "GET", url: "/api/v1/me/data" })).json() as MyData;
    expect(data.requests.map((r) => r.status)).toEqual(["open"]);
    expect(data.auditEvents.map((e) => e.action)).toContain("personal_data.deletion_request");
  });

  it("lets national administrators only list and handle requests", async () => {
    expect((await app.inject({ method: "GET", url: "/api/v1/personal-data-requests" })).statusCode).toBe(401);
    expect(
      (await daneClient.request({ method: "GET", url: "/api/v1/personal-data-requests" })).statusCode,
    ).toBe(403);
    const close = await daneClient.request({
      method: "POST",
      url: "/api/v1/personal-data-requests/1/close",
      payload: { decision: "done" },
    });
    expect(close.statusCode).toBe(403);
    const list = (
      await adminClient.request({ method: "GET", url: "/api/v1/personal-data-requests" })
    ).json() as PersonalDataRequestList;
    expect(list.items.map((r) => [r.email, r.status, r.message, r.userExists])).toEqual([
      [dane.email, "open", "Je quitte la DANE.", true],
    ]);
  });

  it("deletes the account when the request is done, and anonymises the audit log", async () => {
    const request = (
      (
        await adminClient.request({ method: "GET", url: "/api/v1/personal-data-requests" })
      ).json() as PersonalDataRequestList
    ).items[0];
    const res = await adminClient.request({
      method: "POST",
      url: `/api/v1/personal-data-requests/${request?.id}/close`,
      payload: { decision: "done" },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: "done", userId: null, email: dane.email });
    expect(res.json().handledAt).not.toBeNull();

    const db = handle.db;
    expect(
      await db.selectFrom("app_user").select("id").where("email", "=", dane.email).executeTakeFirst(),
    ).toBeUndefined();
    for (const table of ["user_session", "role_assignment", "auth_token"] as const) {
      const rows = await db.selectFrom(table).selectAll().where("user_id", "=", dane.id).execute();
      expect(rows, table).toEqual([]);
    }
    const label = deletedAccountLabel(dane.id);
    const events = await db
      .selectFrom("audit_event")
      .select(["actor_label", "actor_user_id", "ip", sql<string>`summary::text`.as("summary"), "action"])
      .execute();
    // Not one trace of the address left in the log, and the history is still there
    expect(JSON.stringify(events).includes(dane.email)).toBe(false);
    const login = events.find((e) => e.action === "auth.login" && e.actor_label === label);
    expect(login).toMatchObject({ actor_user_id: null, ip: null });
    expect(events.some((e) => e.action === "user.delete")).toBe(true);
    expect(events.some((e) => e.action === "personal_data.request_done")).toBe(true);

    // The deleted account's session and password no longer open anything
    expect((await daneClient.request({ method: "GET", url: "/api/v1/me/data" })).statusCode).toBe(401);
    const login2 = await app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: dane.email, password: dane.password },
      remoteAddress: "10.3.3.3",
    });
    expect(login2.statusCode).toBe(401);

    const closedAgain = await adminClient.request({
      method: "POST",
      url: `/api/v1/personal-data-requests/${request?.id}/close`,
      payload: { decision: "refused" },
    });
    expect(closedAgain.statusCode).toBe(409);
    const all = (
      await adminClient.request({ method: "GET", url: "/api/v1/personal-data-requests?status=all" })
    ).json() as PersonalDataRequestList;
    expect(all.items[0]).toMatchObject({ status: "done", userExists: false });
  });

  it("refuses to delete the last national administrator, and can refuse a request", async () => {
    const asked = await adminClient.request({
      method: "POST",
      url: "/api/v1/me/deletion-request",
      payload: {},
    });
    expect(asked.statusCode).toBe(201);
    const id = asked.json().request.id;
    const done = await adminClient.request({
      method: "POST",
      url: `/api/v1/personal-data-requests/${id}/close`,
      payload: { decision: "done" },
    });
    expect(done.statusCode).toBe(409);
    expect(done.json()).toMatchObject({ error: "last_admin" });
    // Still open, account still there
    expect((await adminClient.request({ method: "GET", url: "/api/v1/me/data" })).statusCode).toBe(200);
    const refused = await adminClient.request({
      method: "POST",
      url: `/api/v1/personal-data-requests/${id}/close`,
      payload: { decision: "refused", reason: "Dernier administrateur : nommer un successeur d'abord." },
    });
    expect(refused.statusCode).toBe(200);
    expect(refused.json().status).toBe("refused");
    const trail = (await adminClient.request({ method: "GET", url: "/api/v1/me/data" })).json() as MyData;
    expect(
      trail.auditEvents.find((e) => e.action === "personal_data.request_refused")?.summary,
    ).toMatchObject({
      motif: "Dernier administrateur : nommer un successeur d'abord.",
    });
    expect(
      (
        await adminClient.request({
          method: "POST",
          url: "/api/v1/personal-data-requests/999999/close",
          payload: { decision: "done" },
        })
      ).statusCode,
    ).toBe(404);
  });
});
