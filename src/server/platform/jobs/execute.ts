import type { Kysely } from "kysely";
import { runInBackground } from "../connection-turns.ts";
import { type Finish, finishRun, heartbeat, type JobDatabase, type JobRow } from "./store.ts";
import { isPermanent, type JobHandler, type JobProgress, type JobTypeOptions } from "./types.ts";

export const DEFAULT_MAX_ATTEMPTS = 3;
export const DEFAULT_BACKOFF_MS = 2_000;
const MAX_BACKOFF_MS = 10 * 60_000;
/** Progress is written at most this often (the last value always). */
const PROGRESS_WRITE_MS = 250;

export interface Registered {
  handler: JobHandler<unknown, unknown>;
  options: Required<JobTypeOptions>;
}

/** Back-off before retry number `attempt` (1 after the first failure): base, 2×base, 4×base… */
export function backoffDelay(backoffMs: number, attempt: number): number {
  return Math.min(MAX_BACKOFF_MS, backoffMs * 2 ** Math.max(0, attempt - 1));
}

export function failureMessage(error: unknown): string {
  if (isPermanent(error) && error instanceof Error) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  return `Le traitement a échoué : ${message}`;
}

/** A job running in this process: its abort controller and its latest progress. */
export interface LiveJob {
  controller: AbortController;
  progress: JobProgress | null;
  cancelled: boolean;
}

/**
 * Runs one claimed job: heartbeat and progress written in the background (never awaited by the
 * handler, so a handler holding PGlite's single connection in a transaction does not deadlock),
 * then the outcome recorded — done, failed (permanent error or last attempt), cancelled, or
 * queued again after a back-off. Returns what was recorded (null: the job was taken from us).
 */
export async function executeJob(
  db: Kysely<JobDatabase>,
  row: JobRow,
  registered: Registered,
  workerId: string,
  timing: { heartbeatMs: number },
  live: Map<string, LiveJob>,
  stopping: AbortSignal,
): Promise<Finish | null> {
  const id = String(row.id);
  const job: LiveJob = { controller: new AbortController(), progress: null, cancelled: false };
  live.set(id, job);
  const onStop = () => job.controller.abort(new Error("Arrêt du service"));
  stopping.addEventListener("abort", onStop, { once: true });

  // One background write at a time; a newer value replaces the pending one.
  let writing: Promise<void> = Promise.resolve();
  let pending = false;
  let lastWrite = 0;
  const write = () => {
    if (pending) return;
    pending = true;
    writing = writing.then(async () => {
      pending = false;
      lastWrite = Date.now();
      const beat = await heartbeat(db, id, workerId, job.progress).catch(() => undefined);
      if (beat?.cancelRequested && !job.cancelled) {
        job.cancelled = true;
        job.controller.abort(new Error("Traitement annulé"));
      }
    });
  };
  const timer = setInterval(write, timing.heartbeatMs);
  timer.unref();

  let finish: Finish;
  try {
    // A job started by a request is still background work: it passes after the web app's
    // requests on the embedded base's connection (connection-turns.ts).
    const result = await runInBackground(() =>
      registered.handler({
        id,
        payload: row.payload,
        attempt: row.attempts,
        signal: job.controller.signal,
        reportProgress(done, total, message) {
          job.progress = { done, total, message: message ?? job.progress?.message ?? null };
          if (Date.now() - lastWrite >= PROGRESS_WRITE_MS || done >= total) write();
        },
      }),
    );
    finish = { state: "done", result };
  } catch (error) {
    if (job.cancelled) finish = { state: "cancelled", error: "Traitement annulé à la demande." };
    else if (stopping.aborted && !isPermanent(error))
      // Stopped by our own shutdown: not the job's fault, the attempt is given back.
      finish = {
        state: "queued",
        error: "Interrompu par l'arrêt du service : le traitement reprendra au prochain démarrage.",
        delayMs: 0,
      };
    else if (isPermanent(error) || row.attempts >= row.max_attempts)
      finish = { state: "failed", error: failureMessage(error) };
    else
      finish = {
        state: "queued",
        error: failureMessage(error),
        delayMs: backoffDelay(registered.options.backoffMs, row.attempts),
      };
  } finally {
    clearInterval(timer);
    stopping.removeEventListener("abort", onStop);
  }
  await writing;
  live.delete(id);
  const recorded = await finishRun(db, id, workerId, finish, job.progress);
  if (recorded && finish.state === "queued" && stopping.aborted && finish.delayMs === 0) {
    // The interrupted attempt does not count against the job.
    await db
      .updateTable("job")
      .set((eb) => ({ attempts: eb("attempts", "-", 1) }))
      .where("id", "=", id)
      .execute();
  }
  return recorded ? finish : null;
}
