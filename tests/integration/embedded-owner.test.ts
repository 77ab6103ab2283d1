import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lockPath, readOwner } from "../../src/server/platform/owner-lock.ts";
import { type CliWorkspace, openCliWorkspace } from "../helpers/cli.ts";
import { testEngine } from "../helpers/db.ts";
import { freePort } from "../helpers/vigie-server.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

interface ServerProcess {
  child: ChildProcess;
  url: string;
  stderr(): string;
}

/** `vigie serve` in its own process on the workspace's data directory, as `npm start` runs it. */
async function startServeProcess(cli: CliWorkspace): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ["bin/vigie.mjs", "serve"], {
    cwd: ROOT,
    env: {
      ...process.env,
      VIGIE_DATA_DIR: cli.dataDir,
      DATABASE_URL: cli.databaseUrl,
      VIGIE_DEMO: "0",
      PORT: String(port),
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serveur non démarré :\n${stderr}`)), 120_000);
    child.stderr?.on("data", () => {
      if (stderr.includes("Vigie est prêt")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => reject(new Error(`serveur arrêté (${code}) :\n${stderr}`)));
  });
  return { child, url: `http://127.0.0.1:${port}`, stderr: () => stderr };
}

async function stop(server: ServerProcess, signal: NodeJS.Signals): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  const exited = new Promise((resolve) => server.child.once("exit", resolve));
  server.child.kill(signal);
  await exited;
}

async function schoolsOf(server: ServerProcess, department: string): Promise<number> {
  const response = await fetch(`${server.url}/api/v1/schools?territory=department:${department}&pageSize=1`);
  return ((await response.json()) as { total: number }).total;
}

