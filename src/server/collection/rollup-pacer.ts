import { ROLLUP_JOB } from "../indicators/index.ts";
import type { JobRunner } from "../platform/index.ts";

/**
 * The roll-up after submissions, paced. Each submission that feeds the observatory records its
 * roll-up request with its values (in its transaction, so nothing is lost); one roll-up merges
 * every pending request. Enqueuing one per submission made 500 schools submitting within a
 * minute run roll-ups back to back in the server's process, and the submissions waited behind
 * them (p95 3.8 s). Here the first submission schedules a roll-up `delayMs` later and the next
 * ones within that delay join it: the dashboards still follow within seconds.
 */
export function rollupPacer(jobs: JobRunner, delayMs = 2_000): () => void {
  let timer: NodeJS.Timeout | null = null;
  return () => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      // A failure to enqueue leaves the requests pending: the next submission or roll-up takes them.
      jobs.enqueue(ROLLUP_JOB, {}).catch(() => undefined);
    }, delayMs);
    // A server stopping does not wait for it: the requests stay in the table for the next roll-up.
    timer.unref();
  };
}
