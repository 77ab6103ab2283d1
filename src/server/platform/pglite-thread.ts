import { Worker } from "node:worker_threads";
import { workerEntry } from "./paths.ts";
import type { PGliteSession, SessionResult } from "./pglite-dialect.ts";

/**
 * The embedded base in a worker thread (ADR 0009): the server's thread sends each statement by
 * message and awaits its answer, so that PGlite's WebAssembly never runs in the event loop that
 * answers HTTP. The driver above (pglite-dialect.ts) is the same as for a base in the server's
 * thread: one user of the connection at a time, transactions on it.
 */

export interface PGliteWorkerData {
  dataDir?: string;
  postgresqlconf: string[];
}

type Statement =
  | { kind: "query"; sql: string; params: unknown[] }
  | { kind: "exec"; sql: string }
  | { kind: "close" };

export type WorkerRequest = Statement & { id: number };

export interface SerialisedError {
  name: string;
  message: string;
  stack?: string | undefined;
  fields: Record<string, unknown>;
}

/** The answer to a request; a large result comes first in `part`s of rows, then the rest with `ok`. */
export type WorkerReply =
  | { id: number; ok: true; result: SessionResult }
  | { id: number; ok: false; error: SerialisedError }
  | { id: number; part: unknown[] };

/** The error the statement raised in the worker, with the same fields (code, detail, constraint…). */
function revive(error: SerialisedError): Error {
  const err = new Error(error.message);
  err.name = error.name;
  Object.assign(err, error.fields);
  // Both stacks: where the statement failed in the base, and where it was sent from.
  if (error.stack) err.stack = `${error.stack}\n    --- envoyée depuis ---\n${new Error().stack ?? ""}`;
  return err;
}

/**
 * The worker's entry: from the sources, a file that registers tsx, then loads pglite-worker.ts;
 * from the compiled bundle, the compiled worker (ADR 0011).
 */
const WORKER_ENTRY = workerEntry("pglite-worker", new URL("./pglite-worker-entry.mjs", import.meta.url));

export class PGliteThread implements PGliteSession {
  readonly waitReady: Promise<void>;
  private readonly worker: Worker;
  private readonly pending = new Map<
    number,
    { resolve(r: SessionResult): void; reject(e: Error): void; parts: unknown[][] }
  >();
  private nextId = 1;
  private exited: Error | undefined;
  private isClosed = false;

  constructor(data: PGliteWorkerData) {
    this.worker = new Worker(WORKER_ENTRY, { workerData: data });
    this.holdWhileBusy();
    this.waitReady = new Promise<SessionResult>((resolve, reject) => {
      this.pending.set(0, { resolve, reject, parts: [] });
    }).then(() => undefined);
    this.worker.on("message", (reply: WorkerReply) => {
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      if ("part" in reply) {
        waiting.parts.push(reply.part);
        return;
      }
      this.pending.delete(reply.id);
      if (reply.ok) {
        const rows =
          waiting.parts.length > 0 ? [...waiting.parts, reply.result.rows].flat() : reply.result.rows;
        waiting.resolve({ ...reply.result, rows });
      } else waiting.reject(revive(reply.error));
      this.holdWhileBusy();
    });
    const fail = (err: Error) => {
      this.exited = err;
      this.isClosed = true;
      for (const waiting of this.pending.values()) waiting.reject(err);
      this.pending.clear();
    };
    this.worker.on("error", fail);
    this.worker.on("exit", (code) => {
      fail(new Error(`Le fil de la base embarquée s'est arrêté (code ${code}).`));
    });
  }

  /**
   * A thread keeps the process alive; an idle base must not (a command ends when its work does, as
   * with PGlite in the server's thread), but one awaiting an answer must.
   */
  private holdWhileBusy(): void {
    if (this.pending.size > 0) this.worker.ref();
    else this.worker.unref();
  }

  get closed(): boolean {
    return this.isClosed;
  }

  private send(request: Statement): Promise<SessionResult> {
    if (this.exited) return Promise.reject(this.exited);
    const id = this.nextId++;
    return new Promise<SessionResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, parts: [] });
      this.holdWhileBusy();
      this.worker.postMessage({ ...request, id });
    });
  }

  query(sql: string, params: unknown[]): Promise<SessionResult> {
    return this.send({ kind: "query", sql, params });
  }

  async exec(sql: string): Promise<SessionResult[]> {
    return [await this.send({ kind: "exec", sql })];
  }

  /** Ends the thread without closing the base (it failed to open). */
  async terminate(): Promise<void> {
    this.isClosed = true;
    await this.worker.terminate();
  }

  /** Closes the base in its thread (checkpoint, files), then ends the thread. */
  async close(): Promise<void> {
    if (this.isClosed) return;
    await this.send({ kind: "close" });
    this.isClosed = true;
    await this.worker.terminate();
  }
}
