import type { Kysely } from "kysely";
import type { Database, JobRunner } from "../platform/index.ts";
import { attachRollupThread, processPendingRollups, type RefreshReport, rollupFull } from "./engine.ts";

/** The job type that runs the pending roll-up requests (`rollup_request`, ADR 0006). */
export const ROLLUP_JOB = "indicators.rollup";

/** `{}`: the pending requests; `{ full: true }`: everything again from the values (a repair). */
export interface RollupPayload {
  full?: boolean;
}

/**
 * Registers the roll-up of pending requests as a job. Several may be queued (one per write that
 * asked for it): the first merges every pending request, the next ones find nothing to do
 * (`null`) — cheaper than a missed request. A failure is retried: the requests stay pending
 * until a refresh succeeds. The full rebuild is a job too: stopped half-way (its aggregates
 * deleted, not all computed again), it is taken up again after a restart instead of left so.
 *
 * With `databaseUrl` (a PostgreSQL server: the server passes it), the computation runs in a
 * worker thread with its own pool (ADR 0010), so that HTTP requests do not wait behind its
 * JavaScript; the job still runs here, in the one runner, and awaits the thread. A failure or a
 * stop in the thread is the job's failure, with its French message. Without it (PGlite, the
 * CLI), the roll-up runs in this thread.
 */
export function registerRollupJob(
  jobs: JobRunner,
  db: Kysely<Database>,
  where: { databaseUrl?: string | undefined } = {},
): void {
  if (where.databaseUrl) attachRollupThread(db, where.databaseUrl);
  jobs.register<RollupPayload, RefreshReport | null>(
    ROLLUP_JOB,
    async ({ payload, reportProgress, signal }) => {
      const options = {
        onProgress: (done: number, total: number, label?: string) => reportProgress(done, total, label),
        signal,
      };
      return payload.full ? rollupFull(db, options) : processPendingRollups(db, options);
    },
    { maxAttempts: 5, backoffMs: 5_000 },
  );
}
