import { type Kysely, sql } from "kysely";

// The revision of the schools a name search reads (territories/search-index.ts, ADR 0013).
// The search keeps the searched columns of every school in memory; before each search it reads
// this one number, and reads the schools again when it moved. A trigger per statement moves it
// after every write of those columns, whoever writes (the server, a command on a PostgreSQL
// server, a test): the row is updated inside the writer's transaction, so a reader sees the new
// revision exactly when it sees the new schools — a sequence, bumped outside transactions, would
// let a search read the old schools under the new number and keep them.
// Only the columns the search reads move it: the pupils of an enrolment import do not.
// The trigger runs before the statement: a second writer waits on the revision row before it
// locks any school, so two transactions writing schools queue instead of deadlocking (each
// holding schools the other wants, and one the revision).
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
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop trigger school_revision_written on school;
    drop function school_revision_bump();
    drop table school_revision;
  `.execute(db);
}
