import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliWorkspace, openCliWorkspace } from "../helpers/cli.ts";
import { testEngine } from "../helpers/db.ts";
import { freePort } from "../helpers/vigie-server.ts";

/**
 * `vigie campaign form list|show|save` and `campaign create --form` in a child process (issue
 * 11, point 1): the same checks as the API, one problem a line, exit code 2; then, with a
 * `vigie serve` holding the embedded base, the same commands handed to the server (ADR 0008).
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

const FORM_YAML = `code: tablettes
title: Tablettes en classe
sections:
  - code: parc
    title: Parc de tablettes
    fields:
      - code: tablets
        label: Tablettes
        type: integer
        min: 0
      - code: tablets_broken
        label: Tablettes hors service
        type: integer
        min: 0
rules:
  - code: broken_le_tablets
    left: tablets_broken
    operator: le
    right: tablets
    message: Les tablettes hors service ne peuvent dépasser les tablettes.
`;

describe(`vigie campaign form (command line) on ${testEngine}`, { timeout: 240_000 }, () => {
  let cli: CliWorkspace;
  const vigie = (...args: string[]) => cli.vigie(...args);
  const write = (name: string, text: string) => {
    fs.writeFileSync(path.join(cli.dir, name), text);
    return path.join(cli.dir, name);
  };

  beforeAll(async () => {
    cli = await openCliWorkspace("vigie-form-cli-");
    const demo = await vigie("demo", "--scale", "tiny", "--no-values", "--json");
    expect(demo.code, demo.stderr).toBe(0);
  });
  afterAll(async () => cli?.close());

  it("refuses a rule on an unknown field and a bad bound, one problem a line, exit code 2", async () => {
    const bad = FORM_YAML.replace("right: tablets\n", "right: tablettes\n").replace(
      "        type: integer\n        min: 0\n      - code: tablets_broken",
      "        type: integer\n        min: beaucoup\n      - code: tablets_broken",
    );
    const res = await vigie("campaign", "form", "save", write("bad.yaml", bad));
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("Erreur : formulaire refusé (1 problème) :");
    expect(res.stderr).toContain(
      "- sections[0].fields[0].min : section « Parc de tablettes », champ « Tablettes », minimum : doit être un nombre",
    );
    const rule = await vigie(
      "campaign",
      "form",
      "save",
      write("rule.yaml", FORM_YAML.replace("right: tablets\n", "right: tablettes\n")),
    );
    expect(rule.code).toBe(2);
    expect(rule.stderr).toContain(
      "- rules[0].right : règle « broken_le_tablets » : champ inconnu « tablettes »",
    );
    const missing = await vigie("campaign", "form", "save", path.join(cli.dir, "absent.yaml"));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/Fichier introuvable/);
    const list = await vigie("campaign", "form", "list", "--json");
    expect(JSON.parse(list.stdout).items).toEqual([]);
  });

  it("saves a form from YAML, again unchanged, shows it, and launches a campaign from it", async () => {
    const file = write("tablettes.yaml", FORM_YAML);
    const first = await vigie("campaign", "form", "save", file, "--territory", "academy:04");
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/Formulaire « tablettes » enregistré : version 1 \(.*Bordeaux\)/);
    const same = await vigie("campaign", "form", "save", file, "--json");
    expect(JSON.parse(same.stdout)).toMatchObject({ version: 1, created: false, territory: "academy:04" });

    const shown = await vigie("campaign", "form", "show", "tablettes");
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/^# tablettes, version 1 sur 1/);
    expect(shown.stdout).toContain("code: broken_le_tablets");
    // What `show` prints is a file `save` takes back: the same definition, no new version.
    const again = await vigie("campaign", "form", "save", write("shown.yaml", shown.stdout), "--json");
    expect(JSON.parse(again.stdout)).toMatchObject({ version: 1, created: false });

    const created = await vigie(
      "campaign",
      "create",
      "--form",
      "tablettes",
      "--territory",
      "academy:04",
      "--period",
      "2025",
      "--json",
    );
    expect(created.code, created.stderr).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({
      template: "tablettes",
      formVersion: 1,
      period: "2025",
    });
    const unknown = await vigie(
      "campaign",
      "create",
      "--form",
      "inconnu",
      "--territory",
      "academy:04",
      "--period",
      "2025",
    );
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Formulaire « inconnu » inconnu/);
  });

  it.skipIf(testEngine !== "pglite")(
    "hands the commands to the server that holds the embedded base",
    async () => {
      const server = await startServeProcess(cli);
      try {
        const v2 = FORM_YAML.replace("title: Tablettes en classe", "title: Tablettes et liseuses en classe");
        const saved = await vigie("campaign", "form", "save", write("v2.yaml", v2), "--json");
        expect(saved.code, saved.stderr).toBe(0);
        expect(JSON.parse(saved.stdout)).toMatchObject({
          version: 2,
          created: true,
          activeCampaigns: 1,
          activeCampaignsOnOlderVersion: 1,
        });
        const list = await vigie("campaign", "form", "list");
        expect(list.stdout).toMatch(
          /tablettes\tTablettes et liseuses en classe\tversion 2\t.*1 campagne\(s\) en cours, dont 1 sur une version précédente/,
        );
        const bad = await vigie(
          "campaign",
          "form",
          "save",
          write("bad2.yaml", v2.replace("operator: le", "operator: environ")),
        );
        expect(bad.code).toBe(2);
        expect(bad.stderr).toContain(
          "rules[0].operator : règle « broken_le_tablets », opérateur : valeur non reconnue",
        );
      } finally {
        server.child.kill("SIGTERM");
        await new Promise((resolve) => server.child.once("exit", resolve));
      }
    },
  );
});

async function startServeProcess(cli: CliWorkspace): Promise<{ child: ChildProcess }> {
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
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serveur non démarré :\n${stderr}`)), 120_000);
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes("Vigie est prêt")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => reject(new Error(`serveur arrêté (${code}) :\n${stderr}`)));
  });
  return { child };
}
