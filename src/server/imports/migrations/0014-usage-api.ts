import { type Kysely, sql } from "kysely";

// The usage API of ENT and resource providers (docs/imports.md, « API d'usage »): the tokens a
// national administrator gives them (only the SHA-256 of each token is kept, as for identity's
// link tokens), and the batches they sent, one per (provider, batch id), so that a repeated
// batch is acknowledged without being written twice. A batch keeps its counts and its capped
// rejections, never its rows.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table usage_token (
      id bigint generated always as identity primary key,
      provider text not null check (provider <> ''),
      token_hash text not null unique,
      territories text[] not null check (cardinality(territories) > 0),
      created_by text not null,
      created_at timestamptz not null default now(),
      revoked_at timestamptz,
      last_used_at timestamptz
    );
    create index usage_token_provider on usage_token (provider);
    create table usage_batch (
      id bigint generated always as identity primary key,
      provider text not null,
      batch_id text not null,
      token_id bigint not null references usage_token(id),
      received_at timestamptz not null default now(),
      status text not null check (status in ('receiving', 'received')),
      report jsonb not null default '{}'::jsonb,
      import_batch_id bigint references import_batch(id)
    );
    create unique index usage_batch_once on usage_batch (provider, batch_id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table usage_batch; drop table usage_token`.execute(db);
}
