import { type Kysely, sql } from "kysely";

// Identity and access (docs/identity.md): accounts, roles scoped to a territory node, sessions
// stored in the database, one-time tokens (invitation, password reset), the audit log, settings
// (retention periods) and personal-data requests.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table app_user (
      id bigint generated always as identity primary key,
      email text not null unique check (email = lower(email)),
      given_name text,
      family_name text,
      password_hash text,
      status text not null default 'active' check (status in ('invited', 'active', 'disabled')),
      failed_logins integer not null default 0,
      locked_until timestamptz,
      oidc_subject text,
      oidc_idp_id text,
      siret text,
      created_at timestamptz not null default now(),
      last_login_at timestamptz
    );
    create table role_assignment (
      id bigint generated always as identity primary key,
      user_id bigint not null references app_user(id) on delete cascade,
      role text not null check (role in ('national-admin', 'region-steering', 'academy-steering',
        'department', 'district', 'school-head', 'school-referent', 'local-authority', 'reader')),
      territory_level text not null,
      territory_code text not null,
      created_at timestamptz not null default now(),
      created_by bigint references app_user(id) on delete set null,
      unique (user_id, role, territory_level, territory_code)
    );
    create index role_assignment_user_idx on role_assignment(user_id);
    create table user_session (
      id_hash text primary key,
      user_id bigint not null references app_user(id) on delete cascade,
      csrf_token text not null,
      auth_method text not null check (auth_method in ('password', 'proconnect')),
      id_token text,
      created_at timestamptz not null default now(),
      last_seen_at timestamptz not null default now(),
      expires_at timestamptz not null,
      ip text,
      user_agent text
    );
    create index user_session_user_idx on user_session(user_id);
    create table auth_token (
      token_hash text primary key,
      user_id bigint not null references app_user(id) on delete cascade,
      purpose text not null check (purpose in ('invitation', 'password_reset', 'first_admin')),
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      used_at timestamptz
    );
    create table audit_event (
      id bigint generated always as identity primary key,
      occurred_at timestamptz not null default now(),
      actor_user_id bigint references app_user(id) on delete set null,
      actor_label text not null,
      action text not null,
      entity_type text not null,
      entity_id text,
      territory_level text,
      territory_code text,
      academy_code text,
      summary jsonb not null default '{}'::jsonb,
      source text not null check (source in ('form', 'import', 'cli', 'api', 'system', 'login')),
      source_ref text,
      request_id text,
      ip text
    );
    create index audit_event_time_idx on audit_event(occurred_at desc);
    create index audit_event_actor_idx on audit_event(actor_user_id);
    create index audit_event_academy_idx on audit_event(academy_code, occurred_at desc);
    create table app_setting (
      key text primary key,
      value jsonb not null,
      updated_at timestamptz not null default now(),
      updated_by bigint references app_user(id) on delete set null
    );
    create table personal_data_request (
      id bigint generated always as identity primary key,
      user_id bigint references app_user(id) on delete set null,
      email text not null,
      kind text not null check (kind in ('deletion')),
      status text not null default 'open' check (status in ('open', 'done', 'refused')),
      message text,
      created_at timestamptz not null default now(),
      handled_at timestamptz
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table personal_data_request, app_setting, audit_event, auth_token, user_session,
    role_assignment, app_user`.execute(db);
}
