import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error -- a plain .mjs build script, without type declarations.
import { buildServerBundle } from "../../scripts/lib/server-bundle.mjs";
import { type CliWorkspace, openCliWorkspace } from "../helpers/cli.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * The compiled server (ADR 0011) does what the sources do: built into a folder of this test's own
 * (dist/server may be in use by other tests' commands), it opens a base, migrates it, and runs a
 * command. On PGlite the base lives in its worker thread, whose compiled entry must sit beside
 * the bundle; on PostgreSQL the command works through the pool.
 */
describe("the compiled server", () => {
  const outdir = path.join(ROOT, ".vigie-test", `compiled-${process.pid}`);
  let ws: CliWorkspace;

  beforeAll(async () => {
    await buildServerBundle(outdir);
    ws = await openCliWorkspace("vigie-compiled-", {}, path.join(outdir, "cli.mjs"));
  });

  afterAll(async () => {
    await ws?.close();
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  it("holds the command and both worker threads, without TypeScript left to load", () => {
    for (const name of ["cli.mjs", "pglite-worker.mjs", "rollup-worker.mjs"]) {
      const code = fs.readFileSync(path.join(outdir, name), "utf8");
      expect(code, name).not.toMatch(/from "\.{1,2}\/[^"]+\.ts"/);
    }
  });

  it("creates an account in a new base and lists it, with the same report as from the sources", async () => {
    const created = await ws.vigie(
      "user",
      "create",
      "--email",
      "Marie.Curie@ac-bordeaux.fr",
      "--role",
      "academy-steering",
      "--territory",
      "04",
      "--json",
    );
    expect(created.code, created.stderr).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({
      email: "marie.curie@ac-bordeaux.fr",
      territory: "academy:04",
    });
    const listed = await ws.vigie("user", "list", "--json");
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({ email: "marie.curie@ac-bordeaux.fr", status: "invited" }),
    ]);
  });

  it("refuses a bad territory with the French message and exit code 2", async () => {
    const refused = await ws.vigie(
      "user",
      "create",
      "--email",
      "x@ac.fr",
      "--role",
      "academy-steering",
      "--territory",
      "99",
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim()).toBe("Erreur : Académie « 99 » inconnue (ex. 04 Bordeaux)");
  });
});
