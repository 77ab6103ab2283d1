import type { Generated } from "kysely";

/**
 * The imports tables (migration 0012), added to platform's `Database` by declaration merging
 * (see territories/schema.ts). Only this module's files read or write them.
 */
declare module "../platform/index.ts" {
  interface Database {
    import_file: ImportFileTable;
    usage_token: UsageTokenTable;
    usage_batch: UsageBatchTable;
    import_mapping: ImportMappingTable;
  }
}

export type ImportFileStatus = "dry-run" | "committed" | "rolled-back";

/**
 * One file (or API batch) given to a profile: its identity (profile, SHA-256, school), its
 * report and, once committed, the import batch its values point to. Never a cell of the file.
 */
export interface ImportFileTable {
  id: Generated<string>;
  profile: string;
  file_name: string;
  sha256: string;
  school_id: string | null;
  period: string | null;
  status: ImportFileStatus;
  /** The dry run's or the commit's report (counts, capped lists of rejections). */
  report: unknown;
  /** The profile's `ProfileResult.detail` (per-class summaries…), free of personal data. */
  detail: unknown;
  /** territories' `import_batch.id` once committed. */
  batch_id: string | null;
  /** The upload (platform's store) of a file sent from the web app. */
  upload_id: string | null;
  actor: string;
  created_at: Generated<Date>;
  committed_at: Date | null;
  rolled_back_at: Date | null;
}

/** A usage API token of a provider (migration 0014): only its SHA-256 is kept. */
export interface UsageTokenTable {
  id: Generated<string>;
  provider: string;
  token_hash: string;
  /** The territories whose schools the provider may send figures for (`formatScope`: `academy:04`, `nation:FR`). */
  territories: string[];
  created_by: string;
  created_at: Generated<Date>;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

/** A batch a provider sent: one per (provider, batch id), with its report, never its rows. */
export interface UsageBatchTable {
  id: Generated<string>;
  provider: string;
  batch_id: string;
  token_id: string;
  received_at: Generated<Date>;
  /** `receiving` while it is being written (a concurrent copy is then acknowledged), `received` after. */
  status: "receiving" | "received";
  report: unknown;
  import_batch_id: string | null;
}

/** A saved mapping profile of the generic import (migration 0016): `definition` is an `ImportMapping`. */
export interface ImportMappingTable {
  id: Generated<string>;
  name: string;
  definition: unknown;
  created_by: string;
  updated_by: string;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
