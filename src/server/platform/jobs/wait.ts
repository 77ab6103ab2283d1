import { AppError } from "../errors.ts";
import type { EnqueueOptions, Job, JobProgress, JobRunner, Json } from "./types.ts";

/** A job that ended failed or cancelled, with its French reason (the command line exits with 2). */
export class JobFailedError extends AppError {
  readonly job: Job;
  constructor(job: Job) {
    super(
      422,
      "job_failed",
      job.error ?? (job.state === "cancelled" ? "Traitement annulé." : "Le traitement a échoué."),
    );
    this.name = "JobFailedError";
    this.job = job;
  }
}

export interface WaitOptions {
  onProgress?: (progress: JobProgress) => void;
  /** How often the job is read. Default 200 ms. */
  pollMs?: number;
  signal?: AbortSignal;
}

/** Waits until the job is done (its result) or failed/cancelled (`JobFailedError`). */
export async function waitForJob<R = unknown>(
  runner: JobRunner,
  id: string,
  options: WaitOptions = {},
): Promise<R> {
  let last = "";
  for (;;) {
    const job = await runner.get(id);
    if (!job) throw new Error(`Traitement introuvable : ${id}`);
    if (job.progress && options.onProgress) {
      const key = `${job.progress.done}/${job.progress.total}/${job.progress.message ?? ""}`;
      if (key !== last) {
        last = key;
        options.onProgress(job.progress);
      }
    }
    if (job.state === "done") return job.result as R;
    if (job.state === "failed" || job.state === "cancelled") throw new JobFailedError(job);
    if (options.signal?.aborted) throw options.signal.reason;
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 200));
  }
}

/**
 * Enqueues a job on a started runner and waits for its end (the CLI's way: same work, same report
 * as the web app, a progress bar through `onProgress`).
 */
export async function runJobAndWait<R = unknown>(
  runner: JobRunner,
  type: string,
  payload: Json | object,
  options: WaitOptions & EnqueueOptions = {},
): Promise<R> {
  const id = await runner.enqueue(type, payload, options);
  return waitForJob<R>(runner, id, options);
}
