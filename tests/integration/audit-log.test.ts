import { parse } from "csv-parse/sync";
import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditPage } from "../../src/contracts/audit.ts";
import { buildApp } from "../../src/server/app.ts";
import { AUDIT_CSV_COLUMNS, iterateAuditEvents } from "../../src/server/identity/audit/audit-log.ts";
import { issueToken } from "../../src/server/identity/tokens.ts";
import { type Actor, recordAudit } from "../../src/server/platform/audit.ts";
import { loadConfig } from "../../src/server/platform/config.ts";
import type { DatabaseHandle } from "../../src/server/platform/db.ts";
import { type Client, createAccount, signIn, type TestAccount } from "../helpers/accounts.ts";
import { openTestDatabase, testEngine } from "../helpers/db.ts";

let handle: DatabaseHandle;
let app: FastifyInstance;
const accounts: Record<string, TestAccount> = {};
const clients: Record<string, Client> = {};

const actor = (label: string, ip?: string): Actor => ({
  userId: null,
  label,
  source: "form",
  ...(ip ? { ip } : {}),
});

/** Six events over two académies of Nouvelle-Aquitaine, Lille, the région itself and no territory. */
async function seedEvents(): Promise<void> {
  const events: [string, Actor, Parameters<typeof recordAudit>[2]][] = [
    [
      "2026-01-15T10:00:00Z",
      actor("alice@ac-bordeaux.fr"),
      {
        action: "test.create",
        entityType: "school",
        entityId: "0330001A",
        territory: { level: "academy", code: "04", academyCode: "04" },
      },
    ],
    [
      // 00:30 in Paris on 16 January: a French day that is still the 15th in UTC.
      "2026-01-15T23:30:00Z",
      actor("bob@ac-poitiers.fr"),
      {
        action: "test.update",
        entityType: "school",
        entityId: "0860001A",
        territory: { level: "school", code: "0860001A", academyCode: "13" },
      },
    ],
    [
      "2026-02-01T09:00:00Z",
      actor("carole@ac-lille.fr"),
      {
        action: "test.update",
        entityType: "user",
        entityId: "77",
        territory: { level: "academy", code: "09", academyCode: "09" },
      },
    ],
    [
      "2026-02-02T09:00:00Z",
      actor("drane@region-na.fr"),
      {
        action: "test.grant",
        entityType: "user",
        entityId: "78",
        territory: { level: "academicRegion", code: "75", academyCode: null },
      },
    ],
    ["2026-02-03T09:00:00Z", actor("système"), { action: "test.purge", entityType: "retention" }],
    [
      "2026-02-04T09:00:00Z",
      actor('=HYPERLINK("http://x")', "10.9.9.9"),
      {
        action: "test.formula",
        entityType: "school",
        entityId: "-2+3",
        territory: { level: "academy", code: "04", academyCode: "04" },
        summary: { note: "@SUM(A1)", texte: 'a;b"c' },
      },
    ],
  ];
  for (const [at, who, entry] of events) {
    await recordAudit(handle.db, who, entry);
    await handle.db
      .updateTable("audit_event")
      .set({ occurred_at: new Date(at) })
      .where("id", "=", sql<string>`(select max(id) from audit_event)`)
      .execute();
  }
}

beforeAll(async () => {
  handle = await openTestDatabase();
  app = await buildApp(handle, { ...loadConfig({}), logLevel: "warn" });
  accounts.admin = await createAccount(handle.db, "admin@ac-test.fr", [["national-admin", "FR"]]);
  accounts.drane = await createAccount(handle.db, "drane@ac-bordeaux.fr", [["region-steering", "75"]]);
  accounts.dane = await createAccount(handle.db, "dane@ac-bordeaux.fr", [["academy-steering", "04"]]);
  accounts.lille = await createAccount(handle.db, "dane@ac-lille.fr", [["academy-steering", "09"]]);
  accounts.dasen = await createAccount(handle.db, "dasen@ac-bordeaux.fr", [["department", "33"]]);
  accounts.reader = await createAccount(handle.db, "lecteur@ac-bordeaux.fr", [["reader", "FR"]]);
  for (const [name, account] of Object.entries(accounts)) clients[name] = await signIn(app, account);
  await seedEvents();
});

afterAll(async () => {
  await app?.close();
  await handle?.close();
});

async function search(who: string, query: string): Promise<AuditPage> {
  const res = await clients[who]?.request({ method: "GET", url: `/api/v1/audit-events?${query}` });
  expect(res?.statusCode, res?.body).toBe(200);
  return res?.json() as AuditPage;
}

const actions = (page: AuditPage) => page.items.map((e) => `${e.action}:${e.actorLabel}`);

