import type { Generated } from "kysely";
import type { JobTable } from "./jobs/store.ts";
import type { UploadTable } from "./uploads/store.ts";

/**
 * Platform's tables, those its own files write: the audit log (`audit.ts`), the settings
 * (`settings.ts`), the jobs (`jobs/`) and the uploads (`uploads/`). Each other module declares its tables in its own
 * `schema.ts`, which adds them to this interface by declaration merging
 * (`declare module "../platform/index.ts" { interface Database { … } }`), so that
 * `Kysely<Database>` knows every table while platform imports no module. Each module's
 * migrations are the source of truth for its tables (docs/architecture.md, « Schéma »).
 */
export interface Database {
  audit_event: AuditEventTable;
  app_setting: AppSettingTable;
  job: JobTable;
  upload: UploadTable;
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
