import fs from "node:fs";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/server/platform/db.ts";
import {
  AnnuaireFormatError,
  applySchoolRecords,
  commitAnnuaireImport,
  importAnnuaire,
  isFirstLoad,
  parseAnnuaire,
} from "../../src/server/territories/annuaire/index.ts";
import type { SchoolRecord } from "../../src/server/territories/school-record.ts";
import { openTestDatabase, testEngine } from "../helpers/db.ts";

const fixture = (name: string) =>
  fs.readFileSync(path.resolve(process.cwd(), "tests/fixtures/annuaire", name));

async function count(handle: DatabaseHandle, table: "school" | "district" | "import_batch"): Promise<number> {
  const row = await handle.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe(`Annuaire import on ${testEngine}: dry run, commit, idempotence`, () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await openTestDatabase();
  });
  afterAll(async () => handle?.close());

  it("writes nothing in a dry run, and reports what a commit would do", async () => {
    const progress: [number, number][] = [];
    const report = await importAnnuaire(handle.db, fixture("annuaire-2023-bom-crlf.csv"), {
      commit: false,
      fileName: "annuaire-2023.csv",
      onProgress: (done, total) => progress.push([done, total]),
    });
    expect(report).toMatchObject({
      read: 12,
      created: 12,
      updated: 0,
      unchanged: 0,
      closed: 1,
      rejected: [],
      duplicates: [],
      layout: "2023",
      encoding: "utf-8-bom",
      committed: false,
    });
    expect(progress.at(-1)).toEqual([12, 12]);
    expect(await count(handle, "school")).toBe(0);
    expect(await count(handle, "district")).toBe(0);
    expect(await count(handle, "import_batch")).toBe(0);
  });

  it("commits schools, districts and the import batch in one go", async () => {
    const progress: [number, number][] = [];
    const report = await importAnnuaire(handle.db, fixture("annuaire-2023-bom-crlf.csv"), {
      commit: true,
      fileName: "annuaire-2023.csv",
      onProgress: (done, total) => progress.push([done, total]),
    });
    expect(report).toMatchObject({
      read: 12,
      created: 12,
      updated: 0,
      unchanged: 0,
      closed: 1,
      committed: true,
    });
    expect(progress.at(-1)).toEqual([12, 12]);
    expect(await count(handle, "school")).toBe(12);

    const corsica = await handle.db
      .selectFrom("school")
      .selectAll()
      .where("uai", "=", "6200001G")
      .executeTakeFirstOrThrow();
    expect(corsica).toMatchObject({
      department_code: "2A",
      academy_code: "27",
      academic_region_code: "94",
      type: "college",
      sector: "public",
      pupils: 620,
      opened_on: "1965-10-01",
    });
    const lucioles = await handle.db
      .selectFrom("school")
      .selectAll()
      .where("uai", "=", "0350001L")
      .executeTakeFirstOrThrow();
    expect(lucioles).toMatchObject({
      circonscription_code: "C-035-bruz",
      latitude: 47.98614492070133,
      status: "open",
    });
    const closed = await handle.db
      .selectFrom("school")
      .select("status")
      .where("uai", "=", "0350008U")
      .executeTakeFirstOrThrow();
    expect(closed.status).toBe("closed");

    const districts = await handle.db.selectFrom("district").selectAll().orderBy("code").execute();
    expect(districts).toEqual([
      {
        code: "C-035-bruz",
        kind: "circonscription",
        name: "Circonscription d'inspection du 1er degré de Bruz",
        department_code: "35",
        academy_code: "14",
        academic_region_code: "53",
      },
      {
        code: "C-035-rennes-est",
        kind: "circonscription",
        name: "Circonscription d'inspection du 1er degré de Rennes Est",
        department_code: "35",
        academy_code: "14",
        academic_region_code: "53",
      },
    ]);

    const batch = await handle.db.selectFrom("import_batch").selectAll().executeTakeFirstOrThrow();
    expect(batch).toMatchObject({ kind: "annuaire", file_name: "annuaire-2023.csv" });
    expect(batch.file_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(batch.committed_at).not.toBeNull();
    expect(batch.report).toMatchObject({ created: 12, committed: true });
    expect(lucioles.import_batch_id).toBe(String(batch.id));
  });

  it("changes nothing when the same file is imported again", async () => {
    const before = await handle.db
      .selectFrom("school")
      .select(["uai", "updated_at", "import_batch_id"])
      .orderBy("uai")
      .execute();
    const report = await importAnnuaire(handle.db, fixture("annuaire-2023-bom-crlf.csv"), {
      commit: true,
      fileName: "annuaire-2023.csv",
    });
    expect(report).toMatchObject({ read: 12, created: 0, updated: 0, unchanged: 12, committed: true });
    const after = await handle.db
      .selectFrom("school")
      .select(["uai", "updated_at", "import_batch_id"])
      .orderBy("uai")
      .execute();
    expect(after).toEqual(before);
    expect(await count(handle, "import_batch")).toBe(2);
  });

  it("throws the typed error for a file that is not an Annuaire export, and writes nothing", async () => {
    await expect(
      importAnnuaire(handle.db, Buffer.from("Numéro;Effectif\n1;2\n"), { commit: true, fileName: "x.csv" }),
    ).rejects.toBeInstanceOf(AnnuaireFormatError);
    expect(await count(handle, "import_batch")).toBe(2);
  });
});