describe(`audit log search (${testEngine})`, () => {
  it("needs a session (401) and audit.read (403)", async () => {
    for (const url of ["/api/v1/audit-events", "/api/v1/audit-events.csv"]) {
      expect((await app.inject({ method: "GET", url })).statusCode).toBe(401);
      for (const who of ["reader", "dasen"]) {
        const res = await clients[who]?.request({ method: "GET", url });
        expect(res?.statusCode, `${who} ${url}`).toBe(403);
        expect(res?.json().message).toMatch(/droit|périmètre/);
      }
    }
  });

  it("shows a national administrator every event, newest first, with the IP address", async () => {
    const page = await search("admin", "action=test.");
    expect(page.total).toBe(6);
    expect(page.items.map((e) => e.action)).toEqual([
      "test.formula",
      "test.purge",
      "test.grant",
      "test.update",
      "test.update",
      "test.create",
    ]);
    expect(page.items[0]?.ip).toBe("10.9.9.9");
    expect(page.items[0]?.summary).toEqual({ note: "@SUM(A1)", texte: 'a;b"c' });
    // The accounts' creation, roles and logins are there too, recorded by the identity core.
    const logins = await search("admin", "action=auth.login&entityType=user");
    expect(logins.items.filter((e) => e.action === "auth.login").length).toBe(Object.keys(accounts).length);
  });

  it("filters by actor, action, entity type, French days and territory", async () => {
    expect(actions(await search("admin", "actor=BORDEAUX&action=test."))).toEqual([
      "test.create:alice@ac-bordeaux.fr",
    ]);
    expect(actions(await search("admin", "action=test.&from=2026-01-16&to=2026-01-16"))).toEqual([
      "test.update:bob@ac-poitiers.fr",
    ]);
    expect(actions(await search("admin", "action=test.&from=2026-01-15&to=2026-01-15"))).toEqual([
      "test.create:alice@ac-bordeaux.fr",
    ]);
    expect((await search("admin", "action=test.&entityType=user")).items.map((e) => e.entityId)).toEqual([
      "78",
      "77",
    ]);
    expect((await search("admin", "action=test.&territory=academy:04")).items.map((e) => e.action)).toEqual([
      "test.formula",
      "test.create",
    ]);
    expect((await search("admin", "action=test.&territory=academicRegion:75")).total).toBe(4);
    expect(actions(await search("admin", "action=test.&territory=school:0860001A"))).toEqual([
      "test.update:bob@ac-poitiers.fr",
    ]);
    // `%` and `_` are searched as themselves
    expect((await search("admin", "actor=%25")).total).toBe(0);
  });

  it("sorts and pages", async () => {
    const byActor = await search("admin", "action=test.&sort=actor&order=asc&actor=%40");
    expect(byActor.items.map((e) => e.actorLabel)).toEqual([
      "alice@ac-bordeaux.fr",
      "bob@ac-poitiers.fr",
      "carole@ac-lille.fr",
      "drane@region-na.fr",
    ]);
    const page2 = await search("admin", "action=test.&pageSize=2&page=2");
    expect(page2).toMatchObject({ total: 6, page: 2, pageSize: 2 });
    expect(page2.items.map((e) => e.action)).toEqual(["test.grant", "test.update"]);
  });

  it("refuses invalid filters with a French message", async () => {
    for (const query of ["from=2026-13-45", "territory=n'importe", "pageSize=5000", "sort=ip"]) {
      const res = await clients.admin?.request({ method: "GET", url: `/api/v1/audit-events?${query}` });
      expect(res?.statusCode, query).toBe(400);
      expect(res?.json().message).toMatch(/Paramètres invalides/);
    }
  });

  it("limits steering roles to their scope, without IP addresses", async () => {
    const dane = await search("dane", "action=test.");
    expect(dane.items.map((e) => e.action)).toEqual(["test.formula", "test.create"]);
    expect(dane.items.every((e) => e.ip === null)).toBe(true);
    const drane = await search("drane", "action=test.");
    expect(drane.items.map((e) => e.action)).toEqual([
      "test.formula",
      "test.grant",
      "test.update",
      "test.create",
    ]);
    expect(actions(await search("lille", "action=test."))).toEqual(["test.update:carole@ac-lille.fr"]);
    // Asking for another académie gives nothing, not its events
    expect((await search("dane", "territory=academy:09")).total).toBe(0);
    // Logins and account creations have no territory: national administrators only
    expect((await search("dane", "action=auth.")).total).toBe(0);
    // …but the roles granted in their académie (Gironde is in it) are theirs to see
    expect((await search("dane", "action=role.grant")).items.map((e) => e.summary.territory)).toEqual([
      "department:33",
      "academy:04",
    ]);
  });
});

