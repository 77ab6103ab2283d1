import { readdir, readFile } from "node:fs/promises";
import { basename, join } from "node:path";
import {
  type Disaggregation,
  type Indicator,
  type IndicatorCatalogue,
  type RoadmapDocument,
  type RoadmapTemplate,
  roadmapDocument,
  roadmapTemplate,
  type SourceRef,
} from "../../contracts/roadmaps.ts";
import { loadIndicatorCatalogue } from "../indicators/index.ts";
import {
  parseYaml,
  projectPath,
  TemplateError,
  TemplateErrors,
  validateDocument,
} from "../platform/index.ts";

// The catalogue file belongs to indicators and the YAML reader to platform; re-exported for the
// roadmaps' own callers and tests.
export { loadIndicatorCatalogue, parseIndicatorCatalogue } from "../indicators/index.ts";
export { formatPath, TemplateError, TemplateErrors } from "../platform/index.ts";

/**
 * Loads the roadmap templates written by the project from the five seed documents
 * (`data/templates/roadmaps/`), validates them with the Zod contracts and checks their references
 * to the indicator catalogue. Errors are in French and name the file, the path and the reason.
 */

export const DEFAULT_TEMPLATES_DIR = projectPath("data/templates");

// ---------------------------------------------------------------------------------------------
// Roadmap templates

/** Parses one template and checks it against the catalogue. */
export function parseRoadmapTemplate(
  text: string,
  file: string,
  catalogue: IndicatorCatalogue,
): RoadmapTemplate {
  const template = validateDocument(roadmapTemplate, parseYaml(text, file), file);
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
  const document = validateDocument(roadmapDocument, data, file);
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
