import type { Comparator, Objective, RoadmapDocument } from "../../../contracts/roadmaps.ts";
import type { TerritoryRef } from "../../../contracts/territories.ts";
import { nodeKey } from "../../../contracts/territory-tree.ts";
import type { FieldError } from "../../ui/FormErrorSummary.tsx";
import { objectiveLabel, objectivePeriod } from "../labels.ts";

/**
 * The roadmap editor's model, without React: the draft (the document and the text typed in each
 * objective), one reducer for every edit, the checks of the « Ajouter » sub-forms and of the
 * submit, and the document sent by `PUT /api/v1/roadmaps/{id}`. The components only render it.
 */

/** The text fields of one objective while it is edited. */
export interface ObjectiveDraft {
  baseline: string;
  baselinePeriod: string;
  target: string;
  period: string;
}

/** An indicator of the catalogue, as the editor offers it. */
export interface CatalogueItem {
  code: string;
  name: string;
  unit: string;
}

/** Where an operational field is: ambition, target, field (indexes). */
export type FieldPath = readonly [number, number, number];

export interface EditorState {
  document: RoadmapDocument;
  drafts: Record<string, ObjectiveDraft>;
  /** Shown in the summary above the form and beside each field. */
  errors: FieldError[];
  /** Counts the submits (and failed « Ajouter »), to move the focus to the summary again. */
  submits: number;
  /** Read by screen readers after an addition or a removal. */
  notice: string;
  /** The field to focus after the next render (then cleared by `focused`). */
  focusId: string | null;
}

export type EditorAction =
  | { type: "title"; value: string }
  | { type: "summary"; value: string }
  | { type: "ambitionTitle"; ambition: number; value: string }
  | { type: "targetTitle"; ambition: number; target: number; value: string }
  | { type: "fieldTitle"; path: FieldPath; value: string }
  | { type: "draft"; objectiveId: string; key: keyof ObjectiveDraft; value: string }
  | { type: "addIndicator"; path: FieldPath; item: CatalogueItem; label: string }
  | { type: "addObjective"; path: FieldPath; ref: number; values: Omit<Objective, "id"> }
  | { type: "removeObjective"; path: FieldPath; ref: number; objectiveId: string; focusAfter: string }
  /** Errors of an « Ajouter » sub-form, or of the submit. */
  | { type: "errors"; errors: FieldError[] }
  | { type: "focused" };

const PERIOD = /^(\d{4})(?:-(\d{4}))?$/;

/** « 2026 » → `{ year }`, « 2026-2027 » → `{ schoolYear }`, anything else → null. */
export function parsePeriod(text: string): { year: number } | { schoolYear: string } | null {
  const m = PERIOD.exec(text.trim());
  if (!m) return null;
  if (m[2] === undefined) return { year: Number(m[1]) };
  return Number(m[2]) === Number(m[1]) + 1 ? { schoolYear: text.trim() } : null;
}

/** A number typed the French way (« 1 234,5 »), or null. */
export function parseNumber(text: string): number | null {
  const t = text.trim().replace(",", ".").replace(/\s/g, "");
  if (t === "") return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

export function objectivesOf(document: RoadmapDocument): { objective: Objective; label: string }[] {
  return document.ambitions.flatMap((a) =>
    a.targets.flatMap((t) =>
      t.operationalFields.flatMap((f) =>
        f.indicatorRefs.flatMap((ref) =>
          ref.objectives.map((objective) => ({ objective, label: objectiveLabel(ref.label, objective) })),
        ),
      ),
    ),
  );
}

/** Every `id` of the document, to keep a new objective's id unique. */
function idsOf(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) idsOf(v, into);
  else if (value && typeof value === "object")
    for (const [k, v] of Object.entries(value)) {
      if (k === "id" && typeof v === "string") into.add(v);
      else idsOf(v, into);
    }
  return into;
}

/** `obj-<n>`, the first one not used in the document. */
export function newObjectiveId(document: RoadmapDocument): string {
  const ids = idsOf(document);
  let n = 1;
  for (const id of ids) {
    const m = /^obj-(\d+)$/.exec(id);
    if (m) n = Math.max(n, Number(m[1]) + 1);
  }
  while (ids.has(`obj-${n}`)) n++;
  return `obj-${n}`;
}

