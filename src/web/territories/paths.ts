import type { TerritoryLevel } from "../../contracts/territories.ts";
import {
  type DistrictKind,
  isTerritoryLevel,
  LEVEL_LABELS,
  levelTitle,
  nodeKey,
  TERRITORY_LEVELS,
} from "../../contracts/territory-tree.ts";

/** Levels reachable at `/territoires/:level/:code` (the nation lives at `/territoires`). */
export type SubNationLevel = Exclude<TerritoryLevel, "nation">;

export function isSubNationLevel(value: string | undefined): value is SubNationLevel {
  return value !== undefined && value !== "nation" && isTerritoryLevel(value);
}

export function territoryPath(level: TerritoryLevel, code: string): string {
  return level === "nation" ? "/territoires" : `/territoires/${level}/${encodeURIComponent(code)}`;
}

/** The `territory` filter of `GET /api/v1/schools`: the node key (`nation:FR`, `academy:04`…). */
export function territoryFilter(level: TerritoryLevel, code: string): string {
  return nodeKey({ level, code });
}

export function schoolPath(uai: string): string {
  return `/etablissements/${encodeURIComponent(uai)}`;
}

/** Section titles of the children of a territory, from the contracts' one table of level labels. */
export const CHILD_LEVEL_TITLES = Object.fromEntries(
  TERRITORY_LEVELS.map((level) => [level, LEVEL_LABELS[level].plural]),
) as Record<TerritoryLevel, string>;

/** « Académie », « Circonscription »… : the kind of a territory, as a French label. */
export function levelLabel(level: TerritoryLevel, districtKind?: DistrictKind): string {
  return levelTitle(level, districtKind);
}
