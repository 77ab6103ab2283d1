/**
 * Door of the persisted jobs (docs/jobs.md, ADR 0007): one `JobRunner` interface, a table-backed
 * runner on PGlite and pg-boss on a PostgreSQL server, the job route and the waiting helpers.
 */

import { PgBossJobRunner } from "./pgboss-runner.ts";
import type { AnyKysely } from "./store.ts";
import { TableJobRunner } from "./table-runner.ts";
import type { JobRunner, RunnerTiming } from "./types.ts";

export { backoffDelay, failureMessage } from "./execute.ts";
export { PGBOSS_SCHEMA, PgBossJobRunner, queueName } from "./pgboss-runner.ts";
export { jobToDto, registerJobRoutes } from "./routes.ts";
export {
  type AnyKysely,
  DuplicateJobError,
  INTERRUPTED_RETRY,
  interruptedFailure,
  type JobTable,
} from "./store.ts";
export { TableJobRunner } from "./table-runner.ts";
export {
  type EnqueueOptions,
  isPermanent,
  JOB_STATES,
  type Job,
  type JobContext,
  type JobHandler,
  type JobProgress,
  type JobRunner,
  type JobScope,
  type JobState,
  type JobTypeOptions,
  type Json,
  PermanentJobError,
  type RunnerTiming,
} from "./types.ts";
export { JobFailedError, runJobAndWait, type WaitOptions, waitForJob } from "./wait.ts";

export interface CreateJobRunnerOptions extends RunnerTiming {
  /** Forces an engine (tests run the table runner on PostgreSQL too). */
  runner?: "table" | "pg-boss";
  onError?: (error: unknown) => void;
}

/**
 * The runner for a database: pg-boss on a PostgreSQL server, the table-backed runner on PGlite
 * (whose data directory has one owner process: every job left « running » at start is abandoned).
 */
export function createJobRunner(
  handle: { db: AnyKysely; engine: "pglite" | "postgres" },
  options: CreateJobRunnerOptions = {},
): JobRunner {
  const kind = options.runner ?? (handle.engine === "postgres" ? "pg-boss" : "table");
  if (kind === "pg-boss") {
    if (handle.engine !== "postgres") throw new Error("pg-boss demande un serveur PostgreSQL");
    return new PgBossJobRunner(handle.db, options);
  }
  return new TableJobRunner(handle.db, { ...options, exclusiveOwner: handle.engine === "pglite" });
}
