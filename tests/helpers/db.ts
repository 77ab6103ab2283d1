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
  const name = `vigie_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ dataDir: ":memory:", databaseUrl: url.toString() });
  await seedReferential(handle.db);
  return {
    ...handle,
    async close() {
      await handle.close();
      const drop = new pg.Client({ connectionString: serverUrl });
      await drop.connect();
      await drop.query(`drop database if exists ${name} with (force)`);
      await drop.end();
    },
  };
}

export const testEngine = process.env.TEST_DATABASE_URL ? "postgres" : "pglite";
