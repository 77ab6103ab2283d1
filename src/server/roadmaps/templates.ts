import { readdir, readFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { LineCounter, parseDocument } from "yaml";
import { z } from "zod";
import {
  type Disaggregation,
  type Indicator,
  type IndicatorCatalogue,
  indicatorCatalogue,
  type RoadmapDocument,
  type RoadmapTemplate,
  roadmapDocument,
  roadmapTemplate,
  type SourceRef,
} from "../../contracts/roadmaps.ts";

/**
 * Loads the roadmap templates and the indicator catalogue written by the project from the five
 * seed documents (`data/templates/`), validates them with the Zod contracts and checks the
 * references between them. Errors are in French and name the file, the path and the reason.
 */

export const DEFAULT_TEMPLATES_DIR = fileURLToPath(new URL("../../../data/templates/", import.meta.url));

const frenchErrors = z.locales.fr().localeError;

export class TemplateError extends Error {
  constructor(
    readonly file: string,
    readonly path: string,
    readonly reason: string,
  ) {
    super(`Fichier « ${file} », chemin « ${path || "(racine)"} » : ${reason}`);
    this.name = "TemplateError";
  }
}

/** Several problems at once, so that an author fixes a file in one pass. */
export class TemplateErrors extends Error {
  constructor(readonly errors: TemplateError[]) {
    super(
      `${errors.length} erreur${errors.length > 1 ? "s" : ""} dans les modèles :\n${errors.map((e) => `- ${e.message}`).join("\n")}`,
    );
    this.name = "TemplateErrors";
  }
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out;
}

function parseYaml(text: string, file: string): unknown {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter });
  const first = doc.errors[0];
  if (first) {
    const pos = lineCounter.linePos(first.pos[0]);
    const where = `ligne ${pos.line}, colonne ${pos.col}`;
    throw new TemplateErrors([
      new TemplateError(file, where, `YAML invalide (${first.code}) : ${first.message.split("\n")[0]}`),
    ]);
  }
  return doc.toJS({ maxAliasCount: 10_000 });
}

function validate<T>(schema: z.ZodType<T>, data: unknown, file: string): T {
  const result = schema.safeParse(data, { error: frenchErrors });
  if (result.success) return result.data;
  throw new TemplateErrors(
    result.error.issues.map((issue) => new TemplateError(file, formatPath(issue.path), issue.message)),
  );
}

// ---------------------------------------------------------------------------------------------
// Indicator catalogue

