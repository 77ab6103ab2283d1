import { Worker } from "node:worker_threads";
import { workerEntry } from "../platform/index.ts";
import type { RefreshReport } from "./engine.ts";

/**
 * The roll-up in a worker thread, on PostgreSQL (ADR 0010). A roll-up is seconds of JavaScript
 * (loops over variants, periods and schools between its queries); in the server's thread it held
 * the event loop, and the submissions of a campaign waited behind it (docs/benchmarks.md, issue
 * 11). Here the thread opens its own small pool to the same server and runs the same engine; the
 * server's thread only sends « run » and awaits the report. One roll-up at a time per thread (the
 * engine's chain sees to it). On PGlite there is no such thread: its base has one owner, the
 * thread of ADR 0009, and the roll-up stays in the server's thread.
 */

export type RollupKind = "pending" | "full";

/** The thread's connections in `pg_stat_activity`. */
export const ROLLUP_APPLICATION_NAME = "vigie-consolidation";

export interface RollupWorkerData {
  databaseUrl: string;
  /** Connections of the thread's own pool. */
  poolSize: number;
}

export type RollupRequest = { id: number; kind: RollupKind } | { id: number; kind: "close" };

export type RollupReply =
  | { id: number; progress: { done: number; total: number; label: string } }
  | { id: number; ok: true; report: RefreshReport | null }
  | { id: number; ok: false; message: string };

export interface RunOptions {
  readonly onProgress?: (done: number, total: number, label: string) => void;
  /** Aborted (job cancelled, server stopping): the thread is ended, the requests stay pending. */
  readonly signal?: AbortSignal;
}

/**
 * The thread's entry: from the sources, a file that registers tsx, then loads rollup-worker.ts;
 * from the compiled bundle, the compiled worker (ADR 0011).
 */
const WORKER_ENTRY = workerEntry("rollup-worker", new URL("./rollup-worker-entry.mjs", import.meta.url));

interface Waiting {
  resolve(report: RefreshReport | null): void;
  reject(error: Error): void;
  onProgress?: RunOptions["onProgress"];
}

export class RollupThread {
  private worker: Worker | null = null;
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 1;

  constructor(private readonly data: RollupWorkerData) {}

  /** Runs one roll-up in the thread (started on first use, again after a failure). */
  run(kind: RollupKind, options: RunOptions = {}): Promise<RefreshReport | null> {
    if (options.signal?.aborted) return Promise.reject(abortError());
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise<RefreshReport | null>((resolve, reject) => {
      const onAbort = () => {
        // Its transactions are rolled back with its connections; the requests stay pending.
        void this.terminate(abortError());
      };
      options.signal?.addEventListener("abort", onAbort, { once: true });
      const done = () => options.signal?.removeEventListener("abort", onAbort);
      this.waiting.set(id, {
        resolve: (r) => {
          done();
          resolve(r);
        },
        reject: (e) => {
          done();
          reject(e);
        },
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      });
      worker.ref();
      worker.postMessage({ id, kind } satisfies RollupRequest);
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_ENTRY, { workerData: this.data });
    worker.unref();
    worker.on("message", (reply: RollupReply) => this.receive(reply));
    worker.on("error", (err) =>
      this.fail(worker, new Error(`Erreur dans le fil de consolidation : ${err.message}`)),
    );
    worker.on("exit", (code) =>
      this.fail(
        worker,
        new Error(
          `Le fil de consolidation s'est arrêté (code ${code}) : les demandes de consolidation restent en attente.`,
        ),
      ),
    );
    this.worker = worker;
    return worker;
  }

  private receive(reply: RollupReply): void {
    const waiting = this.waiting.get(reply.id);
    if (!waiting) return;
    if ("progress" in reply) {
      waiting.onProgress?.(reply.progress.done, reply.progress.total, reply.progress.label);
      return;
    }
    this.waiting.delete(reply.id);
    // An idle thread must not keep a command or a test process alive.
    if (this.waiting.size === 0) this.worker?.unref();
    if (reply.ok) waiting.resolve(reply.report);
    else waiting.reject(new Error(`La consolidation a échoué : ${reply.message}`));
  }

  /** The thread is gone: whoever waited on it gets the reason, and the next run starts a new one. */
  private fail(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = null;
    for (const w of this.waiting.values()) w.reject(error);
    this.waiting.clear();
  }

  private async terminate(reason: Error): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.fail(worker, reason);
    await worker.terminate();
  }

  /** Ends the thread: its pool first (connections closed cleanly), then the thread itself. */
  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    const closed = new Promise<void>((resolve) => {
      const id = this.nextId++;
      this.waiting.set(id, { resolve: () => resolve(), reject: () => resolve() });
      worker.postMessage({ id, kind: "close" } satisfies RollupRequest);
    });
    // A thread busy in a long roll-up does not hold the stop back for long.
    await Promise.race([closed, new Promise((r) => setTimeout(r, 2_000).unref())]);
    await this.terminate(new Error("Le fil de consolidation a été arrêté avec le serveur."));
  }
}

function abortError(): Error {
  return new Error("Consolidation interrompue (traitement annulé ou serveur arrêté) : elle sera reprise.");
}
