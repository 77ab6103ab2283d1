import type { Command } from "commander";
import type { FastifyInstance } from "fastify";
import type { Kysely } from "kysely";
import type { CliContext, Database, JobRunner, UploadStore } from "../platform/index.ts";
import { registerImportCommands as registerProfileCommands } from "./framework/commands.ts";
import { registerImportCommitJob } from "./framework/commit-job.ts";
import { registerImportRoutes } from "./framework/routes.ts";
import type { ProfileResolver } from "./framework/types.ts";
import { genericProfile, registerMappingRoutes } from "./mappings/index.ts";
import { PROFILES } from "./profiles/index.ts";
import { registerUsageApiRoutes } from "./usage-api/index.ts";

/**
 * Door of the imports module (issue 10, docs/imports.md): the files of national services (Pix
 * Orga, Pix certification, ENT and GAR statistics, open data) and any CSV or XLSX, read by a
 * profile, dry-run first, committed as a job in one import batch, rolled back as a whole. The
 * framework (reader, header matching, runner, commit, routes, CLI) is in `framework/`, the
 * profiles in `profiles/` (registry: `profiles/index.ts`). Other modules, app.ts and the CLI
 * import this module through this file only (docs/architecture.md).
 */

export {
  type ApplyOptions,
  type ApplyReport,
  applyValues,
  findCommittedFile,
  findSchool,
  REPORT_LIST_CAP,
  type ResolvedSchool,
} from "./framework/apply.ts";
export {
  type ImportBatchSummary,
  type ImportRollbackReport,
  listImportBatches,
  rollbackImport,
} from "./framework/batches.ts";
export { cleanCell, isMissing, numberCell, percentCell, yesNoCell } from "./framework/cells.ts";
export {
  IMPORT_COMMIT_JOB,
  type ImportCommitPayload,
  type ImportCommitResult,
} from "./framework/commit-job.ts";
export { matchHeader, matchProfile, normalizeLabel } from "./framework/headers.ts";
export { FileRefusal, openTable } from "./framework/reader.ts";
export { formatImportFileReport, formatRollbackReport } from "./framework/report-text.ts";
export { commitFile, dryRun, type ImportReport, type RunOptions, readFileReport } from "./framework/run.ts";
export { IMPORT_PERMISSION, importAllowedSchool } from "./framework/scope.ts";
export type * from "./framework/types.ts";
export { PROFILES } from "./profiles/index.ts";
export { pixClassSummaries } from "./profiles/pix-classes.ts";
export type { PixProfilesClassSummary } from "./profiles/pix-profiles.ts";
/** `vigie usage token …` (the usage API's provider tokens). */
export { registerUsageCommands } from "./usage-api/index.ts";

/**
 * Profiles built at run time: `generic:<name>`, the generic profile of the saved mapping `name`.
 * A mapping removed since answers its French 404 (the upload or the commit says why).
 */
export function profileResolver(db: Kysely<Database>): ProfileResolver {
  return async (code) =>
    code.startsWith("generic:") ? genericProfile(db, code.slice("generic:".length)) : null;
}

export interface ImportDeps {
  db: Kysely<Database>;
  jobs: JobRunner;
  uploads: UploadStore;
}

/** The imports API (`/api/v1/imports…`) and the `imports.commit` job of the server's runner. */
export function register(app: FastifyInstance, deps: ImportDeps): void {
  const resolve = profileResolver(deps.db);
  registerImportCommitJob(deps.jobs, deps.db, { profiles: PROFILES, resolve, uploads: deps.uploads });
  registerImportRoutes(app, { ...deps, profiles: PROFILES, resolve });
  registerMappingRoutes(app, deps);
  registerUsageApiRoutes(app, deps.db);
}

/** The `imports.commit` job on a command's own runner (a command alone on its base: files by path). */
export function registerImportJobs(jobs: JobRunner, db: Kysely<Database>): void {
  registerImportCommitJob(jobs, db, { profiles: PROFILES, resolve: profileResolver(db), uploads: null });
}

/** `vigie import <profile> <file>` for every profile, `vigie import rollback <batch>`, `vigie import lots`. */
export function registerImportCommands(importCommand: Command, ctx: CliContext): void {
  registerProfileCommands(importCommand, ctx, PROFILES, profileResolver);
}

export { migrations } from "./migrations/index.ts";
/** Its tables (schema.ts, merged into platform's `Database`) and the migrations that create them. */
export type * from "./schema.ts";
