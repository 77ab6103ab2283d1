/**
 * A process that runs one long job and is killed in the middle (tests/integration/jobs-kill.test.ts).
 * Environment: VIGIE_DATA_DIR (PGlite) or DATABASE_URL (PostgreSQL); JOB_MAX_ATTEMPTS.
 * It enqueues a `test.probe-write` job, prints `job <id>`, then `row <n>` as the job writes, inside
 * one transaction, the rows 1…20 of `job_probe` (slowly, so that the parent can kill it).
 */
import { sql } from "kysely";
import { openDatabase } from "../../src/server/platform/db.ts";
import { createJobRunner } from "../../src/server/platform/jobs/index.ts";
import { MIGRATIONS } from "../../src/server/schema.ts";
import { registerProbeJob } from "./job-probe.ts";

const databaseUrl = process.env.DATABASE_URL || undefined;
const handle = await openDatabase(
  { dataDir: process.env.VIGIE_DATA_DIR ?? ":memory:", databaseUrl },
  { migrations: MIGRATIONS },
);
await sql`create table if not exists job_probe (n integer primary key)`.execute(handle.db);
const runner = createJobRunner(handle, { pollMs: 500, heartbeatMs: 100, leaseMs: 1_000 });
registerProbeJob(runner, handle.db, { delayMs: 150, onRow: (n) => process.stdout.write(`row ${n}\n`) });
await runner.start();
const id = await runner.enqueue(
  "test.probe-write",
  {},
  { maxAttempts: Number(process.env.JOB_MAX_ATTEMPTS ?? 3) },
);
process.stdout.write(`job ${id}\n`);
// Killed before the end: nothing else to do.
