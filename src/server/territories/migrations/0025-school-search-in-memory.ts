import { type Kysely, sql } from "kysely";

// The school search by name in memory (territories/search-index.ts, ADR 0013).
// - `school_revision`: one number, moved by every write of the columns the search reads. The
//   search keeps those columns of every school in memory; before each search it reads this
//   number, and reads the schools again when it moved. A trigger per statement moves it, whoever
//   writes (the server, a command on a PostgreSQL server, a test); the row is updated inside the
//   writer's transaction, so a reader sees the new revision exactly when it sees the new schools
//   (a sequence, moved outside transactions, would let a search read the old schools under the
//   new number and keep them). The pupils of an enrolment import are not searched: they do not
//   move it.
// - The trigger runs before the statement: a second writer waits on the revision row before it
//   locks any school, so two transactions writing schools queue instead of deadlocking (each
//   holding schools the other wants, and one the revision).
// - The two trigram indexes of the search (migrations 0008 and 0009) serve no query any more and
//   cost every Annuaire import their upkeep: dropped. pg_trgm itself stays (an embedded base that
//   has it keeps loading it).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table school_revision (
      id smallint primary key default 1 check (id = 1),
      revision bigint not null default 0
    );
    insert into school_revision default values;
    create function school_revision_bump() returns trigger language plpgsql as $$
    begin
      update school_revision set revision = revision + 1 where id = 1;
      return null;
    end $$;
    create trigger school_revision_written
      before insert or delete or truncate
        or update of uai, name, commune_name, type, sector, priority_education, status,
          department_code, academy_code, academic_region_code, bassin_code, circonscription_code
      on school for each statement execute function school_revision_bump();
    drop index if exists school_search_text_trgm_idx;
    drop index if exists school_search_name_trgm_idx;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const trgm = await sql`select 1 from pg_extension where extname = 'pg_trgm'`.execute(db);
  if (trgm.rows.length > 0) {
    await sql`
      create index school_search_text_trgm_idx on school using gin (search_text gin_trgm_ops);
      create index school_search_name_trgm_idx on school using gin (search_name gin_trgm_ops);
    `.execute(db);
  }
  await sql`
    drop trigger school_revision_written on school;
    drop function school_revision_bump();
    drop table school_revision;
  `.execute(db);
}
