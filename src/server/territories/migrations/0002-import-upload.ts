import { type Kysely, sql } from "kysely";

// Files uploaded through the web app wait here between the dry run and the confirmation, so that
// the confirmed import applies exactly the bytes whose report the user read (and survives a
// restart of the server in between).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table import_upload (
      id text primary key,
      kind text not null,
      file_name text not null,
      file_sha256 text not null,
      content bytea not null,
      created_at timestamptz not null default now(),
      committed_at timestamptz
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table import_upload`.execute(db);
}
