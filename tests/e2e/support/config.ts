import { type Config, loadConfig } from "../../../src/server/platform/config.ts";

/** The server configuration of the browser tests: a data folder of their own, a free port, quiet logs. */
export function e2eConfig(dataDir: string): Config {
  return loadConfig({
    ...process.env,
    VIGIE_DATA_DIR: dataDir,
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: "warn",
    DATABASE_URL: "",
    // Every page logs in from 127.0.0.1: the per-address login limit would stop a test file.
    VIGIE_LOGIN_RATE_LIMIT: "1000",
  });
}
