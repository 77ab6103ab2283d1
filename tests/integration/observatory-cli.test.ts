import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateDemoSchools } from "../../src/server/territories/demo/generate.ts";
import { type CliWorkspace, openCliWorkspace } from "../helpers/cli.ts";
import { testEngine } from "../helpers/db.ts";

/** `vigie demo`, `vigie import valeurs` and `vigie rollup` in child processes, on both engines. */
describe(`vigie import valeurs and vigie rollup (command line) on ${testEngine}`, {
  timeout: 300_000,
}, () => {
  let cli: CliWorkspace;
  const vigie = (...args: string[]) => cli.vigie(...args);
  const school = generateDemoSchools("tiny").find((s) => s.status === "open" && s.departmentCode === "33");

  beforeAll(async () => {
    cli = await openCliWorkspace("vigie-observatory-cli-");
  });
  afterAll(async () => cli?.close());

  it("loads the demo territory without values, then imports a values file: dry run, commit, roll-up", async () => {
    expect(school).toBeDefined();
    const demo = await vigie("demo", "--scale", "tiny", "--no-values", "--json");
    expect(demo.code, demo.stderr).toBe(0);
    expect(JSON.parse(demo.stdout)).toMatchObject({ committed: true, observatory: null });

    const file = path.join(cli.dir, "valeurs.csv");
    fs.writeFileSync(
      file,
      [
        "uai;element;periode;ventilation;valeur",
        `${school?.uai};computers;2024-2025;;30`,
        `${school?.uai};pupils_enrolled;2024-2025;;300`,
        `${school?.uai};computers;2024-2025;level=troisieme;3`,
      ].join("\n"),
    );
    const dry = await vigie("import", "valeurs", file);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain("ligne 4, colonne « ventilation »");
    expect(dry.stdout).toContain("Simulation : rien n'a été enregistré");

    const commit = await vigie("import", "valeurs", file, "--commit", "--json");
    expect(commit.code, commit.stderr).toBe(0);
    const result = JSON.parse(commit.stdout) as {
      report: { written: number; rejected: unknown[] };
      rollup: { rows: number } | null;
    };
    expect(result.report.written).toBe(2);
    expect(result.report.rejected).toHaveLength(1);
    expect(result.rollup?.rows).toBeGreaterThan(0);

    const pending = await vigie("rollup", "--json");
    expect(pending.code, pending.stderr).toBe(0);
    expect(JSON.parse(pending.stdout)).toEqual({ pending: 0 });
    const full = await vigie("rollup", "--full", "--json");
    expect(full.code, full.stderr).toBe(0);
    const report = JSON.parse(full.stdout) as { academies: number; rows: number };
    expect(report.academies).toBe(30);
    expect(report.rows).toBe(result.rollup?.rows);
  });

  it("refuses a file without the required columns, in French, with exit code 2", async () => {
    const file = path.join(cli.dir, "mauvais.csv");
    fs.writeFileSync(file, "code;valeur\n0330001A;3\n");
    const res = await vigie("import", "valeurs", file, "--commit");
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("Colonnes obligatoires absentes : uai, element, periode");
  });
});
