import { describe, expect, it } from "vitest";
import { type Objective, type RoadmapDocument, roadmapDocument } from "../../../contracts/roadmaps.ts";
import type { TerritoryRef } from "../../../contracts/territories.ts";
import {
  checkNewIndicator,
  checkNewObjective,
  clearedNewObjective,
  defaultUnitOf,
  documentToSave,
  type EditorState,
  editorReducer,
  initEditor,
  newObjectiveForm,
  newObjectiveId,
  parseNumber,
  parsePeriod,
  plainIndicatorCodes,
  territoriesOf,
} from "./editor-model.ts";

const academy: TerritoryRef = { level: "academy", code: "04", name: "Bordeaux" };
const region: TerritoryRef = { level: "academicRegion", code: "75", name: "Nouvelle-Aquitaine" };

const objective: Objective = {
  id: "obj-1",
  indicatorCode: "ips",
  territory: region,
  schoolYear: "2026-2027",
  mode: "level",
  baseline: { value: 80, year: 2024, note: "mesurée en juin" },
  target: 90,
  unit: "%",
  comparator: ">=",
  perYear: false,
};

/** A roadmap with one ambition, one target and two operational fields, the first following one indicator. */
function roadmap(): RoadmapDocument {
  return roadmapDocument.parse({
    id: "na",
    title: "Feuille de route",
    shortTitle: "FdR",
    authority: "Rectorat",
    territory: region,
    period: { from: "2024", to: "2027", label: "2024-2027" },
    summary: "Résumé",
    ambitions: [
      {
        id: "amb-1",
        title: "Ambition",
        targets: [
          {
            id: "cib-1",
            title: "Cible",
            operationalFields: [
              {
                id: "ch-1",
                title: "Champ",
                indicatorRefs: [{ indicatorCode: "ips", label: "Taux de réussite", objectives: [objective] }],
              },
              { id: "ch-2", title: "Autre champ" },
            ],
          },
        ],
      },
    ],
  });
}

const apply = (state: EditorState, ...actions: Parameters<typeof editorReducer>[1][]) =>
  actions.reduce(editorReducer, state);

describe("typed values", () => {
  it("reads a year or a school year of consecutive years", () => {
    expect(parsePeriod("2026")).toEqual({ year: 2026 });
    expect(parsePeriod(" 2026-2027 ")).toEqual({ schoolYear: "2026-2027" });
    for (const bad of ["2026-2028", "26", "2026/2027", ""]) expect(parsePeriod(bad)).toBeNull();
  });

  it("reads numbers typed the French way", () => {
    expect(parseNumber("12,5")).toBe(12.5);
    expect(parseNumber(" 1 234 ")).toBe(1234);
    expect(parseNumber("")).toBeNull();
    expect(parseNumber("douze")).toBeNull();
  });
});

describe("the draft", () => {
  it("copies the document and fills each objective's text fields", () => {
    const document = roadmap();
    const state = initEditor(document);
    expect(state.document).toEqual(document);
    expect(state.document).not.toBe(document);
    expect(state.drafts["obj-1"]).toEqual({
      baseline: "80",
      baselinePeriod: "2024",
      target: "90",
      period: "2026-2027",
    });
    expect(state).toMatchObject({ errors: [], submits: 0, notice: "", focusId: null });
  });

  it("edits the titles and the summary without touching the stored document", () => {
    const document = roadmap();
    const state = apply(
      initEditor(document),
      { type: "title", value: "Nouveau titre" },
      { type: "summary", value: "Nouveau résumé" },
      { type: "ambitionTitle", ambition: 0, value: "A" },
      { type: "targetTitle", ambition: 0, target: 0, value: "C" },
      { type: "fieldTitle", path: [0, 0, 1], value: "F" },
      { type: "ambitionTitle", ambition: 5, value: "nowhere" },
    );
    expect(state.document.title).toBe("Nouveau titre");
    expect(state.document.summary).toBe("Nouveau résumé");
    const target = state.document.ambitions[0]?.targets[0];
    expect([state.document.ambitions[0]?.title, target?.title, target?.operationalFields[1]?.title]).toEqual([
      "A",
      "C",
      "F",
    ]);
    expect(document.title).toBe("Feuille de route");
  });

  it("adds an indicator to an operational field and focuses its new objective's deadline", () => {
    const state = apply(initEditor(roadmap()), {
      type: "addIndicator",
      path: [0, 0, 1],
      item: { code: "abs", name: "Absentéisme", unit: "%" },
      label: "Absentéisme",
    });
    expect(state.document.ambitions[0]?.targets[0]?.operationalFields[1]?.indicatorRefs).toEqual([
      { indicatorCode: "abs", label: "Absentéisme", objectives: [] },
    ]);
    expect(state.focusId).toBe("nouveau-ch-2-0-echeance");
    expect(state.notice).toBe(
      "Indicateur « Absentéisme » ajouté au champ. Ajoutez-lui un objectif puis enregistrez.",
    );
  });

  it("adds an objective with the first free id, then removes it", () => {
    const { id: _id, ...rest } = { ...objective, target: 95 };
    let state = apply(
      initEditor(roadmap()),
      { type: "errors", errors: [{ fieldId: "x", label: "X", message: "faux" }] },
      { type: "addObjective", path: [0, 0, 0], ref: 0, values: rest },
    );
    const ref = () => state.document.ambitions[0]?.targets[0]?.operationalFields[0]?.indicatorRefs[0];
    expect(ref()?.objectives.map((o) => o.id)).toEqual(["obj-1", "obj-2"]);
    expect(state.drafts["obj-2"]?.target).toBe("95");
    expect(state).toMatchObject({
      errors: [],
      focusId: "obj-2-cible",
      notice: "Objectif obj-2 ajouté. Il sera enregistré avec la feuille de route.",
    });

    state = apply(
      state,
      { type: "focused" },
      {
        type: "errors",
        errors: [
          { fieldId: "obj-2-cible", label: "Cible", message: "saisissez un nombre." },
          { fieldId: "obj-1-cible", label: "Cible", message: "saisissez un nombre." },
        ],
      },
      {
        type: "removeObjective",
        path: [0, 0, 0],
        ref: 0,
        objectiveId: "obj-2",
        focusAfter: "nouveau-ch-1-0-echeance",
      },
    );
    expect(ref()?.objectives.map((o) => o.id)).toEqual(["obj-1"]);
    expect(state.errors.map((e) => e.fieldId)).toEqual(["obj-1-cible"]);
    expect(state.focusId).toBe("nouveau-ch-1-0-echeance");
    expect(state.notice).toBe("Objectif obj-2 retiré. Enregistrez pour confirmer.");
    expect(state.submits).toBe(2);
  });

  it("never reuses an id of the document", () => {
    const document = roadmap();
    expect(newObjectiveId(document)).toBe("obj-2");
    const field = document.ambitions[0]?.targets[0]?.operationalFields[1];
    if (field) field.id = "obj-7";
    expect(newObjectiveId(document)).toBe("obj-8");
  });

  it("offers the roadmap's territory first, then those of its objectives", () => {
    const document = roadmap();
    expect(territoriesOf(document)).toEqual([region]);
    const o = document.ambitions[0]?.targets[0]?.operationalFields[0]?.indicatorRefs[0]?.objectives[0];
    if (o) o.territory = academy;
    expect(territoriesOf(document)).toEqual([region, academy]);
  });
});

