import fs from "node:fs";
import path from "node:path";
import { Kysely, PostgresDialect } from "kysely";
import type { Config } from "./config.ts";
import { type Migrations, migrateToLatest } from "./migrate.ts";
import { acquireOwnerLock, type OwnerLock } from "./owner-lock.ts";
import { PGliteDialect, type PGliteSession } from "./pglite-dialect.ts";
import { pgliteExtensions } from "./pglite-extensions.ts";
import { PGliteThread } from "./pglite-thread.ts";
import type { Database } from "./schema.ts";

export type Engine = "pglite" | "postgres";

/**
 * Where the embedded base runs: in its own worker thread (default, ADR 0009), so that its
 * WebAssembly never holds the server's event loop, or in the caller's thread (ADR 0001; kept to
 * compare, `VIGIE_PGLITE_THREAD=main`).
 */
export type PGliteThreading = "worker" | "main";

export interface DatabaseHandle {
  db: Kysely<Database>;
  engine: Engine;
  /**
   * The PostgreSQL server's URL (absent for the embedded base): a worker thread that computes
   * with a pool of its own (the indicators' roll-up, ADR 0010) connects with it.
   */
  databaseUrl?: string;
  /** Vigie's lock on an embedded data directory (absent in memory and on a PostgreSQL server). */
  owner?: OwnerLock;
  close(): Promise<void>;
}

/**
 * Opens the database named by the configuration: a PostgreSQL server when `DATABASE_URL` is set,
 * otherwise the embedded PGlite under `<dataDir>/pglite` (or in memory for `dataDir = ":memory:"`).
 * The migrations (every module's, assembled by `src/server/schema.ts`: platform knows no module)
 * are applied before the handle is returned; they are required, so that no caller opens a base
 * without its tables.
 */
export async function openDatabase(
  config: Pick<Config, "dataDir" | "databaseUrl">,
  options: { migrations: Migrations; command?: string; pgliteThread?: PGliteThreading },
): Promise<DatabaseHandle> {
  let handle: DatabaseHandle;
  if (config.databaseUrl) {
    const db = await connectPostgres(config.databaseUrl, 10);
    handle = { db, engine: "postgres", databaseUrl: config.databaseUrl, close: () => db.destroy() };
  } else {
    let dir: string | undefined;
    let owner: OwnerLock | undefined;
    if (config.dataDir !== ":memory:") {
      // Before PGlite touches the files: a second process must never open them (owner-lock.ts).
      owner = acquireOwnerLock(config.dataDir, options.command ?? commandLine());
      dir = path.join(config.dataDir, "pglite");
      fs.mkdirSync(dir, { recursive: true });
    }
    const threading =
      options.pgliteThread ?? (process.env.VIGIE_PGLITE_THREAD === "main" ? "main" : "worker");
    let pglite: PGliteSession;
    try {
      pglite = threading === "worker" ? await openInWorker(dir) : await openInThread(dir);
    } catch (err) {
      owner?.release();
      throw err;
    }
    const db = new Kysely<Database>({
      dialect: new PGliteDialect(pglite, { yieldAfterStatement: threading === "main" }),
    });
    handle = {
      db,
      engine: "pglite",
      ...(owner ? { owner } : {}),
      close: async () => {
        try {
          await db.destroy();
        } finally {
          owner?.release();
        }
      },
    };
  }
  try {
    await migrateToLatest(handle.db as Kysely<unknown>, options.migrations);
  } catch (err) {
    await handle.close();
    throw err;
  }
  return handle;
}

/**
 * A pool of `max` connections to a PostgreSQL server, without migrations: for a worker thread
 * beside a process that opened the base with `openDatabase` (its schema is already up to date).
 * `db.destroy()` ends the pool.
 */
export async function connectPostgres(
  databaseUrl: string,
  max: number,
  /** Shown in `pg_stat_activity` (which process holds which connections). */
  applicationName?: string,
): Promise<Kysely<Database>> {
  const pg = await import("pg");
  // Dates stay ISO strings (a school's opening date is a calendar day, not an instant).
  pg.default.types.setTypeParser(1082, (v: string) => v);
  const pool = new pg.default.Pool({
    connectionString: databaseUrl,
    max,
    ...(applicationName ? { application_name: applicationName } : {}),
  });
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/**
 * Postgres' default 128 MB of shared buffers is sized for a server; the embedded database runs on
 * laptops next to the app, and 32 MB is enough for its working set (docs/benchmarks.md). Its
 * pages are in memory or the system's cache, never on a spinning disk: a random page costs about
 * what a sequential one does (random_page_cost 1.1, the usual value for SSDs), so the planner
 * reads a few matches through an index rather than scanning a table (the school search's count).
 * An index build (a migration, the first Annuaire load: platform/bulk-load.ts) sorts in at most
 * 16 MB instead of 64: the memory PGlite takes never goes back to the system, and the first
 * national load must stay under 400 MB (docs/benchmarks.md).
 */
const PGLITE_CONF = ["shared_buffers=32MB", "random_page_cost=1.1", "maintenance_work_mem=16MB"];

async function openInWorker(dir: string | undefined): Promise<PGliteSession> {
  const thread = new PGliteThread({ ...(dir ? { dataDir: dir } : {}), postgresqlconf: PGLITE_CONF });
  try {
    await thread.waitReady;
  } catch (err) {
    await thread.terminate();
    throw err;
  }
  return thread;
}

async function openInThread(dir: string | undefined): Promise<PGliteSession> {
  const { PGlite, types } = await import("@electric-sql/pglite");
  // Options go in the first argument: PGlite ignores `parsers` given next to a data directory.
  // Dates stay ISO strings and bigints strings, as with node-postgres.
  const pglite = new PGlite({
    ...(dir ? { dataDir: dir } : {}),
    postgresqlconf: PGLITE_CONF,
    extensions: pgliteExtensions,
    parsers: { [types.DATE]: (v: string) => v, [types.INT8]: (v: string) => v },
  });
  await pglite.waitReady;
  return pglite;
}

/** « vigie import annuaire f.csv » for the lock file: what the owner is doing, without secrets. */
function commandLine(): string {
  const args = process.argv.slice(2);
  const cut = args.findIndex((a) => a.startsWith("-"));
  return ["vigie", ...(cut === -1 ? args : args.slice(0, cut)).slice(0, 4)].join(" ");
}
