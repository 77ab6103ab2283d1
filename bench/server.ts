import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { measureLatency } from "./load.ts";

const ROOT = path.resolve(import.meta.dirname, "..");

/** `vigie serve` in a child process on a free port, resolved with its address once it is ready. */
export async function startServer(env: NodeJS.ProcessEnv): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [path.join(ROOT, "bin/vigie.mjs"), "serve"], {
    env: { ...process.env, PORT: "0", VIGIE_DEMO: "0", LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let err = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      err += chunk.toString();
      const m = /prêt : (http:\/\/localhost:\d+)/.exec(err);
      if (m) resolve(m[1] as string);
    });
    child.once("exit", (code) => reject(new Error(`serveur arrêté (${code}) : ${err}`)));
  });
  return { url, child };
}

/**
 * A server on `env` under 20 concurrent clients cycling through `urls` (3 000 requests), after a
 * warm-up of 300 with 10 clients; the server is stopped afterwards.
 */
export async function serverLatency(env: NodeJS.ProcessEnv, urls: readonly string[]) {
  const server = await startServer(env);
  try {
    await measureLatency(server.url, urls, { clients: 10, total: 300 });
    return await measureLatency(server.url, urls, { clients: 20, total: 3000 });
  } finally {
    server.child.kill("SIGTERM");
  }
}
