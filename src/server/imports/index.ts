import type { Command } from "commander";
import type { FastifyInstance } from "fastify";
import type { Kysely } from "kysely";
import type { CliContext, Database, JobRunner, UploadStore } from "../platform/index.ts";

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
  REPORT_LIST_CAP,
  type ResolvedSchool,
} from "./framework/apply.ts";
export type * from "./framework/types.ts";
export { PROFILES } from "./profiles/index.ts";

export interface ImportDeps {
  db: Kysely<Database>;
  jobs: JobRunner;
  uploads: UploadStore;
}

/** The imports API (`/api/v1/imports…`). */
export function register(_app: FastifyInstance, _deps: ImportDeps): void {}

/** `vigie import <profile> <file>` for every profile, and `vigie import rollback <batch>`. */
export function registerImportCommands(_importCommand: Command, _ctx: CliContext): void {}

export { migrations } from "./migrations/index.ts";
/** Its tables (schema.ts, merged into platform's `Database`) and the migrations that create them. */
export type * from "./schema.ts";
