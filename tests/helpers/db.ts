import { randomBytes } from "node:crypto";
import pg from "pg";
import { type DatabaseHandle, openDatabase } from "../../src/server/platform/db.ts";
import { seedReferential } from "../../src/server/territories/seed.ts";

/**
 * Opens a fresh, migrated and seeded database for one test file, on the engine chosen by the
 * environment: `TEST_DATABASE_URL` (a PostgreSQL server; a new database is created and dropped
 * around each use) or, by default, an in-memory PGlite. The same suites run on both engines.
 */
export async function openTestDatabase(): Promise<DatabaseHandle> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const handle = await openDatabase({ dataDir: ":memory:", databaseUrl: undefined });
    await seedReferential(handle.db);
    return handle;
  }
  const { url, drop } = await createServerTestDatabase(serverUrl);
  const handle = await openDatabase({ dataDir: ":memory:", databaseUrl: url });
  await seedReferential(handle.db);
  return {
    ...handle,
    async close() {
      await handle.close();
      await drop();
    },
  };
}

export const testEngine = process.env.TEST_DATABASE_URL ? "postgres" : "pglite";

/** Creates an empty database on the PostgreSQL server for one test file; `drop` removes it. */
export async function createServerTestDatabase(
  serverUrl: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `vigie_test_${randomBytes(6).toString("hex")}`;
  const run = async (statement: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await run(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(`drop database if exists ${name} with (force)`) };
}
