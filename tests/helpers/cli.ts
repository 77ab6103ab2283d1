import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createServerTestDatabase } from "./db.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const run = promisify(execFile);

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * A place to run `vigie …` as people do (`node bin/vigie.mjs` in a child process): a temporary
 * folder (`dir`, for files) holding the PGlite data folder (`dataDir`), or, when
 * TEST_DATABASE_URL is set, a fresh PostgreSQL database (`databaseUrl`) dropped by `close()`.
 */
export interface CliWorkspace {
  dir: string;
  dataDir: string;
  databaseUrl: string;
  vigie(...args: string[]): Promise<CliResult>;
  close(): Promise<void>;
}

export async function openCliWorkspace(
  prefix: string,
  env: Record<string, string> = {},
  /** The script to run (default `bin/vigie.mjs`; a compiled `cli.mjs` for the bundle's test). */
  entry = "bin/vigie.mjs",
): Promise<CliWorkspace> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const dataDir = path.join(dir, "data");
  const serverUrl = process.env.TEST_DATABASE_URL;
  const server = serverUrl ? await createServerTestDatabase(serverUrl) : undefined;
  const databaseUrl = server?.url ?? "";
  return {
    dir,
    dataDir,
    databaseUrl,
    async vigie(...args) {
      try {
        const { stdout, stderr } = await run(process.execPath, [entry, ...args], {
          cwd: ROOT,
          env: {
            ...process.env,
            VIGIE_DATA_DIR: dataDir,
            DATABASE_URL: databaseUrl,
            LOG_LEVEL: "warn",
            ...env,
          },
          maxBuffer: 64 * 1024 * 1024,
        });
        return { code: 0, stdout, stderr };
      } catch (err) {
        const e = err as { code: number; stdout: string; stderr: string };
        return { code: e.code, stdout: e.stdout, stderr: e.stderr };
      }
    },
    async close() {
      fs.rmSync(dir, { recursive: true, force: true });
      await server?.drop();
    },
  };
}
