import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DatabaseHandle, openDatabase, type PGliteThreading } from "../../src/server/platform/db.ts";
import { MIGRATIONS } from "../../src/server/schema.ts";
import { testEngine } from "../helpers/db.ts";

/**
 * The embedded base in its own thread (ADR 0009) behaves as in the caller's: same values, same
 * errors, same transactions; and the driver keeps the planner's statistics (PGlite has no
 * autovacuum). PGlite only: a PostgreSQL server has neither thread nor this driver.
 */
describe.skipIf(testEngine !== "pglite")("PGlite in its thread and in the caller's", () => {
  const handles: Partial<Record<PGliteThreading, DatabaseHandle>> = {};
  beforeAll(async () => {
    for (const t of ["worker", "main"] as const) {
      handles[t] = await openDatabase(
        { dataDir: ":memory:", databaseUrl: undefined },
        { migrations: MIGRATIONS, pgliteThread: t },
      );
    }
  });
  afterAll(async () => {
    await handles.worker?.close();
    await handles.main?.close();
  });
  const both = () => Object.values(handles) as DatabaseHandle[];

  it("gives the same values in both (dates and bigints as strings, timestamps as dates, JSON, bytes)", async () => {
    const read = (h: DatabaseHandle) =>
      sql<Record<string, unknown>>`
        select date '2025-09-01' as day, 9007199254740993::int8 as big, timestamptz '2025-09-01T10:00:00Z' as at,
          '{"a":[1,2]}'::jsonb as doc, '\\x0102'::bytea as bytes, null::text as nothing, 1.5::numeric as num,
          vigie_search_text(${"Œuvre École"}) as folded
      `.execute(h.db);
    const [worker, main] = await Promise.all(both().map(read));
    expect(worker?.rows).toEqual(main?.rows);
    const row = worker?.rows[0] as Record<string, unknown>;
    expect(row.day).toBe("2025-09-01");
    expect(row.big).toBe("9007199254740993");
    expect(row.at).toBeInstanceOf(Date);
    expect(row.folded).toBe("oeuvre ecole");
  });

  it("brings a large result whole, in order (the thread sends it in parts)", async () => {
    const [worker, main] = await Promise.all(
      both().map((h) =>
        sql<{ i: number; label: string }>`
          select i, 'ligne ' || i as label from generate_series(1, 12345) as i order by i
        `.execute(h.db),
      ),
    );
    expect(worker?.rows).toHaveLength(12345);
    expect(worker?.rows).toEqual(main?.rows);
    expect(worker?.rows.at(-1)).toEqual({ i: 12345, label: "ligne 12345" });
  });

  it("raises the database's error with its code, constraint and detail", async () => {
    const errors = await Promise.all(
      both().map(async (h) => {
        await sql`insert into academic_region (code, name) values ('ZZ', 'a')`.execute(h.db);
        try {
          await sql`insert into academic_region (code, name) values ('ZZ', 'b')`.execute(h.db);
          return null;
        } catch (err) {
          return err as Error & { code?: string; constraint?: string; detail?: string };
        }
      }),
    );
    for (const err of errors) {
      expect(err).toBeInstanceOf(Error);
      expect(err?.code).toBe("23505");
      expect(err?.constraint).toBe("academic_region_pkey");
      expect(err?.detail).toContain("ZZ");
    }
    expect(errors[0]?.message).toBe(errors[1]?.message);
  });

  it("keeps a transaction on its connection: others wait, and see nothing of a rollback", async () => {
    const h = handles.worker as DatabaseHandle;
    const order: string[] = [];
    let reader: Promise<unknown> | undefined;
    await expect(
      h.db.transaction().execute(async (trx) => {
        await sql`insert into academic_region (code, name) values ('YY', 'y')`.execute(trx);
        reader = sql<{ n: number }>`select count(*)::int as n from academic_region where code = 'YY'`
          .execute(h.db)
          .then((r) => {
            order.push(`read ${r.rows[0]?.n}`);
          });
        await new Promise((resolve) => setTimeout(resolve, 50));
        order.push("rollback");
        throw new Error("annulé");
      }),
    ).rejects.toThrow("annulé");
    await reader;
    expect(order).toEqual(["rollback", "read 0"]);
  });

  it("analyses the tables it writes, for the planner", async () => {
    const h = handles.worker as DatabaseHandle;
    // Analysed just before the writes: PostgreSQL then holds their counters back for a second,
    // which once made the driver miss the table (CI, December 2026).
    await sql`analyze import_batch`.execute(h.db);
    await sql`
      insert into import_batch (kind, file_name, file_sha256, report)
      select 'annuaire', 'f' || i, md5(i::text), '{}'::jsonb from generate_series(1, 2000) as i
    `.execute(h.db);
    const reltuples = async () =>
      (
        await sql<{
          n: number;
        }>`select reltuples::int as n from pg_class where relname = 'import_batch'`.execute(h.db)
      ).rows[0]?.n ?? -1;
    const deadline = Date.now() + 10_000;
    while ((await reltuples()) < 2000 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(await reltuples()).toBe(2000);
  });

  it("vacuums the tables whose rows were deleted (PGlite has no autovacuum)", async () => {
    const h = handles.main as DatabaseHandle;
    await sql`
      insert into import_batch (kind, file_name, file_sha256, report)
      select 'annuaire', 'g' || i, md5(i::text), '{}'::jsonb from generate_series(1, 3000) as i
    `.execute(h.db);
    await sql`delete from import_batch where file_name like 'g%'`.execute(h.db);
    const vacuums = async () =>
      (
        await sql<{ n: number }>`
          select vacuum_count::int as n from pg_stat_user_tables where relname = 'import_batch'
        `.execute(h.db)
      ).rows[0]?.n ?? 0;
    const deadline = Date.now() + 10_000;
    while ((await vacuums()) === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(await vacuums()).toBeGreaterThan(0);
  });
});
