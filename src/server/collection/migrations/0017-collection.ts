import { type Kysely, sql } from "kysely";

// Collection campaigns (issue 11, docs/collection.md). A form is kept by version: a campaign
// points to the version it started with, so editing a form never changes an open campaign. One
// response per target school, created with the campaign: its place in the tree is copied from the
// referential at that moment (the campaign's target is that list), so completeness per territory
// is a count over this table alone. The answers are a JSON document keyed by field code; the
// observatory gets them as data values (source « form ») through an import batch, once submitted
// or approved as the campaign says.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table collection_form (
      id bigint generated always as identity primary key,
      code text not null check (code <> ''),
      version integer not null check (version > 0),
      definition jsonb not null,
      created_by text not null,
      created_at timestamptz not null default now(),
      unique (code, version)
    );
  `.execute(db);
  await sql`
    create table collection_campaign (
      id bigint generated always as identity primary key,
      title text not null check (title <> ''),
      template text not null,
      form_id bigint not null references collection_form (id),
      period text not null,
      territory text not null,
      target jsonb not null,
      respondents text[] not null,
      opens_on date not null,
      closes_on date not null check (closes_on >= opens_on),
      expiry_days integer not null check (expiry_days >= 0),
      approval_levels text[] not null,
      feed text not null check (feed in ('submitted', 'approved')),
      created_by text not null,
      created_at timestamptz not null default now()
    );
  `.execute(db);
  await sql`
    create table collection_response (
      id bigint generated always as identity primary key,
      campaign_id bigint not null references collection_campaign (id) on delete cascade,
      school_id bigint not null,
      uai text not null,
      school_name text not null,
      school_type text not null,
      academic_region_code text not null,
      academy_code text not null,
      department_code text not null,
      district_code text,
      state text not null default 'not_started'
        check (state in ('not_started', 'draft', 'submitted', 'returned', 'approved', 'accepted')),
      answers jsonb not null default '{}',
      revision integer not null default 0,
      required_fields integer not null default 0,
      answered_fields integer not null default 0,
      updated_at timestamptz,
      updated_by text,
      submitted_at timestamptz,
      submitted_by text,
      return_comment text,
      batch_id bigint,
      unique (campaign_id, school_id)
    );
  `.execute(db);
  await sql`create index collection_response_place on collection_response (campaign_id, academy_code, department_code)`.execute(
    db,
  );
  await sql`create index collection_response_school on collection_response (school_id)`.execute(db);
  // A campaign's counts by state, read by every list and status page: an index-only count.
  await sql`create index collection_response_state on collection_response (campaign_id, state)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table collection_response`.execute(db);
  await sql`drop table collection_campaign`.execute(db);
  await sql`drop table collection_form`.execute(db);
}
