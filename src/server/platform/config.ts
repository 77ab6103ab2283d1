import path from "node:path";

/** Runtime configuration, read once from the environment (shared by the server and the CLI). */
export interface Config {
  /** Folder holding the embedded PGlite database and other local files. */
  dataDir: string;
  /** When set, Vigie talks to this PostgreSQL server instead of the embedded PGlite. */
  databaseUrl: string | undefined;
  port: number;
  host: string;
  /** Load the demo territory on an empty database at start (`VIGIE_DEMO=0` disables it). */
  demo: boolean;
  logLevel: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new Error(`PORT invalide : « ${env.PORT} » (attendu : un entier entre 1 et 65535)`);
  }
  return {
    // ":memory:" keeps the embedded database in memory (tests); anything else is a folder.
    dataDir: env.VIGIE_DATA_DIR === ":memory:" ? ":memory:" : path.resolve(env.VIGIE_DATA_DIR ?? "./data"),
    databaseUrl: env.DATABASE_URL || undefined,
    port,
    host: env.HOST ?? "127.0.0.1",
    demo: env.VIGIE_DEMO !== "0",
    logLevel: env.LOG_LEVEL ?? "info",
  };
}
