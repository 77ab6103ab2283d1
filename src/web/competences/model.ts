import { COMPETENCE_LEVELS } from "../../contracts/competence-levels.ts";
import type { CompetencesDashboard } from "../../contracts/competences.ts";
import type { IndicatorCell } from "../../contracts/indicators.ts";
import { NATION_KEY } from "../../contracts/territory-tree.ts";

/** The page's parameters, read from `/competences?territoire=…&periode=…&niveau=…`. */
export interface CompetencesParams {
  territory: string;
  period: string | undefined;
  level: CompetencesDashboard["level"];
}

export function parseCompetencesParams(search: URLSearchParams): CompetencesParams {
  const level = search.get("niveau") ?? "";
  return {
    territory: search.get("territoire") ?? NATION_KEY,
    period: search.get("periode") ?? undefined,
    level: (COMPETENCE_LEVELS as readonly string[]).includes(level)
      ? (level as CompetencesParams["level"])
      : "",
  };
}

export function competencesSearch(p: CompetencesParams): string {
  const q = new URLSearchParams({ territoire: p.territory });
  if (p.period) q.set("periode", p.period);
  if (p.level) q.set("niveau", p.level);
  return q.toString();
}

export function apiQuery(p: CompetencesParams): string {
  const q = new URLSearchParams({ territory: p.territory });
  if (p.period) q.set("period", p.period);
  if (p.level) q.set("level", p.level);
  return q.toString();
}

/**
 * The step of the heat-map scale (0 to 4) of a shown value: the mean level on 0–8 (two levels per
 * step), a share on 0–100 %. Null when the cell shows no value.
 */
export function heatStep(cell: IndicatorCell, metric: "meanLevel" | "targetRate"): number | null {
  const shown = cell.value !== null && (cell.status === "published" || cell.restricted);
  if (!shown || cell.value === null) return null;
  const ratio = metric === "meanLevel" ? cell.value / 8 : cell.value / 100;
  return Math.max(0, Math.min(4, Math.floor(ratio * 5)));
}
