import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { type DatabaseHandle, openDatabase } from "../../src/server/platform/db.ts";
import {
  createJobRunner,
  interruptedFailure,
  type Job,
  type JobRunner,
} from "../../src/server/platform/jobs/index.ts";
import { MIGRATIONS } from "../../src/server/schema.ts";
import { createServerTestDatabase } from "../helpers/db.ts";
import { PROBE_ROWS, registerProbeJob } from "../helpers/job-probe.ts";
import { eventually } from "../helpers/jobs.ts";

/**
 * kill -9 in the middle of a job: a child process runs a long job (rows written in one
 * transaction) on a PGlite data directory or a PostgreSQL database and is killed with SIGKILL;
 * a new runner on the same data ends the job done (re-run) or failed with its reason (no attempt
 * left), and the job's table holds all of its rows or none, never part of them.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const serverUrl = process.env.TEST_DATABASE_URL;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Place {
  dataDir: string;
  databaseUrl: string | undefined;
}

async function place(): Promise<Place> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigie-jobs-kill-"));
  cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
  if (!serverUrl) return { dataDir: dir, databaseUrl: undefined };
  const server = await createServerTestDatabase(serverUrl);
  cleanups.push(() => server.drop());
  return { dataDir: dir, databaseUrl: server.url };
}

/** Starts the child, waits until its job wrote `rows` rows (uncommitted), kills it with SIGKILL. */
async function killMidJob(where: Place, maxAttempts: number, rows: number): Promise<string> {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "tests/helpers/job-child.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      VIGIE_DATA_DIR: where.dataDir,
      DATABASE_URL: where.databaseUrl ?? "",
      JOB_MAX_ATTEMPTS: String(maxAttempts),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += String(chunk);
  });
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.on("exit", (_code, signal) => resolve(signal)),
  );
  const jobId = await new Promise<string>((resolve, reject) => {
    let out = "";
    let id: string | undefined;
    const timer = setTimeout(() => reject(new Error(`l'enfant n'a pas avancé : ${out} ${stderr}`)), 60_000);
    child.stdout?.on("data", (chunk) => {
      out += String(chunk);
      id ??= /job (\d+)/.exec(out)?.[1];
      if (id && out.includes(`row ${rows}\n`)) {
        clearTimeout(timer);
        resolve(id);
      }
    });
    child.on("exit", () => reject(new Error(`l'enfant s'est arrêté seul : ${out} ${stderr}`)));
  });
  child.kill("SIGKILL");
  expect(await exited).toBe("SIGKILL");
  return jobId;
}

async function reopen(where: Place): Promise<{ handle: DatabaseHandle; runner: JobRunner }> {
  const handle = await openDatabase(
    { dataDir: where.dataDir, databaseUrl: where.databaseUrl },
    { migrations: MIGRATIONS },
  );
  const runner = createJobRunner(handle, {
    pollMs: 500,
    heartbeatMs: 100,
    leaseMs: 1_000,
  });
  registerProbeJob(runner, handle.db, { delayMs: 0 });
  cleanups.push(async () => {
    await runner.stop({ timeoutMs: 1_000 });
    await handle.close();
  });
  return { handle, runner };
}

async function probeCount(handle: DatabaseHandle): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from job_probe`.execute(handle.db);
  return rows[0]?.n ?? -1;
}

describe(`kill -9 during a job (${serverUrl ? "PostgreSQL, pg-boss" : "PGlite, table runner"})`, () => {
  it("re-runs the job after the restart: all its rows, once", async () => {
    const where = await place();
    const jobId = await killMidJob(where, 3, 5);
    const { handle, runner } = await reopen(where);
    // Nothing of the killed transaction is left; the job is still marked running by the dead process.
    expect(await probeCount(handle)).toBe(0);
    expect((await runner.get(jobId))?.state).toBe("running");
    await runner.start();
    const done = await eventually(
      async () => (await runner.get(jobId)) as Job,
      (j) => j.state === "done" || j.state === "failed",
      30_000,
    );
    expect(done).toMatchObject({ state: "done", attempts: 2, result: { written: PROBE_ROWS } });
    expect(await probeCount(handle)).toBe(PROBE_ROWS);
  });

  it("fails the job with its reason when no attempt is left: none of its rows", async () => {
    const where = await place();
    const jobId = await killMidJob(where, 1, 5);
    const { handle, runner } = await reopen(where);
    await runner.start();
    const failed = await eventually(
      async () => (await runner.get(jobId)) as Job,
      (j) => j.state !== "running" && j.state !== "queued",
      30_000,
    );
    expect(failed).toMatchObject({ state: "failed", attempts: 1, error: interruptedFailure(1, 1) });
    expect(await probeCount(handle)).toBe(0);
  });
});
