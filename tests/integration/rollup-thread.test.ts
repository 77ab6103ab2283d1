import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  attachRollupThread,
  processPendingRollups,
  rollupFull,
  stopRollupThread,
} from "../../src/server/indicators/engine.ts";
import { ROLLUP_JOB, registerRollupJob } from "../../src/server/indicators/rollup-job.ts";
import { ROLLUP_APPLICATION_NAME, RollupThread } from "../../src/server/indicators/rollup-thread.ts";
import { writeSchoolValues } from "../../src/server/indicators/store.ts";
import type { DatabaseHandle } from "../../src/server/platform/db.ts";
import { createJobRunner } from "../../src/server/platform/index.ts";
import { loadDemo } from "../../src/server/territories/demo/load.ts";
import { openTestApp } from "../helpers/app.ts";
import { openTestDatabase, testEngine } from "../helpers/db.ts";
import { eventually, FAST } from "../helpers/jobs.ts";

/**
 * The roll-up in its own thread (ADR 0010): on PostgreSQL the server's roll-ups compute in a
 * worker thread with its own pool; what it writes is what the server's thread writes; it ends with
 * the server; its failures are the job's, in French.
 */

/** Nothing listens on port 1: every statement of the thread fails to connect. */
const UNREACHABLE = "postgres://postgres@127.0.0.1:1/vigie_absente";

describe(`roll-up thread failures on ${testEngine}`, () => {
  it("rejects with a French message when the thread cannot reach the base, and serves the next run", async () => {
    const thread = new RollupThread({ databaseUrl: UNREACHABLE, poolSize: 1 });
    try {
      await expect(thread.run("pending")).rejects.toThrow(/^La consolidation a échoué : .*ECONNREFUSED/);
      await expect(thread.run("full")).rejects.toThrow(/^La consolidation a échoué : /);
    } finally {
      await thread.close();
    }
  });

  it("refuses a run whose signal is already aborted, with the reason in French", async () => {
    const thread = new RollupThread({ databaseUrl: UNREACHABLE, poolSize: 1 });
    const stop = new AbortController();
    stop.abort();
    await expect(thread.run("pending", { signal: stop.signal })).rejects.toThrow(
      /^Consolidation interrompue .* elle sera reprise\.$/,
    );
    await thread.close();
  });

  it("records the thread's failure as the roll-up job's error", async () => {
    const handle = await openTestDatabase();
    const jobs = createJobRunner(handle, FAST);
    try {
      registerRollupJob(jobs, handle.db, { databaseUrl: UNREACHABLE });
      await jobs.start();
      const id = await jobs.enqueue(ROLLUP_JOB, {});
      const job = await eventually(
        () => jobs.get(id),
        (j) => Boolean(j?.error),
        30_000,
      );
      expect(job?.error).toMatch(/^Le traitement a échoué : La consolidation a échoué : .*ECONNREFUSED/);
    } finally {
      await jobs.stop();
      await stopRollupThread(handle.db);
      await handle.close();
    }
  });
});

describe.skipIf(testEngine !== "postgres")("roll-up thread on PostgreSQL", () => {
  let t: Awaited<ReturnType<typeof openTestApp>>;
  let handle: DatabaseHandle;
  let appClosed = false;
  const period = "2031-2032";

  const threadConnections = async () =>
    (
      await sql<{ n: number }>`
        select count(*)::int as n from pg_stat_activity
        where datname = current_database() and application_name = ${ROLLUP_APPLICATION_NAME}`.execute(
        handle.db,
      )
    ).rows[0]?.n ?? 0;

  const aggregates = async () =>
    (
      await sql<Record<string, unknown>>`
        select academy_code, indicator_code, period, node_level, node_code, parent_key, grp,
          disaggregation, sum_num, sum_den, numerator, denominator, value, schools_reporting,
          schools_reporting_expected, schools_expected, largest, people, status
        from indicator_aggregate
        order by indicator_code, period, node_level, node_code, grp, disaggregation`.execute(handle.db)
    ).rows;

  beforeAll(async () => {
    t = await openTestApp();
    handle = t.handle;
    await loadDemo(handle.db, "tiny");
    const schools = await handle.db
      .selectFrom("school")
      .select(["id", "academy_code"])
      .where("status", "=", "open")
      .orderBy("id")
      .limit(40)
      .execute();
    await writeSchoolValues(
      handle.db,
      schools.flatMap((s, i) => [
        { schoolId: s.id, academyCode: s.academy_code, dataElement: "computers", period, value: 10 + i },
        {
          schoolId: s.id,
          academyCode: s.academy_code,
          dataElement: "pupils_enrolled",
          period,
          value: 100 + 3 * i,
        },
      ]),
      { source: "api" },
    );
  });
  afterAll(async () => {
    if (!appClosed) await t.app.close();
    await handle.close();
  });

  it("computes the pending roll-up in the thread, with its own connections", async () => {
    const report = await processPendingRollups(handle.db);
    expect(report?.rows).toBeGreaterThan(0);
    expect(await threadConnections()).toBeGreaterThan(0);
    const stored = await handle.db
      .selectFrom("indicator_aggregate")
      .select(["value", "schools_reporting"])
      .where("indicator_code", "=", "computers_per_100_pupils")
      .where("period", "=", period)
      .where("node_level", "=", "nation")
      .where("grp", "=", "")
      .where("disaggregation", "=", "")
      .executeTakeFirstOrThrow();
    expect(stored.schools_reporting).toBe(40);
    expect(stored.value).toBeGreaterThan(0);
  });

  it("writes what the server's thread writes, and ends with the server (its connections closed)", async () => {
    await rollupFull(handle.db);
    const inThread = await aggregates();
    expect(inThread.length).toBeGreaterThan(0);
    await t.app.close();
    appClosed = true;
    await eventually(threadConnections, (n) => n === 0, 10_000);
    // The thread is gone: the same rebuild now runs in this thread.
    await rollupFull(handle.db);
    expect(await aggregates()).toEqual(inThread);
  });

  it("starts a new thread after a stop, for the same database", async () => {
    attachRollupThread(handle.db, handle.databaseUrl as string, 1);
    try {
      // A request naming no element asks for everything (requestFullRefresh).
      await sql`insert into rollup_request (academy_code, data_element_codes, periods) values ('', '{}', '{}')`.execute(
        handle.db,
      );
      const report = await processPendingRollups(handle.db);
      expect(report?.rows).toBeGreaterThan(0);
      expect(await threadConnections()).toBeGreaterThan(0);
    } finally {
      await stopRollupThread(handle.db);
    }
  });
});
