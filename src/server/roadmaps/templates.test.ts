import { beforeAll, describe, expect, it } from "vitest";
import type { IndicatorCatalogue, Objective, RoadmapTemplate } from "../../contracts/roadmaps.ts";
import {
  loadIndicatorCatalogue,
  loadRoadmapTemplates,
  parseIndicatorCatalogue,
  parseRoadmapDocument,
  parseRoadmapTemplate,
  TemplateErrors,
} from "./templates.ts";

let catalogue: IndicatorCatalogue;
let templates: RoadmapTemplate[];

beforeAll(async () => {
  catalogue = await loadIndicatorCatalogue();
  templates = await loadRoadmapTemplates({ catalogue });
});

function template(id: string): RoadmapTemplate {
  const found = templates.find((t) => t.id === id);
  if (!found) throw new Error(`modèle ${id} absent`);
  return found;
}

function objectives(t: RoadmapTemplate): Objective[] {
  return t.ambitions.flatMap((a) =>
    a.targets.flatMap((c) =>
      c.operationalFields.flatMap((f) => f.indicatorRefs.flatMap((r) => r.objectives)),
    ),
  );
}

function objective(t: RoadmapTemplate, id: string): Objective {
  const found = objectives(t).find((o) => o.id === id);
  if (!found) throw new Error(`objectif ${id} absent de ${t.id}`);
  return found;
}

