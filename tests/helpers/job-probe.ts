import { type Kysely, sql } from "kysely";
import type { AnyKysely, JobRunner } from "../../src/server/platform/jobs/index.ts";

export const PROBE_ROWS = 20;

/**
 * The job of the kill -9 test: writes the rows 1…20 of `job_probe` in one transaction, so that the
 * table holds either none of them or all of them, whatever happens to the process.
 */
export function registerProbeJob(
  runner: JobRunner,
  db: AnyKysely,
  options: { delayMs: number; onRow?: (n: number) => void },
): void {
  runner.register("test.probe-write", async ({ reportProgress }) => {
    await (db as Kysely<unknown>).transaction().execute(async (trx) => {
      for (let n = 1; n <= PROBE_ROWS; n++) {
        await sql`insert into job_probe (n) values (${n})`.execute(trx);
        reportProgress(n, PROBE_ROWS, "Écriture des lignes");
        options.onRow?.(n);
        if (options.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
      }
    });
    return { written: PROBE_ROWS };
  });
}