describe(`Annuaire import on ${testEngine}: a newer export`, () => {
  let handle: DatabaseHandle;
  let firstBatch: string;
  beforeAll(async () => {
    handle = await openTestDatabase();
    await importAnnuaire(handle.db, fixture("annuaire-2026-lf.csv"), { commit: true, fileName: "v1.csv" });
    const batch = await handle.db.selectFrom("import_batch").select("id").executeTakeFirstOrThrow();
    firstBatch = String(batch.id);
  });
  afterAll(async () => handle?.close());

  it("stores the 2026 codes of circonscriptions and bassins", async () => {
    const districts = await handle.db
      .selectFrom("district")
      .select(["code", "kind", "department_code"])
      .orderBy("code")
      .execute();
    expect(districts).toEqual([
      { code: "B-14035001", kind: "bassin", department_code: "35" },
      { code: "B-27620001", kind: "bassin", department_code: "2A" },
      { code: "C-0351916T", kind: "circonscription", department_code: "35" },
      { code: "C-0351917U", kind: "circonscription", department_code: "35" },
    ]);
  });

  it("plans and then applies only what changed, leaving absent schools alone", async () => {
    const plan = await importAnnuaire(handle.db, fixture("annuaire-2026-lf-newer.csv"), {
      commit: false,
      fileName: "v2.csv",
    });
    expect(plan).toMatchObject({
      read: 6,
      created: 1,
      updated: 2,
      unchanged: 3,
      closed: 1,
      committed: false,
    });
    expect(plan.warnings).toContain(
      "Établissements déjà connus dans les départements du fichier mais absents de celui-ci : 1 (laissés tels quels)",
    );

    const report = await importAnnuaire(handle.db, fixture("annuaire-2026-lf-newer.csv"), {
      commit: true,
      fileName: "v2.csv",
    });
    expect(report).toMatchObject({ created: 1, updated: 2, unchanged: 3, closed: 1, committed: true });

    const rows = await handle.db
      .selectFrom("school")
      .select(["uai", "name", "status", "import_batch_id", "source_updated_on"])
      .orderBy("uai")
      .execute();
    const byUai = new Map(rows.map((r) => [r.uai, r]));
    expect(rows).toHaveLength(7);
    expect(byUai.get("0350001L")).toMatchObject({
      name: "Ecole primaire publique Les Lucioles (Baulon)",
      source_updated_on: "2026-11-15",
    });
    expect(byUai.get("0350002M")?.status).toBe("closed");
    expect(byUai.get("0350010W")?.status).toBe("open");
    // Absent from the newer file: untouched, still from the first import.
    expect(byUai.get("0350005R")).toMatchObject({ status: "open", import_batch_id: firstBatch });
    expect(byUai.get("0350004P")?.import_batch_id).toBe(firstBatch);
    expect(byUai.get("0350001L")?.import_batch_id).not.toBe(firstBatch);
  });
});

describe(`Annuaire import on ${testEngine}: all or nothing`, () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await openTestDatabase();
    // Make the database refuse one school, late in the file, after several batches were written.
    await sql`
      create function vigie_test_refuse_school() returns trigger language plpgsql as $$
      begin
        if new.uai = '6200001G' then raise exception 'refus forcé pour le test'; end if;
        return new;
      end $$
    `.execute(handle.db);
    await sql`
      create trigger vigie_test_refuse_school before insert on school
      for each row execute function vigie_test_refuse_school()
    `.execute(handle.db);
  });
  afterAll(async () => handle?.close());

  it("leaves the database unchanged when the commit fails midway", async () => {
    const parsed = await parseAnnuaire(fixture("annuaire-2023-bom-crlf.csv"));
    const written: number[] = [];
    await expect(
      commitAnnuaireImport(handle.db, parsed, {
        fileName: "x.csv",
        batchSize: 2,
        onProgress: (done) => written.push(done),
      }),
    ).rejects.toThrow(/refus forcé/);
    expect(written.at(-1)).toBeGreaterThanOrEqual(8); // four batches had gone through
    expect(await count(handle, "school")).toBe(0);
    expect(await count(handle, "district")).toBe(0);
    expect(await count(handle, "import_batch")).toBe(0);

    await sql`drop trigger vigie_test_refuse_school on school`.execute(handle.db);
    const report = await commitAnnuaireImport(handle.db, parsed, { fileName: "x.csv", batchSize: 2 });
    expect(report.created).toBe(12);
    expect(await count(handle, "school")).toBe(12);
  });
});

