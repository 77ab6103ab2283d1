import { type Kysely, sql } from "kysely";

// Implausible values held for review (issue 9; docs/indicator-semantics.md): a school's value far
// beyond its peers is stored `held`, left out of every roll-up until a user above the school
// accepts it (it is then `published`, with who and when) or rejects it (the row is deleted).
// `held_limit` keeps the limit it exceeded, shown to the reviewer.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table data_value
      add column status text not null default 'published' check (status in ('published', 'held')),
      add column held_limit double precision,
      add column reviewed_by text,
      add column reviewed_at timestamptz;
    create index data_value_held_idx on data_value(academy_code) where status = 'held';
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index data_value_held_idx;
    alter table data_value drop column status, drop column held_limit, drop column reviewed_by, drop column reviewed_at;
  `.execute(db);
}