describe.skipIf(testEngine === "postgres")(
  "one owner for the embedded base (PGlite)",
  { timeout: 300_000 },
  () => {
    let cli: CliWorkspace;
    let server: ServerProcess;
    let annuaire: string;

    beforeAll(async () => {
      cli = await openCliWorkspace("vigie-owner-");
      annuaire = path.join(cli.dir, "annuaire.csv");
      // Writing the demo file needs no base: it runs on its own even while a server owns one.
      const written = await cli.vigie("demo", "--scale", "tiny", "--output", annuaire);
      expect(written.code, written.stderr).toBe(0);
      server = await startServeProcess(cli);
    });
    afterAll(async () => {
      if (server) await stop(server, "SIGKILL");
      await cli?.close();
    });

    it("the running server holds Vigie's lock: its real pid, its endpoint, a file only its owner reads", () => {
      const owner = readOwner(cli.dataDir);
      expect(owner).toMatchObject({ pid: server.child.pid, command: "vigie serve" });
      expect(owner?.endpoint?.port).toBeGreaterThan(0);
      expect(owner?.endpoint?.token).toMatch(/^[0-9a-f]{64}$/);
      expect(fs.statSync(lockPath(cli.dataDir)).mode & 0o777).toBe(0o600);
    });

    it("a dry run handed to the server prints the same report as the command alone", async () => {
      const delegated = await cli.vigie("import", "annuaire", annuaire, "--json");
      expect(delegated.code, delegated.stderr).toBe(0);
      const alone = await openCliWorkspace("vigie-owner-alone-");
      try {
        const reference = await alone.vigie("import", "annuaire", annuaire, "--json");
        expect(reference.code, reference.stderr).toBe(0);
        expect(JSON.parse(delegated.stdout)).toEqual(JSON.parse(reference.stdout));
      } finally {
        await alone.close();
      }
      expect(await schoolsOf(server, "33")).toBe(0);
    });

    it("a commit handed to the server shows at once in the server's pages, audited", async () => {
      const commit = await cli.vigie("import", "annuaire", annuaire, "--commit", "--json");
      expect(commit.code, commit.stderr).toBe(0);
      const report = JSON.parse(commit.stdout) as { committed: boolean; created: number };
      expect(report).toMatchObject({ committed: true });
      expect(report.created).toBeGreaterThan(0);
      expect(await schoolsOf(server, "33")).toBeGreaterThan(0);
      const users = await cli.vigie("user", "list", "--json");
      expect(users.code, users.stderr).toBe(0);
      expect(JSON.parse(users.stdout)).toEqual(expect.any(Array));
    });

    it("errors handed back keep their French message and exit code", async () => {
      const missing = await cli.vigie("import", "valeurs", path.join(cli.dir, "absent.csv"));
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain("Fichier introuvable");
      const relative = await cli.vigie("roadmap", "export", "inconnue");
      expect(relative.code).toBe(2);
      expect(relative.stderr).toMatch(/^Erreur : /);
      const badOption = await cli.vigie(
        "user",
        "grant",
        "--email",
        "a@b.fr",
        "--role",
        "pape",
        "--territory",
        "FR",
      );
      expect(badOption.code).toBe(1);
      expect(badOption.stderr).toContain("Valeurs possibles");
    });

    it("a second server on the same base is refused, exit code 2, naming the owner", async () => {
      const second = await cli.vigie("serve");
      expect(second.code).toBe(2);
      expect(second.stderr).toContain(`déjà ouverte par le processus ${server.child.pid}`);
    });

    it("a lock left by a killed server is taken over, and the data it committed is there", async () => {
      await stop(server, "SIGKILL");
      expect(readOwner(cli.dataDir)?.pid).toBe(server.child.pid);
      const after = await cli.vigie("import", "annuaire", annuaire, "--json");
      expect(after.code, after.stderr).toBe(0);
      const report = JSON.parse(after.stdout) as { created: number; unchanged: number };
      expect(report.created).toBe(0);
      expect(report.unchanged).toBeGreaterThan(0);
      expect(fs.existsSync(lockPath(cli.dataDir))).toBe(false);
    });

    it("when the owner cannot take the work, the command is refused with exit code 2 and writes nothing", async () => {
      // A live process holding the lock without a delegation endpoint (another command at work).
      const holder = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"]);
      try {
        fs.writeFileSync(
          lockPath(cli.dataDir),
          JSON.stringify({
            pid: holder.pid,
            processStart: null,
            hostname: (await import("node:os")).hostname(),
            command: "vigie import valeurs gros.csv",
            lockedAt: new Date().toISOString(),
          }),
          { mode: 0o600 },
        );
        const refused = await cli.vigie(
          "user",
          "create",
          "--email",
          "x@y.fr",
          "--role",
          "reader",
          "--territory",
          "FR",
        );
        expect(refused.code).toBe(2);
        expect(refused.stderr).toContain(
          `ouverte par le processus ${holder.pid} (vigie import valeurs gros.csv`,
        );
        expect(refused.stderr).toContain("rien n'a été écrit");
      } finally {
        holder.kill("SIGKILL");
      }
      const users = await cli.vigie("user", "list", "--json");
      expect(users.code, users.stderr).toBe(0);
      expect(JSON.parse(users.stdout)).not.toContainEqual(expect.objectContaining({ email: "x@y.fr" }));
    });
  },
);

describe.runIf(testEngine === "postgres")(
  "several processes on a PostgreSQL server",
  { timeout: 300_000 },
  () => {
    let cli: CliWorkspace;
    beforeAll(async () => {
      cli = await openCliWorkspace("vigie-owner-pg-");
    });
    afterAll(async () => cli?.close());

    it("work side by side, with no lock file", async () => {
      await cli.vigie("migrate");
      const [a, b] = await Promise.all([cli.vigie("user", "list"), cli.vigie("roadmap", "list")]);
      expect(a.code, a.stderr).toBe(0);
      expect(b.code, b.stderr).toBe(0);
      expect(fs.existsSync(lockPath(cli.dataDir))).toBe(false);
    });
  },
);
