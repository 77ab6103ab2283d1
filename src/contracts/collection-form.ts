import { z } from "zod";

/**
 * A collection form (issue 11, docs/collection.md): the fields a school fills in during a
 * campaign, in sections, with the validation rules that run both in the browser as the respondent
 * types and on the server at submission (`collection-rules.ts`, one definition). Shared by the
 * server (templates, storage, OpenAPI) and the web app (the filling-in page).
 *
 * A field feeds one data element of the catalogue (with a fixed disaggregation), or none (a text
 * kept with the response only). A disaggregation grid is written once in the form and expanded
 * into one field per cell by `expandForm`: its cells are fields like the others (rules name them
 * `grid.row.column`, e.g. `computers.desktop.functional`).
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

const code = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_]*$/, "Code attendu en minuscules, chiffres et « _ » (ex. computers).")
  .max(80);
const label = z.string().trim().min(1, "Le libellé est obligatoire.").max(300);
const help = z.string().trim().max(2000).optional();
const disaggregation = z.record(code, code).default({});

export const fieldOption = z.object({ code, label });
export type FieldOption = z.infer<typeof fieldOption>;

export const formField = z.object({
  /** Unique in the form; the name rules use. */
  code,
  label,
  help,
  type: z.enum(FIELD_TYPES),
  unit: z.string().trim().max(40).optional(),
  min: z.number().finite().optional(),
  max: z.number().finite().optional(),
  /** The choices of an `option` field. */
  options: z.array(fieldOption).max(100).optional(),
  /** An answer is expected for the response to be complete (a submission needs every required field). */
  required: z.boolean().default(true),
  /** « je ne sais pas » is an accepted answer. */
  allowUnknown: z.boolean().default(false),
  /** The catalogue element the answer becomes a data value of; absent: kept with the response only. */
  dataElement: code.optional(),
  /** Fixed disaggregation of that data value ({} for the total). */
  disaggregation,
  /** A headcount the school already has in the observatory (e.g. pupils_enrolled), shown and pre-filled. */
  prefillFrom: code.optional(),
});
export type FormField = z.infer<typeof formField>;

/** One axis of a grid: its options, each with the disaggregation it adds. */
export const gridAxis = z.object({
  code,
  label,
  disaggregation,
});
export type GridAxis = z.infer<typeof gridAxis>;

/** A table of fields of one data element: rows × columns (e.g. computers by kind × functional or not). */
export const formGrid = z.object({
  code,
  label,
  help,
  type: z.enum(["number", "integer"]).default("integer"),
  unit: z.string().trim().max(40).optional(),
  min: z.number().finite().optional(),
  max: z.number().finite().optional(),
  required: z.boolean().default(true),
  allowUnknown: z.boolean().default(false),
  dataElement: code.optional(),
  rows: z.array(gridAxis).min(1).max(30),
  columns: z.array(gridAxis).min(1).max(10),
});
export type FormGrid = z.infer<typeof formGrid>;

export const formSection = z.object({
  code,
  title: label,
  help,
  fields: z.array(formField).default([]),
  grids: z.array(formGrid).default([]),
});
export type FormSection = z.infer<typeof formSection>;

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

/**
 * A validation rule in the DHIS2 manner. `left` and `right` are expressions over the form's
 * field codes, numbers, `+ - * /`, parentheses and `previous(code)` (last year's answer); see
 * `collection-rules.ts`. For the pairs, `left` and `right` each name one side.
 */
export const formRule = z.object({
  code,
  left: z.string().trim().min(1).max(500),
  operator: z.enum(RULE_OPERATORS),
  right: z.string().trim().min(1).max(500),
  importance: z.enum(RULE_IMPORTANCES).default("error"),
  missing: z.enum(MISSING_STRATEGIES).default("skip_if_any_missing"),
  /** Shown to the respondent, in French. */
  message: z.string().trim().min(1).max(500),
});
export type FormRule = z.infer<typeof formRule>;

export const formDefinition = z.object({
  code,
  title: label,
  description: z.string().trim().max(4000).optional(),
  sections: z.array(formSection).min(1).max(40),
  rules: z.array(formRule).max(200).default([]),
});
export type FormDefinition = z.infer<typeof formDefinition>;

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

/**
 * One answer: a value (number for numeric types, boolean for yes/no, option code or text), or
 * « je ne sais pas », or nothing yet; with an optional comment.
 */
export const answer = z.object({
  value: z
    .union([z.number(), z.boolean(), z.string().max(4000)])
    .nullable()
    .default(null),
  unknown: z.boolean().default(false),
  comment: z.string().trim().max(2000).optional(),
});
export type Answer = z.infer<typeof answer>;

/** The answers of a response, by field code (expanded). */
export const answers = z.record(z.string().max(200), answer);
export type Answers = z.infer<typeof answers>;