export function parseIndicatorCatalogue(text: string, file = "indicators.yaml"): IndicatorCatalogue {
  const catalogue = validate(indicatorCatalogue, parseYaml(text, file), file);
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

// ---------------------------------------------------------------------------------------------
// Roadmap templates

/** Parses one template and checks it against the catalogue. */
export function parseRoadmapTemplate(
  text: string,
  file: string,
  catalogue: IndicatorCatalogue,
): RoadmapTemplate {
  const template = validate(roadmapTemplate, parseYaml(text, file), file);
  const errors = checkTemplate(template, file, catalogue, { requireSources: true });
  if (errors.length > 0) throw new TemplateErrors(errors);
  return template;
}

/**
 * Parses a roadmap written in YAML (an import, an export read back): the template schema and
 * checks, sources optional (docs/roadmaps.md). Errors name `file`, the path and the reason.
 */
export function parseRoadmapDocument(
  text: string,
  file: string,
  catalogue: IndicatorCatalogue,
): RoadmapDocument {
  return validateRoadmapDocument(parseYaml(text, file), file, catalogue);
}

/** Validates a roadmap already parsed (JSON body of the API, stored document). */
export function validateRoadmapDocument(
  data: unknown,
  file: string,
  catalogue: IndicatorCatalogue,
): RoadmapDocument {
  const document = validate(roadmapDocument, data, file);
  const errors = checkTemplate(document, file, catalogue, { requireSources: false });
  if (errors.length > 0) throw new TemplateErrors(errors);
  return document;
}

function checkTemplate(
  template: RoadmapDocument,
  file: string,
  catalogue: IndicatorCatalogue,
  check: { requireSources: boolean },
): TemplateError[] {
  const errors: TemplateError[] = [];
  const indicators = new Map<string, Indicator>(catalogue.indicators.map((i) => [i.code, i]));
  const options = new Map(
    catalogue.disaggregations.map((d) => [d.code, new Set(d.options.map((o) => o.code))]),
  );
  const seed = template.sourceDocument?.seed;

  const nodeIds = new Map<string, string>();
  const claim = (id: string, path: string) => {
    const previous = nodeIds.get(id);
    if (previous)
      errors.push(new TemplateError(file, path, `identifiant « ${id} » déjà utilisé à « ${previous} »`));
    else nodeIds.set(id, path);
  };
  const checkSource = (source: SourceRef | undefined, path: string) => {
    if (source === undefined) {
      if (check.requireSources)
        errors.push(
          new TemplateError(
            file,
            path,
            "source manquante : un modèle du projet cite le document (« seed ») et la section",
          ),
        );
      return;
    }
    if (seed !== undefined && source.seed !== seed)
      errors.push(
        new TemplateError(
          file,
          `${path}.seed`,
          `document source « ${source.seed} » différent de celui du modèle (« ${seed ?? "aucun"} »)`,
        ),
      );
  };
  const checkIndicatorUse = (
    code: string | undefined,
    disaggregation: Disaggregation | undefined,
    path: string,
  ) => {
    if (code === undefined) return undefined;
    const indicator = indicators.get(code);
    if (!indicator) {
      errors.push(
        new TemplateError(file, `${path}.indicatorCode`, `indicateur « ${code} » absent du catalogue`),
      );
      return undefined;
    }
    for (const [dim, option] of Object.entries(disaggregation ?? {})) {
      if (!indicator.disaggregations.includes(dim))
        errors.push(
          new TemplateError(
            file,
            `${path}.disaggregation.${dim}`,
            `l'indicateur « ${code} » ne se désagrège pas par « ${dim} »`,
          ),
        );
      else if (!options.get(dim)?.has(option))
        errors.push(
          new TemplateError(
            file,
            `${path}.disaggregation.${dim}`,
            `option « ${option} » inconnue pour « ${dim} »`,
          ),
        );
    }
    return indicator;
  };

  const recommendationIds = new Set(template.recommendations.map((r) => r.id));
  const ambitionIds = new Set(template.ambitions.map((a) => a.id));

  template.ambitions.forEach((ambition, ai) => {
    const aPath = `ambitions[${ai}]`;
    claim(ambition.id, aPath);
    checkSource(ambition.source, `${aPath}.source`);
    ambition.targets.forEach((target, ti) => {
      const tPath = `${aPath}.targets[${ti}]`;
      claim(target.id, tPath);
      checkSource(target.source, `${tPath}.source`);
      target.operationalFields.forEach((field, fi) => {
        const fPath = `${tPath}.operationalFields[${fi}]`;
        claim(field.id, fPath);
        checkSource(field.source, `${fPath}.source`);
        field.recommendationRefs.forEach((ref, ri) => {
          if (!recommendationIds.has(ref))
            errors.push(
              new TemplateError(
                file,
                `${fPath}.recommendationRefs[${ri}]`,
                `recommandation « ${ref} » inconnue`,
              ),
            );
        });
        field.indicatorRefs.forEach((ref, ii) => {
          const iPath = `${fPath}.indicatorRefs[${ii}]`;
          checkIndicatorUse(ref.indicatorCode, ref.disaggregation, iPath);
          ref.objectives.forEach((objective, oi) => {
            const oPath = `${iPath}.objectives[${oi}]`;
            claim(objective.id, oPath);
            checkSource(objective.source, `${oPath}.source`);
            if (objective.indicatorCode !== ref.indicatorCode)
              errors.push(
                new TemplateError(
                  file,
                  `${oPath}.indicatorCode`,
                  `« ${objective.indicatorCode} » diffère de l'indicateur suivi « ${ref.indicatorCode} »`,
                ),
              );
            const indicator = checkIndicatorUse(objective.indicatorCode, objective.disaggregation, oPath);
            if (indicator && objective.mode === "level" && objective.unit !== indicator.unit)
              errors.push(
                new TemplateError(
                  file,
                  `${oPath}.unit`,
                  `unité « ${objective.unit} » différente de celle de l'indicateur (« ${indicator.unit} »)`,
                ),
              );
          });
        });
      });
    });
  });

  template.diagnostics.forEach((diagnostic, di) => {
    const dPath = `diagnostics[${di}]`;
    claim(diagnostic.id, dPath);
    checkSource(diagnostic.source, `${dPath}.source`);
    diagnostic.figures.forEach((figure, fi) => {
      const fPath = `${dPath}.figures[${fi}]`;
      claim(figure.id, fPath);
      checkSource(figure.source, `${fPath}.source`);
      checkIndicatorUse(figure.indicatorCode, figure.disaggregation, fPath);
    });
  });
  template.checkpoints.forEach((checkpoint, ci) => {
    const cPath = `checkpoints[${ci}]`;
    claim(checkpoint.id, cPath);
    checkSource(checkpoint.source, `${cPath}.source`);
    checkpoint.values.forEach((value, vi) => {
      const vPath = `${cPath}.values[${vi}]`;
      claim(value.id, vPath);
      checkSource(value.source, `${vPath}.source`);
      checkIndicatorUse(value.indicatorCode, value.disaggregation, vPath);
    });
  });
  template.recommendations.forEach((recommendation, ri) => {
    const rPath = `recommendations[${ri}]`;
    claim(recommendation.id, rPath);
    checkSource(recommendation.source, `${rPath}.source`);
    if (recommendation.ambitionId !== undefined && !ambitionIds.has(recommendation.ambitionId))
      errors.push(
        new TemplateError(file, `${rPath}.ambitionId`, `ambition « ${recommendation.ambitionId} » inconnue`),
      );
  });
  return errors;
}

// ---------------------------------------------------------------------------------------------
// Files

export interface LoadOptions {
  /** Folder holding `indicators.yaml` and `roadmaps/*.yaml`; defaults to the repository's `data/templates/`. */
  dir?: string;
}

export async function loadIndicatorCatalogue(options: LoadOptions = {}): Promise<IndicatorCatalogue> {
  const dir = options.dir ?? DEFAULT_TEMPLATES_DIR;
  const path = join(dir, "indicators.yaml");
  return parseIndicatorCatalogue(await readFile(path, "utf8"), "indicators.yaml");
}

export async function loadRoadmapTemplates(
  options: LoadOptions & { catalogue?: IndicatorCatalogue } = {},
): Promise<RoadmapTemplate[]> {
  const dir = options.dir ?? DEFAULT_TEMPLATES_DIR;
  const catalogue = options.catalogue ?? (await loadIndicatorCatalogue({ dir }));
  const roadmapsDir = join(dir, "roadmaps");
  const files = (await readdir(roadmapsDir)).filter((f) => f.endsWith(".yaml") || f.endsWith(".yml")).sort();
  const templates: RoadmapTemplate[] = [];
  const errors: TemplateError[] = [];
  const ids = new Map<string, string>();
  for (const name of files) {
    const file = `roadmaps/${basename(name)}`;
    try {
      const template = parseRoadmapTemplate(await readFile(join(roadmapsDir, name), "utf8"), file, catalogue);
      const previous = ids.get(template.id);
      if (previous)
        errors.push(
          new TemplateError(
            file,
            "id",
            `identifiant de modèle « ${template.id} » déjà utilisé par « ${previous} »`,
          ),
        );
      else ids.set(template.id, file);
      templates.push(template);
    } catch (error) {
      if (error instanceof TemplateErrors) errors.push(...error.errors);
      else throw error;
    }
  }
  if (errors.length > 0) throw new TemplateErrors(errors);
  return templates;
}
