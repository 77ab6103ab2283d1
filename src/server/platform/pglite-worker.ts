import { parentPort, workerData } from "node:worker_threads";
import { PGlite, types } from "@electric-sql/pglite";
import { pgliteExtensions } from "./pglite-extensions.ts";
import type { PGliteWorkerData, WorkerReply, WorkerRequest } from "./pglite-thread.ts";

/**
 * The embedded base's own thread (started by pglite-thread.ts): PGlite runs its WebAssembly here,
 * so that a long statement (a nation roll-up's insert … select, an import's batch) never holds the
 * server's event loop. It answers one request at a time, in order; the server's driver already
 * lends the connection to one user at a time (pglite-dialect.ts).
 */
const port = parentPort;
if (!port) throw new Error("pglite-worker.ts ne s'exécute que dans un fil de travail");
const options = workerData as PGliteWorkerData;

// The same options as a base opened in the server's thread (db.ts); parsers cannot cross threads,
// so they are set here: dates stay ISO strings and bigints strings, as with node-postgres.
const pglite = new PGlite({
  ...(options.dataDir ? { dataDir: options.dataDir } : {}),
  postgresqlconf: options.postgresqlconf,
  extensions: pgliteExtensions,
  parsers: { [types.DATE]: (v: string) => v, [types.INT8]: (v: string) => v },
});

/** An error as plain data: the fields of PGlite's DatabaseError (code, detail, constraint…) kept. */
function serialise(err: unknown): Extract<WorkerReply, { ok: false }> {
  const e = err instanceof Error ? err : new Error(String(err));
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(e)) {
    if (value === undefined || typeof value === "function") continue;
    try {
      fields[key] = structuredClone(value);
    } catch {
      fields[key] = String(value);
    }
  }
  return { id: -1, ok: false, error: { name: e.name, message: e.message, stack: e.stack, fields } };
}

async function answer(request: WorkerRequest): Promise<Exclude<WorkerReply, { part: unknown[] }>> {
  if (request.kind === "close") {
    if (!pglite.closed) await pglite.close();
    return { id: request.id, ok: true, result: { rows: [] } };
  }
  if (request.kind === "exec") {
    const results = await pglite.exec(request.sql);
    const last = results.at(-1);
    return {
      id: request.id,
      ok: true,
      result: { rows: last?.rows ?? [], affectedRows: last?.affectedRows ?? 0 },
    };
  }
  const result = await pglite.query(request.sql, request.params);
  return {
    id: request.id,
    ok: true,
    result: {
      rows: result.rows,
      ...(result.affectedRows !== undefined ? { affectedRows: result.affectedRows } : {}),
    },
  };
}

/**
 * Rows per message: the server's thread decodes each message in one go, so a large result (the
 * facts of an académie, a hundred thousand rows) comes in parts, between which it answers HTTP.
 */
const ROWS_PER_MESSAGE = 5000;

function post(reply: Exclude<WorkerReply, { part: unknown[] }>): void {
  if (!reply.ok || reply.result.rows.length <= ROWS_PER_MESSAGE) {
    port?.postMessage(reply);
    return;
  }
  const { rows } = reply.result;
  // Every part but the last, which goes with the answer itself.
  let from = 0;
  for (; rows.length - from > ROWS_PER_MESSAGE; from += ROWS_PER_MESSAGE) {
    port?.postMessage({
      id: reply.id,
      part: rows.slice(from, from + ROWS_PER_MESSAGE),
    } satisfies WorkerReply);
  }
  port?.postMessage({ ...reply, result: { ...reply.result, rows: rows.slice(from) } } satisfies WorkerReply);
}

// In order, one at a time: the chain keeps the statements of a transaction in their sequence.
let chain: Promise<void> = Promise.resolve();
port.on("message", (request: WorkerRequest) => {
  chain = chain.then(async () => {
    let reply: Exclude<WorkerReply, { part: unknown[] }>;
    try {
      reply = await answer(request);
    } catch (err) {
      reply = { ...serialise(err), id: request.id };
    }
    post(reply);
  });
});

pglite.waitReady.then(
  () => port.postMessage({ id: 0, ok: true, result: { rows: [] } } satisfies WorkerReply),
  (err: unknown) => port.postMessage({ ...serialise(err), id: 0 }),
);
