import { parentPort, workerData } from "node:worker_threads";
import { connectPostgres } from "../platform/index.ts";
import { processPendingRollups, rollupFull } from "./engine.ts";
import { forgetThresholds } from "./protect.ts";
import {
  ROLLUP_APPLICATION_NAME,
  type RollupReply,
  type RollupRequest,
  type RollupWorkerData,
} from "./rollup-thread.ts";

/**
 * The roll-up's worker thread (ADR 0010): its own pool to the PostgreSQL server, the same engine
 * as in the server's thread, one request at a time. Errors go back as their message; the server's
 * thread turns them into the job's French failure.
 */

const port = parentPort;
if (!port) throw new Error("rollup-worker.ts s'exécute dans un fil de travail (rollup-thread.ts).");
const data = workerData as RollupWorkerData;
const db = await connectPostgres(data.databaseUrl, data.poolSize, ROLLUP_APPLICATION_NAME);

const reply = (message: RollupReply) => port.postMessage(message);

let queue: Promise<void> = Promise.resolve();
port.on("message", (request: RollupRequest) => {
  queue = queue.then(() => handle(request));
});

async function handle(request: RollupRequest): Promise<void> {
  if (request.kind === "close") {
    await db.destroy().catch(() => undefined);
    reply({ id: request.id, ok: true, report: null });
    return;
  }
  // The thresholds may have changed in the server's thread since the last roll-up here.
  forgetThresholds(db);
  const options = {
    onProgress: (done: number, total: number, label: string) =>
      reply({ id: request.id, progress: { done, total, label } }),
  };
  try {
    const report =
      request.kind === "full" ? await rollupFull(db, options) : await processPendingRollups(db, options);
    reply({ id: request.id, ok: true, report });
  } catch (err) {
    reply({ id: request.id, ok: false, message: err instanceof Error ? err.message : String(err) });
  }
}