/** The territory's node key (the contracts' one format). */
export const territoryKey = (t: TerritoryRef) => nodeKey(t);

/** The roadmap's territory first, then the other territories its objectives already use. */
export function territoriesOf(document: RoadmapDocument): TerritoryRef[] {
  const found = new Map<string, TerritoryRef>([[territoryKey(document.territory), document.territory]]);
  for (const { objective } of objectivesOf(document))
    if (!found.has(territoryKey(objective.territory)))
      found.set(territoryKey(objective.territory), objective.territory);
  return [...found.values()];
}

export const draftOf = (o: Objective): ObjectiveDraft => ({
  baseline: o.baseline ? String(o.baseline.value) : "",
  baselinePeriod: o.baseline ? String(o.baseline.schoolYear ?? o.baseline.year ?? "") : "",
  target: String(o.target),
  period: objectivePeriod(o),
});

/** The editor opened on a stored roadmap (the document is copied: edits never touch the query cache). */
export function initEditor(document: RoadmapDocument): EditorState {
  return {
    document: structuredClone(document),
    drafts: Object.fromEntries(objectivesOf(document).map(({ objective: o }) => [o.id, draftOf(o)])),
    errors: [],
    submits: 0,
    notice: "",
    focusId: null,
  };
}

const fieldAt = (d: RoadmapDocument, [ai, ti, fi]: FieldPath) =>
  d.ambitions[ai]?.targets[ti]?.operationalFields[fi];

/** A copy of the document with one change. */
function changed(state: EditorState, change: (d: RoadmapDocument) => void): EditorState {
  const document = structuredClone(state.document);
  change(document);
  return { ...state, document };
}

export function editorReducer(state: EditorState, action: EditorAction): EditorState {
  switch (action.type) {
    case "title":
      return changed(state, (d) => {
        d.title = action.value;
      });
    case "summary":
      return changed(state, (d) => {
        d.summary = action.value;
      });
    case "ambitionTitle":
      return changed(state, (d) => {
        const a = d.ambitions[action.ambition];
        if (a) a.title = action.value;
      });
    case "targetTitle":
      return changed(state, (d) => {
        const c = d.ambitions[action.ambition]?.targets[action.target];
        if (c) c.title = action.value;
      });
    case "fieldTitle":
      return changed(state, (d) => {
        const f = fieldAt(d, action.path);
        if (f) f.title = action.value;
      });
    case "draft":
      return {
        ...state,
        drafts: {
          ...state.drafts,
          [action.objectiveId]: {
            ...(state.drafts[action.objectiveId] as ObjectiveDraft),
            [action.key]: action.value,
          },
        },
      };
    case "addIndicator": {
      const field = fieldAt(state.document, action.path);
      const ri = field?.indicatorRefs.length ?? 0;
      const next = changed(state, (d) =>
        fieldAt(d, action.path)?.indicatorRefs.push({
          indicatorCode: action.item.code,
          label: action.label,
          objectives: [],
        }),
      );
      return {
        ...next,
        errors: [],
        notice: `Indicateur « ${action.label} » ajouté au champ. Ajoutez-lui un objectif puis enregistrez.`,
        focusId: field ? `nouveau-${field.id}-${ri}-echeance` : state.focusId,
      };
    }
    case "addObjective": {
      const id = newObjectiveId(state.document);
      const objective = { id, ...action.values } as Objective;
      const next = changed(state, (d) =>
        fieldAt(d, action.path)?.indicatorRefs[action.ref]?.objectives.push(objective),
      );
      return {
        ...next,
        drafts: { ...state.drafts, [id]: draftOf(objective) },
        errors: [],
        notice: `Objectif ${id} ajouté. Il sera enregistré avec la feuille de route.`,
        focusId: `${id}-cible`,
      };
    }
    case "removeObjective": {
      const next = changed(state, (d) => {
        const ref = fieldAt(d, action.path)?.indicatorRefs[action.ref];
        if (ref) ref.objectives = ref.objectives.filter((o) => o.id !== action.objectiveId);
      });
      return {
        ...next,
        errors: state.errors.filter((e) => !e.fieldId.startsWith(`${action.objectiveId}-`)),
        notice: `Objectif ${action.objectiveId} retiré. Enregistrez pour confirmer.`,
        focusId: action.focusAfter,
      };
    }
    case "errors":
      return { ...state, errors: action.errors, submits: state.submits + 1 };
    case "focused":
      return { ...state, focusId: null };
  }
}

