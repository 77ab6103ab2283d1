import type { FormIssue } from "../../contracts/collection-forms.ts";
import type {
  FieldType,
  FormDefinition,
  FormField,
  FormGrid,
  FormRule,
  FormSection,
  GridAxis,
} from "../../contracts/collection-model.ts";

/**
 * The form editor's model, without React (docs/collection.md, « Formulaires »): a new form, blank
 * or copied from a template; the editing operations on sections, fields, grids and rules, each
 * returning a new definition; the server's issues placed at the item whose path they name.
 */

export function blankForm(): FormDefinition {
  return {
    code: "",
    title: "",
    sections: [{ code: "section_1", title: "", fields: [newField([])], grids: [] }],
    rules: [],
  };
}

/** A template's form as the start of a new one: the same content, a code and a title of its own. */
export function fromTemplate(form: FormDefinition): FormDefinition {
  return { ...structuredClone(form), code: "", title: `${form.title} (copie)` };
}

/** « Ordinateurs portables » → `ordinateurs_portables`: the code a label suggests. */
export function codeFromLabel(label: string): string {
  const slug = label
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 60);
  if (slug === "") return "";
  return /^[a-z]/.test(slug) ? slug : `c_${slug}`;
}

/** `base`, or `base_2`, `base_3`… : the first not taken. */
export function uniqueCode(base: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) if (!used.has(`${base}_${n}`)) return `${base}_${n}`;
}

function fieldCodes(form: FormDefinition): string[] {
  return form.sections.flatMap((s) => [...s.fields.map((f) => f.code), ...s.grids.map((g) => g.code)]);
}

export function newField(taken: Iterable<string>, type: FieldType = "integer"): FormField {
  return {
    code: uniqueCode("champ", taken),
    label: "",
    type,
    ...(type === "integer" || type === "number" ? { min: 0 } : {}),
    required: true,
    allowUnknown: false,
    disaggregation: {},
  };
}

function newGrid(taken: Iterable<string>): FormGrid {
  return {
    code: uniqueCode("grille", taken),
    label: "",
    type: "integer",
    min: 0,
    required: true,
    allowUnknown: false,
    rows: [{ code: "ligne_1", label: "", disaggregation: {} }],
    columns: [{ code: "colonne_1", label: "", disaggregation: {} }],
  };
}

// --- lists -----------------------------------------------------------------------------------

export function moveItem<T>(list: readonly T[], index: number, delta: -1 | 1): T[] {
  const to = index + delta;
  if (index < 0 || index >= list.length || to < 0 || to >= list.length) return [...list];
  const out = [...list];
  const [item] = out.splice(index, 1);
  out.splice(to, 0, item as T);
  return out;
}

const replaceAt = <T>(list: readonly T[], index: number, item: T): T[] =>
  list.map((x, i) => (i === index ? item : x));
const removeAt = <T>(list: readonly T[], index: number): T[] => list.filter((_, i) => i !== index);

// --- sections ----------------------------------------------------------------------------------

export function addSection(form: FormDefinition): FormDefinition {
  const code = uniqueCode(
    `section_${form.sections.length + 1}`,
    form.sections.map((s) => s.code),
  );
  const section: FormSection = { code, title: "", fields: [newField(fieldCodes(form))], grids: [] };
  return { ...form, sections: [...form.sections, section] };
}

export function updateSection(form: FormDefinition, s: number, patch: Partial<FormSection>): FormDefinition {
  const section = form.sections[s];
  return section ? { ...form, sections: replaceAt(form.sections, s, { ...section, ...patch }) } : form;
}

export function removeSection(form: FormDefinition, s: number): FormDefinition {
  return { ...form, sections: removeAt(form.sections, s) };
}

export function moveSection(form: FormDefinition, s: number, delta: -1 | 1): FormDefinition {
  return { ...form, sections: moveItem(form.sections, s, delta) };
}

// --- fields and grids --------------------------------------------------------------------------

export function addField(form: FormDefinition, s: number): FormDefinition {
  const section = form.sections[s];
  if (!section) return form;
  return updateSection(form, s, { fields: [...section.fields, newField(fieldCodes(form))] });
}

/** A field changed; a label typed into a field whose code still followed the old label moves the code along. */
export function updateField(
  form: FormDefinition,
  s: number,
  i: number,
  patch: Partial<FormField>,
): FormDefinition {
  const section = form.sections[s];
  const field = section?.fields[i];
  if (!section || !field) return form;
  const next: FormField = { ...field, ...patch };
  if (patch.label !== undefined && followsLabel(field.code, field.label)) {
    const others = fieldCodes(form).filter((c) => c !== field.code);
    next.code = uniqueCode(codeFromLabel(patch.label) || field.code, others);
  }
  if (patch.type !== undefined) Object.assign(next, typeDefaults(next));
  return updateSection(form, s, { fields: replaceAt(section.fields, i, next) });
}

function followsLabel(code: string, label: string): boolean {
  return /^champ(_\d+)?$/.test(code) || (label !== "" && code.startsWith(codeFromLabel(label)));
}

/** What a type change clears: bounds off a non-number, choices off a non-list. */
function typeDefaults(field: FormField): Partial<FormField> {
  const numeric = field.type === "integer" || field.type === "number" || field.type === "percentage";
  return {
    ...(numeric ? {} : { min: undefined, max: undefined, unit: undefined }),
    ...(field.type === "option"
      ? { options: field.options ?? [{ code: "choix_1", label: "" }] }
      : { options: undefined }),
    ...(field.type === "option" || field.type === "text" ? { dataElement: undefined } : {}),
  };
}

