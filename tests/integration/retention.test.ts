import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { retentionSettings as retentionSchema } from "../../src/contracts/personal-data.ts";
import { buildApp } from "../../src/server/app.ts";
import {
  DEFAULT_RETENTION,
  formatPurgeReport,
  getRetention,
  purgeExpiredData,
  RETENTION_BOUNDS,
  schedulePurge,
  setRetention,
} from "../../src/server/identity/personal-data/retention.ts";
import { CLI_ACTOR, recordAudit, SYSTEM_ACTOR } from "../../src/server/platform/audit.ts";
import { loadConfig } from "../../src/server/platform/config.ts";
import type { DatabaseHandle } from "../../src/server/platform/db.ts";
import { type Client, createAccount, signIn, type TestAccount } from "../helpers/accounts.ts";
import { openTestDatabase, testEngine } from "../helpers/db.ts";

let handle: DatabaseHandle;
let app: FastifyInstance;
let admin: TestAccount;
let adminClient: Client;
let daneClient: Client;

beforeAll(async () => {
  handle = await openTestDatabase();
  app = await buildApp(handle, { ...loadConfig({}), logLevel: "warn" });
  admin = await createAccount(handle.db, "admin@ac-test.fr", [["national-admin", "FR"]]);
  const dane = await createAccount(handle.db, "dane@ac-bordeaux.fr", [["academy-steering", "04"]]);
  adminClient = await signIn(app, admin);
  daneClient = await signIn(app, dane);
});

afterAll(async () => {
  await app?.close();
  await handle?.close();
});

const DAY = 86_400_000;
// A minute ahead of the clock: what this file created for real is recent, not purged.
const NOW = new Date(Date.now() + 60_000);
const ago = (days: number, hours = 0) => new Date(NOW.getTime() - days * DAY - hours * 3_600_000);

