import type { Kysely } from "kysely";
import type {
  CompetenceHeadline,
  CompetenceHeatMap,
  CompetencesDashboard,
} from "../../contracts/competences.ts";
import { CRCN_COMPETENCES, PIX_TARGET_LEVEL, PIX_TARGET_MEAN_SCORE } from "../../contracts/crcn.ts";
import { type IndicatorCell, nodeKey, type ValuesResponse } from "../../contracts/indicators.ts";
import type { Principal } from "../identity/index.ts";
import { indicatorValues } from "../indicators/index.ts";
import type { Database } from "../platform/index.ts";

/**
 * The digital-competences dashboard of a territory or a school (docs/competences.md), composed
 * from the observatory's own cells: no figure is computed here, so the confidentiality rules
 * (10 pupils, dominance, secondary suppression) apply exactly as on every indicator page.
 */

export type CompetenceLevel = CompetencesDashboard["level"];

export interface DashboardInput {
  /** The territory's or the school's key (`academy:04`, `school:0330001A`). */
  territory: string;
  period?: string | undefined;
  level: CompetenceLevel;
}

/** School years shown in the evolution, the current one included. */
const EVOLUTION_YEARS = 5;

const HEADLINES: readonly { key: CompetenceHeadline["key"]; label: string; indicator: string }[] = [
  {
    key: "participants",
    label: "Profils Pix envoyés (part des participants)",
    indicator: "pix_profile_shared_rate",
  },
  { key: "certifiable", label: "Profils certifiables", indicator: "pix_certifiable_rate" },
  { key: "meanScore", label: "Score Pix moyen", indicator: "pix_mean_score" },
  { key: "certification", label: "Certifications validées", indicator: "pix_certification_success_rate" },
];

type Reader = (
  indicator: string,
  disaggregation: string,
  period: string | undefined,
  children: boolean,
) => Promise<ValuesResponse>;

export async function competencesDashboard(
  db: Kysely<Database>,
  principal: Principal | null,
  input: DashboardInput,
): Promise<CompetencesDashboard> {
  const read: Reader = (indicator, disaggregation, period, children) =>
    indicatorValues(db, principal, indicator, {
      territory: input.territory,
      period,
      group: "",
      disaggregation,
      children,
    });
  const levelKey = input.level === "" ? "" : `level=${input.level}`;
  const first = await read(HEADLINES[0]?.indicator as string, levelKey, input.period, false);
  const period = first.period;
  const headlines = await Promise.all(HEADLINES.map((h) => headline(read, h, levelKey, period, input.level)));
  const heatMaps = [
    await heatMap(read, "meanLevel", period, input.level),
    await heatMap(read, "targetRate", period, input.level),
  ];
  return { territory: first.territory.node, period, level: input.level, headlines, heatMaps };
}

async function headline(
  read: Reader,
  h: (typeof HEADLINES)[number],
  levelKey: string,
  period: string,
  level: CompetenceLevel,
): Promise<CompetenceHeadline> {
  const years = previousSchoolYears(period, EVOLUTION_YEARS);
  const cells: ValuesResponse[] = [];
  // One after the other: on PGlite the base serves one query at a time anyway.
  for (const p of years) cells.push(await read(h.indicator, levelKey, p, false));
  const current = cells[cells.length - 1];
  if (!current) throw new Error("no period");
  return {
    key: h.key,
    label: h.label,
    indicator: h.indicator,
    unit: current.indicator.unit,
    cell: current.territory,
    target: h.key === "meanScore" && level !== "" ? (PIX_TARGET_MEAN_SCORE[level] ?? null) : null,
    series: cells.map((c) => c.territory),
  };
}

/** The heat map's indicator: the mean level, or the share at the level targeted for the class level. */
function heatMapIndicator(metric: CompetenceHeatMap["metric"], level: CompetenceLevel) {
  if (metric === "meanLevel")
    return {
      indicator: "pix_competence_mean_level",
      label: "Niveau moyen par compétence (tous niveaux de classe)",
      targetLevel: null,
    };
  if (level === "")
    return {
      indicator: "pix_competence_target_rate",
      label: "Part des élèves au niveau visé (niveau 1 en troisième, 2 en terminale)",
      targetLevel: null,
    };
  const target = PIX_TARGET_LEVEL[level] ?? null;
  return {
    indicator: `pix_competence_target_rate_${level}`,
    label: `Part des élèves de ${level === "troisieme" ? "troisième" : "terminale"} au niveau ${target} ou plus`,
    targetLevel: target,
  };
}

async function heatMap(
  read: Reader,
  metric: CompetenceHeatMap["metric"],
  period: string,
  level: CompetenceLevel,
): Promise<CompetenceHeatMap> {
  const chosen = heatMapIndicator(metric, level);
  const responses: ValuesResponse[] = [];
  for (const c of CRCN_COMPETENCES)
    responses.push(await read(chosen.indicator, `competence=${c.option}`, period, true));
  const columns = responses[0]?.children?.map((c) => c.node) ?? [];
  const rows = CRCN_COMPETENCES.map((c, i) => {
    const r = responses[i];
    if (!r) throw new Error("missing competence");
    const byNode = new Map((r.children ?? []).map((cell) => [nodeKey(cell.node), cell]));
    return {
      competence: c.code,
      name: c.name,
      area: c.area,
      territory: r.territory,
      cells: columns.map((n) => byNode.get(nodeKey(n)) ?? emptyCell(r.territory, n)),
    };
  });
  return {
    metric,
    label: chosen.label,
    indicator: chosen.indicator,
    unit: responses[0]?.indicator.unit ?? "",
    targetLevel: chosen.targetLevel,
    columns,
    rows,
  };
}

/** A column a competence has no cell for: no value, shown as such. */
function emptyCell(like: IndicatorCell, node: IndicatorCell["node"]): IndicatorCell {
  return {
    ...like,
    node,
    value: null,
    numerator: null,
    denominator: null,
    schoolsReporting: null,
    schoolsExpected: null,
    coverage: null,
    status: "published",
    statusLabel: "publiée",
    restricted: false,
  };
}

/** `2024-2025` and the school years before it, oldest first; another kind of period alone. */
export function previousSchoolYears(period: string, count: number): string[] {
  const m = /^(\d{4})-(\d{4})$/.exec(period);
  if (!m) return [period];
  const start = Number(m[1]);
  return Array.from({ length: count }, (_, i) => start - (count - 1 - i)).map((y) => `${y}-${y + 1}`);
}
