import { type Kysely, sql } from "kysely";

// Reminders and outliers of collection campaigns (issue 11, items 6 and 7; docs/collection.md,
// « Relances » and « Valeurs atypiques »). A campaign says when its reminders go (days before
// its closing date; a negative number is a day after it, while late answers are still taken),
// the least number of days between two reminders to one school and how many a school gets at
// most, and the modified z-score above which a value is « atypique ». One row per reminder sent
// to a school: the history the rules read and the DANE sees. Only the number of people written to
// is kept, not their addresses: the accounts already hold them, and a copy here would be one
// more place to purge.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table collection_campaign
      add column reminder_days integer[] not null default '{7,1}',
      add column reminder_min_interval_days integer not null default 3
        check (reminder_min_interval_days >= 0),
      add column reminder_max_count integer not null default 3 check (reminder_max_count >= 0),
      add column outlier_threshold double precision not null default 3.5 check (outlier_threshold > 0)
  `.execute(db);
  await sql`
    create table collection_reminder (
      id bigint generated always as identity primary key,
      campaign_id bigint not null references collection_campaign (id) on delete cascade,
      school_id bigint not null,
      sent_at timestamptz not null default now(),
      kind text not null check (kind in ('scheduled', 'manual')),
      recipients integer not null check (recipients > 0),
      job_id text
    );
  `.execute(db);
  await sql`create index collection_reminder_school on collection_reminder (campaign_id, school_id, sent_at)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table collection_reminder`.execute(db);
  await sql`
    alter table collection_campaign
      drop column reminder_days,
      drop column reminder_min_interval_days,
      drop column reminder_max_count,
      drop column outlier_threshold
  `.execute(db);
}