describe("the document saved", () => {
  it("writes the typed values into the objectives, keeping the baseline's note", () => {
    const state = apply(
      initEditor(roadmap()),
      { type: "draft", objectiveId: "obj-1", key: "target", value: "92,5" },
      { type: "draft", objectiveId: "obj-1", key: "period", value: "2027" },
      { type: "draft", objectiveId: "obj-1", key: "baselinePeriod", value: "2024-2025" },
    );
    const { errors, document } = documentToSave(state);
    expect(errors).toEqual([]);
    const saved = document.ambitions[0]?.targets[0]?.operationalFields[0]?.indicatorRefs[0]?.objectives[0];
    expect(saved).toMatchObject({ target: 92.5, year: 2027 });
    expect(saved?.schoolYear).toBeUndefined();
    expect(saved?.baseline).toEqual({ note: "mesurée en juin", value: 80, schoolYear: "2024-2025" });
    expect(roadmapDocument.safeParse(document).success).toBe(true);
    expect(
      state.document.ambitions[0]?.targets[0]?.operationalFields[0]?.indicatorRefs[0]?.objectives[0]?.target,
    ).toBe(90);
  });

  it("drops an emptied baseline", () => {
    const state = apply(initEditor(roadmap()), {
      type: "draft",
      objectiveId: "obj-1",
      key: "baseline",
      value: " ",
    });
    const saved =
      documentToSave(state).document.ambitions[0]?.targets[0]?.operationalFields[0]?.indicatorRefs[0]
        ?.objectives[0];
    expect(saved?.baseline).toBeUndefined();
  });

  it("lists every field it cannot read, named after the objective", () => {
    const state = apply(
      initEditor(roadmap()),
      { type: "title", value: "  " },
      { type: "draft", objectiveId: "obj-1", key: "target", value: "beaucoup" },
      { type: "draft", objectiveId: "obj-1", key: "period", value: "2026-2028" },
      { type: "draft", objectiveId: "obj-1", key: "baselinePeriod", value: "hier" },
    );
    expect(documentToSave(state).errors).toEqual([
      { fieldId: "edition-titre", label: "Titre", message: "indiquez un titre." },
      { fieldId: "obj-1-cible", label: "Cible, Taux de réussite (obj-1)", message: "saisissez un nombre." },
      {
        fieldId: "obj-1-echeance",
        label: "Échéance, Taux de réussite (obj-1)",
        message: "saisissez une année (2026) ou une année scolaire (2026-2027).",
      },
      {
        fieldId: "obj-1-annee-base",
        label: "Année de la base, Taux de réussite (obj-1)",
        message: "saisissez une année (2024) ou une année scolaire (2024-2025), ou laissez vide.",
      },
    ]);
    const bad = apply(initEditor(roadmap()), {
      type: "draft",
      objectiveId: "obj-1",
      key: "baseline",
      value: "x",
    });
    expect(documentToSave(bad).errors.map((e) => [e.fieldId, e.message])).toEqual([
      ["obj-1-base", "saisissez un nombre ou laissez vide."],
    ]);
  });
});