describe(`audit log CSV export (${testEngine})`, () => {
  it("is UTF-8 with BOM, `;`-separated, with stable column names and neutralised formulas", async () => {
    const res = await clients.admin?.request({
      method: "GET",
      url: "/api/v1/audit-events.csv?action=test.&order=asc",
    });
    expect(res?.statusCode).toBe(200);
    expect(res?.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(res?.headers["content-disposition"]).toMatch(
      /^attachment; filename="journal-audit-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const body = res?.rawPayload.toString("utf8") ?? "";
    expect(body.startsWith("\uFEFF")).toBe(true);
    const [header, ...lines] = body.slice(1).split("\r\n");
    expect(header).toBe(
      "id;occurred_at;actor_user_id;actor_label;action;action_label;entity_type;entity_id;territory_level;territory_code;academy_code;source;source_ref;request_id;ip;summary",
    );
    expect(lines.at(-1)).toBe("");
    const records = parse(body, { delimiter: ";", bom: true, columns: true }) as Record<string, string>[];
    expect(records.map((r) => r.action)).toEqual([
      "test.create",
      "test.update",
      "test.update",
      "test.grant",
      "test.purge",
      "test.formula",
    ]);
    const formula = records.at(-1);
    expect(formula).toMatchObject({
      actor_label: `'=HYPERLINK("http://x")`,
      entity_id: "'-2+3",
      territory_level: "academy",
      academy_code: "04",
      ip: "10.9.9.9",
      source: "form",
    });
    expect(JSON.parse(formula?.summary ?? "")).toEqual({ note: "@SUM(A1)", texte: 'a;b"c' });
    expect(records[1]?.occurred_at).toBe("2026-01-15T23:30:00.000Z");
    // French labels of known actions beside their codes
    expect(records.find((r) => r.action === "test.create")?.action_label).toBe("test.create");
    const labelled = await clients.admin?.request({
      method: "GET",
      url: "/api/v1/audit-events.csv?action=role.grant",
    });
    expect(labelled?.body).toContain(";role.grant;Attribution de rôle;");
  });

  it("applies the reader's scope and filters", async () => {
    const res = await clients.dane?.request({ method: "GET", url: "/api/v1/audit-events.csv?action=test." });
    const records = parse(res?.rawPayload ?? "", { delimiter: ";", bom: true, columns: true }) as Record<
      string,
      string
    >[];
    expect(records.map((r) => r.action)).toEqual(["test.formula", "test.create"]);
    expect(records.every((r) => r.ip === "")).toBe(true);
  });

  it("streams large logs in batches: every event once, in order", async () => {
    await sql`insert into audit_event (occurred_at, actor_label, action, entity_type, source, academy_code)
      select timestamptz '2025-06-01' + (n % 40) * interval '1 hour', 'bulk@ac-bordeaux.fr', 'bulk.write', 'school', 'import', '04'
      from generate_series(1, 2345) as n`.execute(handle.db);
    const res = await clients.admin?.request({ method: "GET", url: "/api/v1/audit-events.csv?action=bulk." });
    const records = parse(res?.rawPayload ?? "", { delimiter: ";", bom: true, columns: true }) as Record<
      string,
      string
    >[];
    expect(records.length).toBe(2345);
    expect(new Set(records.map((r) => r.id)).size).toBe(2345);
    const keys = records.map((r) => `${r.occurred_at}|${(r.id ?? "").padStart(12, "0")}`);
    expect(keys).toEqual([...keys].sort().reverse());
    // Small batches over many equal timestamps: the keyset cursor neither skips nor repeats
    const seen: string[] = [];
    for await (const event of iterateAuditEvents(
      handle.db,
      { all: true },
      { action: "bulk.", sort: "date", order: "asc" },
      7,
    )) {
      seen.push(event.id);
    }
    expect(seen.length).toBe(2345);
    expect(new Set(seen).size).toBe(2345);
    expect(AUDIT_CSV_COLUMNS.length).toBe(16);
  });
});

describe(`audit log and secrets (${testEngine})`, () => {
  it("never stores a password or a token, even when a writer passes one by mistake", async () => {
    const newPassword = "Phare-de-Cordouan-1611!";
    const { token } = await issueToken(handle.db, accounts.reader?.id ?? "", "password_reset");
    const set = await app.inject({
      method: "POST",
      url: "/api/v1/auth/password",
      payload: { token, password: newPassword },
      remoteAddress: "10.7.7.7",
    });
    expect(set.statusCode, set.body).toBe(200);
    const wrong = await app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: accounts.reader?.email, password: "Mauvais-mot-de-passe-42" },
      remoteAddress: "10.7.7.8",
    });
    expect(wrong.statusCode).toBe(401);
    await recordAudit(handle.db, actor("test"), {
      action: "test.careless",
      entityType: "user",
      summary: { body: { email: "x@y.fr", password: "Hunter2-Hunter2", token: "abc" }, csrfToken: "def" },
    });
    const rows = await handle.db
      .selectFrom("audit_event")
      .select([sql<string>`summary::text`.as("summary"), "actor_label", "entity_id", "source_ref"])
      .execute();
    const everything = JSON.stringify(rows);
    for (const secret of [
      newPassword,
      "Mauvais-mot-de-passe-42",
      token,
      accounts.admin?.password ?? "",
      "Hunter2-Hunter2",
      clients.admin?.csrf ?? "",
      clients.admin?.cookie.split("=")[1] ?? "",
    ]) {
      expect(everything.includes(secret), secret).toBe(false);
    }
    const careless = await search("admin", "action=test.careless");
    expect(careless.items[0]?.summary).toEqual({
      body: { email: "x@y.fr", password: "[masqué]", token: "[masqué]" },
      csrfToken: "[masqué]",
    });
  });
});
