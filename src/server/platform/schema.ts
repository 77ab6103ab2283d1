import type { Generated, Selectable } from "kysely";

/** Row types of the database, table by table (the migrations are the source of truth). */
export interface Database {
  academic_region: { code: string; name: string };
  academy: { code: string; name: string; academic_region_code: string };
  department: { code: string; name: string; academy_code: string; academic_region_code: string };
  district: DistrictTable;
  import_batch: ImportBatchTable;
  import_upload: ImportUploadTable;
  school: SchoolTable;
  app_user: AppUserTable;
  role_assignment: RoleAssignmentTable;
  user_session: UserSessionTable;
  auth_token: AuthTokenTable;
  audit_event: AuditEventTable;
  app_setting: AppSettingTable;
  personal_data_request: PersonalDataRequestTable;
  oidc_login_attempt: OidcLoginAttemptTable;
  data_element: DataElementTable;
  data_value: DataValueTable;
  territory_value: TerritoryValueTable;
  indicator_aggregate: IndicatorAggregateTable;
  rollup_request: RollupRequestTable;
  roadmap: RoadmapTable;
  roadmap_checkpoint: RoadmapCheckpointTable;
}

export interface DistrictTable {
  code: string;
  kind: "bassin" | "circonscription";
  name: string;
  department_code: string;
  academy_code: string;
  academic_region_code: string;
}

export interface ImportBatchTable {
  id: Generated<string>;
  kind: string;
  file_name: string;
  file_sha256: string;
  started_at: Generated<Date>;
  committed_at: Date | null;
  report: unknown;
}

export interface SchoolTable {
  id: Generated<string>;
  uai: string;
  name: string;
  type: string;
  nature_code: string | null;
  nature_label: string | null;
  sector: "public" | "private_contract" | "private_no_contract";
  priority_education: "REP" | "REP+" | null;
  commune_code: string | null;
  commune_name: string | null;
  postal_code: string | null;
  latitude: number | null;
  longitude: number | null;
  department_code: string;
  academy_code: string;
  academic_region_code: string;
  bassin_code: string | null;
  circonscription_code: string | null;
  status: "open" | "closed";
  opened_on: string | null;
  pupils: number | null;
  source_updated_on: string | null;
  content_hash: string;
  import_batch_id: string | null;
  updated_at: Generated<Date>;
  /** Folded name, and name + commune, for the accent-insensitive search (generated, migration 0008). */
  search_name: Generated<string>;
  search_text: Generated<string>;
}

export type SchoolRow = Selectable<SchoolTable>;

export interface ImportUploadTable {
  id: string;
  kind: string;
  file_name: string;
  file_sha256: string;
  content: Uint8Array;
  created_at: Generated<Date>;
  committed_at: Date | null;
}

export interface AppUserTable {
  id: Generated<string>;
  email: string;
  given_name: string | null;
  family_name: string | null;
  password_hash: string | null;
  status: Generated<"invited" | "active" | "disabled">;
  failed_logins: Generated<number>;
  locked_until: Date | null;
  oidc_subject: string | null;
  oidc_idp_id: string | null;
  siret: string | null;
  created_at: Generated<Date>;
  last_login_at: Date | null;
}

export interface RoleAssignmentTable {
  id: Generated<string>;
  user_id: string;
  role: string;
  territory_level: string;
  territory_code: string;
  created_at: Generated<Date>;
  created_by: string | null;
}

export interface UserSessionTable {
  /** SHA-256 of the session token: a stolen database copy does not yield usable cookies. */
  id_hash: string;
  user_id: string;
  csrf_token: string;
  auth_method: "password" | "proconnect";
  id_token: string | null;
  created_at: Generated<Date>;
  last_seen_at: Generated<Date>;
  expires_at: Date;
  ip: string | null;
  user_agent: string | null;
}

export interface AuthTokenTable {
  token_hash: string;
  user_id: string;
  purpose: "invitation" | "password_reset" | "first_admin";
  created_at: Generated<Date>;
  expires_at: Date;
  used_at: Date | null;
}

export interface AuditEventTable {
  id: Generated<string>;
  occurred_at: Generated<Date>;
  actor_user_id: string | null;
  actor_label: string;
  action: string;
  entity_type: string;
  entity_id: string | null;
  territory_level: string | null;
  territory_code: string | null;
  academy_code: string | null;
  summary: unknown;
  source: "form" | "import" | "cli" | "api" | "system" | "login";
  source_ref: string | null;
  request_id: string | null;
  ip: string | null;
}

export interface AppSettingTable {
  key: string;
  value: unknown;
  updated_at: Generated<Date>;
  updated_by: string | null;
}

export interface PersonalDataRequestTable {
  id: Generated<string>;
  user_id: string | null;
  email: string;
  kind: "deletion";
  status: Generated<"open" | "done" | "refused">;
  message: string | null;
  created_at: Generated<Date>;
  handled_at: Date | null;
}

export interface OidcLoginAttemptTable {
  /** SHA-256 of the OAuth `state`: the value itself only travels in the URL and a cookie. */
  state_hash: string;
  nonce: string;
  code_verifier: string | null;
  created_at: Generated<Date>;
  expires_at: Date;
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
}

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

export interface RoadmapTable {
  id: Generated<string>;
  slug: string;
  title: string;
  territory_level: string;
  territory_code: string;
  academy_code: string | null;
  period_from: string;
  period_to: string;
  status: Generated<"draft" | "published">;
  template_id: string | null;
  /** The whole tree, validated by the roadmap template schema (src/contracts/roadmaps.ts). */
  document: unknown;
  version: Generated<number>;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface RoadmapCheckpointTable {
  id: Generated<string>;
  roadmap_id: string;
  /** `date` column: read back as a Date by pg and PGlite, written as `YYYY-MM-DD`. */
  date: Date | string;
  title: string;
  comment: string | null;
  /** The values frozen at the checkpoint, objective by objective. */
  values: unknown;
  created_by: string | null;
  created_at: Generated<Date>;
}
