import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UsageBatchAnswer } from "../../src/contracts/usage.ts";
import { hashToken, newSecret } from "../../src/server/identity/tokens.ts";
import { createUsageToken, revokeUsageToken } from "../../src/server/imports/usage-api/tokens.ts";
import { settleRollups } from "../../src/server/indicators/engine.ts";
import { CLI_ACTOR } from "../../src/server/platform/audit.ts";
import { loadDemo } from "../../src/server/territories/demo/load.ts";
import { testEngine } from "../helpers/db.ts";
import { type IdentityTestApp, makeUser, openIdentityTestApp } from "../helpers/identity.ts";

/**
 * Issue 10, item 6: the usage API of providers, through the real app on both engines — a token
 * scoped to territories (rows of other schools refused with the reason), stored hashed,
 * revocable (then 401); a batch in JSON or CSV; the same batch twice acknowledged and written
 * once.
 */

describe(`usage API on ${testEngine}`, () => {
  let t: IdentityTestApp;
  let inside: [string, string];
  let outside: string;
  let token: string;

  beforeAll(async () => {
    t = await openIdentityTestApp();
    await loadDemo(t.db, "tiny");
    const schools = async (academy: string, n: number) =>
      (
        await t.db
          .selectFrom("school")
          .select("uai")
          .where("academy_code", "=", academy)
          .where("status", "=", "open")
          .orderBy("uai")
          .limit(n)
          .execute()
      ).map((s) => s.uai);
    inside = (await schools("04", 2)) as [string, string];
    outside = (await schools("13", 1))[0] as string;
    token = (await createUsageToken(t.db, { provider: "ENT Test", territories: ["academy:04"] }, CLI_ACTOR))
      .token;
  });
  afterAll(async () => {
    await settleRollups(t.db);
    await t?.close();
  });

  const send = (
    payload: unknown,
    options: { token?: string | null; headers?: Record<string, string>; url?: string } = {},
  ) =>
    t.app.inject({
      method: "POST",
      url: options.url ?? "/api/v1/usage/batches",
      headers: {
        ...(options.token === null ? {} : { authorization: `Bearer ${options.token ?? token}` }),
        ...(typeof payload === "string" ? { "content-type": "text/csv" } : {}),
        ...options.headers,
      },
      payload: payload as string,
    });

  const stored = async (uai: string, element: string, period: string) =>
    (
      await t.db
        .selectFrom("data_value")
        .innerJoin("school", "school.id", "data_value.school_id")
        .select(["data_value.disaggregation", "data_value.value", "data_value.source"])
        .where("school.uai", "=", uai)
        .where("data_element_code", "=", element)
        .where("period", "=", period)
        .orderBy("data_value.disaggregation")
        .execute()
    ).map((r) => [r.disaggregation, r.value, r.source]);
  const count = async (table: "data_value" | "import_batch") =>
    Number(
      (
        await t.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );

  const batch = (batchId: string) => ({
    batchId,
    rows: [
      { uai: inside[0], date: "2025-03", profile: "pupil", measure: "connections", value: 300 },
      { uai: inside[0], date: "2025-03", profile: "Enseignants", measure: "Connexions", value: 40 },
      {
        uai: inside[0],
        date: "2025-03",
        profile: "pupil",
        measure: "accesses",
        service: "mediacentre",
        value: 90,
      },
      { uai: outside, date: "2025-03", profile: "pupil", measure: "connections", value: 5 },
      { uai: "9999999P", date: "2025-03", profile: "pupil", measure: "connections", value: 5 },
      {
        uai: inside[1],
        date: "2025-03",
        profile: "pupil",
        measure: "accesses",
        service: "Kiosque imaginaire",
        value: 5,
      },
      { uai: inside[1], date: "2025-03", profile: "Invités", measure: "connections", value: 5 },
    ],
  });

  it("writes the rows of the token's schools and refuses the others with their reason", async () => {
    const res = await send(batch("2025-03-lot-1"));
    expect(res.statusCode, res.body).toBe(200);
    const answer = res.json() as UsageBatchAnswer;
    expect(answer).toMatchObject({
      provider: "ENT Test",
      alreadyReceived: false,
      read: 7,
      accepted: 3,
      rejectedTotal: 4,
    });
    expect(answer.rejected.map((i) => [i.line, i.column])).toEqual([
      [4, "uai"],
      [5, "uai"],
      [6, "service"],
      [7, "profile"],
    ]);
    expect(answer.rejected[0]?.reason).toBe(
      `établissement ${outside} hors du périmètre du jeton (academy:04) : ligne refusée`,
    );
    expect(answer.rejected[1]?.reason).toMatch(/^UAI 9999999P inconnu de Vigie/);
    expect(answer.rejected[2]?.reason).toMatch(/^application ou connecteur « Kiosque imaginaire » inconnu/);
    expect(answer.rejected[3]?.reason).toMatch(/^profil « Invités » inconnu/);
    expect(await stored(inside[0], "ent_connections", "2025-03")).toEqual([
      ["", 340, "import"],
      ["profile=pupil", 300, "import"],
      ["profile=teacher", 40, "import"],
    ]);
    expect(await stored(inside[0], "resource_connections", "2025-03")).toEqual([["", 90, "import"]]);
    expect(await stored(outside, "ent_connections", "2025-03")).toEqual([]);
    expect(answer.written).toBe(answer.values);
    // The roll-up the batch started in the background puts the figures on the dashboards.
    await settleRollups(t.db);
    const academy = await t.db
      .selectFrom("indicator_aggregate")
      .select(["numerator"])
      .where("indicator_code", "=", "ent_connections_count")
      .where("period", "=", "2025-03")
      .where("node_level", "=", "academy")
      .where("node_code", "=", "04")
      .where("grp", "=", "")
      .where("disaggregation", "=", "")
      .executeTakeFirst();
    expect(academy?.numerator).toBe(340);
  });

  it("acknowledges a repeated batch and writes nothing", async () => {
    const values = await count("data_value");
    const batches = await count("import_batch");
    const res = await send(batch("2025-03-lot-1"));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ alreadyReceived: true, written: 0, accepted: 3, rejectedTotal: 4 });
    expect(await count("data_value")).toBe(values);
    expect(await count("import_batch")).toBe(batches);
  });

  it("acknowledges a batch another request is writing, and retakes a claim its dead writer left", async () => {
    const tokenId = (
      await t.db.selectFrom("usage_token").select("id").orderBy("id").executeTakeFirstOrThrow()
    ).id;
    const claim = (batchId: string, receivedAt: Date) =>
      t.db
        .insertInto("usage_batch")
        .values({
          provider: "ENT Test",
          batch_id: batchId,
          token_id: tokenId,
          status: "receiving",
          received_at: receivedAt,
        })
        .execute();
    await claim("en-cours", new Date());
    expect((await send(batch("en-cours"))).json()).toMatchObject({ alreadyReceived: true, written: 0 });
    await claim("abandonne", new Date(Date.now() - 3_600_000));
    const retaken = (await send(batch("abandonne"))).json() as UsageBatchAnswer;
    expect(retaken).toMatchObject({ alreadyReceived: false, accepted: 3 });
  });

  it("takes a CSV batch with its id in a header, and names the CSV lines", async () => {
    const csv = [
      "uai;date;service;profile;measure;value",
      `${inside[1]};10/03/2025;;Élèves;Visiteurs uniques;120`,
      `${inside[1]};10/03/2025;;Élèves;Visiteurs uniques;121`,
      `${inside[1]};2099-01-01;;Élèves;Connexions;1`,
    ].join("\r\n");
    const res = await send(csv, { headers: { "x-batch-id": "csv-1" } });
    expect(res.statusCode, res.body).toBe(200);
    const answer = res.json() as UsageBatchAnswer;
    expect(answer).toMatchObject({ batchId: "csv-1", accepted: 1, duplicates: 1, rejectedTotal: 1 });
    expect(answer.rejected[0]).toMatchObject({ line: 4, column: "date" });
    expect(answer.rejected[0]?.reason).toMatch(/dans le futur/);
    expect(await stored(inside[1], "ent_active_users", "2025-03-10")).toEqual([
      ["profile=pupil", 120, "import"],
    ]);
    const again = await send(csv, { url: "/api/v1/usage/batches?batchId=csv-1" });
    expect(again.json()).toMatchObject({ alreadyReceived: true, written: 0 });
    const noId = await send(csv);
    expect(noId.statusCode).toBe(400);
    expect(noId.json().message).toMatch(/^Identifiant de lot manquant/);
  });

  it("finds the schools of a CSV batch whose UAI column is not the first", async () => {
    const csv = [
      "date;measure;value;profile;uai",
      `11/03/2025;Visiteurs uniques;77;Élèves;${inside[1]}`,
    ].join("\n");
    const res = await send(csv, { headers: { "x-batch-id": "csv-uai-last" } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ accepted: 1, rejectedTotal: 0, written: 1 });
    expect(await stored(inside[1], "ent_active_users", "2025-03-11")).toEqual([
      ["profile=pupil", 77, "import"],
    ]);
  });

  it("refuses an unreadable body in French, and more rows than a batch may carry", async () => {
    const missing = await send({ rows: [] });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().message).toMatch(/^[A-ZÀ-Ÿ]/);
    const badId = await send({ batchId: "un lot ; espace", rows: [] });
    expect(badId.statusCode).toBe(400);
    const broken = await t.app.inject({
      method: "POST",
      url: "/api/v1/usage/batches",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      payload: "{ pas du JSON",
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error).toBe("invalid_json");
    const header = await send("commune;population\nBordeaux;1", { headers: { "x-batch-id": "entete" } });
    expect(header.statusCode).toBe(400);
    expect(header.json().message).toMatch(
      /^En-tête du lot CSV refusé \(ligne 1\) : colonnes « uai » et « value » attendues/,
    );
  });

  it("answers 401 without a token, with an unknown one, and once the token is revoked", async () => {
    expect((await send(batch("x"), { token: null })).statusCode).toBe(401);
    expect((await send(batch("x"), { token: `vigie_usage_${newSecret()}` })).statusCode).toBe(401);
    const created = await createUsageToken(
      t.db,
      { provider: "Éditeur", territories: [inside[0]] },
      CLI_ACTOR,
    );
    const ok = await send(
      { batchId: "r1", rows: [{ uai: inside[0], date: "2025-04", measure: "connections", value: 1 }] },
      { token: created.token },
    );
    expect(ok.statusCode).toBe(200);
    await revokeUsageToken(t.db, created.id, CLI_ACTOR);
    const refused = await send(batch("r2"), { token: created.token });
    expect(refused.statusCode).toBe(401);
    expect(refused.json().message).toMatch(/^Jeton de fournisseur manquant, inconnu ou révoqué/);
    // Only the token's SHA-256 is in the database.
    const row = await t.db
      .selectFrom("usage_token")
      .select("token_hash")
      .where("id", "=", created.id)
      .executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(hashToken(created.token));
    const all = JSON.stringify(await t.db.selectFrom("usage_token").selectAll().execute());
    expect(all).not.toContain(created.token);
  });

  it("lets a national administrator create, list and revoke tokens through the API", async () => {
    const admin = await makeUser(t.db, "admin-usage@vigie.test", [["national-admin", "FR"]]);
    const cookie = newSecret();
    const csrf = newSecret();
    await t.db
      .insertInto("user_session")
      .values({
        id_hash: hashToken(cookie),
        user_id: admin.id,
        csrf_token: csrf,
        auth_method: "password",
        expires_at: new Date(Date.now() + 3_600_000),
      })
      .execute();
    const headers = { cookie: `vigie_session=${cookie}`, "x-csrf-token": csrf };
    const created = await t.app.inject({
      method: "POST",
      url: "/api/v1/usage/tokens",
      headers,
      payload: { provider: "GAR", territories: ["department:33"] },
    });
    expect(created.statusCode, created.body).toBe(201);
    const body = created.json() as { id: string; token: string; territories: string[] };
    expect(body.territories).toEqual(["department:33"]);
    expect((await send(batch("via-admin"), { token: body.token })).statusCode).toBe(200);
    const list = await t.app.inject({ method: "GET", url: "/api/v1/usage/tokens", headers });
    expect(JSON.stringify(list.json())).not.toContain(body.token);
    const bad = await t.app.inject({
      method: "POST",
      url: "/api/v1/usage/tokens",
      headers,
      payload: { provider: "GAR", territories: ["academy:99"] },
    });
    expect(bad.statusCode).toBe(400);
    const revoked = await t.app.inject({ method: "DELETE", url: `/api/v1/usage/tokens/${body.id}`, headers });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().revokedAt).not.toBeNull();
    expect((await send(batch("after-revoke"), { token: body.token })).statusCode).toBe(401);
  });
});
