import { type Kysely, sql } from "kysely";

// School search without sorting every match (territories/queries.ts, `searchByWords`):
// - a btree on (name, uai), the search's order: a page of a common word (« ecole », « lycee »)
//   is read in order and stops after its rows, instead of fetching and sorting thousands of
//   matches. It carries the columns the name group reads (id, status, search_name), so that it
//   can answer from the index alone where the base knows its pages are visible;
// - a trigram index on `search_name`: the name group of a rare word is fetched through it
//   (the one on `search_text` serves the commune group and the count). Only with pg_trgm, as in 0008.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index school_name_order_idx on school (name, uai) include (id, status, search_name)
  `.execute(db);
  const trgm = await sql`select 1 from pg_extension where extname = 'pg_trgm'`.execute(db);
  if (trgm.rows.length > 0) {
    await sql`create index school_search_name_trgm_idx on school using gin (search_name gin_trgm_ops)`.execute(
      db,
    );
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists school_search_name_trgm_idx`.execute(db);
  await sql`drop index school_name_order_idx`.execute(db);
}
