import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SchoolListQuery, SchoolPage } from "../../src/contracts/territories.ts";
import type { DatabaseHandle } from "../../src/server/platform/db.ts";
import { migrateToLatest } from "../../src/server/platform/migrate.ts";
import { PGliteDialect } from "../../src/server/platform/pglite-dialect.ts";
import { pgliteExtensions } from "../../src/server/platform/pglite-extensions.ts";
import type { Database } from "../../src/server/platform/schema.ts";
import { MIGRATIONS } from "../../src/server/schema.ts";
import { generateDemoSchools } from "../../src/server/territories/demo/generate.ts";
import { loadDemo } from "../../src/server/territories/demo/load.ts";
import * as schoolSearch from "../../src/server/territories/migrations/0008-school-search.ts";
import { listSchools, SEARCH_COUNT_CAP } from "../../src/server/territories/queries.ts";
import type { SchoolRecord } from "../../src/server/territories/school-record.ts";
import { upsertSchoolRecords } from "../../src/server/territories/school-store.ts";
import { seedReferential } from "../../src/server/territories/seed.ts";
import { openTestDatabase, testEngine } from "../helpers/db.ts";
import { byListOrder, schoolListKey } from "../helpers/school-order.ts";

/**
 * An in-memory PGlite that loads pg_trgm, as `openDatabase` does once it passes
 * `pgliteExtensions`; on a PostgreSQL server the ordinary test database.
 */
async function openSearchDatabase(): Promise<DatabaseHandle> {
  if (testEngine === "postgres") return openTestDatabase();
  const { PGlite, types } = await import("@electric-sql/pglite");
  const pglite = new PGlite({
    extensions: pgliteExtensions,
    parsers: { [types.DATE]: (v: string) => v, [types.INT8]: (v: string) => v },
  });
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  await migrateToLatest(db as Kysely<unknown>, MIGRATIONS);
  await seedReferential(db);
  return { db, engine: "pglite", close: () => db.destroy() };
}

/** What a person means by « the same letters »: case and accents ignored. */
const fold = (s: string) =>
  s
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .toLowerCase();

