import type { Kysely } from "kysely";
import type { Database, JobRunner } from "../platform/index.ts";
import { processPendingRollups, type RefreshReport } from "./engine.ts";

/** The job type that runs the pending roll-up requests (`rollup_request`, ADR 0006). */
export const ROLLUP_JOB = "indicators.rollup";

/**
 * Registers the roll-up of pending requests as a job. Several may be queued (one per write that
 * asked for it): the first merges every pending request, the next ones find nothing to do
 * (`null`) — cheaper than a missed request. A failure is retried: the requests stay pending
 * until a refresh succeeds.
 */
export function registerRollupJob(jobs: JobRunner, db: Kysely<Database>): void {
  jobs.register<Record<string, never>, RefreshReport | null>(
    ROLLUP_JOB,
    async ({ reportProgress }) =>
      processPendingRollups(db, { onProgress: (done, total, label) => reportProgress(done, total, label) }),
    { maxAttempts: 5, backoffMs: 5_000 },
  );
}
