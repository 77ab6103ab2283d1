import { DISTRICT_KIND_LABELS, TERRITORY_LEVEL_LABELS } from "../../contracts/labels.ts";
import type { TerritoryLevel } from "../../contracts/territories.ts";
import { TERRITORY_LEVELS } from "../enums.ts";

/** Levels reachable at `/territoires/:level/:code` (the nation lives at `/territoires`). */
export type SubNationLevel = Exclude<TerritoryLevel, "nation">;

export function isSubNationLevel(value: string | undefined): value is SubNationLevel {
  return value !== "nation" && (TERRITORY_LEVELS as readonly string[]).includes(value ?? "");
}

export function territoryPath(level: TerritoryLevel, code: string): string {
  return level === "nation" ? "/territoires" : `/territoires/${level}/${encodeURIComponent(code)}`;
}

/** The `territory` filter of `GET /api/v1/schools`: `FR` or `level:code`. */
export function territoryFilter(level: TerritoryLevel, code: string): string {
  return level === "nation" ? "FR" : `${level}:${code}`;
}

export function schoolPath(uai: string): string {
  return `/etablissements/${encodeURIComponent(uai)}`;
}

export const CHILD_LEVEL_TITLES: Record<TerritoryLevel, string> = {
  nation: "France",
  academicRegion: "Régions académiques",
  academy: "Académies",
  department: "Départements",
  district: "Bassins de formation et circonscriptions",
};

/** « Académie », « Circonscription »… : the kind of a territory, as a French label. */
export function levelLabel(level: TerritoryLevel, districtKind?: keyof typeof DISTRICT_KIND_LABELS): string {
  if (level === "district" && districtKind) return DISTRICT_KIND_LABELS[districtKind];
  return TERRITORY_LEVEL_LABELS[level];
}
