import type { Migrations } from "../migrate.ts";
import * as jobs from "./0007-jobs.ts";
import * as uploads from "./0011-uploads.ts";

/**
 * Platform's own tables: `job` (0007, written by the runner), `upload` (0011, platform/uploads). `audit_event` and `app_setting`
 * are platform's too (written by `audit.ts` and `settings.ts`) but were created by identity's
 * 0003 before modules owned their schema; that migration stays where it was released.
 */
export const migrations: Migrations = {
  "0007-jobs": jobs,
  "0011-uploads": uploads,
};
