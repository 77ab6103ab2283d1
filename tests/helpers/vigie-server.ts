import { randomBytes } from "node:crypto";
import net from "node:net";
import pg from "pg";
import { type RunningServer, startServer } from "../../src/server/app.ts";
import { loadConfig } from "../../src/server/platform/config.ts";

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
    const name = `vigie_test_${randomBytes(6).toString("hex")}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    dropDatabase = async () => {
      const drop = new pg.Client({ connectionString: serverUrl });
      await drop.connect();
      await drop.query(`drop database if exists ${name} with (force)`);
      await drop.end();
    };
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
