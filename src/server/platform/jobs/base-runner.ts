import { randomUUID } from "node:crypto";
import os from "node:os";
import type { Kysely } from "kysely";
import { DEFAULT_BACKOFF_MS, DEFAULT_MAX_ATTEMPTS, type LiveJob, type Registered } from "./execute.ts";
import {
  type AnyKysely,
  findJob,
  insertJob,
  type JobDatabase,
  type JobRow,
  jobDb,
  requestCancel,
  toJob,
} from "./store.ts";
import type {
  EnqueueOptions,
  Job,
  JobHandler,
  JobRunner,
  JobTypeOptions,
  Json,
  RunnerTiming,
} from "./types.ts";

export interface ResolvedTiming {
  pollMs: number;
  heartbeatMs: number;
  leaseMs: number;
  concurrency: number;
}

export function resolveTiming(timing: RunnerTiming = {}): ResolvedTiming {
  return {
    pollMs: timing.pollMs ?? 1_000,
    heartbeatMs: timing.heartbeatMs ?? 5_000,
    leaseMs: timing.leaseMs ?? 60_000,
    concurrency: timing.concurrency ?? 1,
  };
}

/** What both engines share: the job table, the handlers, the jobs running in this process. */
export abstract class BaseRunner implements JobRunner {
  abstract readonly engine: "table" | "pg-boss";
  protected readonly db: Kysely<JobDatabase>;
  protected readonly handlers = new Map<string, Registered>();
  protected readonly live = new Map<string, LiveJob>();
  protected readonly workerId = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  protected readonly timing: ResolvedTiming;
  protected stopping = new AbortController();
  protected started = false;

  constructor(db: AnyKysely, timing?: RunnerTiming) {
    this.db = jobDb(db);
    this.timing = resolveTiming(timing);
  }

  register<P, R>(type: string, handler: JobHandler<P, R>, options: JobTypeOptions = {}): void {
    if (this.handlers.has(type)) throw new Error(`Type de traitement déjà déclaré : ${type}`);
    if (this.started)
      throw new Error(`Déclarez le type ${type} avant de démarrer le gestionnaire de traitements`);
    this.handlers.set(type, {
      handler: handler as JobHandler<unknown, unknown>,
      options: {
        maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
        backoffMs: options.backoffMs ?? DEFAULT_BACKOFF_MS,
        lane: options.lane ?? "main",
      },
    });
  }

  protected async insert(type: string, payload: Json | object, options: EnqueueOptions): Promise<JobRow> {
    const maxAttempts =
      options.maxAttempts ?? this.handlers.get(type)?.options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    return insertJob(this.db, {
      type,
      payload,
      maxAttempts,
      userId: options.scope?.userId ?? null,
      node: options.scope?.node ?? null,
      dedupeKey: options.dedupeKey ?? null,
    });
  }

  abstract enqueue(type: string, payload: Json | object, options?: EnqueueOptions): Promise<string>;

  async get(id: string): Promise<Job | null> {
    const running = this.live.get(id);
    const row = await findJob(this.db, id);
    if (!row) return null;
    const job = toJob(row);
    // Fresher than the row: the progress of a job of this process is written in the background.
    if (running?.progress && job.state === "running") job.progress = running.progress;
    return job;
  }

  async cancel(id: string): Promise<Job | null> {
    const row = await requestCancel(this.db, id);
    if (!row) return null;
    const running = this.live.get(id);
    if (running && row.cancel_requested && !running.cancelled) {
      running.cancelled = true;
      running.controller.abort(new Error("Traitement annulé"));
    }
    await this.afterCancel(row);
    return toJob(row);
  }

  protected async afterCancel(_row: JobRow): Promise<void> {}

  abstract start(): Promise<void>;
  abstract stop(options?: { timeoutMs?: number }): Promise<void>;

  protected registered(type: string): Registered {
    const registered = this.handlers.get(type);
    if (!registered) throw new Error(`Aucun gestionnaire pour le type de traitement ${type}`);
    return registered;
  }
}
