import { readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  type Disaggregation,
  type IndicatorCatalogue,
  indicatorCatalogue,
} from "../../contracts/roadmaps.ts";
import {
  parseYaml,
  projectPath,
  TemplateError,
  TemplateErrors,
  validateDocument,
} from "../platform/index.ts";

/**
 * The indicator catalogue file written by the project (`data/templates/indicators.yaml`): read,
 * validated with the Zod contract and checked (codes unique, every reference known). Errors are
 * in French and name the file, the path and the reason.
 */

const DEFAULT_CATALOGUE_DIR = projectPath("data/templates");

export function parseIndicatorCatalogue(text: string, file = "indicators.yaml"): IndicatorCatalogue {
  const catalogue = validateDocument(indicatorCatalogue, parseYaml(text, file), file);
  const errors = checkCatalogue(catalogue, file);
  if (errors.length > 0) throw new TemplateErrors(errors);
  return catalogue;
}

function duplicates<T>(items: readonly T[], key: (item: T) => string): Map<string, number[]> {
  const seen = new Map<string, number[]>();
  items.forEach((item, index) => {
    const k = key(item);
    seen.set(k, [...(seen.get(k) ?? []), index]);
  });
  return new Map([...seen].filter(([, indexes]) => indexes.length > 1));
}

function checkCatalogue(catalogue: IndicatorCatalogue, file: string): TemplateError[] {
  const errors: TemplateError[] = [];
  const lists = [
    ["disaggregations", catalogue.disaggregations],
    ["dataElements", catalogue.dataElements],
    ["indicators", catalogue.indicators],
  ] as const;
  for (const [name, list] of lists) {
    for (const [code, indexes] of duplicates<{ code: string }>(list, (x) => x.code)) {
      errors.push(new TemplateError(file, `${name}[${indexes[1]}].code`, `code « ${code} » en double`));
    }
  }
  const disaggregations = new Map(
    catalogue.disaggregations.map((d) => [d.code, new Set(d.options.map((o) => o.code))]),
  );
  const elements = new Set(catalogue.dataElements.map((d) => d.code));
  const indicators = new Set(catalogue.indicators.map((i) => i.code));

  const checkDisaggregationList = (codes: readonly string[], path: string) => {
    codes.forEach((code, i) => {
      if (!disaggregations.has(code))
        errors.push(new TemplateError(file, `${path}[${i}]`, `désagrégation inconnue « ${code} »`));
    });
  };
  const checkFilter = (filter: Disaggregation | undefined, path: string) => {
    for (const [dim, option] of Object.entries(filter ?? {})) {
      const options = disaggregations.get(dim);
      if (!options)
        errors.push(new TemplateError(file, `${path}.${dim}`, `désagrégation inconnue « ${dim} »`));
      else if (!options.has(option))
        errors.push(
          new TemplateError(file, `${path}.${dim}`, `option « ${option} » inconnue pour « ${dim} »`),
        );
    }
  };

  catalogue.dataElements.forEach((element, i) => {
    checkDisaggregationList(element.disaggregations, `dataElements[${i}].disaggregations`);
    // Declared bounds replace the type's defaults (domain/bounds.ts): they must leave some room.
    if (element.min !== undefined && element.max !== undefined && element.min > element.max)
      errors.push(
        new TemplateError(
          file,
          `dataElements[${i}].max`,
          `maximum ${element.max} inférieur au minimum ${element.min}`,
        ),
      );
    if (element.valueType === "boolean" && (element.min !== undefined || element.max !== undefined))
      errors.push(
        new TemplateError(file, `dataElements[${i}]`, "un élément oui/non vaut 0 ou 1 : pas de bornes"),
      );
  });
  catalogue.indicators.forEach((indicator, i) => {
    const base = `indicators[${i}]`;
    for (const side of ["numerator", "denominator"] as const) {
      const operand = indicator[side];
      if (!operand) continue;
      if (!elements.has(operand.dataElement))
        errors.push(
          new TemplateError(
            file,
            `${base}.${side}.dataElement`,
            `élément de donnée inconnu « ${operand.dataElement} »`,
          ),
        );
      checkFilter(operand.filter, `${base}.${side}.filter`);
    }
    checkDisaggregationList(indicator.disaggregations, `${base}.disaggregations`);
    const rule = indicator.schoolRule?.basedOn;
    if (rule && "indicator" in rule && !indicators.has(rule.indicator))
      errors.push(
        new TemplateError(
          file,
          `${base}.schoolRule.basedOn.indicator`,
          `indicateur inconnu « ${rule.indicator} »`,
        ),
      );
    if (rule && "dataElement" in rule && !elements.has(rule.dataElement))
      errors.push(
        new TemplateError(
          file,
          `${base}.schoolRule.basedOn.dataElement`,
          `élément de donnée inconnu « ${rule.dataElement} »`,
        ),
      );
  });
  return errors;
}

/** Reads `indicators.yaml` from `options.dir` (default: the repository's `data/templates/`). */
export async function loadIndicatorCatalogue(options: { dir?: string } = {}): Promise<IndicatorCatalogue> {
  const dir = options.dir ?? DEFAULT_CATALOGUE_DIR;
  const path = join(dir, "indicators.yaml");
  return parseIndicatorCatalogue(await readFile(path, "utf8"), "indicators.yaml");
}
