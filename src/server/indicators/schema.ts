import type { Generated } from "kysely";

/**
 * The indicators tables (migrations 0005, 0010, 0013, 0020, 0021 and 0024), added to platform's `Database` by declaration merging
 * (see territories/schema.ts).
 */
declare module "../platform/index.ts" {
  interface Database {
    data_element: DataElementTable;
    data_value: DataValueTable;
    territory_value: TerritoryValueTable;
    indicator_aggregate: IndicatorAggregateTable;
    rollup_request: RollupRequestTable;
    data_value_previous: DataValuePreviousTable;
    data_value_batch_part: DataValueBatchPartTable;
    rolled_back_batch: RolledBackBatchTable;
    expected_source: ExpectedSourceTable;
    expected_school: ExpectedSchoolTable;
  }
}

export type ValueSource = "form" | "import" | "api" | "demo";

export interface DataElementTable {
  code: string;
  name: string;
  value_type: string;
  collected_at: string;
  time_aggregation: string;
  territory_aggregation: string;
  additive: boolean;
  definition: unknown;
  synced_at: Generated<Date>;
  /** `catalogue` (indicators.yaml, re-synced at start) or `local` (defined by a DANE, migration 0021). */
  origin: Generated<"catalogue" | "local">;
  defined_by: string | null;
  defined_at: Date | null;
}

export interface DataValueTable {
  academy_code: string;
  data_element_code: string;
  period: string;
  school_id: string;
  disaggregation: Generated<string>;
  value: number;
  source: ValueSource;
  import_batch_id: string | null;
  updated_at: Generated<Date>;
  /** `held`: implausible among its peers, out of the roll-ups until reviewed (migration 0010). */
  status: Generated<ValueStatus>;
  /** The limit a held value exceeded (ten times its peers' 9th decile). */
  held_limit: number | null;
  /** Who accepted the value, and when (an accepted value is not held again while unchanged). */
  reviewed_by: string | null;
  reviewed_at: Date | null;
}

export type ValueStatus = "published" | "held";

export interface TerritoryValueTable {
  academy_code: string;
  data_element_code: string;
  period: string;
  territory_level: string;
  territory_code: string;
  disaggregation: Generated<string>;
  value: number;
  source: ValueSource;
  import_batch_id: string | null;
  updated_at: Generated<Date>;
}

export interface IndicatorAggregateTable {
  academy_code: string;
  indicator_code: string;
  period: string;
  node_level: string;
  node_code: string;
  parent_key: string | null;
  grp: string;
  disaggregation: string;
  sum_num: number;
  sum_den: number;
  numerator: number | null;
  denominator: number | null;
  value: number | null;
  schools_reporting: number;
  schools_reporting_expected: number;
  schools_expected: number;
  largest: number | null;
  people: number | null;
  status: string;
  computed_at: Generated<Date>;
}

export interface RollupRequestTable {
  id: Generated<string>;
  academy_code: string;
  data_element_codes: string[];
  periods: string[];
  requested_at: Generated<Date>;
  done_at: Date | null;
}

/**
 * What a value key held before an import batch overwrote it. `existed` false (the batch created
 * the key) only in rows written before migration 0024: a created key keeps no row since.
 */
export interface DataValuePreviousTable {
  import_batch_id: string;
  academy_code: string;
  data_element_code: string;
  period: string;
  school_id: string;
  disaggregation: string;
  existed: boolean;
  value: number | null;
  source: ValueSource | null;
  previous_batch_id: string | null;
  status: ValueStatus | null;
  held_limit: number | null;
  reviewed_by: string | null;
  reviewed_at: Date | null;
  updated_at: Date | null;
}

/**
 * The académies, elements and periods an import batch wrote, with how many keys it created there
 * (migration 0024: a created key keeps no `data_value_previous` row). A rollback deletes the
 * batch's values found there and requests their roll-up.
 */
export interface DataValueBatchPartTable {
  import_batch_id: string;
  academy_code: string;
  data_element_code: string;
  period: string;
  created: Generated<number>;
}

/** An import batch whose values were rolled back (once). */
export interface RolledBackBatchTable {
  import_batch_id: string;
  actor: string;
  removed: number;
  restored: number;
  rolled_back_at: Generated<Date>;
}

/**
 * Who expects schools to give some data elements for a period (a collection campaign:
 * `collection:<id>`, migration 0020): the coverage of the indicators on those elements counts
 * only its schools (`expected_school`).
 */
export interface ExpectedSourceTable {
  source: string;
  period: string;
  data_element_codes: string[];
}

export interface ExpectedSchoolTable {
  source: string;
  school_id: string;
  academy_code: string;
}
