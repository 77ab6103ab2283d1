import { type Kysely, type Selectable, sql } from "kysely";
import type { Job, JobProgress, JobState } from "./types.ts";

/** The `job` table (migration 0007), owned by this folder. */
export interface JobTable {
  id: string;
  type: string;
  payload: unknown;
  state: JobState;
  progress_done: number | null;
  progress_total: number | null;
  progress_message: string | null;
  result: unknown;
  error: string | null;
  attempts: number;
  max_attempts: number;
  run_after: Date;
  owner_user_id: string | null;
  scope_node: string | null;
  worker_id: string | null;
  heartbeat_at: Date | null;
  cancel_requested: boolean;
  queue_ref: string | null;
  dedupe_key: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

export interface JobDatabase {
  job: JobTable;
}

export type JobRow = Selectable<JobTable>;

/** A Kysely instance on any schema that holds the `job` table (the caller's `Database`). */
// biome-ignore lint/suspicious/noExplicitAny: the caller's schema type is none of this folder's business
export type AnyKysely = Kysely<any>;

/** The runner only touches its own table, whatever the rest of the caller's schema. */
export function jobDb(db: AnyKysely): Kysely<JobDatabase> {
  return db as unknown as Kysely<JobDatabase>;
}

export function toJob(row: JobRow): Job {
  return {
    id: String(row.id),
    type: row.type,
    payload: row.payload,
    state: row.state,
    progress:
      row.progress_total === null
        ? null
        : { done: row.progress_done ?? 0, total: row.progress_total, message: row.progress_message },
    result: row.result ?? null,
    error: row.error,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    scope: {
      userId: row.owner_user_id === null ? null : String(row.owner_user_id),
      node: row.scope_node,
    },
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    runAfter: row.run_after,
  };
}

export async function insertJob(
  db: Kysely<JobDatabase>,
  values: {
    type: string;
    payload: unknown;
    maxAttempts: number;
    userId: string | null;
    node: string | null;
    dedupeKey: string | null;
  },
): Promise<JobRow> {
  try {
    return await db
      .insertInto("job")
      .values({
        type: values.type,
        payload: sql`${JSON.stringify(values.payload ?? null)}::jsonb`,
        max_attempts: values.maxAttempts,
        owner_user_id: values.userId,
        scope_node: values.node,
        dedupe_key: values.dedupeKey,
      } as never)
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (error) {
    if (values.dedupeKey !== null && (error as { code?: unknown }).code === "23505") {
      const active = await db
        .selectFrom("job")
        .select("id")
        .where("type", "=", values.type)
        .where("dedupe_key", "=", values.dedupeKey)
        .where("state", "in", ["queued", "running"])
        .executeTakeFirst();
      throw new DuplicateJobError(active ? String(active.id) : null);
    }
    throw error;
  }
}

/** `enqueue` with a `dedupeKey` that an unfinished job of the same type already holds. */
export class DuplicateJobError extends Error {
  /** The unfinished job holding the key (null if it ended meanwhile). */
  readonly activeJobId: string | null;
  constructor(activeJobId: string | null) {
    super("Ce traitement est déjà en attente ou en cours.");
    this.name = "DuplicateJobError";
    this.activeJobId = activeJobId;
  }
}

export async function findJob(db: Kysely<JobDatabase>, id: string): Promise<JobRow | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  return db.selectFrom("job").selectAll().where("id", "=", id).executeTakeFirst();
}

/**
 * Takes the next due queued job of one of `types` for `workerId` (SKIP LOCKED: two workers never
 * take the same job). `id`, when given, restricts to that job (the pg-boss delivery of it).
 */
export async function claimJob(
  db: Kysely<JobDatabase>,
  workerId: string,
  filter: { types: readonly string[] } | { id: string; queueRef: string },
): Promise<JobRow | undefined> {
  const pick =
    "types" in filter
      ? sql`select id from job where state = 'queued' and run_after <= now()
              and type in (${sql.join(filter.types.map((t) => sql`${t}`))})
            order by run_after, id limit 1 for update skip locked`
      : sql`select id from job where id = ${filter.id} and state = 'queued' and queue_ref = ${filter.queueRef}
            for update skip locked`;
  const { rows } = await sql<JobRow>`
    update job set state = 'running', attempts = attempts + 1, started_at = coalesce(started_at, now()),
      worker_id = ${workerId}, heartbeat_at = now(), finished_at = null
    where id = (${pick})
    returning *`.execute(db);
  return rows[0];
}

/** Renews the heartbeat of a job this worker runs; says whether someone asked to cancel it. */
export async function heartbeat(
  db: Kysely<JobDatabase>,
  id: string,
  workerId: string,
  progress: JobProgress | null,
): Promise<{ cancelRequested: boolean } | undefined> {
  const row = await db
    .updateTable("job")
    .set({
      heartbeat_at: sql`now()`,
      ...(progress
        ? { progress_done: progress.done, progress_total: progress.total, progress_message: progress.message }
        : {}),
    } as never)
    .where("id", "=", id)
    .where("worker_id", "=", workerId)
    .where("state", "=", "running")
    .returning("cancel_requested")
    .executeTakeFirst();
  return row ? { cancelRequested: row.cancel_requested } : undefined;
}

export type Finish =
  | { state: "done"; result: unknown }
  | { state: "failed" | "cancelled"; error: string }
  | { state: "queued"; error: string; delayMs: number };

/** Ends a run of this worker (or re-queues it after a transient failure). False when the job was taken from it. */
export async function finishRun(
  db: Kysely<JobDatabase>,
  id: string,
  workerId: string,
  finish: Finish,
  progress: JobProgress | null,
): Promise<boolean> {
  const progressSet = progress
    ? { progress_done: progress.done, progress_total: progress.total, progress_message: progress.message }
    : {};
  const set =
    finish.state === "done"
      ? {
          state: "done",
          result: sql`${JSON.stringify(finish.result ?? null)}::jsonb`,
          error: null,
          finished_at: sql`now()`,
        }
      : finish.state === "queued"
        ? {
            state: "queued",
            error: finish.error,
            run_after: sql`now() + ${`${Math.round(finish.delayMs)} milliseconds`}::interval`,
          }
        : { state: finish.state, error: finish.error, finished_at: sql`now()` };
  const res = await db
    .updateTable("job")
    .set({ ...progressSet, ...set, worker_id: null, heartbeat_at: null } as never)
    .where("id", "=", id)
    .where("worker_id", "=", workerId)
    .where("state", "=", "running")
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** Cancels a queued job at once; flags a running one. */
export async function requestCancel(db: Kysely<JobDatabase>, id: string): Promise<JobRow | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  const queued = await db
    .updateTable("job")
    .set({
      state: "cancelled",
      error: "Traitement annulé avant son démarrage.",
      finished_at: sql`now()`,
    } as never)
    .where("id", "=", id)
    .where("state", "=", "queued")
    .returningAll()
    .executeTakeFirst();
  if (queued) return queued;
  await db
    .updateTable("job")
    .set({ cancel_requested: true })
    .where("id", "=", id)
    .where("state", "=", "running")
    .execute();
  return findJob(db, id);
}

export const INTERRUPTED_RETRY = "Reprise après l'arrêt inattendu du processus qui exécutait ce traitement.";

export function interruptedFailure(attempts: number, max: number): string {
  return `Le traitement a été interrompu par l'arrêt inattendu du processus qui l'exécutait (tentative ${attempts} sur ${max}) : il n'est pas repris.`;
}

/**
 * Jobs left « running » by a dead process (heartbeat older than `staleMs`, another worker): each is
 * re-queued while attempts remain, otherwise failed with a French reason; a cancel asked meanwhile
 * wins. Returns the re-queued rows (pg-boss sends them again).
 */
export async function recoverAbandoned(
  db: Kysely<JobDatabase>,
  workerId: string,
  staleMs: number,
): Promise<{ requeued: JobRow[]; failed: JobRow[] }> {
  return db.transaction().execute(async (trx) => {
    const stale = await sql<JobRow>`
      select * from job where state = 'running' and worker_id is distinct from ${workerId}
        and (heartbeat_at is null or heartbeat_at < now() - ${`${Math.max(0, Math.round(staleMs))} milliseconds`}::interval)
      for update skip locked`.execute(trx);
    const requeued: JobRow[] = [];
    const failed: JobRow[] = [];
    for (const row of stale.rows) {
      const base = { worker_id: null, heartbeat_at: null };
      if (row.cancel_requested) {
        await trx
          .updateTable("job")
          .set({ ...base, state: "cancelled", error: "Traitement annulé.", finished_at: sql`now()` } as never)
          .where("id", "=", row.id)
          .execute();
      } else if (row.attempts < row.max_attempts) {
        const updated = await trx
          .updateTable("job")
          .set({ ...base, state: "queued", error: INTERRUPTED_RETRY, run_after: sql`now()` } as never)
          .where("id", "=", row.id)
          .returningAll()
          .executeTakeFirstOrThrow();
        requeued.push(updated);
      } else {
        const updated = await trx
          .updateTable("job")
          .set({
            ...base,
            state: "failed",
            error: interruptedFailure(row.attempts, row.max_attempts),
            finished_at: sql`now()`,
          } as never)
          .where("id", "=", row.id)
          .returningAll()
          .executeTakeFirstOrThrow();
        failed.push(updated);
      }
    }
    return { requeued, failed };
  });
}

export async function setQueueRef(db: Kysely<JobDatabase>, id: string, queueRef: string): Promise<void> {
  await db.updateTable("job").set({ queue_ref: queueRef }).where("id", "=", id).execute();
}

/** Queued jobs pg-boss never received (a crash between the insert and the send). */
export async function unsentQueued(db: Kysely<JobDatabase>, olderThanMs: number): Promise<JobRow[]> {
  return db
    .selectFrom("job")
    .selectAll()
    .where("state", "=", "queued")
    .where("queue_ref", "is", null)
    .where("created_at", "<", sql<Date>`now() - ${`${olderThanMs} milliseconds`}::interval`)
    .execute();
}
