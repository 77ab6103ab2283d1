import { CompiledQuery, type Kysely } from "kysely";
import PgBoss from "pg-boss";
import { BaseRunner } from "./base-runner.ts";
import { executeJob } from "./execute.ts";
import {
  type AnyKysely,
  claimJob,
  type JobRow,
  recoverAbandoned,
  setQueueRef,
  unsentQueued,
} from "./store.ts";
import type { EnqueueOptions, Json, RunnerTiming } from "./types.ts";

/** pg-boss keeps its own tables in this schema of the same database. */
export const PGBOSS_SCHEMA = "pgboss";
/** pg-boss caps a job's run time under 24 h; the heartbeat, not this, detects dead processes. */
const EXPIRE_SECONDS = 23 * 3600;

interface Delivery {
  jobId: string;
}

/** pg-boss queue names accept letters, digits, `_` and `-` only (`annuaire.commit` → `vigie_annuaire_commit`). */
export function queueName(type: string): string {
  return `vigie_${type.replace(/[^A-Za-z0-9_-]/g, "_")}`;
}

/**
 * The runner on a PostgreSQL server: pg-boss queues the deliveries, locks them (one worker per
 * job, across processes) and schedules the retries with its exponential back-off; Vigie's `job`
 * table keeps what pg-boss cannot (progress, result, French error, scope) and is what `get` reads.
 * A delivery only runs a job still queued under that delivery's id, so a late or duplicate
 * delivery is a no-op.
 */
export class PgBossJobRunner extends BaseRunner {
  readonly engine = "pg-boss" as const;
  private readonly boss: PgBoss;
  private bossStarted: Promise<void> | undefined;
  private readonly queues = new Set<string>();
  private sweeper: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> = Promise.resolve();
  private readonly onError: (error: unknown) => void;

  constructor(db: AnyKysely, options: RunnerTiming & { onError?: (error: unknown) => void } = {}) {
    super(db, options);
    this.onError = options.onError ?? ((error) => process.stderr.write(`pg-boss : ${String(error)}\n`));
    // pg-boss runs its SQL through Vigie's own pool (no second pool, no URL to pass around). Its
    // multi-statement scripts are sent without parameters, which node-postgres runs as one
    // simple query; pg-boss only reads `rows` of the answers.
    const kysely = db as Kysely<unknown>;
    this.boss = new PgBoss({
      db: {
        executeSql: async (text: string, values?: unknown[]) => {
          const result = await kysely.executeQuery(CompiledQuery.raw(text, values ?? []));
          return { rows: result.rows };
        },
      },
      schema: PGBOSS_SCHEMA,
      // Vigie's sweep recovers dead processes; pg-boss's maintenance still expires and archives.
      supervise: true,
      schedule: false,
    });
    this.boss.on("error", this.onError);
  }

  private ensureBoss(): Promise<void> {
    this.bossStarted ??= this.boss.start().then(() => undefined);
    return this.bossStarted;
  }

  private async ensureQueue(type: string): Promise<string> {
    const name = queueName(type);
    if (!this.queues.has(name)) {
      await this.ensureBoss();
      await this.boss.createQueue(name);
      this.queues.add(name);
    }
    return name;
  }

  /** Hands a queued row to pg-boss, with the attempts it has left as pg-boss retries. */
  private async send(row: JobRow): Promise<void> {
    const name = await this.ensureQueue(row.type);
    const backoffMs = this.handlers.get(row.type)?.options.backoffMs ?? 2_000;
    const delivery: Delivery = { jobId: String(row.id) };
    const ref = await this.boss.send(name, delivery, {
      retryLimit: Math.max(0, row.max_attempts - row.attempts - 1),
      retryDelay: Math.max(1, Math.round(backoffMs / 1000)),
      retryBackoff: true,
      expireInSeconds: EXPIRE_SECONDS,
    });
    if (!ref) throw new Error(`pg-boss n'a pas accepté le traitement ${String(row.id)}`);
    await setQueueRef(this.db, String(row.id), ref);
  }

  async enqueue(type: string, payload: Json | object, options: EnqueueOptions = {}): Promise<string> {
    const row = await this.insert(type, payload, options);
    await this.send(row);
    return String(row.id);
  }

  protected override async afterCancel(row: JobRow): Promise<void> {
    if (row.state === "cancelled" && row.queue_ref)
      await this.boss.cancel(queueName(row.type), row.queue_ref).catch(() => undefined);
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.stopping = new AbortController();
    await this.ensureBoss();
    await this.sweep();
    for (const type of this.handlers.keys()) {
      const name = await this.ensureQueue(type);
      for (let i = 0; i < this.timing.concurrency; i++) {
        await this.boss.work<Delivery>(
          name,
          { batchSize: 1, pollingIntervalSeconds: Math.max(0.5, this.timing.pollMs / 1000) },
          async ([delivery]) => {
            if (delivery) await this.deliver(type, delivery.id, delivery.data.jobId);
          },
        );
      }
    }
    this.sweeper = setInterval(() => {
      this.sweeping = this.sweeping.then(() => this.sweep().catch(this.onError));
    }, this.timing.leaseMs / 2);
    this.sweeper.unref();
  }

  private async deliver(type: string, queueRef: string, jobId: string): Promise<void> {
    const row = await claimJob(this.db, this.workerId, { id: jobId, queueRef });
    if (!row) return; // cancelled, recovered under a new delivery, or already done
    const finish = await executeJob(
      this.db,
      row,
      this.registered(type),
      this.workerId,
      this.timing,
      this.live,
      this.stopping.signal,
    );
    // A transient failure: pg-boss schedules the retry (same delivery id) with its back-off.
    if (finish?.state === "queued") throw new Error(finish.error);
  }

  /**
   * Jobs of dead processes (stale heartbeat) re-queued under a new delivery or failed, and queued
   * rows pg-boss does not hold (a crash between insert and send, a delivery that ended early).
   */
  private async sweep(): Promise<void> {
    const { requeued } = await recoverAbandoned(this.db, this.workerId, this.timing.leaseMs);
    for (const row of requeued) {
      if (row.queue_ref) await this.boss.cancel(queueName(row.type), row.queue_ref).catch(() => undefined);
      await this.send(row);
    }
    for (const row of await unsentQueued(this.db, 5_000)) await this.send(row);
    await this.resendOrphans();
  }

  private async resendOrphans(): Promise<void> {
    const rows = await this.db
      .selectFrom("job")
      .selectAll()
      .where("state", "=", "queued")
      .where("queue_ref", "is not", null)
      .where("run_after", "<", new Date(Date.now() - this.timing.leaseMs))
      .execute();
    for (const row of rows) {
      const held = await this.boss.getJobById(queueName(row.type), row.queue_ref as string).catch(() => null);
      if (!held || held.state === "completed" || held.state === "failed" || held.state === "cancelled")
        await this.send(row);
    }
  }

  async stop(options: { timeoutMs?: number } = {}): Promise<void> {
    if (!this.bossStarted) return;
    clearInterval(this.sweeper);
    await this.sweeping;
    const timeoutMs = options.timeoutMs ?? 10_000;
    // Running handlers get the grace period, then their signal aborts (they are given back).
    const abort = setTimeout(() => this.stopping.abort(), timeoutMs);
    await this.boss.stop({ graceful: true, wait: true, timeout: timeoutMs + 5_000 });
    clearTimeout(abort);
    this.started = false;
    this.bossStarted = undefined;
  }
}
