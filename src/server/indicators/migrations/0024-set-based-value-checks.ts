import { type Kysely, sql } from "kysely";

// Faster value writes (issue 10's figures, ADR 0012):
// 1. The three foreign keys of `data_value` (school, data element, import batch) checked each
//    written row with its own query and row lock: half the time of a write. The database now
//    checks them once per statement, over the statement's written rows (a transition table),
//    and refuses the whole statement when one reference is unknown. Schools, data elements and
//    import batches are never deleted (closed schools are kept, batches are provenance), so the
//    delete side of the foreign keys had nothing left to guard.
// 2. An import batch no longer keeps a `data_value_previous` row for a key it creates (most of
//    an import's keys: a new month, a new campaign); it records instead, per académie, element
//    and period, how many keys it created (`data_value_batch_part`), which is also where its
//    rollback finds what to delete and what to refresh. The parts of the batches written before
//    are read back from their previous-state rows, which still say `existed = false`.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table data_value_batch_part (
      import_batch_id bigint not null references import_batch(id),
      academy_code text not null,
      data_element_code text not null,
      period text not null,
      created integer not null default 0,
      primary key (import_batch_id, academy_code, data_element_code, period)
    );
    insert into data_value_batch_part (import_batch_id, academy_code, data_element_code, period)
      select distinct import_batch_id, academy_code, data_element_code, period from data_value_previous;

    create function data_value_references_check() returns trigger language plpgsql as $$
    begin
      if exists (
        select 1 from (select distinct school_id from written) w
        where not exists (select 1 from school s where s.id = w.school_id)
      ) then
        raise foreign_key_violation using message = 'Valeur refusée : établissement inconnu (school_id).';
      end if;
      if exists (
        select 1 from (select distinct data_element_code from written) w
        where not exists (select 1 from data_element e where e.code = w.data_element_code)
      ) then
        raise foreign_key_violation using message = 'Valeur refusée : élément de donnée inconnu.';
      end if;
      if exists (
        select 1 from (select distinct import_batch_id from written where import_batch_id is not null) w
        where not exists (select 1 from import_batch b where b.id = w.import_batch_id)
      ) then
        raise foreign_key_violation using message = 'Valeur refusée : lot d''import inconnu.';
      end if;
      return null;
    end $$;
    create trigger data_value_inserted_references after insert on data_value
      referencing new table as written for each statement execute function data_value_references_check();
    create trigger data_value_updated_references after update on data_value
      referencing new table as written for each statement execute function data_value_references_check();
    alter table data_value
      drop constraint data_value_school_id_fkey,
      drop constraint data_value_data_element_code_fkey,
      drop constraint data_value_import_batch_id_fkey;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop trigger data_value_inserted_references on data_value;
    drop trigger data_value_updated_references on data_value;
    drop function data_value_references_check();
    alter table data_value
      add foreign key (school_id) references school(id),
      add foreign key (data_element_code) references data_element(code),
      add foreign key (import_batch_id) references import_batch(id);
    drop table data_value_batch_part;
  `.execute(db);
}