describe(`school search on ${testEngine}`, () => {
  let handle: DatabaseHandle;
  const demo = generateDemoSchools("tiny");
  const openDemo = demo.filter((s) => s.status === "open");
  const model = openDemo[0] as SchoolRecord;
  const extra: SchoolRecord[] = [
    { ...model, uai: "0339901A", name: "Lycée Jean Monnet", communeName: "Bordeaux" },
    { ...model, uai: "0339902B", name: "ÉCOLE ÉLÉMENTAIRE DES ŒILLETS", communeName: "Saint-Émilion" },
  ];

  const search = (q: string, more: Partial<SchoolListQuery> = {}): Promise<SchoolPage> =>
    listSchools(handle.db, { q, page: 1, pageSize: 200, status: "open", ...more });

  /** Runs `test` with `records` stored, and removes them afterwards whatever happens. */
  async function withSchools(records: readonly SchoolRecord[], test: () => Promise<void>): Promise<void> {
    await upsertSchoolRecords(handle.db, records);
    try {
      await test();
    } finally {
      const uais = records.map((s) => s.uai);
      await handle.db.deleteFrom("school").where("uai", "in", uais).execute();
    }
  }

  beforeAll(async () => {
    handle = await openSearchDatabase();
    await loadDemo(handle.db, "tiny");
    await upsertSchoolRecords(handle.db, extra);
  });
  afterAll(async () => handle?.close());

  it("folds case, accents, ligatures, hyphens and apostrophes in one SQL function", async () => {
    const { rows } = await sql<{ folded: string }>`
      select vigie_search_text(${"Œuvre d’Éloïse-ÀÇÈ Lycée"}) as folded
    `.execute(handle.db);
    expect(rows[0]?.folded).toBe("oeuvre d eloise ace lycee");
  });

  it("finds « École » when « ecole » is typed, and the other way round", async () => {
    const expected = [...openDemo, ...extra].filter((s) => fold(s.name).includes("ecole")).length;
    expect(expected).toBeGreaterThan(10);
    const plain = await search("ecole");
    expect(plain.total).toBe(expected);
    expect((await search("ÉCOLE")).total).toBe(expected);
    expect((await search("Ecolé")).total).toBe(expected);
    expect(plain.items.every((s) => fold(s.name).includes("ecole"))).toBe(true);
    const oeillets = await search("oeillets");
    expect(oeillets.items.map((s) => s.uai)).toEqual(["0339902B"]);
  });

  it("matches every word of a fragment search, in any order, in the name or the commune", async () => {
    const jean = await search("lycee jean");
    expect(jean.items.map((s) => s.name)).toContain("Lycée Jean Monnet");
    for (const s of jean.items) {
      const text = fold(`${s.name} ${s.communeName ?? ""}`);
      expect(text.includes("lycee") && text.includes("jean")).toBe(true);
    }
    const expected = [...openDemo, ...extra].filter((s) => {
      const text = fold(`${s.name} ${s.communeName ?? ""}`).replace(/[-'’]/g, " ");
      return text.includes("lycee") && text.includes("jean");
    });
    expect(jean.total).toBe(expected.length);
    expect((await search("jean lycée")).total).toBe(expected.length);
    // Fragments of words, and a hyphenated name typed with a space.
    expect((await search("mon lyc")).items.map((s) => s.name)).toContain("Lycée Jean Monnet");
    const exupery = await search("saint exupery");
    expect(exupery.total).toBe(openDemo.filter((s) => s.name.includes("Saint-Exupéry")).length);
    expect((await search("st-emilion")).total).toBe(0);
    const emilion = await search("saint-emilion");
    expect(emilion.items.map((s) => s.uai)).toContain("0339902B");
    expect(emilion.items.every((s) => s.communeName === "Saint-Émilion")).toBe(true);
  });

  it("lists names that begin with the word, then other names, then communes, each by folded name", async () => {
    const page = await search("jean");
    const rank = (s: { name: string }) => {
      const key = schoolListKey(s.name);
      return key.startsWith("jean") ? 0 : key.includes("jean") ? 1 : 2;
    };
    const ranks = page.items.map(rank);
    expect(ranks).toContain(1);
    expect(ranks).toContain(2);
    expect(ranks).toEqual([...ranks].sort());
    for (const group of [0, 1, 2]) {
      const rows = page.items.filter((_, i) => ranks[i] === group);
      expect(rows).toEqual([...rows].sort(byListOrder));
    }
    const page2 = await search("jean", { pageSize: 5, page: 2 });
    expect(page2.items.map((s) => s.uai)).toEqual(page.items.slice(5, 10).map((s) => s.uai));
  });

  it("sorts « École » with « Ecole » before « Lycée », and puts a name that begins with the word first", async () => {
    const rows: SchoolRecord[] = [
      { ...model, uai: "0339911A", name: "Lycée Pivoine", communeName: "Bordeaux" },
      { ...model, uai: "0339912B", name: "École Pivoine", communeName: "Bordeaux" },
      { ...model, uai: "0339913C", name: "Ecole pivoine bis", communeName: "Bordeaux" },
      { ...model, uai: "0339914D", name: "Pivoine (groupe scolaire)", communeName: "Bordeaux" },
      { ...model, uai: "0339915E", name: "Collège Arago", communeName: "Pivoine-sur-Mer" },
    ];
    await withSchools(rows, async () => {
      const found = await search("pivoine");
      expect(found.items.map((s) => s.uai)).toEqual([
        "0339914D",
        "0339912B",
        "0339913C",
        "0339911A",
        "0339915E",
      ]);
      // The same order for a list without words, on both engines (PGlite sorts text bytewise).
      const listed = [];
      for (let page = 1; listed.length < openDemo.length + extra.length + rows.length; page++) {
        listed.push(...(await listSchools(handle.db, { page, pageSize: 200, status: "open" })).items);
      }
      expect(listed).toEqual([...listed].sort(byListOrder));
      const ours = listed.filter((s) => s.name.toLowerCase().includes("pivoine")).map((s) => s.uai);
      expect(ours).toEqual(["0339912B", "0339913C", "0339911A", "0339914D"]);
    });
  });

  it("still finds a school by its UAI or a UAI prefix, and treats % and _ as letters", async () => {
    const target = openDemo[10] as SchoolRecord;
    expect((await search(target.uai.toLowerCase())).items.map((s) => s.uai)).toEqual([target.uai]);
    const prefix = target.uai.slice(0, 5);
    expect((await search(prefix)).total).toBe(openDemo.filter((s) => s.uai.startsWith(prefix)).length);
    expect((await search("%")).total).toBe(0);
    expect((await search("_")).total).toBe(0);
  });

  it("stops counting a common word past the cap, and pages it in the same order as a full sort", async () => {
    // More schools named « Capucine » than the cap, some found by their commune only.
    const many: SchoolRecord[] = Array.from({ length: SEARCH_COUNT_CAP + 45 }, (_, i) => ({
      ...model,
      uai: `0${String(3380000 + i)}${"ABCDEFGHJKLMNPRSTUVWXYZ"[i % 23]}`,
      name: i % 9 === 0 ? `Collège ${i}` : `École Capucine ${String(i).padStart(3, "0")}`,
      communeName: i % 9 === 0 ? "Capucine-sur-Mer" : model.communeName,
    }));
    await withSchools(many, async () => {
      const first = await search("capucine", { pageSize: 20 });
      expect(first.totalIsLowerBound).toBe(true);
      expect(first.total).toBe(SEARCH_COUNT_CAP);
      // Every page, read to the end, is the full sort: name matches first, then in list order.
      const inName = many.filter((s) => s.name.includes("Capucine")).sort(byListOrder);
      const byCommune = many.filter((s) => !s.name.includes("Capucine")).sort(byListOrder);
      const expected = [...inName, ...byCommune].map((s) => s.uai);
      const seen: string[] = [];
      let last: SchoolPage | undefined;
      for (let page = 1; seen.length < expected.length + 1 && page < 30; page++) {
        last = await search("capucine", { pageSize: 20, page });
        if (last.items.length === 0) break;
        seen.push(...last.items.map((s) => s.uai));
        // The count always reaches one page past the one shown, so the pager can go on.
        if (last.totalIsLowerBound) expect(last.total).toBeGreaterThanOrEqual(page * 20 + 20);
      }
      expect(seen).toEqual(expected);
      expect(last?.totalIsLowerBound).toBe(false);
      expect(last?.total).toBe(expected.length);
      // Past the end: the exact total, no rows.
      const past = await search("capucine", { pageSize: 20, page: 30 });
      expect(past.items).toEqual([]);
      expect(past.total).toBe(expected.length);
    });
  });

  it("reads the schools again after a write of a searched column, and only then", async () => {
    const revision = async () =>
      (await handle.db.selectFrom("school_revision").select("revision").executeTakeFirstOrThrow()).revision;
    expect((await search("zinnia")).total).toBe(0);
    const zinnia: SchoolRecord = { ...model, uai: "0339921A", name: "École Zinnia", communeName: "Bordeaux" };
    await withSchools([zinnia], async () => {
      expect((await search("zinnia")).items.map((s) => s.uai)).toEqual(["0339921A"]);
      // Pupils are not searched: their write leaves the copy as it is.
      const before = await revision();
      await sql`update school set pupils = coalesce(pupils, 0) + 1 where uai = '0339921A'`.execute(handle.db);
      expect(await revision()).toBe(before);
      // A rename, by any statement, is seen by the next search.
      await sql`update school set name = 'École Dahlia' where uai = '0339921A'`.execute(handle.db);
      expect(await revision()).not.toBe(before);
      expect((await search("zinnia")).total).toBe(0);
      expect((await search("dahlia")).items.map((s) => s.name)).toEqual(["École Dahlia"]);
      await sql`update school set status = 'closed' where uai = '0339921A'`.execute(handle.db);
      expect((await search("dahlia")).total).toBe(0);
      expect((await search("dahlia", { status: "closed" })).items.map((s) => s.uai)).toEqual(["0339921A"]);
    });
    expect((await search("dahlia", { status: "all" })).total).toBe(0);
  });

  it.runIf(testEngine === "postgres")(
    "sees the schools another connection commits, once committed",
    async () => {
      const other = new Kysely<Database>({
        dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: handle.databaseUrl, max: 1 }) }),
      });
      const tulip: SchoolRecord = {
        ...model,
        uai: "0339922B",
        name: "École Tulipe",
        communeName: "Bordeaux",
      };
      try {
        expect((await search("tulipe")).total).toBe(0);
        await other.transaction().execute(async (trx) => {
          await upsertSchoolRecords(trx, [tulip]);
          // Not committed yet: the search reads what the base shows it, the schools as before.
          expect((await search("tulipe")).total).toBe(0);
        });
        expect((await search("tulipe")).items.map((s) => s.uai)).toEqual(["0339922B"]);
      } finally {
        await other.deleteFrom("school").where("uai", "=", tulip.uai).execute();
        await other.destroy();
      }
      expect((await search("tulipe")).total).toBe(0);
    },
  );

  it("reads a list in the order of the folded-name index, without sorting", async () => {
    const plan = await handle.db.transaction().execute(async (trx) => {
      await sql`set local enable_seqscan = off`.execute(trx);
      const { rows } = await sql<{ "QUERY PLAN": string }>`
        explain select uai from school order by search_name collate "C", uai limit 20
      `.execute(trx);
      return rows.map((r) => r["QUERY PLAN"]).join("\n");
    });
    expect(plan).toContain("school_sort_name_idx");
    expect(plan).not.toContain("Sort Key");
  });

  it("back-fills the search columns of schools stored before the migration", async () => {
    await schoolSearch.down(handle.db as Kysely<unknown>);
    await schoolSearch.up(handle.db as Kysely<unknown>);
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from school where search_text = vigie_search_text(name || ' ' || coalesce(commune_name, ''))
    `.execute(handle.db);
    expect(rows[0]?.n).toBe(demo.length + extra.length);
    expect((await search("prevert")).total).toBe(openDemo.filter((s) => s.name.includes("Prévert")).length);
  });
});
