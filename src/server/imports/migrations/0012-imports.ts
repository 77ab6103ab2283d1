import { type Kysely, sql } from "kysely";

// The files given to an import profile (Pix, ENT usage, open data, generic; docs/imports.md).
// A committed file is unique per (profile, content, school): the same file twice writes nothing
// the second time. `school_id` is null for files that name their schools row by row; the unique
// index then compares 0, so that two null schools are the same file. Only counts, capped lists
// of rejections and the profile's aggregated detail are kept: never a cell of the file. An
// upload's dry run is a `dry-run` row with its `upload_id` (platform's upload store), confirmed
// by its commit job.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table import_file (
      id bigint generated always as identity primary key,
      profile text not null,
      file_name text not null,
      sha256 text not null,
      school_id bigint references school(id),
      period text,
      status text not null check (status in ('dry-run', 'committed', 'rolled-back')),
      report jsonb not null default '{}'::jsonb,
      detail jsonb,
      batch_id bigint references import_batch(id),
      upload_id text,
      actor text not null,
      created_at timestamptz not null default now(),
      committed_at timestamptz,
      rolled_back_at timestamptz
    );
    create unique index import_file_committed_once
      on import_file (profile, sha256, coalesce(school_id, 0)) where status = 'committed';
    create index import_file_batch on import_file (batch_id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table import_file`.execute(db);
}
