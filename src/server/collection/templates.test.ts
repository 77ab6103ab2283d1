import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CampaignTemplate } from "../../contracts/collection.ts";
import { type Answers, expandForm, type FormField } from "../../contracts/collection-form.ts";
import { checkForm, evaluateRules, validateResponse } from "../../contracts/collection-rules.ts";
import type { IndicatorCatalogue } from "../../contracts/roadmaps.ts";
import { loadIndicatorCatalogue } from "../indicators/index.ts";
import {
  checkTemplateAgainstCatalogue,
  DEFAULT_COLLECTION_TEMPLATES_DIR,
  loadCampaignTemplates,
} from "./templates.ts";

/** The shipped collection templates (issue 11) and what their loader refuses. */

let catalogue: IndicatorCatalogue;
let templates: CampaignTemplate[];
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "vigie-collection-templates-"));
const equipmentText = fs.readFileSync(path.join(DEFAULT_COLLECTION_TEMPLATES_DIR, "equipment.yaml"), "utf8");

beforeAll(async () => {
  catalogue = await loadIndicatorCatalogue();
  templates = await loadCampaignTemplates(undefined, { catalogue });
});

afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

function template(code: string): CampaignTemplate {
  const found = templates.find((t) => t.code === code);
  if (!found) throw new Error(`modèle ${code} absent`);
  return found;
}

const answered = (values: Record<string, number | boolean | string>): Answers =>
  Object.fromEntries(Object.entries(values).map(([k, value]) => [k, { value, unknown: false }]));

