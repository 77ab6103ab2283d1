import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AnnuaireImportReport } from "../../src/contracts/territories.ts";
import type { DatabaseHandle } from "../../src/server/platform/db.ts";
import { importAnnuaire } from "../../src/server/territories/annuaire/index.ts";
import { openTestDatabase, testEngine } from "../helpers/db.ts";

// Real open data of the ministry (Ille-et-Vilaine, 2023 layout), present on development machines.
const file = path.resolve(process.cwd(), "../shared/data/annuaire-education-35-2023.csv");
const exists = fs.existsSync(file);

describe.skipIf(!exists)(`real Annuaire export of Ille-et-Vilaine (2023) on ${testEngine}`, () => {
  let handle: DatabaseHandle;
  let report: AnnuaireImportReport;
  beforeAll(async () => {
    handle = await openTestDatabase();
    report = await importAnnuaire(handle.db, fs.readFileSync(file), {
      commit: true,
      fileName: path.basename(file),
    });
  });
  afterAll(async () => handle?.close());

  it("reads all 996 rows and rejects none", () => {
    expect(report).toMatchObject({
      read: 996,
      layout: "2023",
      encoding: "utf-8-bom",
      committed: true,
      rejected: [],
    });
    // Three UAIs span two rows each (établissements multi-lignes): the first row is kept.
    expect(report.duplicates.map((d) => d.uai).sort()).toEqual(["0350778F", "0350852L", "0352072M"]);
    expect(report.created).toBe(993);
    expect(report.closed).toBe(0); // one school is "A FERMER", which is still open
  });

  it("places every school in Ille-et-Vilaine, académie de Rennes, région académique Bretagne", async () => {
    const places = await handle.db
      .selectFrom("school")
      .select(["department_code", "academy_code", "academic_region_code", (eb) => eb.fn.countAll().as("n")])
      .groupBy(["department_code", "academy_code", "academic_region_code"])
      .execute();
    expect(places.map((p) => ({ ...p, n: Number(p.n) }))).toEqual([
      { department_code: "35", academy_code: "14", academic_region_code: "53", n: 993 },
    ]);
  });

  it("finds the éducation prioritaire schools: 50 REP and 6 REP+", async () => {
    const rows = await handle.db
      .selectFrom("school")
      .select(["priority_education", (eb) => eb.fn.countAll().as("n")])
      .where("priority_education", "is not", null)
      .groupBy("priority_education")
      .orderBy("priority_education")
      .execute();
    expect(rows.map((r) => [r.priority_education, Number(r.n)])).toEqual([
      ["REP", 50],
      ["REP+", 6],
    ]);
  });

  it("classifies schools and creates the circonscriptions", async () => {
    const types = await handle.db
      .selectFrom("school")
      .select(["type", (eb) => eb.fn.countAll().as("n")])
      .groupBy("type")
      .execute();
    const byType = Object.fromEntries(types.map((t) => [t.type, Number(t.n)]));
    expect(byType).toMatchObject({
      ecole_primaire: 454,
      ecole_elementaire: 119,
      ecole_maternelle: 112,
      college: 116,
    });
    const circonscriptions = await handle.db
      .selectFrom("district")
      .select("code")
      .where("kind", "=", "circonscription")
      .execute();
    expect(circonscriptions.length).toBe(20);
    expect(circonscriptions.map((c) => c.code)).toContain("C-035-saint-malo-ville");
    const withoutCirconscription = await handle.db
      .selectFrom("school")
      .select((eb) => eb.fn.countAll().as("n"))
      .where("type", "like", "ecole_%")
      .where("circonscription_code", "is", null)
      .executeTakeFirstOrThrow();
    expect(Number(withoutCirconscription.n)).toBe(0);
  });

  it("is idempotent on the real file", async () => {
    const again = await importAnnuaire(handle.db, fs.readFileSync(file), {
      commit: true,
      fileName: "again.csv",
    });
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 993 });
  });
});
