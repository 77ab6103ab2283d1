import { type Kysely, sql } from "kysely";

// Accent-insensitive school search by name fragment, with an index.
// - `vigie_search_text(text)`: lower case, French accents and ligatures folded, hyphens and
//   apostrophes turned into spaces. One definition, in SQL, used both for the stored columns and
//   for the words typed by users, so both sides are always folded the same way. Upper-case
//   accented letters are folded by `translate` itself: `lower` leaves them alone under the C
//   locale (PGlite's).
// - `search_name` (the name) and `search_text` (name and commune) are generated columns: every
//   write of a school keeps them in step, and adding them back-fills the existing rows.
// - A trigram GIN index on `search_text` serves `like '%fragment%'` (pg_trgm).
//   PGlite offers pg_trgm only when the process loads it (platform/pglite-extensions.ts), and a
//   PostgreSQL server may lack the contrib package: without the extension the search still
//   works, unindexed, rather than the base refusing to open.
// The lower(name) prefix index it replaces served no query any more.
const FROM = "ÀÁÂÃÄÅàáâãäåÇçÈÉÊËèéêëÌÍÎÏìíîïÑñÒÓÔÕÖòóôõöÙÚÛÜùúûüÝŸýÿ-'’";
const TO = "AAAAAAaaaaaaCcEEEEeeeeIIIIiiiiNnOOOOOoooooUUUUuuuuYYyy   ";

export async function up(db: Kysely<unknown>): Promise<void> {
  const trgm = await sql`select 1 from pg_available_extensions where name = 'pg_trgm'`.execute(db);
  if (trgm.rows.length > 0) await sql`create extension if not exists pg_trgm`.execute(db);
  await sql`
    create function vigie_search_text(value text) returns text
    language sql immutable strict parallel safe
    as $$
      select lower(replace(replace(replace(replace(
        translate(value, ${sql.lit(FROM)}, ${sql.lit(TO)}),
        'Œ', 'oe'), 'œ', 'oe'), 'Æ', 'ae'), 'æ', 'ae'))
    $$
  `.execute(db);
  await sql`
    alter table school
      add column search_name text not null
        generated always as (vigie_search_text(name)) stored,
      add column search_text text not null
        generated always as (vigie_search_text(name || ' ' || coalesce(commune_name, ''))) stored
  `.execute(db);
  if (trgm.rows.length > 0) {
    await sql`create index school_search_text_trgm_idx on school using gin (search_text gin_trgm_ops)`.execute(
      db,
    );
  }
  await sql`create index school_uai_pattern_idx on school (uai text_pattern_ops)`.execute(db);
  await sql`drop index school_name_idx`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`create index school_name_idx on school(lower(name) text_pattern_ops)`.execute(db);
  await sql`drop index school_uai_pattern_idx`.execute(db);
  await sql`drop index if exists school_search_text_trgm_idx`.execute(db);
  await sql`alter table school drop column search_text, drop column search_name`.execute(db);
  await sql`drop function vigie_search_text(text)`.execute(db);
}
