import { type Kysely, sql } from "kysely";

// ProConnect logins in progress: the state, nonce and PKCE verifier of each redirect to the
// provider, kept server-side until the callback consumes them (single use, ten minutes). In the
// database rather than in process memory so that any instance behind a load balancer can finish
// a login another one started.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table oidc_login_attempt (
      state_hash text primary key,
      nonce text not null,
      code_verifier text,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null
    );
    create index oidc_login_attempt_expiry_idx on oidc_login_attempt(expires_at);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table oidc_login_attempt`.execute(db);
}
