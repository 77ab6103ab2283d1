import { z } from "zod";
import {
  type Answer as AnswerModel,
  FIELD_TYPES,
  type FieldOption as FieldOptionModel,
  type FormDefinition as FormDefinitionModel,
  type FormField as FormFieldModel,
  type FormGrid as FormGridModel,
  type FormRule as FormRuleModel,
  type FormSection as FormSectionModel,
  type GridAxis as GridAxisModel,
  MISSING_STRATEGIES,
  RULE_IMPORTANCES,
  RULE_OPERATORS,
} from "./collection-model.ts";

/** The Zod-free part (types, enumerations, labels, expandForm), for the browser too. */
export * from "./collection-model.ts";

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

const code = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_]*$/, "Code attendu en minuscules, chiffres et « _ » (ex. computers).")
  .max(80);
const label = z.string().trim().min(1, "Le libellé est obligatoire.").max(300);
const help = z.string().trim().max(2000).optional();
const disaggregation = z.record(code, code).default({});

export const fieldOption = z.object({ code, label });
type _FieldOptionCheck = Same<z.infer<typeof fieldOption>, FieldOptionModel>;

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
type _FormFieldCheck = Same<z.infer<typeof formField>, FormFieldModel>;

/** One axis of a grid: its options, each with the disaggregation it adds. */
export const gridAxis = z.object({
  code,
  label,
  disaggregation,
});
type _GridAxisCheck = Same<z.infer<typeof gridAxis>, GridAxisModel>;

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
type _FormGridCheck = Same<z.infer<typeof formGrid>, FormGridModel>;

export const formSection = z.object({
  code,
  title: label,
  help,
  fields: z.array(formField).default([]),
  grids: z.array(formGrid).default([]),
});
type _FormSectionCheck = Same<z.infer<typeof formSection>, FormSectionModel>;

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
type _FormRuleCheck = Same<z.infer<typeof formRule>, FormRuleModel>;

export const formDefinition = z.object({
  code,
  title: label,
  description: z.string().trim().max(4000).optional(),
  sections: z.array(formSection).min(1).max(40),
  rules: z.array(formRule).max(200).default([]),
});
type _FormDefinitionCheck = Same<z.infer<typeof formDefinition>, FormDefinitionModel>;

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
type _AnswerCheck = Same<z.infer<typeof answer>, AnswerModel>;

/** The answers of a response, by field code (expanded). */
export const answers = z.record(z.string().max(200), answer);
type _AnswersCheck = Same<z.infer<typeof answers>, Record<string, AnswerModel>>;

/** Fails to compile unless the two types are the same (the schemas give exactly the model's types). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
export type SchemaChecks = [
  _FieldOptionCheck,
  _FormFieldCheck,
  _GridAxisCheck,
  _FormGridCheck,
  _FormSectionCheck,
  _FormRuleCheck,
  _FormDefinitionCheck,
  _AnswerCheck,
  _AnswersCheck,
];
