/**
 * The job runner's vocabulary (docs/jobs.md). One interface, `JobRunner`, with two engines behind
 * it: a table-backed runner (PGlite, or any PostgreSQL) and pg-boss on a PostgreSQL server.
 */

export const JOB_STATES = ["queued", "running", "done", "failed", "cancelled"] as const;
export type JobState = (typeof JOB_STATES)[number];

/** JSON values, as stored in the `payload` and `result` columns. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export interface JobProgress {
  done: number;
  total: number;
  message: string | null;
}

/** Who a job belongs to: the HTTP route shows a job only to the user who started it. */
export interface JobScope {
  /** The user who started the job (null: the command line or the system). */
  userId?: string | null;
  /** The territory node the job works on (`academy:04`), for display and later scope rules. */
  node?: string | null;
}

export interface Job<P = unknown, R = unknown> {
  id: string;
  type: string;
  payload: P;
  state: JobState;
  progress: JobProgress | null;
  result: R | null;
  /** French message of the last failure (kept while a retry is queued). */
  error: string | null;
  attempts: number;
  maxAttempts: number;
  scope: { userId: string | null; node: string | null };
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** When a queued job may run next (after a back-off). */
  runAfter: Date;
}

export interface JobContext<P> {
  id: string;
  payload: P;
  /** 1 for the first run, 2 for the first retry… */
  attempt: number;
  /** Never throws nor waits: the latest value is written in the background (no lock is held). */
  reportProgress(done: number, total: number, message?: string): void;
  /** Aborted when the job is cancelled or the runner stops: long handlers check it between slices. */
  signal: AbortSignal;
}

export type JobHandler<P = unknown, R = unknown> = (context: JobContext<P>) => Promise<R>;

export interface JobTypeOptions {
  /** Runs before a failure is final (first run included). Default 3. */
  maxAttempts?: number;
  /** First back-off after a transient failure, doubled at each retry. Default 2 000 ms. */
  backoffMs?: number;
  /**
   * Types of another lane never wait behind this one's jobs (a mail behind a long import): the
   * table runner gives each lane its own workers (pg-boss already works each type on its own).
   * Default `main`.
   */
  lane?: string;
}

export interface EnqueueOptions {
  scope?: JobScope;
  /** Overrides the type's `maxAttempts` for this job. */
  maxAttempts?: number;
  /**
   * At most one unfinished job of this type per key (atomic, across processes): a second
   * `enqueue` with the key of a queued or running job throws `DuplicateJobError`.
   */
  dedupeKey?: string;
}

export interface JobRunner {
  readonly engine: "table" | "pg-boss";
  /** Declares the handler of a job type (before `start` for its workers to run it). */
  register<P, R>(type: string, handler: JobHandler<P, R>, options?: JobTypeOptions): void;
  /** Persists a job and returns its id; a started runner picks it up. */
  enqueue(type: string, payload: Json | object, options?: EnqueueOptions): Promise<string>;
  get(id: string): Promise<Job | null>;
  /**
   * A queued job is cancelled at once; a running one is asked to stop (its signal aborts) and
   * ends `cancelled` when its handler gives up. Returns the job as it is after the request.
   */
  cancel(id: string): Promise<Job | null>;
  /** Recovers the jobs of dead processes, then runs the workers of the registered types. */
  start(): Promise<void>;
  /** Stops taking jobs and waits (up to `timeoutMs`) for the running ones; others are recovered later. */
  stop(options?: { timeoutMs?: number }): Promise<void>;
}

/**
 * A failure that retrying cannot fix (a malformed file, a missing upload): the job fails at once
 * with this French message. Any other error is transient and retried with back-off.
 */
export class PermanentJobError extends Error {
  readonly permanent = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "PermanentJobError";
  }
}

/** True for `PermanentJobError`, and for errors of other modules that set `permanent = true`. */
export function isPermanent(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { permanent?: unknown }).permanent === true;
}

/** What the runner tuning exposes (tests shorten everything). */
export interface RunnerTiming {
  /** How often a worker looks for due jobs when nothing woke it. Default 1 000 ms. */
  pollMs?: number;
  /** How often a running job proves its process is alive. Default 5 000 ms. */
  heartbeatMs?: number;
  /** A running job whose heartbeat is older than this belongs to a dead process. Default 60 000 ms. */
  leaseMs?: number;
  /** Jobs run at the same time by this process. Default 1. */
  concurrency?: number;
}
