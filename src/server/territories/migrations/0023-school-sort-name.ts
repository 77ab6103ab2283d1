import { type Kysely, sql } from "kysely";

// School lists in the order of the folded name (territories/queries.ts, `SORT_NAME`), the same
// on both engines: the names themselves sorted by the base's collation, and under PGlite's (C)
// « École … » came after « Lycée … » and a search for « ecole » read every collège and lycée
// before its first row.
// - The btree is on `search_name collate "C"`, the expression the queries sort on: it gives the
//   order of a page without sorting its matches, and under C a `like 'prefix%'` is a range of it
//   (the search's first group, the names that begin with the first word). It carries the columns
//   the search's groups read (id, status), for reads from the index alone.
// - The (name, uai) index of migration 0009 served the old order only.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index school_sort_name_idx on school (search_name collate "C", uai) include (id, status)
  `.execute(db);
  await sql`drop index school_name_order_idx`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index school_name_order_idx on school (name, uai) include (id, status, search_name)
  `.execute(db);
  await sql`drop index school_sort_name_idx`.execute(db);
}
