import type { Kysely } from "kysely";
import type { CampaignTemplate } from "../../contracts/collection.ts";
import { type FormDefinition, formDefinition } from "../../contracts/collection-form.ts";
import type { FormIssue } from "../../contracts/collection-forms.ts";
import { checkForm } from "../../contracts/collection-rules.ts";
import { getCatalogue, loadLocalDataElements } from "../indicators/index.ts";
import { type Database, invalid, TemplateErrors, validateDocument } from "../platform/index.ts";
import { formCatalogueProblems } from "./templates.ts";

/**
 * The checks of a form a DANE saves (issue 11, point 1), in the order an author fixes them: the
 * contract (Zod, French messages), then `checkForm` (the rules' expressions parsed by the shared
 * `collection-expression.ts`, naming only the form's fields; codes, options, bounds), then the
 * catalogue (file and local elements: type, bounds, breakdown, two fields on one value). Every
 * issue keeps its path in the definition (`sections[0].fields[2].max`) for the editor, and its
 * message names the section, the field or the rule.
 */

type Db = Kysely<Database>;

/** The definition, or a 400 `invalid_form` listing every issue (`details.issues`). */
export async function checkedDefinition(
  db: Db,
  raw: unknown,
  expected: { code: string; templates: readonly CampaignTemplate[] },
): Promise<FormDefinition> {
  const issues = await formIssues(db, raw, expected);
  if (issues.ok) return issues.definition;
  throw refusal(issues.issues);
}

export function refusal(issues: readonly FormIssue[]) {
  const shown = issues.slice(0, 3).map((i) => i.message);
  const more = issues.length > 3 ? ` ; et ${issues.length - 3} autre${issues.length > 4 ? "s" : ""}` : "";
  return invalid(
    `Formulaire refusé (${issues.length} problème${issues.length > 1 ? "s" : ""}) : ${shown.join(" ; ")}${more}.`,
    "invalid_form",
    { issues: [...issues] },
  );
}

type Outcome = { ok: true; definition: FormDefinition } | { ok: false; issues: FormIssue[] };

export async function formIssues(
  db: Db,
  raw: unknown,
  expected: { code: string; templates: readonly CampaignTemplate[] },
): Promise<Outcome> {
  let definition: FormDefinition;
  try {
    definition = validateDocument(formDefinition, raw, "formulaire");
  } catch (error) {
    if (!(error instanceof TemplateErrors)) throw error;
    return {
      ok: false,
      issues: error.errors.map((e) => ({ path: e.path, message: `${itemName(raw, e.path)} : ${e.reason}` })),
    };
  }
  const own = [...codeIssues(definition, expected), ...checkForm(definition)];
  if (own.length > 0) return { ok: false, issues: own.map((p) => withItem(definition, p)) };
  await loadLocalDataElements(db);
  const catalogue = (await getCatalogue()).raw;
  const fit = formCatalogueProblems(definition, catalogue);
  if (fit.length > 0) return { ok: false, issues: fit.map((p) => withItem(definition, p)) };
  return { ok: true, definition };
}

function codeIssues(
  definition: FormDefinition,
  expected: { code: string; templates: readonly CampaignTemplate[] },
): FormIssue[] {
  if (definition.code !== expected.code)
    return [
      {
        path: "code",
        message: `code du formulaire « ${definition.code} » différent de celui de l'adresse « ${expected.code} »`,
      },
    ];
  const template = expected.templates.find(
    (t) => t.form.code === definition.code || t.code === definition.code,
  );
  if (template)
    return [
      {
        path: "code",
        message: `le code « ${definition.code} » est celui du modèle livré « ${template.title} » : choisissez-en un autre`,
      },
    ];
  return [];
}

/** A problem of checkForm or of the catalogue, with its section named first when it is a section's. */
function withItem(definition: FormDefinition, problem: { path: string; message: string }): FormIssue {
  const section = /^sections\[(\d+)\]/.exec(problem.path);
  const title = section ? definition.sections[Number(section[1])]?.title : undefined;
  return {
    path: problem.path,
    message: title === undefined ? problem.message : `section « ${title} » — ${problem.message}`,
  };
}

/** « section « Équipement », champ « Ordinateurs », min » from `sections[0].fields[1].min` and the raw input. */
export function itemName(raw: unknown, path: string): string {
  const parts = path.match(/[^.[\]]+/g) ?? [];
  const names: string[] = [];
  let node: unknown = raw;
  for (let i = 0; i < parts.length; i++) {
    const key = parts[i] as string;
    const next = parts[i + 1];
    const collection = ITEM_NAMES[key];
    if (collection && next !== undefined && /^\d+$/.test(next)) {
      const item = childAt(node, key, Number(next));
      names.push(`${collection.noun} ${describe(item, collection.keys, Number(next))}`);
      node = item;
      i++;
      continue;
    }
    names.push(PROPERTY_NAMES[key] ?? key);
    node = child(node, key);
  }
  return names.length === 0 ? "formulaire" : names.join(", ");
}

const ITEM_NAMES: Readonly<Record<string, { noun: string; keys: readonly string[] }>> = {
  sections: { noun: "section", keys: ["title", "code"] },
  fields: { noun: "champ", keys: ["label", "code"] },
  grids: { noun: "grille", keys: ["label", "code"] },
  rules: { noun: "règle", keys: ["code", "message"] },
  rows: { noun: "ligne", keys: ["label", "code"] },
  columns: { noun: "colonne", keys: ["label", "code"] },
  options: { noun: "choix", keys: ["label", "code"] },
};

const PROPERTY_NAMES: Readonly<Record<string, string>> = {
  code: "code",
  title: "titre",
  label: "libellé",
  help: "aide",
  type: "type",
  unit: "unité",
  min: "minimum",
  max: "maximum",
  required: "obligatoire",
  allowUnknown: "« je ne sais pas »",
  dataElement: "élément de donnée",
  disaggregation: "ventilation",
  left: "côté gauche",
  right: "côté droit",
  operator: "opérateur",
  importance: "importance",
  missing: "valeurs manquantes",
  message: "message",
  description: "description",
};

function child(node: unknown, key: string): unknown {
  return node && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined;
}

function childAt(node: unknown, key: string, index: number): unknown {
  const list = child(node, key);
  return Array.isArray(list) ? list[index] : undefined;
}

function describe(item: unknown, keys: readonly string[], index: number): string {
  for (const key of keys) {
    const value = child(item, key);
    if (typeof value === "string" && value.trim() !== "") return `« ${value.trim()} »`;
  }
  return `n° ${index + 1}`;
}
