import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findSchool } from "../../src/server/imports/framework/apply.ts";
import { commitFile } from "../../src/server/imports/framework/run.ts";
import type { Profile } from "../../src/server/imports/framework/types.ts";
import { PROFILES } from "../../src/server/imports/profiles/index.ts";
import { type DatabaseHandle, openDatabase } from "../../src/server/platform/db.ts";
import { MIGRATIONS } from "../../src/server/schema.ts";
import { loadDemo } from "../../src/server/territories/demo/load.ts";
import { seedReferential } from "../../src/server/territories/seed.ts";
import { createServerTestDatabase, testEngine } from "../helpers/db.ts";

/**
 * Issue 10, the no-name guarantee: after committing the Pix fixtures (names, first names, birth
 * dates and places, a jury comment), none of those strings is anywhere in the database's files
 * (PGlite: every file of its directory, the write-ahead log included; PostgreSQL: a `pg_dump` of
 * the base), while the aggregates are there. A string the base already held before the imports
 * (a street or a school named after someone) proves nothing and is left out of the check.
 */

const FIXTURES = fileURLToPath(new URL("../fixtures/imports/", import.meta.url));
const FILES: [string, string][] = [
  ["pix-profiles", "pix-profiles-college.csv"],
  ["pix-profiles", "pix-profiles-2021-old-header.csv"],
  ["pix-assessment", "pix-assessment-college.csv"],
  ["pix-certification", "pix-certification-3e.csv"],
];
const PERSONAL = [
  ...["Martin", "Bernard", "Petit", "Durand", "Lefebvre", "Roux", "Garnier", "Faure", "Girard"],
  ...["Léa", "Hugo", "Chloé", "Inès", "Lou", "Jules", "Maël", "Zoé", "Nathan"],
  ...["12/03/2011", "01/06/2011", "22/09/2010", "05/05/2011", "30/11/2010", "14/02/2011", "2011-03-12"],
  ...["Loudun", "Niort", "Châtellerault", "Compte rendu de session", "répondu faux"],
];

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : [p];
  });
}

/** The personal strings found in some bytes (UTF-8, as both engines store text). */
const found = (bytes: Buffer, strings: readonly string[]) =>
  strings.filter((s) => bytes.includes(Buffer.from(s, "utf8")));

describe(`the no-name guarantee after Pix imports on ${testEngine}`, () => {
  let handle: DatabaseHandle;
  let dataDir: string | null = null;
  let drop: (() => Promise<void>) | null = null;
  let url: string | null = null;
  /** The whole base as bytes: every file of PGlite's directory, or a dump of PostgreSQL's base. */
  let snapshot: () => Promise<Buffer>;

  beforeAll(async () => {
    if (process.env.TEST_DATABASE_URL) {
      const server = await createServerTestDatabase(process.env.TEST_DATABASE_URL);
      url = server.url;
      drop = server.drop;
      handle = await openDatabase({ dataDir: ":memory:", databaseUrl: url }, { migrations: MIGRATIONS });
      snapshot = async () => execFileSync("pg_dump", ["--no-owner", url as string], { maxBuffer: 1 << 30 });
    } else {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "vigie-no-names-"));
      handle = await openDatabase({ dataDir, databaseUrl: undefined }, { migrations: MIGRATIONS });
      snapshot = async () => {
        // Pages still in memory are written out first, so that the files hold everything.
        await sql`checkpoint`.execute(handle.db);
        return Buffer.concat(filesUnder(dataDir as string).map((f) => fs.readFileSync(f)));
      };
    }
    await seedReferential(handle.db);
    await loadDemo(handle.db, "tiny");
  }, 120_000);

  afterAll(async () => {
    await handle?.close();
    await drop?.();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("stores the aggregates of the four files, and no name, first name, birth date or place", async () => {
    const before = found(await snapshot(), PERSONAL);
    const checked = PERSONAL.filter((s) => !before.includes(s));
    // Invented first names and birth dates are in no referential: the check is not empty.
    expect(checked.length).toBeGreaterThanOrEqual(20);

    const uai = (
      await handle.db
        .selectFrom("school")
        .select("uai")
        .where("status", "=", "open")
        .orderBy("uai")
        .limit(1)
        .executeTakeFirstOrThrow()
    ).uai;
    const school = await findSchool(handle.db, uai);
    for (const [code, file] of FILES) {
      const report = await commitFile(handle.db, {
        profile: PROFILES.find((p) => p.code === code) as Profile,
        profiles: PROFILES,
        file: path.join(FIXTURES, file),
        fileName: file,
        school,
        period: null,
        today: "2026-12-01",
        actor: "test",
      });
      expect([file, report.refused, report.rejectedTotal]).toEqual([file, null, 0]);
      expect(report.written).toBeGreaterThan(0);
    }
    const stored = await handle.db
      .selectFrom("data_value")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("data_element_code", "in", [
        "pix_score_total",
        "pupils_pix_certified",
        "pix_assessment_mastery_sum",
      ])
      .executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBeGreaterThan(0);

    const after = await snapshot();
    // The scan sees what the imports did store (the files' names are kept with their batch)…
    expect(found(after, ["pix-assessment-college.csv"])).toEqual(["pix-assessment-college.csv"]);
    // …and none of the personal cells.
    expect(found(after, checked)).toEqual([]);
  }, 180_000);
});
