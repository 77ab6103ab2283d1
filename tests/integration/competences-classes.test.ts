import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CompetenceClasses } from "../../src/contracts/competences.ts";
import { loadDemo } from "../../src/server/territories/demo/load.ts";
import { testEngine } from "../helpers/db.ts";
import { type IdentityTestApp, makeUser, openIdentityTestApp, signIn } from "../helpers/identity.ts";

/**
 * Issue 10, item 9: a school's Pix collection class by class, for its own staff only — read from
 * the committed file's counts (hand-computed from tests/fixtures/imports/pix-profiles-college.csv:
 * 3A has Léa Martin twice, her latest sending counts).
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const FILE = fs.readFileSync(path.join(ROOT, "tests/fixtures/imports/pix-profiles-college.csv"));
const BOUNDARY = "vigieclasses";

describe(`competences class by class on ${testEngine}`, () => {
  let t: IdentityTestApp;
  let dataDir: string;
  let uai: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "vigie-classes-"));
    t = await openIdentityTestApp({}, { dataDir });
    await loadDemo(t.db, "tiny");
    const [mine, other] = await t.db
      .selectFrom("school")
      .select("uai")
      .where("type", "=", "college")
      .where("status", "=", "open")
      .orderBy("uai")
      .limit(2)
      .execute();
    uai = mine?.uai as string;
    await makeUser(t.db, "principal@classes.test", [["school-head", uai]]);
    await makeUser(t.db, "autre@classes.test", [["school-head", other?.uai as string]]);
    const head = await signIn(t.app, "principal@classes.test");
    const sent = await head.request({
      method: "POST",
      url: "/api/v1/imports/files?profile=pix-profiles",
      headers: { "content-type": `multipart/form-data; boundary=${BOUNDARY}` },
      payload: Buffer.concat([
        Buffer.from(
          `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="pix.csv"\r\nContent-Type: text/csv\r\n\r\n`,
        ),
        FILE,
        Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
      ]),
    });
    expect(sent.statusCode, sent.body).toBe(200);
    const done = await head.request({
      method: "POST",
      url: `/api/v1/imports/files/${sent.json().fileId}/commit?wait=true`,
    });
    expect(done.statusCode, done.body).toBe(200);
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("gives the school's staff each class once, with counts, mean pix and mean levels", async () => {
    const head = await signIn(t.app, "principal@classes.test");
    const res = await head.request({ method: "GET", url: `/api/v1/competences/schools/${uai}/classes` });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as CompetenceClasses;
    const byClass = new Map(body.classes.map((c) => [c.class, c]));
    expect([...byClass.keys()].sort()).toEqual(["3 B", "3A", "5C"]);
    const a = byClass.get("3A");
    expect(a).toMatchObject({ level: "troisieme", participants: 3, shared: 2 });
    expect(a?.meanPix).toBeCloseTo((136 + 37) / 2);
    // 1.1: Léa at level 2 (her latest sending), Hugo at level 2 → mean 2.
    expect(a?.competences.find((c) => c.competence === "1.1")?.meanLevel).toBeCloseTo(2);
    expect(byClass.get("3 B")?.meanPix).toBeCloseTo((40 + 256) / 2);
    expect(JSON.stringify(body)).not.toMatch(/Martin|Léa|Bernard|Lefebvre/);
  });

  it("refuses another school's head (403) and the anonymous (401), in French", async () => {
    const other = await signIn(t.app, "autre@classes.test");
    const res = await other.request({ method: "GET", url: `/api/v1/competences/schools/${uai}/classes` });
    expect(res.statusCode).toBe(403);
    expect(res.json().message).toContain("réservés à l'équipe de l'établissement");
    const anonymous = await t.app.inject({
      method: "GET",
      url: `/api/v1/competences/schools/${uai}/classes`,
    });
    expect(anonymous.statusCode).toBe(401);
  });
});
