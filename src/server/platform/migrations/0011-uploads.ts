import { type Kysely, sql } from "kysely";

// Files sent to Vigie wait on disk between their dry run and their confirmation
// (`<dataDir>/uploads/<id>`, platform/uploads): this table holds what is known of each, never
// its bytes. `committed_at` and `commit_job_id` are set together, inside the transaction that
// applies the file: an upload is applied once, by one job (docs/jobs.md, « Confirmer une seule
// fois »). Uncommitted uploads are purged after their retention period, files included.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table upload (
      id text primary key,
      kind text not null,
      file_name text not null,
      sha256 text not null,
      size_bytes bigint not null,
      owner_user_id text,
      created_at timestamptz not null default now(),
      committed_at timestamptz,
      commit_job_id text
    );
    create index upload_uncommitted on upload (created_at) where committed_at is null;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table upload`.execute(db);
}
