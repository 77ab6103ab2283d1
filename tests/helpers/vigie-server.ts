import net from "node:net";
import { type RunningServer, startServer } from "../../src/server/app.ts";
import { loadConfig } from "../../src/server/platform/config.ts";
import { createServerTestDatabase } from "./db.ts";

/** A port free at the time of asking (the server binds it right after). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * The real Vigie server over HTTP (`startServer`, as `vigie serve` runs it) for tests that need a
 * socket: browser-like flows with redirects and cookies, or a third party calling back. The
 * engine follows `TEST_DATABASE_URL` as in `openTestDatabase`: a fresh PostgreSQL database when
 * set, in-memory PGlite otherwise. The public URL is the server's own address, so links and
 * redirect URIs point at it.
 */
export async function startTestServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const port = await freePort();
  const publicUrl = `http://localhost:${port}`;
  const serverUrl = process.env.TEST_DATABASE_URL;
  let databaseUrl = "";
  let dropDatabase: (() => Promise<void>) | undefined;
  if (serverUrl) {
    const created = await createServerTestDatabase(serverUrl);
    databaseUrl = created.url;
    dropDatabase = created.drop;
  }
  const config = loadConfig({
    LOG_LEVEL: "warn",
    ...env,
    VIGIE_DATA_DIR: ":memory:",
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    HOST: "127.0.0.1",
    VIGIE_DEMO: "0",
    VIGIE_PUBLIC_URL: publicUrl,
  });
  let server: RunningServer;
  try {
    // The first-administrator notice (a link with a token) is not for tests.
    server = await startServer({ config, demo: false, onNotice: () => undefined });
  } catch (err) {
    await dropDatabase?.();
    throw err;
  }
  return {
    ...server,
    url: publicUrl,
    async close() {
      await server.close();
      await dropDatabase?.();
    },
  };
}
