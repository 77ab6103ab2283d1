import type { Kysely } from "kysely";
import { TERRITORY_LEVELS, type TerritoryLevel, type TerritoryRef } from "../../contracts/territories.ts";
import {
  loadTerritoryIndex,
  type Scope,
  type TerritoryIndex,
  type TerritoryPath,
} from "../identity/index.ts";
import type { Database } from "../platform/index.ts";
import { nodeKey, resolveNodeKey } from "../territories/index.ts";

/** Territories of the roadmaps: resolution of a typed key, indexing of a document's nodes. */

type Db = Kysely<Database>;

/**
 * `academy:04`, `FR`, `2A`… → the territory with its name, or territories' French refusal
 * (400 `invalid_territory`): a roadmap is about a territory, so a school is refused.
 */
export async function resolveTerritory(
  db: Db,
  text: string,
): Promise<TerritoryRef & { academyCode: string | null }> {
  const node = await resolveNodeKey(db, text, { field: "territory", levels: TERRITORY_LEVELS });
  // The levels asked are territories': the node is not a school.
  const level = node.ref.level as TerritoryLevel;
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
