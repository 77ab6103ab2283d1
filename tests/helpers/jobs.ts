import type { InjectOptions, LightMyRequestResponse } from "fastify";
import type { Kysely } from "kysely";
import { type DatabaseHandle, openDatabase } from "../../src/server/platform/db.ts";
import { createJobRunner, type JobRunner, type RunnerTiming } from "../../src/server/platform/jobs/index.ts";
import { MIGRATIONS } from "../../src/server/schema.ts";
import { createServerTestDatabase } from "./db.ts";

/**
 * A migrated database for the job runner's tests, on the engine chosen by TEST_DATABASE_URL, with
 * its URL (pg-boss opens its own pool on it). Runners made by `runner()` are stopped by `close()`.
 */
export interface JobTestDatabase {
  handle: DatabaseHandle;
  db: Kysely<unknown>;
  databaseUrl: string | undefined;
  /** The runner engines this database can run: the table runner everywhere, pg-boss on PostgreSQL. */
  kinds: readonly ("table" | "pg-boss")[];
  runner(kind: "table" | "pg-boss", timing?: RunnerTiming): JobRunner;
  close(): Promise<void>;
}

/** Short timings so that retries, heartbeats and recovery happen within a test. */
export const FAST: RunnerTiming = { pollMs: 50, heartbeatMs: 100, leaseMs: 1_000 };

export async function openJobTestDatabase(): Promise<JobTestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  const server = serverUrl ? await createServerTestDatabase(serverUrl) : undefined;
  const handle = await openDatabase(
    { dataDir: ":memory:", databaseUrl: server?.url },
    { migrations: MIGRATIONS },
  );
  const runners: JobRunner[] = [];
  return {
    handle,
    db: handle.db as unknown as Kysely<unknown>,
    databaseUrl: server?.url,
    kinds: server ? ["pg-boss", "table"] : ["table"],
    runner(kind, timing = FAST) {
      const runner = createJobRunner(handle, {
        ...timing,
        runner: kind,
        // pg-boss's polling is at least 500 ms.
        ...(kind === "pg-boss" ? { pollMs: Math.max(500, timing.pollMs ?? 500) } : {}),
      });
      runners.push(runner);
      return runner;
    },
    async close() {
      for (const runner of runners) await runner.stop({ timeoutMs: 1_000 });
      await handle.close();
      await server?.drop();
    },
  };
}

/** Polls until `check` holds (or fails after `timeoutMs`). */
export async function eventually<T>(
  read: () => Promise<T>,
  check: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`condition non atteinte : ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Anything that sends requests to the app as a signed-in user (`signIn`'s clients). */
interface RequestClient {
  request(options: InjectOptions): Promise<LightMyRequestResponse>;
}

/**
 * Polls `GET /api/v1/jobs/{id}` as this client until the job ends; returns its answer when done,
 * throws with its French error when it failed or was cancelled.
 */
// biome-ignore lint/suspicious/noExplicitAny: a job's result is the type's own JSON, read by each test
export async function waitForJobDone(client: RequestClient, jobId: string, timeoutMs = 30_000): Promise<any> {
  const start = Date.now();
  for (;;) {
    const res = await client.request({ method: "GET", url: `/api/v1/jobs/${jobId}` });
    if (res.statusCode !== 200) throw new Error(`GET /api/v1/jobs/${jobId} : ${res.statusCode} ${res.body}`);
    const job = res.json() as { state: string; error: string | null };
    if (job.state === "done") return job;
    if (job.state === "failed" || job.state === "cancelled")
      throw new Error(`traitement ${jobId} ${job.state} : ${job.error}`);
    if (Date.now() - start > timeoutMs) throw new Error(`traitement ${jobId} toujours ${job.state}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
