import { type Kysely, sql } from "kysely";

// The schools expected to give some data elements for a period, when a module that asks them
// says so (a collection campaign's target: issue 11, item 8). Without a source naming an
// (element, period), every open school is expected, as before; otherwise the coverage of an
// indicator on that element is « schools of the target that answered / schools of the target ».
// A source names its elements and period once, and its schools once each (a nation-wide campaign
// is 60 000 rows, not 60 000 per element); the académie is kept so that the roll-up of one
// académie reads only its own schools.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table expected_source (
      source text primary key check (source <> ''),
      period text not null,
      data_element_codes text[] not null
    );
  `.execute(db);
  await sql`
    create table expected_school (
      source text not null references expected_source (source) on delete cascade,
      school_id bigint not null,
      academy_code text not null,
      primary key (source, school_id)
    );
  `.execute(db);
  await sql`create index expected_school_academy on expected_school (academy_code)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table expected_school`.execute(db);
  await sql`drop table expected_source`.execute(db);
}
