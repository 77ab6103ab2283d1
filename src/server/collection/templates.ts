import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { type CampaignTemplate, campaignTemplate } from "../../contracts/collection.ts";
import type { FieldType, FormDefinition, FormGrid, GridAxis } from "../../contracts/collection-form.ts";
import { checkForm } from "../../contracts/collection-rules.ts";
import type { DataElement, IndicatorCatalogue } from "../../contracts/roadmaps.ts";
import { LEVEL_LABELS } from "../../contracts/territory-tree.ts";
import { loadIndicatorCatalogue, valueRule } from "../indicators/index.ts";
import {
  parseYaml,
  projectPath,
  TemplateError,
  TemplateErrors,
  validateDocument,
} from "../platform/index.ts";

/**
 * The campaign templates shipped by the project (`data/templates/collection/*.yaml`, issue 11,
 * docs/collection-templates.md): read, validated with the Zod contract, the form checked by the same
 * `checkForm` the browser uses, and every field that feeds the observatory checked against the
 * indicator catalogue. Errors are in French and name the file, the path and the reason, all of
 * them at once so that an author fixes a file in one pass.
 */

export const DEFAULT_COLLECTION_TEMPLATES_DIR = projectPath("data/templates/collection");

export interface Problem {
  readonly path: string;
  readonly message: string;
}

