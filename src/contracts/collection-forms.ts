import { z } from "zod";
import { formDefinition } from "./collection-form.ts";
import { LOCAL_VALUE_TYPES, type LocalDataElementInput } from "./data-element-model.ts";

/**
 * The forms a DANE builds herself (issue 11, point 1; docs/collection.md, « Formulaires ») and
 * the data elements she defines for them: the API's bodies and answers. A definition is checked
 * by the server (`collection/form-library.ts`) with the same Zod schema and `checkForm` as the
 * shipped templates; the issues come back with the path of the item they name
 * (`sections[0].fields[2].max`) so that the editor shows them next to it.
 */

export const formIssue = z.object({
  /** Where in the definition (`sections[0].fields[2].max`, `rules[1].left`; "" for the whole form). */
  path: z.string(),
  /** French, naming the section, the field or the rule. */
  message: z.string(),
});
export type FormIssue = z.infer<typeof formIssue>;

/** Saving a form: its definition, and the territory that owns it (the caller's when they manage one only). */
export const formSaveInput = z.object({
  territory: z.string().trim().min(1).max(40).optional(),
  /** Checked by the server, issue by issue (not by the route's schema: the messages name the items). */
  definition: z.unknown(),
});
export type FormSaveInput = z.infer<typeof formSaveInput>;

export const savedFormSummary = z.object({
  code: z.string(),
  title: z.string(),
  version: z.number().int(),
  versions: z.number().int(),
  territory: z.string(),
  territoryLabel: z.string(),
  savedBy: z.string(),
  savedAt: z.string(),
  fields: z.number().int(),
  rules: z.number().int(),
  /** Campaigns not yet locked that use this form, and those of them still on an older version. */
  activeCampaigns: z.number().int(),
  activeCampaignsOnOlderVersion: z.number().int(),
  /** The caller may save a new version (collection.manage on the form's territory). */
  editable: z.boolean(),
});
export type SavedFormSummary = z.infer<typeof savedFormSummary>;

export const formTemplateStart = z.object({
  code: z.string(),
  title: z.string(),
  formCode: z.string(),
  fields: z.number().int(),
  rules: z.number().int(),
});
export type FormTemplateStart = z.infer<typeof formTemplateStart>;

export const formsList = z.object({
  items: z.array(savedFormSummary),
  /** The shipped templates, as starting points of a new form. */
  templates: z.array(formTemplateStart),
});
export type FormsList = z.infer<typeof formsList>;

export const savedForm = savedFormSummary.extend({ definition: formDefinition });
export type SavedForm = z.infer<typeof savedForm>;

export const formSaveResult = savedForm.extend({
  /** false when the definition was the latest version's: no version is made. */
  created: z.boolean(),
});
export type FormSaveResult = z.infer<typeof formSaveResult>;

const elementCode = z
  .string()
  .trim()
  .regex(
    /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/,
    "Code attendu en minuscules, chiffres et « _ » (ex. robots_programmables).",
  )
  .max(80);

export const localDataElementInput = z.object({
  code: elementCode,
  name: z.string().trim().min(1, "Le nom est obligatoire.").max(200),
  description: z.string().trim().max(2000).optional(),
  valueType: z.enum(LOCAL_VALUE_TYPES),
  unit: z.string().trim().max(40).optional(),
  min: z.number().finite().optional(),
  max: z.number().finite().optional(),
});
type _LocalInputCheck = Same<z.infer<typeof localDataElementInput>, LocalDataElementInput>;

export const formDataElement = z.object({
  code: z.string(),
  name: z.string(),
  valueType: z.enum(LOCAL_VALUE_TYPES),
  unit: z.string().nullable(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  origin: z.enum(["catalogue", "local"]),
  disaggregations: z.array(z.string()),
});

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
export type FormsSchemaChecks = [_LocalInputCheck];