describe(`retention settings (${testEngine})`, () => {
  it("are read and changed by national administrators only", async () => {
    expect((await app.inject({ method: "GET", url: "/api/v1/settings/retention" })).statusCode).toBe(401);
    expect((await daneClient.request({ method: "GET", url: "/api/v1/settings/retention" })).statusCode).toBe(
      403,
    );
    expect(
      (
        await daneClient.request({
          method: "PUT",
          url: "/api/v1/settings/retention",
          payload: DEFAULT_RETENTION,
        })
      ).statusCode,
    ).toBe(403);
    const res = await adminClient.request({ method: "GET", url: "/api/v1/settings/retention" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      settings: DEFAULT_RETENTION,
      defaults: DEFAULT_RETENTION,
      updatedAt: null,
      updatedBy: null,
    });
  });

  it("are validated, stored and audited with their before and after values", async () => {
    for (const payload of [
      { ...DEFAULT_RETENTION, auditEventsDays: 10 },
      { ...DEFAULT_RETENTION, usedTokensDays: 0 },
      { ...DEFAULT_RETENTION, closedRequestsDays: 5000 },
      { ...DEFAULT_RETENTION, expiredSessionsDays: 1.5 },
      { auditEventsDays: 400 },
    ]) {
      const res = await adminClient.request({ method: "PUT", url: "/api/v1/settings/retention", payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().message).toMatch(/Paramètres invalides/);
    }
    const next = { ...DEFAULT_RETENTION, auditEventsDays: 730, expiredSessionsDays: 7 };
    const res = await adminClient.request({
      method: "PUT",
      url: "/api/v1/settings/retention",
      payload: next,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ settings: next, updatedBy: admin.email });
    expect((await getRetention(handle.db)).settings).toEqual(next);
    const event = await handle.db
      .selectFrom("audit_event")
      .select(["summary", "actor_label", "source"])
      .where("action", "=", "settings.retention")
      .executeTakeFirstOrThrow();
    expect(event).toMatchObject({ actor_label: admin.email, source: "form" });
    expect(event.summary).toEqual({
      auditEventsDays: { avant: 365, après: 730 },
      expiredSessionsDays: { avant: 30, après: 7 },
    });
    await setRetention(handle.db, DEFAULT_RETENTION, CLI_ACTOR);
  });

  it("ignore a stored value out of bounds (edited by hand) in favour of the default", async () => {
    await handle.db
      .updateTable("app_setting")
      .set({ value: JSON.stringify({ ...DEFAULT_RETENTION, auditEventsDays: 1, usedTokensDays: "x" }) })
      .where("key", "=", "retention")
      .execute();
    expect((await getRetention(handle.db)).settings).toEqual(DEFAULT_RETENTION);
    await setRetention(handle.db, DEFAULT_RETENTION, CLI_ACTOR);
  });

  it("have the same bounds in the API contract and in the purge", () => {
    for (const [key, { min, max }] of Object.entries(RETENTION_BOUNDS)) {
      const shape = retentionSchema.shape[key as keyof typeof RETENTION_BOUNDS];
      expect(shape.safeParse(min).success, key).toBe(true);
      expect(shape.safeParse(max).success, key).toBe(true);
      expect(shape.safeParse(min - 1).success, key).toBe(false);
      expect(shape.safeParse(max + 1).success, key).toBe(false);
    }
  });
});

describe(`purge (${testEngine})`, () => {
  it("deletes exactly what is past retention, and records itself", async () => {
    const db = handle.db;
    await db.deleteFrom("audit_event").execute();
    const userId = admin.id;
    // Audit events: 365 days by default
    for (const [label, at] of [
      ["old", ago(365, 1)],
      ["edge", ago(364, 23)],
      ["recent", ago(1)],
    ] as const) {
      await recordAudit(db, SYSTEM_ACTOR, { action: `purge.${label}`, entityType: "test" });
      await db
        .updateTable("audit_event")
        .set({ occurred_at: at })
        .where("action", "=", `purge.${label}`)
        .execute();
    }
    // Sessions: 30 days after their expiry
    const session = (id: string, expires: Date) => ({
      id_hash: id,
      user_id: userId,
      csrf_token: `csrf-${id}`,
      auth_method: "password" as const,
      created_at: new Date(expires.getTime() - 12 * 3_600_000),
      last_seen_at: new Date(expires.getTime() - 12 * 3_600_000),
      expires_at: expires,
    });
    await db.deleteFrom("user_session").where("id_hash", "like", "purge-%").execute();
    await db
      .insertInto("user_session")
      .values([
        session("purge-old", ago(31)),
        session("purge-edge", ago(29)),
        session("purge-live", new Date(NOW.getTime() + DAY)),
      ])
      .execute();
    // One-time links: 30 days after use or expiry
    const token = (id: string, expires: Date, used: Date | null) => ({
      token_hash: id,
      user_id: userId,
      purpose: "password_reset" as const,
      created_at: new Date(expires.getTime() - 3_600_000),
      expires_at: expires,
      used_at: used,
    });
    await db
      .insertInto("auth_token")
      .values([
        token("purge-expired-old", ago(31), null),
        token("purge-expired-recent", ago(29), null),
        token("purge-used-old", ago(30, 23), ago(31)),
        token("purge-used-recent", ago(5), ago(5, 1)),
        token("purge-valid", new Date(NOW.getTime() + 3_600_000), null),
      ])
      .execute();
    // Personal-data requests: 3 × 365 days after closing; open ones are never purged
    const request = (status: "open" | "done" | "refused", handled: Date | null, email: string) => ({
      user_id: null,
      email,
      kind: "deletion" as const,
      status,
      created_at: ago(3000),
      handled_at: handled,
    });
    await db
      .insertInto("personal_data_request")
      .values([
        request("done", ago(1096), "old-done@x.fr"),
        request("refused", ago(1094), "recent-refused@x.fr"),
        request("open", null, "open@x.fr"),
      ])
      .execute();
    // ProConnect logins in progress: a day after their ten minutes
    await db
      .insertInto("oidc_login_attempt")
      .values([
        { state_hash: "purge-old", nonce: "n", code_verifier: null, created_at: ago(3), expires_at: ago(2) },
        {
          state_hash: "purge-recent",
          nonce: "n",
          code_verifier: null,
          created_at: ago(0, 1),
          expires_at: ago(0, 0.5),
        },
      ])
      .execute();

    const report = await purgeExpiredData(db, { now: NOW });
    expect(report).toMatchObject({
      auditEvents: 1,
      sessions: 1,
      tokens: 2,
      personalDataRequests: 1,
      loginAttempts: 1,
      settings: DEFAULT_RETENTION,
      now: NOW.toISOString(),
    });

    const actions = (await db.selectFrom("audit_event").select("action").orderBy("id").execute()).map(
      (r) => r.action,
    );
    expect(actions).toEqual(["purge.edge", "purge.recent", "retention.purge"]);
    const purgeEvent = await db
      .selectFrom("audit_event")
      .selectAll()
      .where("action", "=", "retention.purge")
      .executeTakeFirstOrThrow();
    expect(purgeEvent).toMatchObject({ actor_label: "système", source: "system" });
    expect(purgeEvent.summary).toEqual({
      auditEvents: 1,
      sessions: 1,
      links: 2,
      personalDataRequests: 1,
      loginAttempts: 1,
    });
    expect(
      (
        await db
          .selectFrom("user_session")
          .select("id_hash")
          .where("id_hash", "like", "purge-%")
          .orderBy("id_hash")
          .execute()
      ).map((r) => r.id_hash),
    ).toEqual(["purge-edge", "purge-live"]);
    expect(
      (
        await db
          .selectFrom("auth_token")
          .select("token_hash")
          .where("token_hash", "like", "purge-%")
          .orderBy("token_hash")
          .execute()
      ).map((r) => r.token_hash),
    ).toEqual(["purge-expired-recent", "purge-used-recent", "purge-valid"]);
    expect(
      (await db.selectFrom("personal_data_request").select("email").orderBy("email").execute()).map(
        (r) => r.email,
      ),
    ).toEqual(["open@x.fr", "recent-refused@x.fr"]);
    expect(
      (
        await db
          .selectFrom("oidc_login_attempt")
          .select("state_hash")
          .where("state_hash", "like", "purge-%")
          .execute()
      ).map((r) => r.state_hash),
    ).toEqual(["purge-recent"]);

    // A second run finds nothing, and records nothing
    const again = await purgeExpiredData(db, { now: NOW });
    expect(again).toMatchObject({
      auditEvents: 0,
      sessions: 0,
      tokens: 0,
      personalDataRequests: 0,
      loginAttempts: 0,
    });
    expect(
      await db.selectFrom("audit_event").select("id").where("action", "=", "retention.purge").execute(),
    ).toHaveLength(1);
  });

  it("follows the settings in force", async () => {
    const db = handle.db;
    await setRetention(db, { ...DEFAULT_RETENTION, auditEventsDays: 30 }, CLI_ACTOR);
    await recordAudit(db, SYSTEM_ACTOR, { action: "purge.month", entityType: "test" });
    await db
      .updateTable("audit_event")
      .set({ occurred_at: ago(31) })
      .where("action", "=", "purge.month")
      .execute();
    const report = await purgeExpiredData(db, { now: NOW, actor: CLI_ACTOR });
    // purge.edge (≈ 365 days old) and purge.month go; the rest of this file's events are recent
    expect(report.auditEvents).toBe(2);
    expect(
      await db
        .selectFrom("audit_event")
        .select("id")
        .where("action", "in", ["purge.month", "purge.edge"])
        .execute(),
    ).toEqual([]);
    const last = await db
      .selectFrom("audit_event")
      .selectAll()
      .orderBy("id", "desc")
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(last).toMatchObject({ action: "retention.purge", source: "cli" });
    await setRetention(db, DEFAULT_RETENTION, CLI_ACTOR);
  });

  it("runs at once and then on a timer that keeps no process alive", async () => {
    const messages: string[] = [];
    const log = {
      info: (_o: object, m: string) => messages.push(m),
      error: (_o: object, m: string) => messages.push(m),
    };
    const scheduled = schedulePurge(handle.db, log, 60_000);
    await scheduled.running();
    scheduled.stop();
    expect(messages).toEqual(["purge des données expirées"]);
  });
});

describe("vigie purge", () => {
  it.skipIf(testEngine !== "pglite")("purges from the command line, with a JSON report", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigie-purge-"));
    try {
      const run = promisify(execFile);
      const { stdout } = await run(process.execPath, ["bin/vigie.mjs", "purge", "--json"], {
        env: { ...process.env, VIGIE_DATA_DIR: dir, DATABASE_URL: "" },
        timeout: 120_000,
      });
      expect(JSON.parse(stdout)).toMatchObject({
        auditEvents: 0,
        sessions: 0,
        tokens: 0,
        personalDataRequests: 0,
        loginAttempts: 0,
        settings: DEFAULT_RETENTION,
      });
      expect(formatPurgeReport(JSON.parse(stdout))).toContain(
        "événements du journal d'audit de plus de 365 jours : 0",
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
