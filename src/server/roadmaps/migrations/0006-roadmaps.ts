import { type Kysely, sql } from "kysely";

// Roadmaps (feuilles de route) and their checkpoints (points d'étape). The tree ambition → cible →
// champ opérationnel → indicateurs → objectifs is one validated JSON document (the roadmap
// template schema of src/contracts/roadmaps.ts): it is read and written whole, and never queried
// inside by SQL. `academy_code` is the future distribution column (Citus), null above an académie.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table roadmap (
      id bigint generated always as identity primary key,
      slug text not null unique,
      title text not null,
      territory_level text not null,
      territory_code text not null,
      academy_code text,
      period_from text not null,
      period_to text not null,
      status text not null default 'draft' check (status in ('draft', 'published')),
      template_id text,
      document jsonb not null,
      version integer not null default 1,
      created_by bigint references app_user(id) on delete set null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index roadmap_territory on roadmap (territory_level, territory_code);
    create table roadmap_checkpoint (
      id bigint generated always as identity primary key,
      roadmap_id bigint not null references roadmap(id) on delete cascade,
      date date not null,
      title text not null,
      comment text,
      "values" jsonb not null,
      created_by bigint references app_user(id) on delete set null,
      created_at timestamptz not null default now()
    );
    create index roadmap_checkpoint_roadmap on roadmap_checkpoint (roadmap_id, date);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table roadmap_checkpoint; drop table roadmap;`.execute(db);
}
