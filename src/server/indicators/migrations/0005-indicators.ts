import { type Kysely, sql } from "kysely";

// Observatory storage (docs/indicator-semantics.md). Facts (data values) and aggregates carry
// `academy_code` first in their keys: it is the future Citus distribution column ('' for the
// rows above the académie: région académique and nation). Data elements are a small reference
// table synchronised from the catalogue (data/templates/indicators.yaml).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table data_element (
      code text primary key,
      name text not null,
      value_type text not null,
      collected_at text not null,
      time_aggregation text not null,
      territory_aggregation text not null,
      additive boolean not null,
      definition jsonb not null,
      synced_at timestamptz not null default now()
    );
    create table data_value (
      academy_code text not null,
      data_element_code text not null references data_element(code),
      period text not null,
      school_id bigint not null references school(id),
      disaggregation text not null default '',
      value double precision not null,
      source text not null check (source in ('form', 'import', 'api', 'demo')),
      import_batch_id bigint references import_batch(id),
      updated_at timestamptz not null default now(),
      primary key (academy_code, data_element_code, period, school_id, disaggregation)
    );
    create index data_value_school_idx on data_value(school_id);
    create table territory_value (
      academy_code text not null,
      data_element_code text not null references data_element(code),
      period text not null,
      territory_level text not null,
      territory_code text not null,
      disaggregation text not null default '',
      value double precision not null,
      source text not null check (source in ('form', 'import', 'api', 'demo')),
      import_batch_id bigint references import_batch(id),
      updated_at timestamptz not null default now(),
      primary key (academy_code, data_element_code, period, territory_level, territory_code, disaggregation)
    );
    create table indicator_aggregate (
      academy_code text not null,
      indicator_code text not null,
      period text not null,
      node_level text not null,
      node_code text not null,
      parent_key text,
      grp text not null default '',
      disaggregation text not null default '',
      sum_num double precision not null default 0,
      sum_den double precision not null default 0,
      numerator double precision,
      denominator double precision,
      value double precision,
      schools_reporting integer not null,
      schools_reporting_expected integer not null,
      schools_expected integer not null,
      largest double precision,
      people double precision,
      status text not null default 'published',
      computed_at timestamptz not null default now(),
      primary key (academy_code, indicator_code, period, node_level, node_code, grp, disaggregation)
    );
    create index indicator_aggregate_node_idx
      on indicator_aggregate(indicator_code, node_level, node_code, grp, disaggregation, period);
    -- The periods of each indicator (catalogue, default period): read on every page.
    create index indicator_aggregate_nation_periods_idx
      on indicator_aggregate(indicator_code, period)
      where node_level = 'nation' and grp = '' and disaggregation = '';
    create index indicator_aggregate_parent_idx
      on indicator_aggregate(indicator_code, period, grp, disaggregation, parent_key);
    -- Persisted queue of roll-up work: a write records what it touched in its own transaction,
    -- so a crash between the write and the refresh leaves the work pending, never lost.
    create table rollup_request (
      id bigint generated always as identity primary key,
      academy_code text not null,
      data_element_codes text[] not null,
      periods text[] not null,
      requested_at timestamptz not null default now(),
      done_at timestamptz
    );
    create index rollup_request_pending_idx on rollup_request(id) where done_at is null;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table rollup_request, indicator_aggregate, territory_value, data_value, data_element`.execute(
    db,
  );
}
