import type { FastifyInstance } from "fastify";
import { buildApp } from "../../src/server/app.ts";
import { loadConfig } from "../../src/server/platform/config.ts";
import type { DatabaseHandle } from "../../src/server/platform/db.ts";
import { openTestDatabase } from "./db.ts";

/** A test database plus the HTTP app on it (requests through `app.inject`, no socket). */
export async function openTestApp(): Promise<{
  handle: DatabaseHandle;
  app: FastifyInstance;
  close(): Promise<void>;
}> {
  const handle = await openTestDatabase();
  const app = await buildApp(handle, { ...loadConfig({}), logLevel: "warn" });
  return {
    handle,
    app,
    async close() {
      await app.close();
      await handle.close();
    },
  };
}
