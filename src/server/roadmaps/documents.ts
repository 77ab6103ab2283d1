import type { Kysely } from "kysely";
import type { Objective, RoadmapDocument } from "../../contracts/roadmaps.ts";
import type { TerritoryRef } from "../../contracts/territories.ts";
import { scopeContainsPath, type TerritoryIndex } from "../identity/index.ts";
import type { Database } from "../platform/index.ts";
import { RoadmapError } from "./errors.ts";
import { placedObjectives } from "./evaluation.ts";
import { roadmapLibrary } from "./library.ts";
import { slugExists } from "./store.ts";
import { parseRoadmapDocument, TemplateError, TemplateErrors, validateRoadmapDocument } from "./templates.ts";
import { indexFor, pathOf, sameTerritory, territoryScope, territoryText } from "./territory.ts";

/** Roadmap documents: validation (schema, catalogue, territories), moving, slugs, blank document. */

type Db = Kysely<Database>;

/** Checks that go beyond the schema: known territories, every objective inside the roadmap's territory. */
async function checkTerritories(db: Db, document: RoadmapDocument, file: string): Promise<TerritoryIndex> {
  const placed = placedObjectives(document);
  const index = await indexFor(db, [document.territory, ...placed.map((p) => p.objective.territory)]);
  const errors: TemplateError[] = [];
  const root = pathOf(index, document.territory);
  if (!root)
    errors.push(
      new TemplateError(file, "territory", `territoire « ${territoryText(document.territory)} » inconnu`),
    );
  for (const [ai, ambition] of document.ambitions.entries())
    for (const [ti, target] of ambition.targets.entries())
      for (const [fi, field] of target.operationalFields.entries())
        for (const [ii, ref] of field.indicatorRefs.entries())
          for (const [oi, objective] of ref.objectives.entries()) {
            const at = `ambitions[${ai}].targets[${ti}].operationalFields[${fi}].indicatorRefs[${ii}].objectives[${oi}].territory`;
            const path = pathOf(index, objective.territory);
            if (!path)
              errors.push(
                new TemplateError(file, at, `territoire « ${territoryText(objective.territory)} » inconnu`),
              );
            else if (root && !scopeContainsPath(territoryScope(document.territory), path))
              errors.push(
                new TemplateError(
                  file,
                  at,
                  `territoire « ${territoryText(objective.territory)} » hors du territoire de la feuille de route (« ${territoryText(document.territory)} »)`,
                ),
              );
          }
  if (errors.length > 0) throw new TemplateErrors(errors);
  return index;
}

function invalidDocument(error: TemplateErrors): RoadmapError {
  return new RoadmapError(
    400,
    "invalid_roadmap",
    `Feuille de route invalide : ${error.errors.map((e) => e.message).join(" ; ")}`,
    error.errors.map((e) => e.message),
  );
}

/** Validates (schema, catalogue, territories) and turns every problem into one 400 RoadmapError. */
export async function validDocument(
  db: Db,
  data: unknown,
  file: string,
  yamlText = false,
): Promise<RoadmapDocument> {
  const { catalogue } = await roadmapLibrary();
  try {
    const document =
      yamlText && typeof data === "string"
        ? parseRoadmapDocument(data, file, catalogue)
        : validateRoadmapDocument(data, file, catalogue);
    await checkTerritories(db, document, file);
    return document;
  } catch (err) {
    if (err instanceof TemplateErrors) throw invalidDocument(err);
    throw err;
  }
}

/**
 * A template (or an imported roadmap) moved to another territory: objectives on the source
 * territory, or outside the new one, now bear on the new territory (duplicates for the same
 * indicator, period and disaggregation are dropped: « 3 000 par académie » becomes one objective);
 * objectives on a part of the new territory are kept.
 */
export async function retarget(
  db: Db,
  source: RoadmapDocument,
  territory: TerritoryRef,
  note: string,
): Promise<RoadmapDocument> {
  const document = structuredClone(source);
  const from = source.territory;
  document.territory = { level: territory.level, code: territory.code, name: territory.name };
  if (!sameTerritory(from, territory)) document.authority = territory.name;
  const index = await indexFor(db, [
    territory,
    ...placedObjectives(source).map((p) => p.objective.territory),
  ]);
  const newScope = territoryScope(territory);
  for (const ambition of document.ambitions)
    for (const target of ambition.targets)
      for (const field of target.operationalFields)
        for (const ref of field.indicatorRefs) {
          const seen = new Set<string>();
          const kept: Objective[] = [];
          for (const objective of ref.objectives) {
            const path = pathOf(index, objective.territory);
            const inside =
              !sameTerritory(objective.territory, from) && path && scopeContainsPath(newScope, path);
            if (!inside) objective.territory = { ...document.territory };
            const key = `${territoryText(objective.territory)}|${objective.year ?? ""}|${objective.schoolYear ?? ""}|${JSON.stringify(objective.disaggregation ?? {})}`;
            if (seen.has(key)) continue;
            seen.add(key);
            kept.push(objective);
          }
          ref.objectives = kept;
        }
  document.modellingNotes = [...document.modellingNotes, note];
  return document;
}

function slugify(text: string): string {
  const base = text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/g, "");
  return base === "" || /^\d+$/.test(base) ? `feuille-de-route-${base || "sans-titre"}` : base;
}

export async function uniqueSlug(db: Db, text: string): Promise<string> {
  const base = slugify(text);
  let slug = base;
  for (let i = 2; await slugExists(db, slug); i++) slug = `${base}-${i}`;
  return slug;
}

export function blankDocument(territory: TerritoryRef, title: string, year: number): RoadmapDocument {
  return {
    id: "feuille-de-route",
    title,
    shortTitle: title.slice(0, 80),
    authority: territory.name,
    territory: { level: territory.level, code: territory.code, name: territory.name },
    period: { from: String(year), to: String(year + 3), label: `${year}-${year + 3}` },
    summary: "À compléter : les ambitions, les cibles, les champs opérationnels et les objectifs chiffrés.",
    axes: [],
    ambitions: [
      {
        id: "ambition-1",
        title: "Première ambition (à renommer)",
        targets: [{ id: "cible-1", title: "Première cible (à renommer)", focus: [], operationalFields: [] }],
      },
    ],
    diagnostics: [],
    checkpoints: [],
    recommendations: [],
    modellingNotes: [],
  };
}

export function countObjectives(document: RoadmapDocument): number {
  return placedObjectives(document).length;
}
