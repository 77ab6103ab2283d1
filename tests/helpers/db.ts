import { randomBytes } from "node:crypto";
import pg from "pg";
import { type DatabaseHandle, openDatabase } from "../../src/server/platform/db.ts";
import { MIGRATIONS } from "../../src/server/schema.ts";
import { seedReferential } from "../../src/server/territories/seed.ts";

/**
 * Opens a fresh, migrated and seeded database for one test file, on the engine chosen by the
 * environment: `TEST_DATABASE_URL` (a PostgreSQL server; a new database is created and dropped
 * around each use) or, by default, an in-memory PGlite. The same suites run on both engines.
 */
export async function openTestDatabase(): Promise<DatabaseHandle> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const handle = await openDatabase(
      { dataDir: ":memory:", databaseUrl: undefined },
      { migrations: MIGRATIONS },
    );
    await seedReferential(handle.db);
    return handle;
  }
  const { url, drop } = await createServerTestDatabase(serverUrl);
  const handle = await openDatabase({ dataDir: ":memory:", databaseUrl: url }, { migrations: MIGRATIONS });
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
  const run = async (statement: string, values: unknown[] = []) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      return await client.query(statement, values);
    } finally {
      await client.end();
    }
  };
  await run(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const drop = async () => {
    // A closed pool's last connections may still be saying goodbye: dropping `with (force)` at
    // that moment kills them with a FATAL error their client reports as uncaught. Wait (up to
    // 5 s) for the server to see them gone; force only what is really left behind.
    for (let i = 0; i < 50; i++) {
      const left = await run("select count(*)::int as n from pg_stat_activity where datname = $1", [name]);
      if ((left.rows[0] as { n: number }).n === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await run(`drop database if exists ${name} with (force)`);
  };
  return { url: url.toString(), drop };
}