/**
 * The submit: every objective's typed text checked and written into a copy of the document, the
 * document to send when there is no error (`roadmapsApi.update` wraps it with the version).
 */
export function documentToSave(state: Pick<EditorState, "document" | "drafts">): {
  errors: FieldError[];
  document: RoadmapDocument;
} {
  const errors: FieldError[] = [];
  const next = structuredClone(state.document);
  if (next.title.trim() === "")
    errors.push({ fieldId: "edition-titre", label: "Titre", message: "indiquez un titre." });
  for (const { objective, label } of objectivesOf(next)) {
    const d = state.drafts[objective.id];
    if (d) errors.push(...applyDraft(objective, d, `${label} (${objective.id})`));
  }
  return { errors, document: next };
}

/** Writes one objective's typed text into it; the errors of the fields that could not be read. */
function applyDraft(objective: Objective, d: ObjectiveDraft, where: string): FieldError[] {
  const errors: FieldError[] = [];
  const target = parseNumber(d.target);
  if (target === null)
    errors.push({
      fieldId: `${objective.id}-cible`,
      label: `Cible, ${where}`,
      message: "saisissez un nombre.",
    });
  else objective.target = target;
  const period = parsePeriod(d.period);
  if (!period)
    errors.push({
      fieldId: `${objective.id}-echeance`,
      label: `Échéance, ${where}`,
      message: "saisissez une année (2026) ou une année scolaire (2026-2027).",
    });
  else {
    delete objective.year;
    delete objective.schoolYear;
    Object.assign(objective, period);
  }
  const baseline = parseNumber(d.baseline);
  if (d.baseline.trim() === "") delete objective.baseline;
  else if (baseline === null)
    errors.push({
      fieldId: `${objective.id}-base`,
      label: `Base, ${where}`,
      message: "saisissez un nombre ou laissez vide.",
    });
  else {
    const basePeriod = d.baselinePeriod.trim() === "" ? {} : parsePeriod(d.baselinePeriod);
    if (basePeriod === null)
      errors.push({
        fieldId: `${objective.id}-annee-base`,
        label: `Année de la base, ${where}`,
        message: "saisissez une année (2024) ou une année scolaire (2024-2025), ou laissez vide.",
      });
    else
      objective.baseline = {
        ...(objective.baseline?.note ? { note: objective.baseline.note } : {}),
        value: baseline,
        ...basePeriod,
      };
  }
  return errors;
}

/** The « Ajouter un objectif » sub-form, as typed. */
export interface NewObjectiveForm {
  territory: string;
  period: string;
  baseline: string;
  baselinePeriod: string;
  target: string;
  comparator: Comparator;
  /** Null until people change it: then the indicator's unit applies. */
  unit: string | null;
}

export function newObjectiveForm(territories: readonly TerritoryRef[]): NewObjectiveForm {
  const first = territories[0];
  return {
    territory: first ? territoryKey(first) : "",
    period: "",
    baseline: "",
    baselinePeriod: "",
    target: "",
    comparator: ">=",
    unit: null,
  };
}

/** After an addition, the typed values are cleared; the territory, comparator and unit stay. */
export const clearedNewObjective = (form: NewObjectiveForm): NewObjectiveForm => ({
  ...form,
  period: "",
  baseline: "",
  baselinePeriod: "",
  target: "",
});

