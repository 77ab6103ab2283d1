import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateDemoSchools } from "../../src/server/territories/demo/generate.ts";
import { type CliWorkspace, openCliWorkspace } from "../helpers/cli.ts";
import { testEngine } from "../helpers/db.ts";

/**
 * Issue 10, item 1: `vigie import <profil> <fichier>` in child processes, on both engines, with a
 * real profile (pix-certification, whose files name no UAI): dry run, commit through the
 * `imports.commit` job, the same file again (« déjà importé (lot N) »), the batch list, a
 * rollback and a second one refused; a file for another profile, an unknown school.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const CERTIFICATION = path.join(ROOT, "tests/fixtures/imports/pix-certification-3e.csv");

describe(`vigie import <profil> (command line) on ${testEngine}`, { timeout: 300_000 }, () => {
  let cli: CliWorkspace;
  const vigie = (...args: string[]) => cli.vigie(...args);
  const school = generateDemoSchools("tiny").find((s) => s.status === "open" && s.type === "college");

  beforeAll(async () => {
    cli = await openCliWorkspace("vigie-imports-cli-");
    const demo = await vigie("demo", "--scale", "tiny", "--no-values", "--json");
    expect(demo.code, demo.stderr).toBe(0);
  });
  afterAll(async () => cli?.close());

  it("dry-runs, commits as a job, refuses the same file twice, lists and rolls back its batch once", async () => {
    const uai = school?.uai as string;
    const dry = await vigie("import", "pix-certification", CERTIFICATION, "--school", uai, "--json");
    expect(dry.code, dry.stderr).toBe(0);
    const report = JSON.parse(dry.stdout);
    expect(report).toMatchObject({
      profile: "pix-certification",
      committed: false,
      refused: null,
      school: uai,
    });
    expect(report.read).toBeGreaterThan(0);
    expect(report.values).toBeGreaterThan(0);

    const commit = await vigie(
      "import",
      "pix-certification",
      CERTIFICATION,
      "--school",
      uai,
      "--commit",
      "--json",
    );
    expect(commit.code, commit.stderr).toBe(0);
    const committed = JSON.parse(commit.stdout);
    expect(committed).toMatchObject({ committed: true, alreadyImported: false, read: report.read });
    expect(committed.written).toBeGreaterThan(0);
    const batch = committed.batchId as string;

    const again = await vigie("import", "pix-certification", CERTIFICATION, "--school", uai, "--commit");
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`Déjà importé (lot ${batch})`);

    const lots = await vigie("import", "lots", "--json");
    expect(JSON.parse(lots.stdout)[0]).toMatchObject({ batchId: batch, status: "committed", schoolUai: uai });

    const rollback = await vigie("import", "rollback", batch, "--json");
    expect(rollback.code, rollback.stderr).toBe(0);
    expect(JSON.parse(rollback.stdout)).toMatchObject({
      batchId: batch,
      removed: committed.written,
      restored: 0,
    });
    const twice = await vigie("import", "rollback", batch);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain(`Le lot ${batch} a déjà été annulé`);
  });

  it("refuses a file meant for another profile and an unknown school (a header of no profile: reader.test.ts)", async () => {
    const uai = school?.uai as string;
    const wrong = await vigie("import", "pix-profiles", CERTIFICATION, "--school", uai);
    expect(wrong.code).toBe(2);
    expect(wrong.stdout).toContain("Ce fichier ressemble à un export « ");
    expect(wrong.stdout).toContain("utilisez le profil pix-certification");
    const unknown = await vigie("import", "pix-certification", CERTIFICATION, "--school", "9999999Z");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("--school 9999999Z : aucun établissement n'a cet UAI");
  });
});