/** Reads every template of `dir`, sorted by code; throws `TemplateErrors` listing every problem. */
export async function loadCampaignTemplates(
  dir: string = DEFAULT_COLLECTION_TEMPLATES_DIR,
  options: { catalogue?: IndicatorCatalogue } = {},
): Promise<CampaignTemplate[]> {
  const catalogue = options.catalogue ?? (await loadIndicatorCatalogue());
  const names = (await readdir(dir)).filter((f) => f.endsWith(".yaml") || f.endsWith(".yml")).sort();
  const templates: CampaignTemplate[] = [];
  const errors: TemplateError[] = [];
  const files = new Map<string, string>();
  for (const name of names) {
    try {
      const template = parseCampaignTemplate(await readFile(join(dir, name), "utf8"), name, catalogue);
      errors.push(...placeProblems(template.code, name, files));
      templates.push(template);
    } catch (error) {
      if (!(error instanceof TemplateErrors)) throw error;
      errors.push(...error.errors);
    }
  }
  if (errors.length > 0) throw new TemplateErrors(errors);
  return templates.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

/** One template file: YAML, contract, form, catalogue. */
export function parseCampaignTemplate(
  text: string,
  file: string,
  catalogue: IndicatorCatalogue,
): CampaignTemplate {
  const template = validateDocument(campaignTemplate, parseYaml(text, file), file);
  const problems = [
    ...checkForm(template.form).map((p) => ({ path: `form.${p.path}`, message: p.message })),
    ...catalogueProblems(template, catalogue),
  ];
  if (problems.length > 0)
    throw new TemplateErrors(problems.map((p) => new TemplateError(file, p.path, p.message)));
  return template;
}

// A template is found by its code: `equipment` lives in `equipment.yaml`, so that a file is easy
// to find and a code is claimed once.
function placeProblems(code: string, name: string, files: Map<string, string>): TemplateError[] {
  const problems: TemplateError[] = [];
  if (name.replace(/\.ya?ml$/, "") !== code)
    problems.push(
      new TemplateError(name, "code", `le modèle « ${code} » s'écrit dans le fichier ${code}.yaml`),
    );
  const first = files.get(code);
  if (first !== undefined)
    problems.push(new TemplateError(name, "code", `code de modèle « ${code} » déjà utilisé par ${first}`));
  else files.set(code, name);
  return problems;
}

/**
 * What the catalogue says against the template (French, « path : reason »): an unknown data
 * element, one not collected at school level, a breakdown the element does not have, a field type
 * or bounds the element's values do not fit, two fields feeding the same value. [] = fits.
 */
export function checkTemplateAgainstCatalogue(
  template: CampaignTemplate,
  catalogue: IndicatorCatalogue,
): string[] {
  return catalogueProblems(template, catalogue).map((p) => `${p.path} : ${p.message}`);
}

function catalogueProblems(template: CampaignTemplate, catalogue: IndicatorCatalogue): Problem[] {
  return formCatalogueProblems(template.form, catalogue, "form.");
}

/**
 * The same checks for a form alone (a form a DANE saves, `form-library.ts`), each problem at its
 * path in the form (`sections[0].fields[2].dataElement`).
 */
export function formCatalogueProblems(
  form: FormDefinition,
  catalogue: IndicatorCatalogue,
  prefix = "",
): Problem[] {
  const index = indexCatalogue(catalogue);
  return [...formTargets(form, index, prefix), ...duplicateTargets(form, prefix)];
}

interface CatalogueIndex {
  readonly elements: ReadonlyMap<string, DataElement>;
  readonly options: ReadonlyMap<string, ReadonlySet<string>>;
}

function indexCatalogue(catalogue: IndicatorCatalogue): CatalogueIndex {
  return {
    elements: new Map(catalogue.dataElements.map((e) => [e.code, e])),
    options: new Map(catalogue.disaggregations.map((d) => [d.code, new Set(d.options.map((o) => o.code))])),
  };
}

function formTargets(form: FormDefinition, index: CatalogueIndex, prefix: string): Problem[] {
  return form.sections.flatMap((section, s) => [
    ...section.fields.flatMap((field, i) => {
      const path = `${prefix}sections[${s}].fields[${i}]`;
      return [...fieldTarget(field, path, index), ...prefillSource(field, path, index)];
    }),
    ...section.grids.flatMap((grid, i) => gridTarget(grid, `${prefix}sections[${s}].grids[${i}]`, index)),
  ]);
}

/** What a field or a grid writes: its element, type and bounds, and a fixed breakdown. */
interface Target {
  readonly label: string;
  readonly type: FieldType;
  readonly min?: number | undefined;
  readonly max?: number | undefined;
  readonly dataElement?: string | undefined;
}

function fieldTarget(
  field: Target & { disaggregation: Record<string, string> },
  path: string,
  index: CatalogueIndex,
): Problem[] {
  if (field.dataElement === undefined) return breakdownWithoutElement(field, field.disaggregation, path);
  const element = index.elements.get(field.dataElement);
  if (element === undefined) return [unknownElement(field, path)];
  return [
    ...elementFit(field, element, path),
    ...breakdownFit(field.disaggregation, element, `${path}.disaggregation`, index),
  ];
}

function gridTarget(grid: FormGrid, path: string, index: CatalogueIndex): Problem[] {
  const axes = [
    ...grid.rows.map((axis, r) => ({ axis, path: `${path}.rows[${r}].disaggregation` })),
    ...grid.columns.map((axis, c) => ({ axis, path: `${path}.columns[${c}].disaggregation` })),
  ];
  if (grid.dataElement === undefined)
    return axes.flatMap((a) => breakdownWithoutElement(grid, a.axis.disaggregation, a.path));
  const element = index.elements.get(grid.dataElement);
  if (element === undefined) return [unknownElement(grid, path)];
  return [
    ...elementFit(grid, element, path),
    ...axes.flatMap((a) => breakdownFit(a.axis.disaggregation, element, a.path, index)),
  ];
}

function unknownElement(target: Target, path: string): Problem {
  return {
    path: `${path}.dataElement`,
    message: `« ${target.label} » : élément de donnée inconnu « ${target.dataElement} » (absent du catalogue)`,
  };
}

function breakdownWithoutElement(
  target: Target,
  disaggregation: GridAxis["disaggregation"],
  path: string,
): Problem[] {
  if (Object.keys(disaggregation).length === 0) return [];
  return [{ path, message: `« ${target.label} » : une ventilation sans élément de donnée ne sert à rien` }];
}

function elementFit(target: Target, element: DataElement, path: string): Problem[] {
  return [
    ...levelFit(target, element, path),
    ...typeFit(target, element, path),
    ...boundsFit(target, element, path),
  ];
}

function levelFit(target: Target, element: DataElement, path: string): Problem[] {
  if (element.collectedAt === "school") return [];
  const level = LEVEL_LABELS[element.collectedAt].noun;
  return [
    {
      path: `${path}.dataElement`,
      message: `« ${target.label} » : l'élément « ${element.code} » est saisi au niveau ${level}, pas par établissement`,
    },
  ];
}

/** The element types a field's answers can become without loss (an integer is also a number). */
const FITTING_TYPES: Readonly<Record<FieldType, readonly DataElement["valueType"][]>> = {
  integer: ["integer", "number"],
  number: ["number"],
  percentage: ["percentage"],
  yes_no: ["boolean"],
  option: [],
  text: [],
};

const VALUE_TYPE_LABELS: Readonly<Record<DataElement["valueType"], string>> = {
  integer: "entier",
  number: "nombre",
  percentage: "pourcentage",
  boolean: "oui / non (0 ou 1)",
};

function typeFit(target: Target, element: DataElement, path: string): Problem[] {
  if (FITTING_TYPES[target.type].includes(element.valueType)) return [];
  const what = `l'élément « ${element.code} » attend un ${VALUE_TYPE_LABELS[element.valueType]}`;
  const why =
    target.type === "option" || target.type === "text"
      ? "ses réponses ne sont pas des nombres"
      : `le champ est de type « ${target.type} »`;
  return [{ path: `${path}.type`, message: `« ${target.label} » : ${what} ; ${why}` }];
}

// A field must not accept what the observatory would refuse at the feed: the respondent would
// see the answer accepted, then lost. Percentages are 0..100 by their type; a count needs `min`.
function boundsFit(target: Target, element: DataElement, path: string): Problem[] {
  if (target.type === "yes_no" || target.type === "option" || target.type === "text") return [];
  const rule = valueRule(element);
  const min = target.min ?? (target.type === "percentage" ? 0 : Number.NEGATIVE_INFINITY);
  const max = target.max ?? (target.type === "percentage" ? 100 : undefined);
  const problems: Problem[] = [];
  if (min < rule.min)
    problems.push({
      path: `${path}.min`,
      message: `« ${target.label} » accepte moins de ${fr(rule.min)}, que l'élément « ${element.code} » refuse : déclarez min: ${fr(rule.min)} ou plus`,
    });
  if (max !== undefined && max > rule.max)
    problems.push({
      path: `${path}.max`,
      message: `« ${target.label} » accepte plus de ${fr(rule.max)}, que l'élément « ${element.code} » refuse`,
    });
  return problems;
}

function breakdownFit(
  disaggregation: Readonly<Record<string, string>>,
  element: DataElement,
  path: string,
  index: CatalogueIndex,
): Problem[] {
  return Object.entries(disaggregation).flatMap(([dimension, option]): Problem[] => {
    if (!element.disaggregations.includes(dimension)) {
      const allowed = element.disaggregations.length > 0 ? element.disaggregations.join(", ") : "aucune";
      return [
        {
          path: `${path}.${dimension}`,
          message: `ventilation « ${dimension} » non prévue pour l'élément « ${element.code} » (prévues : ${allowed})`,
        },
      ];
    }
    if (index.options.get(dimension)?.has(option)) return [];
    return [
      {
        path: `${path}.${dimension}`,
        message: `option « ${option} » inconnue pour la ventilation « ${dimension} »`,
      },
    ];
  });
}

/** A pre-filled headcount is read from the school's own values: a numeric element collected there. */
function prefillSource(
  field: { label: string; prefillFrom?: string | undefined },
  path: string,
  index: CatalogueIndex,
): Problem[] {
  if (field.prefillFrom === undefined) return [];
  const element = index.elements.get(field.prefillFrom);
  const where = `${path}.prefillFrom`;
  if (element === undefined)
    return [
      {
        path: where,
        message: `« ${field.label} » : pré-remplissage depuis un élément inconnu « ${field.prefillFrom} »`,
      },
    ];
  if (element.collectedAt !== "school")
    return [
      {
        path: where,
        message: `« ${field.label} » : l'élément « ${element.code} » n'a pas de valeur par établissement pour pré-remplir le champ`,
      },
    ];
  return [];
}

// Two fields writing the same (element, breakdown) would overwrite each other's value.
function duplicateTargets(form: FormDefinition, prefix: string): Problem[] {
  const seen = new Map<string, string>();
  const problems: Problem[] = [];
  // A grid's cells share the grid's path: the message names the cell.
  const claim = (
    element: string | undefined,
    disaggregation: Record<string, string>,
    path: string,
    cell?: string,
  ) => {
    if (element === undefined) return;
    const key = `${element}|${breakdownKey(disaggregation)}`;
    const where = cell === undefined ? path : `${path}, case ${cell}`;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, where);
    else
      problems.push({
        path,
        message: `${cell === undefined ? "" : `case ${cell} : `}alimente la même valeur (« ${element} », ${breakdownText(disaggregation)}) que « ${first} »`,
      });
  };
  for (const [s, section] of form.sections.entries()) {
    for (const [i, f] of section.fields.entries())
      claim(f.dataElement, f.disaggregation, `${prefix}sections[${s}].fields[${i}]`);
    for (const [i, g] of section.grids.entries())
      for (const row of g.rows)
        for (const column of g.columns)
          claim(
            g.dataElement,
            { ...row.disaggregation, ...column.disaggregation },
            `${prefix}sections[${s}].grids[${i}]`,
            `${g.code}.${row.code}.${column.code}`,
          );
  }
  return problems;
}

function breakdownKey(disaggregation: Record<string, string>): string {
  return Object.keys(disaggregation)
    .sort()
    .map((k) => `${k}=${disaggregation[k]}`)
    .join(",");
}

function breakdownText(disaggregation: Record<string, string>): string {
  const key = breakdownKey(disaggregation);
  return key === "" ? "total" : key;
}

const frenchNumber = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 6 });
const fr = (n: number) => frenchNumber.format(n).replace(/[\u202f\u00a0]/g, " ");
