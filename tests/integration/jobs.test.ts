import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DuplicateJobError,
  INTERRUPTED_RETRY,
  interruptedFailure,
  type Job,
  type JobProgress,
  PermanentJobError,
  runJobAndWait,
  waitForJob,
} from "../../src/server/platform/jobs/index.ts";
import { testEngine } from "../helpers/db.ts";
import { eventually, type JobTestDatabase, openJobTestDatabase } from "../helpers/jobs.ts";

/**
 * The job runner's contract (docs/jobs.md), run on every runner the engine offers: the
 * table-backed runner (PGlite and PostgreSQL) and pg-boss (PostgreSQL). The same assertions hold
 * on each: that is the proof the interface is one.
 */

let t: JobTestDatabase;
beforeAll(async () => {
  t = await openJobTestDatabase();
});
afterAll(async () => {
  await t?.close();
});

const kinds = testEngine === "postgres" ? (["pg-boss", "table"] as const) : (["table"] as const);
let serial = 0;
const uniqueType = (name: string) => `test.${name}.${++serial}`;
const read = (runner: { get(id: string): Promise<Job | null> }, id: string) => async () =>
  (await runner.get(id)) as Job;

describe.each(kinds)("job runner (%s)", (kind) => {
  it("runs a job: progress while it runs, then its result", async () => {
    const runner = t.runner(kind);
    const type = uniqueType("progress");
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    runner.register<{ n: number }, { doubled: number }>(type, async ({ payload, reportProgress }) => {
      reportProgress(1, 3, "Première étape");
      await gate;
      reportProgress(3, 3, "Fini");
      return { doubled: payload.n * 2 };
    });
    await runner.start();
    const id = await runner.enqueue(type, { n: 21 }, { scope: { node: "academy:04" } });
    const running = await eventually(read(runner, id), (j) => j.progress?.done === 1);
    expect(running).toMatchObject({
      state: "running",
      type,
      payload: { n: 21 },
      attempts: 1,
      progress: { done: 1, total: 3, message: "Première étape" },
      scope: { userId: null, node: "academy:04" },
    });
    expect(running.startedAt).toBeInstanceOf(Date);
    release();
    const done = await eventually(read(runner, id), (j) => j.state === "done");
    expect(done).toMatchObject({ result: { doubled: 42 }, error: null, progress: { done: 3, total: 3 } });
    expect(done.finishedAt).toBeInstanceOf(Date);
    if (kind === "pg-boss") {
      // The delivery really went through pg-boss, which completed it.
      const { rows } = await sql<{ state: string }>`select b.state from job j
        join pgboss.job b on b.id::text = j.queue_ref where j.id = ${id}`.execute(t.db);
      expect(rows).toEqual([{ state: "completed" }]);
    }

    const seen: JobProgress[] = [];
    const slowType = uniqueType("wait");
    const other = t.runner(kind);
    other.register(slowType, async ({ reportProgress }) => {
      for (let i = 1; i <= 3; i++) {
        reportProgress(i, 3, `Étape ${i}`);
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      return "ok";
    });
    await other.start();
    const result = await runJobAndWait(other, slowType, {}, { onProgress: (p) => seen.push(p), pollMs: 50 });
    expect(result).toBe("ok");
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.at(-1)).toEqual({ done: 3, total: 3, message: "Étape 3" });
  });

  it("retries a transient failure with back-off, then succeeds", async () => {
    const runner = t.runner(kind);
    const type = uniqueType("transient");
    const runs: number[] = [];
    runner.register(
      type,
      async ({ attempt }) => {
        runs.push(Date.now());
        if (attempt < 3) throw new Error(`serveur occupé (essai ${attempt})`);
        return { attempt };
      },
      { maxAttempts: 3, backoffMs: 1_000 },
    );
    await runner.start();
    const id = await runner.enqueue(type, {});
    const failedOnce = await eventually(read(runner, id), (j) => j.attempts >= 1 && j.state === "queued");
    expect(failedOnce.error).toBe("Le traitement a échoué : serveur occupé (essai 1)");
    const done = await eventually(read(runner, id), (j) => j.state === "done", 30_000);
    expect(done).toMatchObject({ attempts: 3, result: { attempt: 3 }, error: null });
    expect(runs).toHaveLength(3);
    // Back-off: at least 1 s, then at least 2 s (doubled), between the runs.
    const [a, b, c] = runs as [number, number, number];
    expect(b - a).toBeGreaterThanOrEqual(950);
    expect(c - b).toBeGreaterThanOrEqual(1_900);
  });

  it("fails with the last error once the attempts are spent", async () => {
    const runner = t.runner(kind);
    const type = uniqueType("exhausted");
    let runs = 0;
    runner.register(
      type,
      async () => {
        runs++;
        throw new Error("connexion perdue");
      },
      { maxAttempts: 2, backoffMs: 1_000 },
    );
    await runner.start();
    const id = await runner.enqueue(type, {});
    const failed = await eventually(read(runner, id), (j) => j.state === "failed", 30_000);
    expect(failed).toMatchObject({ attempts: 2, error: "Le traitement a échoué : connexion perdue" });
    expect(runs).toBe(2);
  });

  it("does not retry a permanent failure", async () => {
    const runner = t.runner(kind);
    const type = uniqueType("permanent");
    let runs = 0;
    runner.register(
      type,
      async () => {
        runs++;
        throw new PermanentJobError("Le fichier importé est introuvable : renvoyez-le.");
      },
      { maxAttempts: 5, backoffMs: 1_000 },
    );
    await runner.start();
    const id = await runner.enqueue(type, {});
    await expect(waitForJob(runner, id, { pollMs: 50 })).rejects.toThrow(
      "Le fichier importé est introuvable : renvoyez-le.",
    );
    const failed = (await runner.get(id)) as Job;
    expect(failed).toMatchObject({ state: "failed", attempts: 1 });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(runs).toBe(1);
  });

  it("cancels a queued job and a running one", async () => {
    const runner = t.runner(kind);
    const type = uniqueType("cancel");
    let started = 0;
    runner.register(type, async ({ signal, reportProgress }) => {
      started++;
      for (let i = 0; !signal.aborted; i++) {
        reportProgress(i, 1000, "Travail en cours");
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw signal.reason;
    });
    // Queued (no worker yet): cancelled at once, never run.
    const queued = await runner.enqueue(type, {});
    expect(await runner.cancel(queued)).toMatchObject({
      state: "cancelled",
      error: "Traitement annulé avant son démarrage.",
    });
    await runner.start();
    const running = await runner.enqueue(type, {});
    await eventually(read(runner, running), (j) => j.state === "running");
    await runner.cancel(running);
    const cancelled = await eventually(read(runner, running), (j) => j.state === "cancelled");
    expect(cancelled).toMatchObject({ error: "Traitement annulé à la demande.", attempts: 1 });
    expect(started).toBe(1);
    expect((await runner.get(queued))?.state).toBe("cancelled");
    expect(await runner.cancel("999999999")).toBeNull();
    expect(await runner.get("pas-un-nombre")).toBeNull();
  });

  it("keeps one unfinished job per dedupe key", async () => {
    const runner = t.runner(kind);
    const type = uniqueType("dedupe");
    runner.register(type, async () => "fait");
    const first = await runner.enqueue(type, {}, { dedupeKey: "import-1" });
    const refused = await runner.enqueue(type, {}, { dedupeKey: "import-1" }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DuplicateJobError);
    expect((refused as DuplicateJobError).activeJobId).toBe(first);
    expect(await runner.enqueue(type, {}, { dedupeKey: "import-2" })).not.toBe(first);
    await runner.cancel(first);
    // Once the first has ended, the key is free again.
    expect(await runner.enqueue(type, {}, { dedupeKey: "import-1" })).not.toBe(first);
  });

  it("after a restart, re-queues the jobs a dead process left running, or fails them with a reason", async () => {
    const type = uniqueType("restart");
    // A first runner enqueues; the process then « dies »: its jobs stay running, heartbeat stale.
    const first = t.runner(kind);
    first.register(type, async () => "jamais");
    const resumable = await first.enqueue(type, { n: 1 }, { maxAttempts: 3 });
    const spent = await first.enqueue(type, { n: 2 }, { maxAttempts: 1 });
    await sql`update job set state = 'running', attempts = 1, worker_id = 'processus-mort',
      started_at = now() - interval '1 hour', heartbeat_at = now() - interval '1 hour'
      where id in (${resumable}, ${spent})`.execute(t.db);

    const second = t.runner(kind);
    const runs: number[] = [];
    second.register<{ n: number }, string>(type, async ({ payload, attempt }) => {
      runs.push(payload.n);
      return `repris (essai ${attempt})`;
    });
    await second.start();
    const done = await eventually(read(second, resumable), (j) => j.state === "done");
    expect(done).toMatchObject({ attempts: 2, result: "repris (essai 2)", error: null });
    const failed = (await second.get(spent)) as Job;
    expect(failed).toMatchObject({ state: "failed", attempts: 1, error: interruptedFailure(1, 1) });
    expect(failed.finishedAt).toBeInstanceOf(Date);
    expect(runs).toEqual([1]);
    expect(INTERRUPTED_RETRY).toMatch(/arrêt inattendu/);
  });
});
