import { describe, expect, it } from "vitest";
import type { FormDefinition } from "../../contracts/collection-model.ts";
import {
  addAxisItem,
  addField,
  addGrid,
  addRule,
  addSection,
  blankForm,
  codeFromLabel,
  definitionToSave,
  fromTemplate,
  issuesAt,
  issuesWithin,
  moveItem,
  moveSection,
  parseNumberInput,
  pathId,
  removeAxisItem,
  removeField,
  removeSection,
  uniqueCode,
  updateField,
  updateRule,
} from "./form-editor-model.ts";

const base = (): FormDefinition => ({
  ...blankForm(),
  code: "robotique",
  title: "Robotique",
});

describe("form editor model", () => {
  it("suggests codes from labels, unique in the form", () => {
    expect(codeFromLabel("Ordinateurs portables « élèves »")).toBe("ordinateurs_portables_eleves");
    expect(codeFromLabel("3D")).toBe("c_3d");
    expect(codeFromLabel("  ")).toBe("");
    expect(uniqueCode("champ", ["champ", "champ_2"])).toBe("champ_3");
  });

  it("moves the code along with the label until the author sets one", () => {
    let form = updateField(base(), 0, 0, { label: "Kits de robotique" });
    expect(form.sections[0]?.fields[0]?.code).toBe("kits_de_robotique");
    form = updateField(form, 0, 0, { code: "kits" });
    form = updateField(form, 0, 0, { label: "Kits de robotique éducative" });
    expect(form.sections[0]?.fields[0]?.code).toBe("kits");
  });

  it("adds fields with unique codes, clears bounds and choices when the type changes", () => {
    let form = addField(base(), 0);
    expect(form.sections[0]?.fields.map((f) => f.code)).toEqual(["champ", "champ_2"]);
    form = updateField(form, 0, 1, { max: 10 });
    form = updateField(form, 0, 1, { type: "option" });
    const field = form.sections[0]?.fields[1];
    expect(field).toMatchObject({ type: "option", min: undefined, max: undefined });
    expect(field?.options).toHaveLength(1);
    form = updateField(form, 0, 1, { type: "text" });
    expect(form.sections[0]?.fields[1]?.options).toBeUndefined();
    expect(removeField(form, 0, 0).sections[0]?.fields.map((f) => f.code)).toEqual(["champ_2"]);
  });

  it("adds, moves and removes sections, grids' rows and columns, and rules", () => {
    let form = addSection(base());
    form = updateRule(addRule(form), 0, { left: "a" });
    expect(form.sections.map((s) => s.code)).toEqual(["section_1", "section_2"]);
    expect(moveSection(form, 1, -1).sections.map((s) => s.code)).toEqual(["section_2", "section_1"]);
    expect(moveSection(form, 0, -1).sections.map((s) => s.code)).toEqual(["section_1", "section_2"]);
    expect(removeSection(form, 0).sections.map((s) => s.code)).toEqual(["section_2"]);
    form = addAxisItem(addGrid(form, 0), 0, 0, "rows");
    expect(form.sections[0]?.grids[0]?.rows.map((r) => r.code)).toEqual(["ligne_1", "ligne_2"]);
    form = removeAxisItem(form, 0, 0, "columns", 0);
    // A grid keeps one column at least.
    expect(form.sections[0]?.grids[0]?.columns).toHaveLength(1);
    expect(form.rules[0]).toMatchObject({ code: "regle_1", left: "a", operator: "le", importance: "error" });
    expect(moveItem([1, 2, 3], 2, 1)).toEqual([1, 2, 3]);
  });

  it("starts from a template without its code, and leaves empty optional texts out of the save", () => {
    const copy = fromTemplate({ ...base(), code: "equipment", title: "Équipement" });
    expect(copy).toMatchObject({ code: "", title: "Équipement (copie)" });
    const form = updateField(base(), 0, 0, { help: " ", unit: "" });
    const saved = definitionToSave(form);
    expect(saved.sections[0]?.fields[0]).not.toHaveProperty("help");
    expect(saved.sections[0]?.fields[0]).not.toHaveProperty("unit");
    expect(saved.sections[0]?.title).toBe("");
  });

  it("places the server's issues at their item and property", () => {
    const issues = [
      { path: "sections[0].fields[1].min", message: "minimum" },
      { path: "sections[0].fields[10].code", message: "dix" },
      { path: "rules[0].left", message: "gauche" },
    ];
    expect(issuesWithin(issues, "sections[0].fields[1]").map((i) => i.message)).toEqual(["minimum"]);
    expect(issuesWithin(issues, "sections[0]").map((i) => i.message)).toEqual(["minimum", "dix"]);
    expect(issuesAt(issues, "rules[0].left")).toEqual(["gauche"]);
    expect(pathId("sections[0].fields[1].min")).toBe("fe-sections-0-fields-1-min");
    expect(parseNumberInput("1 200,5")).toBe(1200.5);
    expect(parseNumberInput("")).toBeUndefined();
    expect(parseNumberInput("abc")).toBeUndefined();
  });
});
