import { type Kysely, sql } from "kysely";

// Mapping profiles of the generic import (docs/imports.md, « Fichier quelconque »): how the
// columns of a file become data values, saved under a name by the person who built it, so that
// next year's file of the same shape is read without redoing the mapping. Shared by everyone who
// may import; the definition is validated by the contract's schema before it is stored.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table import_mapping (
      id bigint generated always as identity primary key,
      name text not null unique check (name <> ''),
      definition jsonb not null,
      created_by text not null,
      updated_by text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table import_mapping`.execute(db);
}
