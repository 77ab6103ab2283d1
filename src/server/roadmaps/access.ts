import type { Kysely } from "kysely";
import type { RoadmapDocument } from "../../contracts/roadmaps.ts";
import {
  can,
  type Principal,
  scopeContainsPath,
  type TerritoryIndex,
  type TerritoryPath,
} from "../identity/index.ts";
import type { Actor, Database } from "../platform/index.ts";
import { RoadmapError } from "./errors.ts";
import { evaluateRoadmap, placedObjectives, seriesRequestOf } from "./evaluation.ts";
import { readSeries } from "./indicator-values.ts";
import { findRoadmap } from "./store.ts";
import { indexFor, pathOf } from "./territory.ts";

/**
 * Who may see and write what: drafts visible in the reader's scope, writes needing
 * `roadmaps.manage` on the roadmap's territory, figures under confidentiality masked.
 */

type Db = Kysely<Database>;

export type Viewer = Principal | null | "cli";

export type Writer = { principal: Principal | null | "cli"; actor: Actor };

export function createdBy(actor: Actor): string | null {
  return actor.userId;
}

/** Does the user hold a role whose scope contains the territory (drafts are visible to them)? */
export function inScope(principal: Principal | null, path: TerritoryPath | undefined): boolean {
  if (!principal || !path) return false;
  return principal.roles.some((g) => g.scope.kind === "territory" && scopeContainsPath(g.scope, path));
}

export function mayManage(principal: Principal | null, path: TerritoryPath | undefined): boolean {
  return path !== undefined && can(principal, "roadmaps.manage", { kind: "territory", path });
}

export function requireManage(
  principal: Principal | null | "cli",
  path: TerritoryPath | undefined,
  what: string,
) {
  if (principal === "cli") return;
  if (!principal)
    throw new RoadmapError(403, "forbidden", "Connectez-vous pour modifier une feuille de route.");
  if (!mayManage(principal, path))
    throw new RoadmapError(
      403,
      "forbidden",
      `Le territoire ${what} est hors de votre périmètre : vos rôles ne permettent pas d'y gérer des feuilles de route.`,
    );
}

/** The roadmap if the reader may see it (published, or a draft of their territory); 404 otherwise. */
export async function visibleRoadmap(db: Db, principal: Principal | null | "cli", idOrSlug: string) {
  const row = await findRoadmap(db, idOrSlug);
  const notFound = new RoadmapError(404, "not_found", `Feuille de route « ${idOrSlug} » introuvable.`);
  if (!row) throw notFound;
  const index = await indexFor(db, [{ level: row.territoryLevel, code: row.territoryCode }]);
  const path = pathOf(index, { level: row.territoryLevel, code: row.territoryCode });
  if (principal !== "cli" && row.status !== "published" && !inScope(principal, path)) throw notFound;
  return { row, path };
}

export async function writableRoadmap(db: Db, writer: Writer, idOrSlug: string) {
  const { row, path } = await visibleRoadmap(db, writer.principal, idOrSlug);
  requireManage(writer.principal, path, "de cette feuille de route");
  return row;
}

/** May the viewer see figures under statistical confidentiality on this territory? */
export function restrictedVisibility(viewer: Viewer, index: TerritoryIndex) {
  return (territory: { level: string; code: string }): boolean => {
    if (viewer === "cli") return true;
    const path = pathOf(index, territory);
    return path !== undefined && can(viewer, "indicators.restricted", { kind: "territory", path });
  };
}

export async function evaluate(db: Db, document: RoadmapDocument, viewer: Viewer) {
  const placed = placedObjectives(document);
  const requests = placed.map((p) => seriesRequestOf(p.objective));
  const index = await indexFor(
    db,
    placed.map((p) => p.objective.territory),
  );
  const sees = restrictedVisibility(viewer, index);
  return evaluateRoadmap(document, await readSeries(db, requests), (o) => sees(o.territory));
}
