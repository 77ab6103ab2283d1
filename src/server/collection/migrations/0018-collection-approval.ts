import { type Kysely, sql } from "kysely";

// Approval up the hierarchy (issue 11, item 4; docs/collection.md, « Validation »). One row per
// territory of an approval level that approved (or, in two-step campaigns, whose approval the
// level above accepted) a campaign: unapproving deletes the row, unaccepting puts it back to
// approved. A response may carry a lock exception granted by a user above the school: until that
// date it may still be filled in after the campaign's expiry days.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table collection_approval (
      campaign_id bigint not null references collection_campaign (id) on delete cascade,
      level text not null check (level in ('district', 'department', 'academy')),
      code text not null,
      state text not null check (state in ('approved', 'accepted')),
      approved_by text not null,
      approved_at timestamptz not null default now(),
      accepted_by text,
      accepted_at timestamptz,
      comment text,
      primary key (campaign_id, level, code)
    );
  `.execute(db);
  await sql`alter table collection_response add column lock_exception_until date`.execute(db);
  await sql`alter table collection_response add column lock_exception_by text`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table collection_response drop column lock_exception_by`.execute(db);
  await sql`alter table collection_response drop column lock_exception_until`.execute(db);
  await sql`drop table collection_approval`.execute(db);
}
