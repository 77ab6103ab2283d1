/**
 * The collection form and campaign vocabulary without Zod (issue 11, docs/collection.md): the
 * types, enumerations, French labels and `expandForm` that the browser needs to run the rules
 * as the respondent types (ADR 0004: Zod stays out of the browser). The Zod schemas of
 * `collection-form.ts` and `collection.ts` are built from these values and checked, at compile
 * time, to produce exactly these types.
 */

export const FIELD_TYPES = ["number", "integer", "percentage", "yes_no", "option", "text"] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export const FIELD_TYPE_LABELS: Readonly<Record<FieldType, string>> = {
  number: "nombre",
  integer: "nombre entier",
  percentage: "pourcentage",
  yes_no: "oui / non",
  option: "liste de choix",
  text: "texte",
};

export const RULE_OPERATORS = [
  "eq",
  "ne",
  "gt",
  "ge",
  "lt",
  "le",
  "compulsory_pair",
  "exclusive_pair",
] as const;
export type RuleOperator = (typeof RULE_OPERATORS)[number];
export const RULE_OPERATOR_LABELS: Readonly<Record<RuleOperator, string>> = {
  eq: "=",
  ne: "≠",
  gt: ">",
  ge: "≥",
  lt: "<",
  le: "≤",
  compulsory_pair: "paire obligatoire",
  exclusive_pair: "paire exclusive",
};

export const RULE_IMPORTANCES = ["error", "warning"] as const;
export type RuleImportance = (typeof RULE_IMPORTANCES)[number];

export const MISSING_STRATEGIES = ["skip_if_any_missing", "skip_if_all_missing", "never_skip"] as const;
export type MissingStrategy = (typeof MISSING_STRATEGIES)[number];

export interface FieldOption {
  code: string;
  label: string;
}

/** A field of a form (see `formField` in collection-form.ts for each property's meaning). */
export interface FormField {
  code: string;
  label: string;
  help?: string | undefined;
  type: FieldType;
  unit?: string | undefined;
  min?: number | undefined;
  max?: number | undefined;
  options?: FieldOption[] | undefined;
  required: boolean;
  allowUnknown: boolean;
  dataElement?: string | undefined;
  disaggregation: Record<string, string>;
  prefillFrom?: string | undefined;
}

export interface GridAxis {
  code: string;
  label: string;
  disaggregation: Record<string, string>;
}

export interface FormGrid {
  code: string;
  label: string;
  help?: string | undefined;
  type: "number" | "integer";
  unit?: string | undefined;
  min?: number | undefined;
  max?: number | undefined;
  required: boolean;
  allowUnknown: boolean;
  dataElement?: string | undefined;
  rows: GridAxis[];
  columns: GridAxis[];
}

export interface FormSection {
  code: string;
  title: string;
  help?: string | undefined;
  fields: FormField[];
  grids: FormGrid[];
}

export interface FormRule {
  code: string;
  left: string;
  operator: RuleOperator;
  right: string;
  importance: RuleImportance;
  missing: MissingStrategy;
  message: string;
}

export interface FormDefinition {
  code: string;
  title: string;
  description?: string | undefined;
  sections: FormSection[];
  rules: FormRule[];
}

/** One answer: a value, or « je ne sais pas », or nothing yet; with an optional comment. */
export interface Answer {
  value: number | boolean | string | null;
  unknown: boolean;
  comment?: string | undefined;
}

export type Answers = Record<string, Answer>;

/** A field of the expanded form: a plain field, or one cell of a grid. */
export interface ExpandedField extends FormField {
  readonly section: string;
  /** The grid and its row and column, for a cell. */
  readonly grid?: { readonly code: string; readonly row: string; readonly column: string };
}

/** Every field of the form in order, grids expanded cell by cell (`grid.row.column`). */
export function expandForm(form: FormDefinition): ExpandedField[] {
  const out: ExpandedField[] = [];
  for (const section of form.sections) {
    for (const field of section.fields) out.push({ ...field, section: section.code });
    for (const grid of section.grids) out.push(...gridCells(grid, section.code));
  }
  return out;
}

function gridCells(grid: FormGrid, section: string): ExpandedField[] {
  return grid.rows.flatMap((row) =>
    grid.columns.map((column) => ({
      code: `${grid.code}.${row.code}.${column.code}`,
      label: `${grid.label} — ${row.label}, ${column.label}`,
      type: grid.type,
      unit: grid.unit,
      min: grid.min,
      max: grid.max,
      required: grid.required,
      allowUnknown: grid.allowUnknown,
      dataElement: grid.dataElement,
      disaggregation: { ...row.disaggregation, ...column.disaggregation },
      section,
      grid: { code: grid.code, row: row.code, column: column.code },
    })),
  );
}

/** Is this parsed JSON an answer set (offline drafts read back from the browser's storage)? */
export function isAnswers(value: unknown): value is Answers {
  if (!value || typeof value !== "object" || Array.isArray(value)) return false;
  return Object.values(value).every(isAnswer);
}

function isAnswer(value: unknown): value is Answer {
  if (!value || typeof value !== "object") return false;
  const a = value as Record<string, unknown>;
  const v = a.value;
  const valueOk =
    v === null ||
    typeof v === "boolean" ||
    typeof v === "string" ||
    (typeof v === "number" && Number.isFinite(v));
  return (
    valueOk && typeof a.unknown === "boolean" && (a.comment === undefined || typeof a.comment === "string")
  );
}

// --- campaigns ----------------------------------------------------------------------------------

/** The kind of period a template asks for (the campaign gives the period itself). */
export const PERIOD_KINDS = ["school_year", "year"] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

/** Who answers for a school. */
export const RESPONDENT_ROLES = ["school-head", "school-referent"] as const;
export type RespondentRole = (typeof RESPONDENT_ROLES)[number];

/** The levels that approve, from the school up (one step or two). */
export const APPROVAL_LEVELS = ["district", "department", "academy"] as const;
export type ApprovalLevel = (typeof APPROVAL_LEVELS)[number];

/** When the answers become data values of the observatory. */
export const FEED_MOMENTS = ["submitted", "approved"] as const;
export type FeedMoment = (typeof FEED_MOMENTS)[number];

export const RESPONSE_STATES = [
  "not_started",
  "draft",
  "submitted",
  "returned",
  "approved",
  "accepted",
] as const;
export type ResponseState = (typeof RESPONSE_STATES)[number];
export const RESPONSE_STATE_LABELS: Readonly<Record<ResponseState, string>> = {
  not_started: "Non commencé",
  draft: "Brouillon",
  submitted: "Transmis",
  returned: "Renvoyé pour correction",
  approved: "Validé",
  accepted: "Accepté",
};
