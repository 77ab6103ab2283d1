import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDemo } from "../../src/server/territories/demo/load.ts";
import { testEngine } from "../helpers/db.ts";
import { type IdentityTestApp, makeUser, openIdentityTestApp, signIn } from "../helpers/identity.ts";

/**
 * Issue 10, item 8: the generic import. A DANE saves a mapping (refused in French when it asks
 * what the catalogue does not have), uploads any CSV with it, reads the dry run, commits it once
 * (the values land, pointing to the batch), sees the same file again reported as already
 * imported, and rolls the batch back. The mapping is named next year: nothing to redo.
 */

type Client = Awaited<ReturnType<typeof signIn>>;
const BOUNDARY = "vigiegeneric";
const PERIOD = "2034-2035";

const send = (client: Client, query: string, content: string) =>
  client.request({
    method: "POST",
    url: `/api/v1/imports/files?${query}`,
    headers: { "content-type": `multipart/form-data; boundary=${BOUNDARY}` },
    payload: Buffer.concat([
      Buffer.from(
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="equipement.csv"\r\nContent-Type: text/csv\r\n\r\n`,
      ),
      Buffer.from(content, "utf8"),
      Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
    ]),
  });

const MAPPING = {
  uaiColumn: "Code établissement",
  period: { fixed: PERIOD },
  columns: [
    { column: "Ordinateurs", dataElement: "computers" },
    { column: "TNI", dataElement: "interactive_boards" },
  ],
  breakdown: null,
};

describe(`generic import on ${testEngine}: a saved mapping, any CSV, dry run, commit, rollback`, () => {
  let t: IdentityTestApp;
  let dataDir: string;
  let dane: Client;
  let uais: string[];

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "vigie-generic-"));
    t = await openIdentityTestApp({}, { dataDir });
    await loadDemo(t.db, "tiny");
    uais = (
      await t.db
        .selectFrom("school")
        .select("uai")
        .where("academy_code", "=", "04")
        .where("status", "=", "open")
        .orderBy("uai")
        .limit(3)
        .execute()
    ).map((s) => s.uai);
    await makeUser(t.db, "dane@ac-bordeaux.fr", [["academy-steering", "04"]]);
    dane = await signIn(t.app, "dane@ac-bordeaux.fr");
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("refuses a mapping to an unknown element or a breakdown the element lacks, naming each problem", async () => {
    const res = await dane.request({
      method: "PUT",
      url: "/api/v1/imports/mappings/Equipement",
      payload: {
        ...MAPPING,
        columns: [
          { column: "Ordinateurs", dataElement: "ordinateurs" },
          { column: "TNI", dataElement: "interactive_boards", disaggregation: { level: "troisieme" } },
        ],
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([
      "Colonne « Ordinateurs » : élément de donnée inconnu « ordinateurs ».",
      "Colonne « TNI » : l'élément « interactive_boards » n'a pas la ventilation « level ».",
    ]);
    const anonymous = await t.app.inject({ method: "GET", url: "/api/v1/imports/mappings" });
    expect(anonymous.statusCode).toBe(401);
  });

  it("imports a CSV through the saved mapping, once, and rolls it back", async () => {
    const saved = await dane.request({
      method: "PUT",
      url: "/api/v1/imports/mappings/Equipement",
      payload: MAPPING,
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const list = await dane.request({ method: "GET", url: "/api/v1/imports/mappings" });
    expect(list.json().items.map((m: { mapping: { name: string } }) => m.mapping.name)).toEqual([
      "Equipement",
    ]);
    const profiles = await dane.request({ method: "GET", url: "/api/v1/imports/profiles" });
    expect(profiles.json().map((p: { code: string }) => p.code)).toContain("generic");

    const [a, b, c] = uais as [string, string, string];
    const csv = `Code établissement;Ordinateurs;TNI\r\n${a};112;3\r\n${b};douze;1\r\n${c};NA;2\r\n`;
    const missing = await send(dane, "profile=generic", csv);
    expect(missing.statusCode).toBe(400);
    expect(missing.json().message).toContain("correspondance");

    const sent = await send(dane, "profile=generic&mapping=Equipement", csv);
    expect(sent.statusCode, sent.body).toBe(200);
    const { fileId, report } = sent.json();
    expect(report).toMatchObject({
      profile: "generic:Equipement",
      read: 3,
      accepted: 2,
      rejectedTotal: 1,
      values: 3,
    });
    expect(report.rejected).toEqual([
      { line: 3, column: "Ordinateurs", reason: "« douze » n'est pas un nombre" },
    ]);

    const done = await dane.request({
      method: "POST",
      url: `/api/v1/imports/files/${fileId}/commit?wait=true`,
    });
    expect(done.statusCode, done.body).toBe(200);
    const committed = done.json().report;
    expect(committed).toMatchObject({ committed: true, written: 3 });
    const stored = await t.db
      .selectFrom("data_value")
      .innerJoin("school", "school.id", "data_value.school_id")
      .select([
        "school.uai",
        "data_value.data_element_code",
        "data_value.value",
        "data_value.import_batch_id",
      ])
      .where("data_value.period", "=", PERIOD)
      .orderBy("school.uai")
      .orderBy("data_value.data_element_code")
      .execute();
    expect(stored.map((r) => [r.uai, r.data_element_code, r.value])).toEqual([
      [a, "computers", 112],
      [a, "interactive_boards", 3],
      [c, "interactive_boards", 2],
    ]);
    expect(new Set(stored.map((r) => String(r.import_batch_id)))).toEqual(new Set([committed.batchId]));

    const again = await send(dane, "profile=generic&mapping=Equipement", csv);
    expect(again.json().report.alreadyImported).toBe(true);

    // Another académie's team neither sees nor rolls back a file naming its schools row by row.
    await makeUser(t.db, "dane@ac-poitiers.fr", [["academy-steering", "13"]]);
    const stranger = await signIn(t.app, "dane@ac-poitiers.fr");
    const theirs = await stranger.request({ method: "GET", url: "/api/v1/imports/batches" });
    expect(theirs.json()).toEqual([]);
    const refused = await stranger.request({
      method: "POST",
      url: `/api/v1/imports/batches/${committed.batchId}/rollback`,
    });
    expect(refused.statusCode).toBe(404);
    const mine = await dane.request({ method: "GET", url: "/api/v1/imports/batches" });
    expect(mine.json().map((b: { fileName: string }) => b.fileName)).toEqual(["equipement.csv"]);

    const rolled = await dane.request({
      method: "POST",
      url: `/api/v1/imports/batches/${committed.batchId}/rollback`,
    });
    expect(rolled.statusCode, rolled.body).toBe(200);
    const left = await t.db.selectFrom("data_value").select("value").where("period", "=", PERIOD).execute();
    expect(left).toEqual([]);
  });

  it("deletes a mapping; a file sent with it afterwards is refused in French", async () => {
    const gone = await dane.request({ method: "DELETE", url: "/api/v1/imports/mappings/Equipement" });
    expect(gone.statusCode).toBe(204);
    const res = await send(
      dane,
      "profile=generic&mapping=Equipement",
      "Code établissement;Ordinateurs;TNI\r\n",
    );
    expect(res.statusCode).toBe(404);
    expect(res.json().message).toBe("Aucune correspondance ne s'appelle « Equipement ».");
  });
});
