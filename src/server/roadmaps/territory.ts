import type { Kysely } from "kysely";
import type { TerritoryLevel, TerritoryRef } from "../../contracts/territories.ts";
import {
  loadTerritoryIndex,
  parseScope,
  type Scope,
  type TerritoryIndex,
  type TerritoryPath,
} from "../identity/index.ts";
import type { Database } from "../platform/index.ts";
import { nodeKey, resolveNode } from "../territories/index.ts";
import { RoadmapError } from "./errors.ts";

/** Territories of the roadmaps: resolution of a typed key, indexing of a document's nodes. */

type Db = Kysely<Database>;

/** `academy:04`, `FR`… → the territory with its name, or a French error. Schools are refused. */
export async function resolveTerritory(
  db: Db,
  text: string,
): Promise<TerritoryRef & { academyCode: string | null }> {
  const parsed = parseScope("reader", text);
  if (!parsed.ok) throw new RoadmapError(400, "invalid_territory", parsed.error);
  const scope = parsed.scope;
  if (scope.kind !== "territory" || scope.level === "school")
    throw new RoadmapError(
      400,
      "invalid_territory",
      `Une feuille de route porte sur la nation, une région académique, une académie, un département ou un district, pas sur « ${text} »`,
    );
  const level = scope.level as TerritoryLevel;
  // The tree of the territories module names the node (a district is looked up in the base).
  const node = await resolveNode(db, { level, code: scope.code });
  if (!node) throw new RoadmapError(400, "invalid_territory", `District « ${scope.code} » inconnu`);
  return { level, code: node.ref.code, name: node.ref.name, academyCode: node.academyCode };
}

/** The territory's key, as written in a document and read by `parseScope` (`nation:FR`, `academy:04`). */
export function territoryText(t: { level: TerritoryLevel; code: string }): string {
  return nodeKey(t);
}

export function territoryScope(t: { level: string; code: string }): Scope {
  return { kind: "territory", level: t.level as TerritoryLevel, code: t.code };
}

/** The nodes of a document's territory and objectives, indexed (districts loaded from the database). */
export async function indexFor(
  db: Db,
  nodes: readonly { level: string; code: string }[],
): Promise<TerritoryIndex> {
  return loadTerritoryIndex(
    db,
    nodes.map((n) => ({ level: n.level as TerritoryLevel, code: n.code })),
  );
}

export function pathOf(index: TerritoryIndex, t: { level: string; code: string }): TerritoryPath | undefined {
  return index.pathOf({ level: t.level as TerritoryLevel, code: t.code });
}

export function sameTerritory(a: { level: string; code: string }, b: { level: string; code: string }) {
  return a.level === b.level && a.code === b.code;
}

export function auditTerritory(row: {
  territoryLevel: string;
  territoryCode: string;
  academyCode: string | null;
}) {
  return { level: row.territoryLevel, code: row.territoryCode, academyCode: row.academyCode };
}
