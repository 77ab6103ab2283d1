import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { type CliWorkspace, openCliWorkspace } from "../helpers/cli.ts";
import { testEngine } from "../helpers/db.ts";

/** A small roadmap in YAML, as a DANE would write it (no source document: written in Vigie). */
const ROADMAP_YAML = `id: plan-numerique-bordeaux
title: Plan numérique de l'académie de Bordeaux
shortTitle: Plan numérique Bordeaux
authority: DANE de Bordeaux
territory: { level: academy, code: "04", name: Bordeaux }
period: { from: "2025", to: "2028", label: 2025-2028 }
summary: Certifier les élèves et former les enseignants.
ambitions:
  - id: a1
    title: Développer les compétences numériques des élèves
    targets:
      - id: c1
        title: Certifier les élèves
        operationalFields:
          - id: f1
            title: Certification Pix
            indicatorRefs:
              - indicatorCode: pix_certification_rate
                label: Part des élèves certifiés
                objectives:
                  - id: o1
                    indicatorCode: pix_certification_rate
                    territory: { level: academy, code: "04", name: Bordeaux }
                    schoolYear: 2027-2028
                    baseline: { value: 40, schoolYear: 2024-2025 }
                    target: 80
                    unit: "%"
                    comparator: ">="
`;

/** `vigie roadmap …` in a child process, on a PGlite folder or a fresh PostgreSQL database. */
describe(`vigie roadmap (command line) on ${testEngine}`, { timeout: 180_000 }, () => {
  let cli: CliWorkspace;
  const vigie = (...args: string[]) => cli.vigie(...args);

  beforeAll(async () => {
    cli = await openCliWorkspace("vigie-roadmap-cli-");
  });
  afterAll(async () => cli?.close());

  it("lists the five templates", async () => {
    const res = await vigie("roadmap", "templates", "--json");
    expect(res.code, res.stderr).toBe(0);
    const templates = JSON.parse(res.stdout) as { id: string; seed: string }[];
    expect(templates.map((t) => t.seed).sort()).toEqual(["000", "001", "002", "003", "004"]);
  });

  it("refuses a bad YAML file with the path and the reason in French, and stores nothing", async () => {
    const bad = path.join(cli.dir, "mauvais.yaml");
    fs.writeFileSync(bad, ROADMAP_YAML.replace('comparator: ">="', 'comparator: "≥"'));
    const res = await vigie("roadmap", "import", bad, "--json");
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(
      "chemin « ambitions[0].targets[0].operationalFields[0].indicatorRefs[0].objectives[0].comparator »",
    );
    const list = await vigie("roadmap", "list", "--json");
    expect(JSON.parse(list.stdout)).toEqual([]);
  });

  it("imports a YAML file, lists it with --json, and exports the same document", async () => {
    const file = path.join(cli.dir, "plan.yaml");
    fs.writeFileSync(file, ROADMAP_YAML);
    const imported = await vigie("roadmap", "import", file, "--territoire", "academy:04", "--json");
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({
      slug: "plan-numerique-de-l-academie-de-bordeaux",
      status: "draft",
      objectives: 1,
    });

    const list = await vigie("roadmap", "list", "--json");
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([
      expect.objectContaining({
        id: expect.any(String),
        slug: "plan-numerique-de-l-academie-de-bordeaux",
        title: "Plan numérique de l'académie de Bordeaux",
        status: "draft",
        territory: { level: "academy", code: "04", name: "Bordeaux" },
        objectives: 1,
        version: 1,
      }),
    ]);

    const out = path.join(cli.dir, "export.yaml");
    const exported = await vigie(
      "roadmap",
      "export",
      "plan-numerique-de-l-academie-de-bordeaux",
      "--sortie",
      out,
    );
    expect(exported.code, exported.stderr).toBe(0);
    const original = parseYaml(ROADMAP_YAML) as Record<string, unknown>;
    const back = parseYaml(fs.readFileSync(out, "utf8")) as Record<string, unknown>;
    expect(back).toMatchObject(original);
  });
});