describe("roadmap templates and indicator catalogue", () => {
  it("loads the five seed templates and the catalogue", () => {
    expect(templates.map((t) => t.id).sort()).toEqual([
      "egn-2020",
      "lille-2022-2025",
      "nouvelle-aquitaine-drane-2021",
      "poitiers-2020-2021",
      "reunion-strategie-territoriale",
    ]);
    expect(new Set(templates.map((t) => t.sourceDocument.seed))).toEqual(
      new Set(["000", "001", "002", "003", "004"]),
    );
    expect(catalogue.indicators.length).toBeGreaterThanOrEqual(40);
  });

  it("keeps referential integrity: every objective and figure names a catalogue indicator", () => {
    const codes = new Set(catalogue.indicators.map((i) => i.code));
    for (const t of templates) {
      for (const o of objectives(t)) expect(codes.has(o.indicatorCode), `${t.id}/${o.id}`).toBe(true);
      const figures = [...t.diagnostics.flatMap((d) => d.figures), ...t.checkpoints.flatMap((c) => c.values)];
      for (const f of figures)
        if (f.indicatorCode) expect(codes.has(f.indicatorCode), `${t.id}/${f.id}`).toBe(true);
    }
    const ids = templates.flatMap((t) => objectives(t).map((o) => `${t.id}/${o.id}`));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("ships the indicators the seeds measure", () => {
    const codes = new Set(catalogue.indicators.map((i) => i.code));
    for (const code of [
      "pix_orga_activation_rate",
      "pix_certification_rate",
      "pix_mean_score",
      "teachers_pix_certified_count",
      "trainee_days",
      "ent_activation_rate",
      "ent_usage_rate",
      "resource_connections_per_pupil",
      "schools_above_national_resource_connections_rate",
      "computers_per_100_pupils",
      "interactive_boards_per_1000_pupils",
      "self_assessment_schools_rate",
      "telepresence_systems_deployed",
      "nsi_pupils_count",
      "nsi_girls_share",
      "etwinning_projects_count",
      "committee_meetings_per_year",
      "eac_projects_with_digital_share",
    ]) {
      expect(codes.has(code), code).toBe(true);
    }
    const per100 = catalogue.indicators.find((i) => i.code === "computers_per_100_pupils");
    expect(per100?.factor).toBe(100);
    expect(catalogue.indicators.find((i) => i.code === "interactive_boards_per_1000_pupils")?.factor).toBe(
      1000,
    );
    const above = catalogue.indicators.find(
      (i) => i.code === "schools_above_national_resource_connections_rate",
    );
    expect(above?.kind).toBe("per_school_then_count");
    expect(above?.schoolRule?.threshold).toBe("national_value");
  });

  it("holds the Nouvelle-Aquitaine 2021 objectives with their exact values", () => {
    const na = template("nouvelle-aquitaine-drane-2021");
    expect(na.territory).toEqual({ level: "academicRegion", code: "75", name: "Nouvelle-Aquitaine" });
    expect(objective(na, "na21-pix-orga")).toMatchObject({
      indicatorCode: "pix_orga_activation_rate",
      target: 100,
      unit: "%",
    });
    expect(objective(na, "na21-pix-certif")).toMatchObject({
      indicatorCode: "pix_certification_rate",
      target: 100,
    });
    expect(objective(na, "na21-pix-mean-3e")).toMatchObject({
      target: 128,
      unit: "pix",
      disaggregation: { level: "troisieme" },
    });
    expect(objective(na, "na21-pix-mean-terminale")).toMatchObject({
      target: 256,
      disaggregation: { level: "terminale" },
    });
    expect(objective(na, "na21-trainee-days")).toMatchObject({
      indicatorCode: "trainee_days",
      target: 10000,
      year: 2021,
    });
    expect(objective(na, "na21-certified-teachers-2021")).toMatchObject({
      target: 150,
      year: 2021,
      comparator: ">=",
    });
    expect(objective(na, "na21-certified-teachers-2022")).toMatchObject({ target: 1500, year: 2022 });
    expect(objective(na, "na21-schematic-schools")).toMatchObject({
      indicatorCode: "self_assessment_schools_rate",
      target: 20,
      disaggregation: { self_assessment_tool: "schematic" },
    });
    expect(objective(na, "na21-telepresence-first-degree")).toMatchObject({
      target: 80,
      ofTotal: 122,
      disaggregation: { degree: "first_degree" },
    });
    expect(objective(na, "na21-telepresence-second-degree")).toMatchObject({
      target: 80,
      ofTotal: 117,
      disaggregation: { degree: "second_degree" },
    });
    expect(objective(na, "na21-ent-ecoles-2022")).toMatchObject({
      indicatorCode: "ent_activation_rate",
      target: 50,
      year: 2022,
      disaggregation: { school_type: "ecole", sector: "public" },
    });
    expect(objective(na, "na21-committee-meetings")).toMatchObject({
      indicatorCode: "committee_meetings_per_year",
      target: 2,
      comparator: ">=",
      perYear: true,
    });
    const checkpoint = na.checkpoints.find((c) => c.id === "pix-orga-2021-01");
    expect(checkpoint?.values.find((v) => v.id === "bdx-campaign")).toMatchObject({
      numerator: 457,
      denominator: 549,
      value: 83.24,
    });
  });

  it("holds Poitiers 2020-2021 targets", () => {
    const poi = template("poitiers-2020-2021");
    expect(poi.ambitions).toHaveLength(3);
    expect(objective(poi, "poi-trainee-days")).toMatchObject({ target: 10000, schoolYear: "2020-2021" });
    expect(objective(poi, "poi-certified-teachers")).toMatchObject({ target: 50 });
    expect(objective(poi, "poi-nsi-girls")).toMatchObject({
      target: 2.5,
      disaggregation: { level: "premiere_generale", sex: "girls" },
    });
    expect(objective(poi, "poi-etwinning")).toMatchObject({ target: 200 });
    expect(objective(poi, "poi-ent-lycees")).toMatchObject({
      target: 100,
      disaggregation: { school_type: "lycee", sector: "public" },
    });
    expect(objective(poi, "poi-referents-certified-2022")).toMatchObject({ target: 100, year: 2022 });
  });

  it("holds Réunion's 15 recommendations and diagnostic figures", () => {
    const reu = template("reunion-strategie-territoriale");
    expect(reu.recommendations).toHaveLength(15);
    expect(reu.recommendations.map((r) => r.number)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    expect(reu.recommendations[8]?.title).toBe("Netflix de l'éducation");
    const figures = reu.diagnostics.flatMap((d) => d.figures);
    expect(figures.find((f) => f.id === "colleges-above-national")).toMatchObject({
      value: 42.5,
      indicatorCode: "schools_above_national_resource_connections_rate",
      disaggregation: { school_type: "college" },
    });
    expect(figures.find((f) => f.id === "lycees-above-national")).toMatchObject({ value: 37.2 });
  });

  it("holds Lille's levers and the five EGN 2020 themes", () => {
    const lille = template("lille-2022-2025");
    expect(lille.ambitions).toHaveLength(3);
    expect(lille.ambitions.flatMap((a) => a.targets)).toHaveLength(14);
    expect(lille.axes).toHaveLength(3);
    const egn = template("egn-2020");
    expect(egn.ambitions).toHaveLength(5);
    expect(egn.ambitions.map((a) => a.code)).toEqual([
      "Thématique 1",
      "Thématique 2",
      "Thématique 3",
      "Thématique 4",
      "Thématique 5",
    ]);
    const lp = egn.diagnostics.flatMap((d) => d.figures).find((f) => f.id === "computers-lp");
    expect(lp).toMatchObject({
      value: 62,
      indicatorCode: "computers_per_100_pupils",
      schoolYear: "2018-2019",
    });
  });

  it("reports a broken template in French, naming the file and the path", () => {
    const broken = [
      "id: essai",
      "title: Essai",
      "shortTitle: Essai",
      "authority: DANE",
      "territory: { level: academy, code: '13', name: Poitiers }",
      "period: { from: '2021', to: '2022', label: '2021' }",
      "sourceDocument: { seed: '001', file: f.txt, title: T, publisher: P }",
      "summary: Résumé",
      "ambitions:",
      "  - id: a1",
      "    title: Ambition",
      "    source: { seed: '001', section: A1 }",
      "    targets:",
      "      - id: c1",
      "        title: Cible",
      "        source: { seed: '001', section: C1 }",
      "        operationalFields:",
      "          - id: f1",
      "            title: Champ",
      "            source: { seed: '001', section: F1 }",
      "            indicatorRefs:",
      "              - indicatorCode: pix_mean_score",
      "                label: Score",
      "                objectives:",
      "                  - { id: o1, indicatorCode: pix_mean_score, territory: { level: academy, code: '13', name: Poitiers }, year: 2021, target: deux, unit: pix, comparator: '>=', source: { seed: '001', section: F1 } }",
    ].join("\n");
    let error: unknown;
    try {
      parseRoadmapTemplate(broken, "roadmaps/essai.yaml", catalogue);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TemplateErrors);
    const first = (error as TemplateErrors).errors[0];
    expect(first?.file).toBe("roadmaps/essai.yaml");
    expect(first?.path).toBe(
      "ambitions[0].targets[0].operationalFields[0].indicatorRefs[0].objectives[0].target",
    );
    expect((error as Error).message).toContain("Fichier « roadmaps/essai.yaml »");
    // The same words as the API's validation (platform/validation.ts), not Zod's own locale.
    expect((error as Error).message).toMatch(/ : doit être un nombre$/);
  });

  it("requires sources in a template, not in a roadmap written in Vigie", () => {
    const text = [
      "id: essai",
      "title: Essai",
      "shortTitle: Essai",
      "authority: DANE",
      "territory: { level: academy, code: '13', name: Poitiers }",
      "period: { from: '2021', to: '2022', label: '2021' }",
      "summary: Résumé",
      "ambitions:",
      "  - id: a1",
      "    title: Ambition",
      "    targets:",
      "      - id: c1",
      "        title: Cible",
      "        operationalFields:",
      "          - id: f1",
      "            title: Champ",
      "            indicatorRefs:",
      "              - indicatorCode: pix_mean_score",
      "                label: Score",
      "                objectives:",
      "                  - { id: o1, indicatorCode: pix_mean_score, territory: { level: academy, code: '13', name: Poitiers }, year: 2021, target: 128, unit: pix, comparator: '>=' }",
    ].join("\n");
    const document = parseRoadmapDocument(text, "plan.yaml", catalogue);
    expect(document.sourceDocument).toBeUndefined();
    expect(
      document.ambitions[0]?.targets[0]?.operationalFields[0]?.indicatorRefs[0]?.objectives[0]?.target,
    ).toBe(128);
    expect(() => parseRoadmapTemplate(text, "roadmaps/essai.yaml", catalogue)).toThrow(/sourceDocument/);
    const withDocument = text.replace(
      "summary:",
      "sourceDocument: { seed: '001', file: f.txt, title: T, publisher: P }\nsummary:",
    );
    let error: unknown;
    try {
      parseRoadmapTemplate(withDocument, "roadmaps/essai.yaml", catalogue);
    } catch (e) {
      error = e;
    }
    expect((error as TemplateErrors).errors.map((e) => `${e.path} : ${e.reason}`)).toEqual([
      "ambitions[0].source : source manquante : un modèle du projet cite le document (« seed ») et la section",
      "ambitions[0].targets[0].source : source manquante : un modèle du projet cite le document (« seed ») et la section",
      "ambitions[0].targets[0].operationalFields[0].source : source manquante : un modèle du projet cite le document (« seed ») et la section",
      "ambitions[0].targets[0].operationalFields[0].indicatorRefs[0].objectives[0].source : source manquante : un modèle du projet cite le document (« seed ») et la section",
    ]);
  });

  it("rejects an unknown indicator code and invalid YAML syntax", () => {
    const text = [
      "id: essai",
      "title: Essai",
      "shortTitle: Essai",
      "authority: DANE",
      "territory: { level: academy, code: '13', name: Poitiers }",
      "period: { from: '2021', to: '2022', label: '2021' }",
      "sourceDocument: { seed: '001', file: f.txt, title: T, publisher: P }",
      "summary: Résumé",
      "ambitions:",
      "  - id: a1",
      "    title: Ambition",
      "    source: { seed: '001', section: A1 }",
      "    targets:",
      "      - id: c1",
      "        title: Cible",
      "        source: { seed: '001', section: C1 }",
      "        operationalFields:",
      "          - id: f1",
      "            title: Champ",
      "            source: { seed: '002', section: F1 }",
      "            indicatorRefs:",
      "              - { indicatorCode: inconnu_total, label: X }",
    ].join("\n");
    expect(() => parseRoadmapTemplate(text, "roadmaps/essai.yaml", catalogue)).toThrow(
      /ambitions\[0\]\.targets\[0\]\.operationalFields\[0\]\.indicatorRefs\[0\]\.indicatorCode » : indicateur « inconnu_total » absent du catalogue/,
    );
    expect(() => parseRoadmapTemplate(text, "roadmaps/essai.yaml", catalogue)).toThrow(
      /document source « 002 »/,
    );
    expect(() => parseIndicatorCatalogue("version: 1\nindicators: [\n", "indicators.yaml")).toThrow(
      /Fichier « indicators\.yaml », chemin « ligne \d+, colonne \d+ » : YAML invalide/,
    );
  });
});
