import { type Kysely, sql } from "kysely";

// Persisted jobs (docs/jobs.md, ADR 0007): long work (an Annuaire commit, a roll-up, mails) runs
// outside the request and leaves here its state, progress, result or French error, on both
// engines. On a PostgreSQL server pg-boss queues and locks the deliveries (`queue_ref` is its job
// id); this table stays the one place the web app, the CLI and the recovery read.
// `heartbeat_at` is renewed by the process running the job: a running job whose heartbeat is
// stale belongs to a dead process and is re-queued or failed on the next start.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table job (
      id bigint generated always as identity primary key,
      type text not null,
      payload jsonb not null default '{}'::jsonb,
      state text not null default 'queued'
        check (state in ('queued', 'running', 'done', 'failed', 'cancelled')),
      progress_done integer,
      progress_total integer,
      progress_message text,
      result jsonb,
      error text,
      attempts integer not null default 0,
      max_attempts integer not null default 3 check (max_attempts >= 1),
      run_after timestamptz not null default now(),
      owner_user_id bigint references app_user(id) on delete set null,
      scope_node text,
      worker_id text,
      heartbeat_at timestamptz,
      cancel_requested boolean not null default false,
      queue_ref text,
      dedupe_key text,
      created_at timestamptz not null default now(),
      started_at timestamptz,
      finished_at timestamptz
    );
    create index job_queued on job (run_after, id) where state = 'queued';
    create index job_running on job (heartbeat_at) where state = 'running';
    create index job_owner on job (owner_user_id, created_at);
    -- At most one unfinished job per (type, key): one commit per upload, even from two processes.
    create unique index job_dedupe on job (type, dedupe_key)
      where dedupe_key is not null and state in ('queued', 'running');
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table job;`.execute(db);
}