describe(`applySchoolRecords on ${testEngine}`, () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await openTestDatabase();
  });
  afterAll(async () => handle?.close());

  const record = (uai: string, overrides: Partial<SchoolRecord> = {}): SchoolRecord => ({
    uai,
    name: `École ${uai}`,
    type: "ecole_primaire",
    natureCode: "151",
    natureLabel: "ECOLE DE NIVEAU ELEMENTAIRE",
    sector: "public",
    priorityEducation: null,
    communeCode: "33063",
    communeName: "Bordeaux",
    postalCode: "33000",
    latitude: null,
    longitude: null,
    departmentCode: "33",
    academyCode: "04",
    academicRegionCode: "75",
    bassin: null,
    circonscription: { code: "C-033-bordeaux-centre", name: "Circonscription de Bordeaux Centre" },
    status: "open",
    openedOn: "1965-10-01",
    pupils: 120,
    sourceUpdatedOn: null,
    ...overrides,
  });

  it("imports records built in code with the same checks as a file", async () => {
    const records = [
      record("0330001X"),
      record("0330001A"), // wrong check letter
      record("0330002Y", { departmentCode: "99" }),
      record("0330001X", { name: "Doublon" }),
      record("0330002Y", { academyCode: "00", academicRegionCode: "00" }), // fixed from the référentiel
    ];
    const dryRun = await applySchoolRecords(handle.db, records, {
      fileName: "demo",
      kind: "demo",
      commit: false,
    });
    expect(dryRun).toMatchObject({ read: 5, created: 2, committed: false });
    expect(await count(handle, "school")).toBe(0);

    const report = await applySchoolRecords(handle.db, records, { fileName: "demo", kind: "demo" });
    expect(report).toMatchObject({ read: 5, created: 2, updated: 0, committed: true });
    expect(report.rejected.map((r) => [r.line, r.column])).toEqual([
      [2, "uai"],
      [3, "departmentCode"],
    ]);
    expect(report.duplicates).toEqual([{ line: 4, uai: "0330001X", firstLine: 1 }]);
    const stored = await handle.db
      .selectFrom("school")
      .select(["uai", "academy_code"])
      .orderBy("uai")
      .execute();
    expect(stored).toEqual([
      { uai: "0330001X", academy_code: "04" },
      { uai: "0330002Y", academy_code: "04" },
    ]);
    const batch = await handle.db
      .selectFrom("import_batch")
      .select(["kind", "file_name"])
      .executeTakeFirstOrThrow();
    expect(batch).toEqual({ kind: "demo", file_name: "demo" });
  });

  it("updates a renamed district and a changed school, and nothing else", async () => {
    const renamed = { code: "C-033-bordeaux-centre", name: "Circonscription de Bordeaux-Centre" };
    const report = await applySchoolRecords(
      handle.db,
      [
        record("0330001X", { circonscription: renamed, pupils: 130 }),
        record("0330002Y", { circonscription: renamed }),
      ],
      { fileName: "demo", kind: "demo" },
    );
    expect(report).toMatchObject({ created: 0, updated: 1, unchanged: 1 });
    const district = await handle.db.selectFrom("district").select("name").executeTakeFirstOrThrow();
    expect(district.name).toBe("Circonscription de Bordeaux-Centre");
    const pupils = await handle.db
      .selectFrom("school")
      .select("pupils")
      .where("uai", "=", "0330001X")
      .executeTakeFirstOrThrow();
    expect(pupils.pupils).toBe(130);
  });
});

describe(`Annuaire first load on ${testEngine}: the school table's indexes set aside, then put back`, () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await openTestDatabase();
  });
  afterAll(async () => handle?.close());

  it("takes a file that brings many schools to a table of few for a first load, not a routine one", () => {
    expect(isFirstLoad(0, 65_007)).toBe(true);
    expect(isFirstLoad(3_000, 62_000)).toBe(true);
    expect(isFirstLoad(60_000, 5_000)).toBe(false);
    expect(isFirstLoad(0, 900)).toBe(false);
  });

  it("imports a first load with the same indexes and foreign keys afterwards, and finds its schools", async () => {
    const catalogue = async () => {
      const { rows } = await sql<{ kind: string; name: string; def: string }>`
        select 'index' as kind, indexname as name, indexdef as def from pg_indexes where tablename = 'school'
        union all
        select 'constraint', conname, pg_get_constraintdef(oid) from pg_constraint
        where conrelid = cast('school' as regclass)
        order by kind, name
      `.execute(handle.db);
      return rows;
    };
    const before = await catalogue();
    expect(
      before.filter((r) => r.kind === "constraint" && r.def.startsWith("FOREIGN KEY")).length,
    ).toBeGreaterThan(3);
    const report = await importAnnuaire(handle.db, fixture("annuaire-2023-bom-crlf.csv"), {
      commit: true,
      fileName: "annuaire-2023.csv",
      firstLoadMinRows: 1,
    });
    expect(report).toMatchObject({ created: 12, committed: true });
    expect(await catalogue()).toEqual(before);
    expect(await count(handle, "school")).toBe(12);
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from school where search_text like '%' || vigie_search_text(${"ecole"}) || '%'
    `.execute(handle.db);
    expect(rows[0]?.n).toBeGreaterThan(0);
  });
});