/** Checks « Ajouter un objectif »: the objective's values (without id nor indicator), or the errors. */
export function checkNewObjective(
  form: NewObjectiveForm,
  context: {
    prefix: string;
    indicatorLabel: string;
    territories: readonly TerritoryRef[];
    defaultUnit: string;
  },
): { errors: FieldError[] } | { values: Omit<Objective, "id" | "indicatorCode"> } {
  const { prefix } = context;
  const where = `nouvel objectif, ${context.indicatorLabel}`;
  const unit = form.unit ?? context.defaultUnit;
  const errors: FieldError[] = [];
  const chosen = context.territories.find((t) => territoryKey(t) === form.territory);
  if (!chosen)
    errors.push({
      fieldId: `${prefix}-territoire`,
      label: `Territoire, ${where}`,
      message: "choisissez un territoire.",
    });
  const p = parsePeriod(form.period);
  if (!p)
    errors.push({
      fieldId: `${prefix}-echeance`,
      label: `Échéance, ${where}`,
      message: "saisissez une année (2026) ou une année scolaire (2026-2027).",
    });
  const t = parseNumber(form.target);
  if (t === null)
    errors.push({ fieldId: `${prefix}-cible`, label: `Cible, ${where}`, message: "saisissez un nombre." });
  const b = parseNumber(form.baseline);
  if (form.baseline.trim() !== "" && b === null)
    errors.push({
      fieldId: `${prefix}-base`,
      label: `Base, ${where}`,
      message: "saisissez un nombre ou laissez vide.",
    });
  const bp = form.baselinePeriod.trim() === "" ? {} : parsePeriod(form.baselinePeriod);
  if (bp === null)
    errors.push({
      fieldId: `${prefix}-annee-base`,
      label: `Année de la base, ${where}`,
      message: "saisissez une année (2024) ou une année scolaire (2024-2025), ou laissez vide.",
    });
  if (unit.trim() === "")
    errors.push({
      fieldId: `${prefix}-unite`,
      label: `Unité, ${where}`,
      message: "indiquez l'unité de l'indicateur.",
    });
  if (errors.length > 0 || !chosen || !p || t === null || bp === null) return { errors };
  return {
    values: {
      territory: chosen,
      ...p,
      mode: "level",
      ...(b !== null ? { baseline: { value: b, ...bp } } : {}),
      target: t,
      unit: unit.trim(),
      comparator: form.comparator,
      perYear: false,
    },
  };
}

/** Checks « Ajouter un indicateur »: the chosen item and its label, or the errors. */
export function checkNewIndicator(
  form: { code: string; label: string | null },
  context: {
    prefix: string;
    fieldLabel: string;
    catalogue: readonly CatalogueItem[];
    existing: readonly string[];
  },
): { errors: FieldError[] } | { item: CatalogueItem; label: string } {
  const item = context.catalogue.find((i) => i.code === form.code);
  const label = form.label ?? item?.name ?? "";
  const where = `nouvel indicateur du champ ${context.fieldLabel}`;
  const errors: FieldError[] = [];
  if (!item)
    errors.push({
      fieldId: `${context.prefix}-code`,
      label: `Indicateur, ${where}`,
      message: "choisissez un indicateur.",
    });
  else if (context.existing.includes(item.code))
    errors.push({
      fieldId: `${context.prefix}-code`,
      label: `Indicateur, ${where}`,
      message: "cet indicateur est déjà suivi dans ce champ.",
    });
  if (label.trim() === "")
    errors.push({
      fieldId: `${context.prefix}-libelle`,
      label: `Libellé, ${where}`,
      message: "indiquez un libellé.",
    });
  if (errors.length > 0 || !item) return { errors };
  return { item, label: label.trim() };
}

/** The codes followed without a breakdown in a field: adding one of them again is refused. */
export const plainIndicatorCodes = (refs: readonly { indicatorCode: string; disaggregation?: unknown }[]) =>
  refs.filter((r) => r.disaggregation === undefined).map((r) => r.indicatorCode);

/** The unit of a new objective: the indicator's first objective's, else the catalogue's. */
export const defaultUnitOf = (
  ref: { indicatorCode: string; objectives: readonly { unit: string }[] },
  catalogue: readonly CatalogueItem[],
) => ref.objectives[0]?.unit ?? catalogue.find((i) => i.code === ref.indicatorCode)?.unit ?? "";
