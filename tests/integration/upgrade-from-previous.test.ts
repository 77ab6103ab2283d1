import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliWorkspace, openCliWorkspace } from "../helpers/cli.ts";
import { testEngine } from "../helpers/db.ts";

/**
 * A base created by the last release before the platform step (issue 8: modules own their
 * schema, new platform tables) opens with today's code and reads the same: every table it had
 * keeps its rows to the byte, and the commands read them. The previous code is taken from git
 * (`git archive`), run on the same node_modules, on both engines.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** The last commit of `main` before issue 8 (stop 6's landing). */
const PREVIOUS = "4082eae";

const hasPrevious = (() => {
  try {
    execFileSync("git", ["cat-file", "-e", `${PREVIOUS}^{commit}`], { cwd: ROOT, stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

type Query = (sql: string) => Promise<Record<string, unknown>[]>;

/** The columns of each table of the public schema. */
async function tableColumns(query: Query): Promise<Record<string, string[]>> {
  const rows = await query(
    "select c.table_name, c.column_name from information_schema.columns c join information_schema.tables t using (table_schema, table_name) where c.table_schema = 'public' and t.table_type = 'BASE TABLE' order by c.table_name, c.ordinal_position",
  );
  const columns: Record<string, string[]> = {};
  for (const row of rows) {
    const table = String(row.table_name);
    // The migrator's own bookkeeping grows by design (checked apart).
    if (table.startsWith("vigie_migration")) continue;
    columns[table] = [...(columns[table] ?? []), String(row.column_name)];
  }
  return columns;
}

/**
 * Row count and a digest of the sorted rows of each table, over the columns it had before (a
 * column added since, such as a search key, is not a change of what was stored).
 */
async function tableDigests(
  query: Query,
  columns: Record<string, string[]>,
): Promise<Record<string, string>> {
  const digests: Record<string, string> = {};
  for (const [name, cols] of Object.entries(columns)) {
    const row = `(${cols.map((c) => `t."${c}"`).join(", ")})::text`;
    const [result] = await query(
      `select count(*)::text as n, coalesce(md5(string_agg(${row}, '|' order by ${row})), '') as d from "${name}" t`,
    );
    digests[name] = `${result?.n}:${result?.d}`;
  }
  return digests;
}

async function withQuery<T>(cli: CliWorkspace, fn: (query: Query) => Promise<T>): Promise<T> {
  if (cli.databaseUrl) {
    const client = new pg.Client({ connectionString: cli.databaseUrl });
    await client.connect();
    try {
      return await fn(async (sql) => (await client.query(sql)).rows);
    } finally {
      await client.end();
    }
  }
  // Straight onto the files, without Vigie's migrations: the base exactly as the old code left it.
  const db = new PGlite({ dataDir: path.join(cli.dataDir, "pglite") });
  try {
    return await fn(async (sql) => (await db.query<Record<string, unknown>>(sql)).rows);
  } finally {
    await db.close();
  }
}

describe.skipIf(!hasPrevious)(
  `a base made by the previous release, on ${testEngine}`,
  { timeout: 600_000 },
  () => {
    let cli: CliWorkspace;
    let old: string;
    let before: Record<string, string>;
    let columns: Record<string, string[]>;

    beforeAll(async () => {
      cli = await openCliWorkspace("vigie-upgrade-");
      old = path.join(cli.dir, "previous");
      fs.mkdirSync(old);
      execFileSync("sh", ["-c", `git archive ${PREVIOUS} | tar -x -C "${old}"`], { cwd: ROOT });
      fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(old, "node_modules"));
      const env = {
        ...process.env,
        VIGIE_DATA_DIR: cli.dataDir,
        DATABASE_URL: cli.databaseUrl,
        LOG_LEVEL: "warn",
      };
      const previous = (...args: string[]) =>
        execFileSync(process.execPath, ["bin/vigie.mjs", ...args], {
          cwd: old,
          env,
          maxBuffer: 64 * 1024 * 1024,
        });
      previous("demo", "--scale", "tiny", "--json");
      previous(
        "user",
        "create",
        "--email",
        "ancienne@vigie.localhost",
        "--role",
        "academy-steering",
        "--territory",
        "04",
        "--password",
        "Ancien-mot-de-passe-2026",
      );
      previous("roadmap", "import", path.join(ROOT, "data/templates/roadmaps/lille-2022-2025.yaml"));
      columns = await withQuery(cli, tableColumns);
      before = await withQuery(cli, (query) => tableDigests(query, columns));
    });
    afterAll(async () => cli?.close());

    it("keeps every table's rows, to the byte, after today's migrations", async () => {
      expect(Object.keys(before)).toContain("school");
      expect(before.data_value).not.toMatch(/^0:/);
      const migrated = await cli.vigie("migrate");
      expect(migrated.code, migrated.stderr).toBe(0);
      const after = await withQuery(cli, (query) => tableDigests(query, columns));
      expect(after).toEqual(before);
    });

    it("is read by today's commands: accounts, roadmaps, aggregates", async () => {
      const users = await cli.vigie("user", "list", "--json");
      expect(users.code, users.stderr).toBe(0);
      expect(JSON.parse(users.stdout)).toContainEqual(
        expect.objectContaining({ email: "ancienne@vigie.localhost" }),
      );
      const roadmaps = await cli.vigie("roadmap", "list", "--json");
      expect(roadmaps.code, roadmaps.stderr).toBe(0);
      expect(JSON.parse(roadmaps.stdout)).toHaveLength(1);
      const pending = await cli.vigie("rollup", "--json");
      expect(pending.code, pending.stderr).toBe(0);
      expect(JSON.parse(pending.stdout)).toEqual({ pending: 0 });
    });
  },
);