/** Writes one directory of template files and returns the loader's French error message. */
async function loadError(files: Record<string, string>): Promise<string> {
  const dir = fs.mkdtempSync(path.join(scratch, "case-"));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  try {
    await loadCampaignTemplates(dir, { catalogue });
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  throw new Error("le chargement aurait dû échouer");
}

describe("shipped collection templates", () => {
  it("load the three templates the issue names, sorted by code", () => {
    expect(templates.map((t) => t.code)).toEqual(["digital-actions", "ent-activation", "equipment"]);
    expect(template("ent-activation").schoolTypes).toEqual([
      "ecole_maternelle",
      "ecole_elementaire",
      "ecole_primaire",
    ]);
    for (const t of templates) {
      expect(t.periodKind, t.code).toBe("school_year");
      expect(t.feed, t.code).toBe("approved");
      expect(t.approvalLevels.length, t.code).toBeGreaterThan(0);
      for (const section of t.form.sections) expect(section.help, `${t.code}/${section.code}`).toBeTruthy();
    }
  });

  it("pass checkForm and fit the catalogue", () => {
    for (const t of templates) {
      expect(checkForm(t.form), t.code).toEqual([]);
      expect(checkTemplateAgainstCatalogue(t, catalogue), t.code).toEqual([]);
    }
  });

  it("feed school-level elements only, with a type their values fit", () => {
    const elements = new Map(catalogue.dataElements.map((e) => [e.code, e]));
    const fed = templates.flatMap((t) => expandForm(t.form).filter((f) => f.dataElement !== undefined));
    expect(fed.length).toBeGreaterThan(30);
    for (const field of fed) {
      const element = elements.get(field.dataElement ?? "");
      expect(element?.collectedAt, field.code).toBe("school");
      if (field.type === "yes_no") expect(element?.valueType, field.code).toBe("boolean");
    }
  });

  it("break computers down by kind and state in a grid, beside their total", () => {
    const fields = new Map(expandForm(template("equipment").form).map((f) => [f.code, f]));
    expect(fields.get("computers_total")).toMatchObject({ dataElement: "computers", disaggregation: {} });
    expect(fields.get("computers.laptop.out_of_order")).toMatchObject({
      dataElement: "computers",
      disaggregation: { computer_kind: "laptop", equipment_state: "out_of_order" },
    });
    expect(fields.get("pupils")).toMatchObject({ prefillFrom: "pupils_enrolled" });
    expect(fields.get("pupils")?.dataElement).toBeUndefined();
  });

  it("break ENT accounts down by profile, loaded and activated", () => {
    const fed = expandForm(template("ent-activation").form)
      .filter((f) => f.dataElement?.startsWith("ent_accounts"))
      .map((f) => `${f.dataElement}:${f.disaggregation.profile}`);
    expect(fed.sort()).toEqual([
      "ent_accounts:parent",
      "ent_accounts:pupil",
      "ent_accounts:teacher",
      "ent_accounts_activated:parent",
      "ent_accounts_activated:pupil",
      "ent_accounts_activated:teacher",
    ]);
  });
});

describe("the rules of the shipped templates", () => {
  const equipment = () => template("equipment").form;
  const grid = (functional: number, outOfOrder: number) =>
    Object.fromEntries(
      ["desktop", "laptop", "thin_client"].flatMap((kind) => [
        [`computers.${kind}.functional`, functional],
        [`computers.${kind}.out_of_order`, outOfOrder],
      ]),
    );
  const status = (form: CampaignTemplate["form"], answers: Answers, previous: Answers, rule: string) =>
    evaluateRules(form, answers, previous).find((o) => o.rule === rule)?.status;

  it("refuse more functional computers than computers, and warn when the breakdown misses the total", () => {
    const over = answered({ computers_total: 20, ...grid(10, 0) });
    expect(status(equipment(), over, {}, "computers_functional_le_total")).toBe("violated");
    const fits = answered({ computers_total: 30, ...grid(10, 0) });
    expect(status(equipment(), fits, {}, "computers_functional_le_total")).toBe("passed");
    expect(status(equipment(), fits, {}, "computers_breakdown_eq_total")).toBe("passed");
    const short = answered({ computers_total: 31, ...grid(10, 0) });
    expect(status(equipment(), short, {}, "computers_breakdown_eq_total")).toBe("violated");
    // A cell still empty: the sums wait (skip_if_any_missing).
    const partial = answered({ computers_total: 1, "computers.desktop.functional": 5 });
    expect(status(equipment(), partial, {}, "computers_functional_le_total")).toBe("skipped");
  });

  it("refuse a Wi-Fi coverage above 100 % and more pupils equipped than pupils", () => {
    expect(status(equipment(), answered({ wifi_coverage: 100 }), {}, "wifi_coverage_le_100")).toBe("passed");
    const pupils = answered({ pupils: 300, pupils_equipped: 301 });
    expect(status(equipment(), pupils, {}, "pupils_equipped_le_pupils")).toBe("violated");
    // The headcount forgotten counts as 0 (never_skip): the error shows at once.
    const noHeadcount = answered({ pupils_equipped: 12 });
    expect(status(equipment(), noHeadcount, {}, "pupils_equipped_le_pupils")).toBe("violated");
  });

  it("compare with last year only when last year was answered", () => {
    const now = answered({ computers_total: 90 });
    expect(status(equipment(), now, {}, "computers_vs_last_year")).toBe("skipped");
    expect(status(equipment(), now, answered({ computers_total: 40 }), "computers_vs_last_year")).toBe(
      "violated",
    );
    expect(status(equipment(), now, answered({ computers_total: 45 }), "computers_vs_last_year")).toBe(
      "passed",
    );
  });

  it("block a submission on an error, not on a warning", () => {
    const form = template("digital-actions").form;
    const base = {
      trainee_days_digital: 12,
      teachers: 40,
      teachers_trained_digital: 10,
      career_reviews: 8,
      career_reviews_with_digital: 5,
      etwinning_projects: 2,
      e_devoirs_faits: true,
    };
    expect(validateResponse(form, answered(base), {}, { submission: true })).toEqual({
      errors: [],
      warnings: [],
    });
    const wrong = validateResponse(
      form,
      answered({ ...base, career_reviews_with_digital: 9 }),
      {},
      {
        submission: true,
      },
    );
    expect(wrong.errors.map((e) => e.rule)).toEqual(["career_reviews_digital_le_total"]);
    const doubtful = validateResponse(
      form,
      answered({ ...base, trainee_days_digital: 1 }),
      {},
      {
        submission: true,
      },
    );
    expect(doubtful.errors).toEqual([]);
    expect(doubtful.warnings.map((w) => w.rule)).toEqual(["trainee_days_for_trained_teachers"]);
  });

  it("warn when the ENT is said not activated while accounts are activated", () => {
    const form = template("ent-activation").form;
    const accounts = {
      pupil_accounts_activated: 3,
      parent_accounts_activated: 0,
      teacher_accounts_activated: 0,
    };
    const off = answered({ ent_activated: false, ...accounts });
    expect(status(form, off, {}, "no_activated_accounts_without_ent")).toBe("violated");
    const on = answered({ ent_activated: true, ...accounts });
    expect(status(form, on, {}, "no_activated_accounts_without_ent")).toBe("passed");
  });
});

describe("what the loader refuses, in French with the file and the path", () => {
  it("a rule naming an unknown field", async () => {
    const text = equipmentText.replace("right: computers_total\n", "right: computers_totl\n");
    expect(text).not.toBe(equipmentText);
    const message = await loadError({ "equipment.yaml": text });
    expect(message).toMatch(
      /Fichier « equipment\.yaml », chemin « form\.rules\[0\]\.right » : .*champ inconnu « computers_totl »/,
    );
  });

  it("an unknown data element", async () => {
    const text = equipmentText.replace("dataElement: video_projectors", "dataElement: video_projector");
    const message = await loadError({ "equipment.yaml": text });
    expect(message).toMatch(
      /Fichier « equipment\.yaml », chemin « form\.sections\[1\]\.fields\[1\]\.dataElement » : .*élément de donnée inconnu « video_projector »/,
    );
  });

  it("bad YAML, with its line", async () => {
    const message = await loadError({ "equipment.yaml": `${equipmentText}\n  - code: [oops\n` });
    expect(message).toMatch(/Fichier « equipment\.yaml », chemin « ligne \d+, colonne \d+ » : YAML invalide/);
  });

  it("a template outside the contract, and every file's problems at once", async () => {
    const unknownOperator = equipmentText.replace("operator: le\n", "operator: lte\n");
    const message = await loadError({
      "equipment.yaml": unknownOperator,
      "other.yaml": equipmentText,
    });
    expect(message).toMatch(/Fichier « equipment\.yaml », chemin « form\.rules\[0\]\.operator »/);
    expect(message).toMatch(
      /Fichier « other\.yaml », chemin « code » : le modèle « equipment » s'écrit dans le fichier equipment\.yaml/,
    );
  });
});

describe("checkTemplateAgainstCatalogue", () => {
  const withField = (change: Partial<FormField>): CampaignTemplate => {
    const t = structuredClone(template("equipment"));
    const first = t.form.sections[1]?.fields[0];
    if (!first) throw new Error("champ absent");
    Object.assign(first, change);
    return t;
  };
  const problems = (change: Partial<FormField>) =>
    checkTemplateAgainstCatalogue(withField(change), catalogue);
  const at = "form.sections[1].fields[0]";

  it("names an element collected above the school", () => {
    expect(problems({ dataElement: "trainee_days", type: "number" })).toEqual([
      `${at}.dataElement : « Tableaux et vidéoprojecteurs interactifs (TNI, VPI) » : l'élément « trainee_days » est saisi au niveau académie, pas par établissement`,
    ]);
  });

  it("names a breakdown the element does not have, or an unknown option", () => {
    expect(problems({ dataElement: "computers", disaggregation: { profile: "pupil" } })).toEqual([
      `${at}.disaggregation.profile : ventilation « profile » non prévue pour l'élément « computers » (prévues : computer_kind, equipment_state)`,
    ]);
    expect(problems({ dataElement: "computers", disaggregation: { computer_kind: "mainframe" } })).toEqual([
      `${at}.disaggregation.computer_kind : option « mainframe » inconnue pour la ventilation « computer_kind »`,
    ]);
  });

  it("names a type the element's values do not fit", () => {
    expect(problems({ type: "yes_no", min: undefined, max: undefined })).toEqual([
      `${at}.type : « Tableaux et vidéoprojecteurs interactifs (TNI, VPI) » : l'élément « interactive_boards » attend un entier ; le champ est de type « yes_no »`,
    ]);
    expect(problems({ type: "number" })[0]).toMatch(/attend un entier/);
    expect(problems({ dataElement: "school_ent_activated", type: "integer" })[0]).toMatch(
      /attend un oui \/ non/,
    );
  });

  it("names bounds wider than the element's, and two fields feeding one value", () => {
    expect(problems({ min: undefined })[0]).toMatch(
      /^form\.sections\[1\]\.fields\[0\]\.min : .*déclarez min: 0/,
    );
    expect(problems({ max: 2e9 })[0]).toMatch(/\.max : .*accepte plus de 1 000 000 000/);
    expect(problems({ dataElement: "video_projectors" })).toEqual([
      "form.sections[1].fields[1] : alimente la même valeur (« video_projectors », total) que « form.sections[1].fields[0] »",
    ]);
  });

  it("names two cells of a grid feeding one value", () => {
    const t = structuredClone(template("equipment"));
    const mobile = t.form.sections[0]?.grids[1];
    const [tablet, other] = mobile?.rows ?? [];
    if (!tablet || !other) throw new Error("grille absente");
    other.disaggregation = { ...tablet.disaggregation };
    expect(checkTemplateAgainstCatalogue(t, catalogue)).toEqual([
      "form.sections[0].grids[1] : case mobile_devices.other_mobile.functional : alimente la même valeur (« mobile_devices », equipment_state=functional,mobile_device_kind=tablet) que « form.sections[0].grids[1], case mobile_devices.tablet.functional »",
      "form.sections[0].grids[1] : case mobile_devices.other_mobile.out_of_order : alimente la même valeur (« mobile_devices », equipment_state=out_of_order,mobile_device_kind=tablet) que « form.sections[0].grids[1], case mobile_devices.tablet.out_of_order »",
    ]);
  });

  it("reports any field pointed at an unknown or non-school element, or given a foreign breakdown (property)", () => {
    const fedFields = templates.flatMap((t) =>
      t.form.sections.flatMap((section, s) =>
        section.fields.flatMap((field, i) =>
          field.dataElement === undefined ? [] : [{ code: t.code, s, i }],
        ),
      ),
    );
    const mutations = fc.constantFrom("unknown", "academy", "breakdown");
    fc.assert(
      fc.property(fc.constantFrom(...fedFields), mutations, (where, mutation) => {
        const t = structuredClone(template(where.code));
        const field = t.form.sections[where.s]?.fields[where.i];
        if (!field) return false;
        if (mutation === "unknown") field.dataElement = "not_in_catalogue";
        if (mutation === "academy") field.dataElement = "career_reviews";
        if (mutation === "breakdown")
          field.disaggregation = { ...field.disaggregation, dnb_series: "general" };
        const found = checkTemplateAgainstCatalogue(t, catalogue);
        return found.some((p) => p.startsWith(`form.sections[${where.s}].fields[${where.i}]`));
      }),
    );
  });
});
