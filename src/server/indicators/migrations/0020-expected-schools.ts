import { type Kysely, sql } from "kysely";

// The schools expected to give a data element for a period, when a module that asks them says so
// (a collection campaign's target: issue 11, item 8). Without a row for an (element, period), every
// open school is expected, as before. The coverage of an indicator is then « schools of the target
// that answered / schools of the target ». One row per (source, element, period, school); the
// académie is kept so that the roll-up of one académie reads only its own.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table expected_school (
      source text not null check (source <> ''),
      data_element_code text not null,
      period text not null,
      school_id bigint not null,
      academy_code text not null,
      primary key (source, data_element_code, period, school_id)
    );
  `.execute(db);
  await sql`create index expected_school_academy on expected_school (academy_code)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table expected_school`.execute(db);
}