export function removeField(form: FormDefinition, s: number, i: number): FormDefinition {
  const section = form.sections[s];
  return section ? updateSection(form, s, { fields: removeAt(section.fields, i) }) : form;
}

export function moveField(form: FormDefinition, s: number, i: number, delta: -1 | 1): FormDefinition {
  const section = form.sections[s];
  return section ? updateSection(form, s, { fields: moveItem(section.fields, i, delta) }) : form;
}

export function addGrid(form: FormDefinition, s: number): FormDefinition {
  const section = form.sections[s];
  if (!section) return form;
  return updateSection(form, s, { grids: [...section.grids, newGrid(fieldCodes(form))] });
}

export function updateGrid(
  form: FormDefinition,
  s: number,
  g: number,
  patch: Partial<FormGrid>,
): FormDefinition {
  const section = form.sections[s];
  const grid = section?.grids[g];
  if (!section || !grid) return form;
  return updateSection(form, s, { grids: replaceAt(section.grids, g, { ...grid, ...patch }) });
}

export function removeGrid(form: FormDefinition, s: number, g: number): FormDefinition {
  const section = form.sections[s];
  return section ? updateSection(form, s, { grids: removeAt(section.grids, g) }) : form;
}

export type Axis = "rows" | "columns";

export function addAxisItem(form: FormDefinition, s: number, g: number, axis: Axis): FormDefinition {
  const grid = form.sections[s]?.grids[g];
  if (!grid) return form;
  const base = axis === "rows" ? "ligne" : "colonne";
  const code = uniqueCode(
    `${base}_${grid[axis].length + 1}`,
    grid[axis].map((a) => a.code),
  );
  return updateGrid(form, s, g, { [axis]: [...grid[axis], { code, label: "", disaggregation: {} }] });
}

export function updateAxisItem(
  form: FormDefinition,
  s: number,
  g: number,
  axis: Axis,
  a: number,
  patch: Partial<GridAxis>,
): FormDefinition {
  const grid = form.sections[s]?.grids[g];
  const item = grid?.[axis][a];
  if (!grid || !item) return form;
  return updateGrid(form, s, g, { [axis]: replaceAt(grid[axis], a, { ...item, ...patch }) });
}

export function removeAxisItem(
  form: FormDefinition,
  s: number,
  g: number,
  axis: Axis,
  a: number,
): FormDefinition {
  const grid = form.sections[s]?.grids[g];
  if (!grid || grid[axis].length <= 1) return form;
  return updateGrid(form, s, g, { [axis]: removeAt(grid[axis], a) });
}

// --- rules -------------------------------------------------------------------------------------

export function addRule(form: FormDefinition): FormDefinition {
  const rule: FormRule = {
    code: uniqueCode(
      `regle_${form.rules.length + 1}`,
      form.rules.map((r) => r.code),
    ),
    left: "",
    operator: "le",
    right: "",
    importance: "error",
    missing: "skip_if_any_missing",
    message: "",
  };
  return { ...form, rules: [...form.rules, rule] };
}

export function updateRule(form: FormDefinition, r: number, patch: Partial<FormRule>): FormDefinition {
  const rule = form.rules[r];
  return rule ? { ...form, rules: replaceAt(form.rules, r, { ...rule, ...patch }) } : form;
}

export function removeRule(form: FormDefinition, r: number): FormDefinition {
  return { ...form, rules: removeAt(form.rules, r) };
}

// --- saving and the server's issues ----------------------------------------------------------

/** The definition as sent: empty optional texts left out (the server would refuse a blank unit). */
export function definitionToSave(form: FormDefinition): FormDefinition {
  return JSON.parse(
    JSON.stringify(form, (key, value) =>
      typeof value === "string" && value.trim() === "" && OPTIONAL_TEXTS.has(key) ? undefined : value,
    ),
  ) as FormDefinition;
}

const OPTIONAL_TEXTS = new Set(["help", "unit", "description", "dataElement", "prefillFrom"]);

/** The issues about this item or inside it (`sections[0].fields[1]` takes `sections[0].fields[1].min`). */
export function issuesWithin(issues: readonly FormIssue[], path: string): FormIssue[] {
  return issues.filter(
    (i) => i.path === path || i.path.startsWith(`${path}.`) || i.path.startsWith(`${path}[`),
  );
}

/** The messages about exactly this property (`sections[0].fields[1].min`). */
export function issuesAt(issues: readonly FormIssue[], path: string): string[] {
  return issues.filter((i) => i.path === path).map((i) => i.message);
}

/** The DOM id of an item or a property, from its path: the summary's links lead there. */
export function pathId(path: string): string {
  return `fe-${path.replace(/[[\].]+/g, "-").replace(/-$/, "")}`;
}

/** Where a summary link goes: the property's control when the editor has one, else the item. */
export function issueTarget(path: string): string {
  return pathId(path === "" ? "form" : path);
}

/** A number typed the French way (« 12,5 »), or nothing for an empty box. */
export function parseNumberInput(text: string): number | undefined {
  const t = text.trim().replace(/\s/g, "").replace(",", ".");
  if (t === "") return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

/** How an editor changes the form: a function of the current definition (no stale copy). */
export type FormEdit = (change: (form: FormDefinition) => FormDefinition) => void;
