import { type Kysely, sql } from "kysely";

// Rolling back an import batch (issue 10; docs/imports.md): for every value key a batch wrote,
// what the key held before (`existed` false: the batch created it), so that a rollback deletes
// the batch's values and puts back the previous ones. `rolled_back_batch` marks a batch rolled
// back once (a second rollback is refused).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table data_value_previous (
      import_batch_id bigint not null references import_batch(id),
      academy_code text not null,
      data_element_code text not null,
      period text not null,
      school_id bigint not null,
      disaggregation text not null,
      existed boolean not null,
      value double precision,
      source text,
      previous_batch_id bigint,
      status text,
      held_limit double precision,
      reviewed_by text,
      reviewed_at timestamptz,
      updated_at timestamptz,
      primary key (import_batch_id, academy_code, data_element_code, period, school_id, disaggregation)
    );
    create index data_value_previous_chain on data_value_previous (previous_batch_id)
      where previous_batch_id is not null;
    create table rolled_back_batch (
      import_batch_id bigint primary key references import_batch(id),
      actor text not null,
      removed integer not null,
      restored integer not null,
      rolled_back_at timestamptz not null default now()
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table rolled_back_batch, data_value_previous`.execute(db);
}
