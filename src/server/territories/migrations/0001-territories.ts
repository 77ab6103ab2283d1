import { type Kysely, sql } from "kysely";

// Territorial referential. Territories and metadata are small reference tables; schools carry
// their materialised ancestors (département, académie, région académique, districts) so that
// hot paths never need recursive queries, and `academy_code` is there for a future Citus
// distribution.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table academic_region (
      code text primary key,
      name text not null
    );
    create table academy (
      code text primary key,
      name text not null,
      academic_region_code text not null references academic_region(code)
    );
    create table department (
      code text primary key,
      name text not null,
      academy_code text not null references academy(code),
      academic_region_code text not null references academic_region(code)
    );
    create index department_academy_idx on department(academy_code);
    create table district (
      code text primary key,
      kind text not null check (kind in ('bassin', 'circonscription')),
      name text not null,
      department_code text not null references department(code),
      academy_code text not null references academy(code),
      academic_region_code text not null references academic_region(code)
    );
    create index district_department_idx on district(department_code);
    create table import_batch (
      id bigint generated always as identity primary key,
      kind text not null,
      file_name text not null,
      file_sha256 text not null,
      started_at timestamptz not null default now(),
      committed_at timestamptz,
      report jsonb not null
    );
    create table school (
      id bigint generated always as identity primary key,
      uai text not null unique,
      name text not null,
      type text not null,
      nature_code text,
      nature_label text,
      sector text not null check (sector in ('public', 'private_contract', 'private_no_contract')),
      priority_education text check (priority_education in ('REP', 'REP+')),
      commune_code text,
      commune_name text,
      postal_code text,
      latitude double precision,
      longitude double precision,
      department_code text not null references department(code),
      academy_code text not null references academy(code),
      academic_region_code text not null references academic_region(code),
      bassin_code text references district(code),
      circonscription_code text references district(code),
      status text not null check (status in ('open', 'closed')),
      opened_on date,
      pupils integer check (pupils >= 0),
      source_updated_on date,
      content_hash text not null,
      import_batch_id bigint references import_batch(id),
      updated_at timestamptz not null default now()
    );
    create index school_academy_idx on school(academy_code, name);
    create index school_department_idx on school(department_code, name);
    create index school_bassin_idx on school(bassin_code);
    create index school_circonscription_idx on school(circonscription_code);
    create index school_name_idx on school(lower(name) text_pattern_ops);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table school, import_batch, district, department, academy, academic_region`.execute(db);
}