describe("« Ajouter un objectif »", () => {
  const context = {
    prefix: "nouveau-ch-1-0",
    indicatorLabel: "Taux",
    territories: [region, academy],
    defaultUnit: "%",
  };

  it("starts on the first territory and keeps territory, comparator and unit after an addition", () => {
    const form = {
      ...newObjectiveForm(context.territories),
      period: "2026",
      target: "3",
      comparator: "<=" as const,
    };
    expect(form.territory).toBe("academicRegion:75");
    expect(clearedNewObjective({ ...form, unit: "élèves" })).toEqual({
      ...newObjectiveForm(context.territories),
      comparator: "<=",
      unit: "élèves",
    });
    expect(newObjectiveForm([]).territory).toBe("");
  });

  it("gives the objective's values, the indicator's unit by default", () => {
    const form = {
      ...newObjectiveForm(context.territories),
      territory: "academy:04",
      period: "2026-2027",
      baseline: "70",
      baselinePeriod: "2024",
      target: "80",
    };
    expect(checkNewObjective(form, context)).toEqual({
      values: {
        territory: academy,
        schoolYear: "2026-2027",
        mode: "level",
        baseline: { value: 70, year: 2024 },
        target: 80,
        unit: "%",
        comparator: ">=",
        perYear: false,
      },
    });
    const noBaseline = checkNewObjective({ ...form, baseline: "", unit: " pix " }, context);
    expect(noBaseline).toMatchObject({ values: { unit: "pix" } });
    expect("values" in noBaseline && "baseline" in noBaseline.values).toBe(false);
  });

  it("lists each wrong field", () => {
    const form = {
      ...newObjectiveForm(context.territories),
      territory: "academy:99",
      baseline: "x",
      baselinePeriod: "2024-2026",
      unit: "",
    };
    const checked = checkNewObjective(form, context);
    expect("errors" in checked && checked.errors.map((e) => [e.fieldId, e.label])).toEqual([
      ["nouveau-ch-1-0-territoire", "Territoire, nouvel objectif, Taux"],
      ["nouveau-ch-1-0-echeance", "Échéance, nouvel objectif, Taux"],
      ["nouveau-ch-1-0-cible", "Cible, nouvel objectif, Taux"],
      ["nouveau-ch-1-0-base", "Base, nouvel objectif, Taux"],
      ["nouveau-ch-1-0-annee-base", "Année de la base, nouvel objectif, Taux"],
      ["nouveau-ch-1-0-unite", "Unité, nouvel objectif, Taux"],
    ]);
  });

  it("takes the unit of the indicator's first objective, else the catalogue's", () => {
    const catalogue = [{ code: "abs", name: "Absentéisme", unit: "jours" }];
    expect(defaultUnitOf({ indicatorCode: "abs", objectives: [{ unit: "%" }] }, catalogue)).toBe("%");
    expect(defaultUnitOf({ indicatorCode: "abs", objectives: [] }, catalogue)).toBe("jours");
    expect(defaultUnitOf({ indicatorCode: "ips", objectives: [] }, catalogue)).toBe("");
  });
});

describe("« Ajouter un indicateur »", () => {
  const catalogue = [
    { code: "abs", name: "Absentéisme", unit: "%" },
    { code: "ips", name: "IPS", unit: "points" },
  ];
  const context = { prefix: "indicateur-ch-1", fieldLabel: "1.1.1", catalogue, existing: ["ips"] };

  it("gives the chosen indicator, named after the catalogue unless renamed", () => {
    expect(checkNewIndicator({ code: "abs", label: null }, context)).toEqual({
      item: catalogue[0],
      label: "Absentéisme",
    });
    expect(checkNewIndicator({ code: "abs", label: " Absences " }, context)).toMatchObject({
      label: "Absences",
    });
  });

  it("refuses no choice, an indicator already followed, an empty label", () => {
    const messages = (form: { code: string; label: string | null }) => {
      const checked = checkNewIndicator(form, context);
      return "errors" in checked ? checked.errors.map((e) => `${e.fieldId} ${e.label} : ${e.message}`) : [];
    };
    expect(messages({ code: "", label: null })).toEqual([
      "indicateur-ch-1-code Indicateur, nouvel indicateur du champ 1.1.1 : choisissez un indicateur.",
      "indicateur-ch-1-libelle Libellé, nouvel indicateur du champ 1.1.1 : indiquez un libellé.",
    ]);
    expect(messages({ code: "ips", label: null })).toEqual([
      "indicateur-ch-1-code Indicateur, nouvel indicateur du champ 1.1.1 : cet indicateur est déjà suivi dans ce champ.",
    ]);
  });

  it("counts as followed only the indicators without a breakdown", () => {
    expect(
      plainIndicatorCodes([
        { indicatorCode: "ips" },
        { indicatorCode: "abs", disaggregation: { level: "troisieme" } },
      ]),
    ).toEqual(["ips"]);
  });
});
