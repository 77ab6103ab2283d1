import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/server/platform/db.ts";
import { withSecondaryIndexesDeferred } from "../../src/server/platform/index.ts";
import { openTestDatabase, testEngine } from "../helpers/db.ts";

/** What the catalogue says of a table's indexes and constraints: must be the same after a load. */
async function structure(handle: DatabaseHandle, table: string) {
  const indexes = await sql<{ name: string; def: string }>`
    select indexname as name, indexdef as def from pg_indexes where tablename = ${table} order by indexname
  `.execute(handle.db);
  const constraints = await sql<{ name: string; def: string }>`
    select conname as name, pg_get_constraintdef(oid) as def from pg_constraint
    where conrelid = cast(${table} as regclass) order by conname
  `.execute(handle.db);
  return { indexes: indexes.rows, constraints: constraints.rows };
}

async function childCount(handle: DatabaseHandle): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from bulk_child`.execute(handle.db);
  return rows[0]?.n ?? -1;
}

describe(`bulk load with secondary indexes set aside, on ${testEngine}`, () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await openTestDatabase();
    await sql`create table bulk_parent (code text primary key)`.execute(handle.db);
    await sql`
      create table bulk_child (
        id integer primary key,
        code text not null references bulk_parent (code),
        label text unique
      )
    `.execute(handle.db);
    await sql`create index bulk_child_code_idx on bulk_child (code)`.execute(handle.db);
    await sql`create index bulk_child_label_idx on bulk_child (lower(label)) where label is not null`.execute(
      handle.db,
    );
    await sql`insert into bulk_parent values ('A'), ('B')`.execute(handle.db);
  });
  afterAll(async () => handle?.close());

  it("loads without the secondary indexes and foreign keys, then puts back the same ones", async () => {
    const before = await structure(handle, "bulk_child");
    expect(before.indexes.map((i) => i.name)).toEqual([
      "bulk_child_code_idx",
      "bulk_child_label_idx",
      "bulk_child_label_key",
      "bulk_child_pkey",
    ]);
    let during: Awaited<ReturnType<typeof structure>> | undefined;
    await handle.db.transaction().execute(async (trx) => {
      await withSecondaryIndexesDeferred(trx, "bulk_child", async () => {
        during = await structure({ ...handle, db: trx }, "bulk_child");
        await sql`
          insert into bulk_child select i, case when i % 2 = 0 then 'A' else 'B' end, 'étiquette ' || i
          from generate_series(1, 500) as i
        `.execute(trx);
      });
    });
    // Unique indexes and the primary key stay for the load (`on conflict` needs them).
    expect(during?.indexes.map((i) => i.name)).toEqual(["bulk_child_label_key", "bulk_child_pkey"]);
    // No foreign key during the load (PGlite also lists NOT NULL constraints, which stay).
    expect(during?.constraints.filter((c) => c.def.startsWith("FOREIGN KEY"))).toEqual([]);
    expect(during?.constraints.map((c) => c.name)).toEqual(
      expect.arrayContaining(["bulk_child_label_key", "bulk_child_pkey"]),
    );
    expect(before.constraints.filter((c) => c.def.startsWith("FOREIGN KEY"))).toHaveLength(1);
    expect(await structure(handle, "bulk_child")).toEqual(before);
    expect(await childCount(handle)).toBe(500);
    // The index put back serves its queries.
    const { rows } = await sql<{ id: number }>`
      select id from bulk_child where lower(label) = ${"étiquette 42"}
    `.execute(handle.db);
    expect(rows).toEqual([{ id: 42 }]);
  });

  it("fails the whole load when a row breaks a foreign key, and keeps the table as it was", async () => {
    const before = await structure(handle, "bulk_child");
    const load = handle.db.transaction().execute(async (trx) => {
      await withSecondaryIndexesDeferred(trx, "bulk_child", async () => {
        await sql`insert into bulk_child values (1001, 'A', 'bon'), (1002, 'Z', 'orphelin')`.execute(trx);
      });
    });
    await expect(load).rejects.toThrow(/foreign key|clé étrangère/i);
    expect(await structure(handle, "bulk_child")).toEqual(before);
    expect(await childCount(handle)).toBe(500);
  });
});
