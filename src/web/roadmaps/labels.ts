import { disaggregationLabel } from "../../contracts/disaggregation-labels.ts";
import type { Objective } from "../../contracts/roadmaps.ts";
import type { ObjectiveStatusDto, RoadmapStatus } from "../../contracts/roadmaps-api.ts";
import { isNodeLevel, LEVEL_LABELS, parseNodeKey } from "../../contracts/territory-tree.ts";

/** French labels of the roadmaps module (the server's OBJECTIVE_STATUS_LABELS, capitalised). */

export const OBJECTIVE_STATUS_TEXT: Record<ObjectiveStatusDto, string> = {
  reached: "Atteint",
  on_track: "En bonne voie",
  late: "En retard",
  no_data: "Sans donnée",
};

export const ROADMAP_STATUS_TEXT: Record<RoadmapStatus, string> = {
  draft: "Brouillon",
  published: "Publiée",
};

export function territoryText(t: { level: string; code: string; name: string }): string {
  return t.level === "nation" ? "France" : `${levelText(t.level)} ${t.name}`;
}

/** `nation:FR` (or `FR`), `academy:04` → « France », « Académie 04 » (the scopes of the user). */
export function scopeText(scope: string): string {
  const node = parseNodeKey(scope);
  if (node?.level === "nation") return "France";
  const [level, code] = scope.split(":");
  return `${levelText(level ?? "")} ${code}`;
}

/** A level's title from the contracts' table; a local authority's level (`region`…) as written. */
function levelText(level: string): string {
  return isNodeLevel(level) ? LEVEL_LABELS[level].title : level;
}

const number = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 1 });

/** « 70 % », « 2 000 jours », « 128 pix ». */
export function formatValue(value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined) return "—";
  return unit === "%" ? `${number.format(value)} %` : `${number.format(value)} ${unit}`;
}

export function formatShare(share: number): string {
  return `${number.format(Math.round(share * 100))} %`;
}

/** « 2026-2027 » or « 2026 ». */
export function objectivePeriod(o: Pick<Objective, "year" | "schoolYear">): string {
  return o.schoolYear ?? String(o.year ?? "");
}

/** « Niveau moyen atteint (3e) »: the indicator's wording and the objective's breakdown. */
export function objectiveLabel(label: string, o: Pick<Objective, "disaggregation">): string {
  const breakdown = disaggregationLabel(o.disaggregation);
  return breakdown ? `${label} (${breakdown})` : label;
}

const COMPARATOR_TEXT: Record<string, string> = { ">=": "au moins", "<=": "au plus", "=": "égal à" };

/** « au moins 80 % », « hausse de 20 % », « 5 à 10 formations ». */
export function objectiveTargetText(o: Objective): string {
  if (o.mode === "increase_percent")
    return `hausse de ${number.format(o.target)} %${o.perYear ? " par an" : ""}`;
  const range =
    o.targetMax !== undefined ? `${number.format(o.target)} à ${formatValue(o.targetMax, o.unit)}` : null;
  const value = range ?? formatValue(o.target, o.unit);
  const total = o.ofTotal !== undefined ? ` sur ${number.format(o.ofTotal)}` : "";
  return `${COMPARATOR_TEXT[o.comparator] ?? o.comparator} ${value}${total}${o.perYear ? " par an" : ""}`;
}
