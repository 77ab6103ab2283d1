import type { Comparator, IndicatorRef, Objective, RoadmapDocument } from "../../contracts/roadmaps.ts";
import type {
  NodeRollup,
  ObjectiveEvaluation,
  ObjectiveStatusDto,
  RoadmapEvaluation,
} from "../../contracts/roadmaps-api.ts";
import {
  type Direction,
  expectedValue,
  OBJECTIVE_STATUS_LABELS,
  objectiveStatus,
  type YearValue,
  yearOf,
} from "../indicators/index.ts";

/**
 * Status of every objective of a roadmap from the indicator values of its territory, and the
 * roll-up to operational fields, targets, ambitions and the roadmap (pure functions, no I/O).
 * Rules in docs/roadmaps.md.
 */

/** One value of an indicator's series for a node, oldest period first (indicators/values.ts). */
export interface SeriesPoint {
  period: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  coverage: number | null;
  status: string;
}

/** Canonical text of a disaggregation: `k=v` pairs sorted by key, joined by `,`; '' = total. */
export function disaggregationText(filter: Readonly<Record<string, string>> | undefined): string {
  return Object.entries(filter ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
}

/** The series an objective is measured on: indicator, node (its own territory), disaggregation. */
export interface SeriesRequest {
  key: string;
  indicatorCode: string;
  node: { level: Objective["territory"]["level"]; code: string };
  disaggregation: string;
}

export function seriesRequestOf(objective: Objective): SeriesRequest {
  const disaggregation = disaggregationText(objective.disaggregation);
  const node = { level: objective.territory.level, code: objective.territory.code };
  return {
    key: `${objective.indicatorCode}|${node.level}:${node.code}|${disaggregation}`,
    indicatorCode: objective.indicatorCode,
    node,
    disaggregation,
  };
}

export interface PlacedObjective {
  objective: Objective;
  indicatorRef: IndicatorRef;
  ambitionId: string;
  targetId: string;
  fieldId: string;
}

/** Every objective of the tree with the ids of the nodes above it, in document order. */
export function placedObjectives(document: RoadmapDocument): PlacedObjective[] {
  const out: PlacedObjective[] = [];
  for (const ambition of document.ambitions)
    for (const target of ambition.targets)
      for (const field of target.operationalFields)
        for (const indicatorRef of field.indicatorRefs)
          for (const objective of indicatorRef.objectives)
            out.push({
              objective,
              indicatorRef,
              ambitionId: ambition.id,
              targetId: target.id,
              fieldId: field.id,
            });
  return out;
}

const DIRECTION_OF: Record<Comparator, Direction> = {
  ">=": "higher_is_better",
  "<=": "lower_is_better",
  "=": "target",
};

const YEAR = /^\d{4}$/;
const SCHOOL_YEAR = /^\d{4}-\d{4}$/;

/** The year an objective is due: its civil year, or the first year of its school year. */
export function objectiveYear(objective: Objective): number {
  if (objective.year !== undefined) return objective.year;
  return yearOf(objective.schoolYear ?? "");
}

/**
 * Points usable for an objective: a value (not hidden by the statistical confidentiality), over
 * a year of the objective's kind (school years for a `schoolYear` objective, civil years for a
 * `year` one; the other kind when the series has none of its own).
 */
function usablePoints(objective: Objective, series: readonly SeriesPoint[], seesRestricted: boolean) {
  const withValue = series.filter(
    (p): p is SeriesPoint & { value: number } =>
      p.value !== null && Number.isFinite(p.value) && (seesRestricted || p.status === "published"),
  );
  const own = objective.schoolYear !== undefined ? SCHOOL_YEAR : YEAR;
  const other = own === YEAR ? SCHOOL_YEAR : YEAR;
  const preferred = withValue.filter((p) => own.test(p.period));
  const points = preferred.length > 0 ? preferred : withValue.filter((p) => other.test(p.period));
  return points.map((p) => ({ point: p, year: yearOf(p.period) })).sort((a, b) => a.year - b.year);
}

export interface ObjectiveResult extends ObjectiveEvaluation {
  /** The series point compared with the target (frozen by a checkpoint). */
  point: SeriesPoint | null;
}

/**
 * - current value: the latest value of a year up to the objective's year; when there is none,
 *   the first value after it (the objective is then judged on the first evidence we have);
 * - baseline: the objective's own; without one, the oldest value known;
 * - value to reach: `target` (`mode: level`), or baseline × (1 + target / 100) (`increase_percent`);
 * - status from objectiveStatus (indicators/domain/objectives.ts), direction from the comparator.
 */
export function evaluateObjective(
  objective: Objective,
  series: readonly SeriesPoint[],
  seesRestricted = false,
): ObjectiveResult {
  const targetYear = objectiveYear(objective);
  const points = usablePoints(objective, series, seesRestricted);
  const upTo = points.filter((p) => p.year <= targetYear);
  const chosen = upTo.at(-1) ?? points.find((p) => p.year > targetYear) ?? null;

  const ownBaseline = objective.baseline
    ? {
        value: objective.baseline.value,
        year:
          objective.baseline.year ??
          (objective.baseline.schoolYear !== undefined ? yearOf(objective.baseline.schoolYear) : undefined),
      }
    : undefined;
  const oldest = points[0];
  let baseline: YearValue | null = null;
  if (ownBaseline) {
    baseline = {
      value: ownBaseline.value,
      year: ownBaseline.year ?? oldest?.year ?? Math.min(targetYear, chosen?.year ?? targetYear),
    };
  } else if (oldest) {
    baseline = { value: oldest.point.value, year: oldest.year };
  }

  const targetValue =
    objective.mode === "increase_percent"
      ? baseline
        ? baseline.value * (1 + objective.target / 100)
        : null
      : objective.target;

  let status: ObjectiveStatusDto = "no_data";
  let progress: number | null = null;
  let expected: number | null = null;
  if (chosen && targetValue !== null) {
    const current = { value: chosen.point.value, year: chosen.year };
    const base = baseline ?? current;
    status = objectiveStatus({
      baseline: base,
      target: { value: targetValue, year: targetYear },
      current,
      direction: DIRECTION_OF[objective.comparator],
    });
    progress = progressOf(base.value, targetValue, current.value, objective.comparator, status);
    expected = expectedValue(base, { value: targetValue, year: targetYear }, current.year);
  }
  return {
    status,
    statusLabel: OBJECTIVE_STATUS_LABELS[status],
    current: chosen ? { period: chosen.point.period, value: chosen.point.value } : null,
    baseline: baseline ? { year: baseline.year, value: baseline.value } : null,
    targetValue,
    targetYear,
    expected,
    progress,
    point: chosen?.point ?? null,
  };
}

/** Share of the way from the baseline to the target, 0..1. */
function progressOf(
  baseline: number,
  target: number,
  current: number,
  comparator: Comparator,
  status: ObjectiveStatusDto,
): number {
  if (status === "reached") return 1;
  if (comparator === "=") {
    const start = Math.abs(target - baseline);
    if (start === 0) return 0;
    return clamp01(1 - Math.abs(target - current) / start);
  }
  if (target === baseline) return 0;
  return clamp01((current - baseline) / (target - baseline));
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}

export function emptyRollup(): NodeRollup {
  return {
    status: null,
    total: 0,
    counts: { reached: 0, on_track: 0, late: 0, no_data: 0 },
    reachedShare: null,
  };
}

/**
 * Roll-up of objective statuses: no objective → no status; none measured → « sans donnée »;
 * one late → « en retard »; all reached → « atteint »; otherwise « en bonne voie » (some reached
 * or on track, possibly some without data).
 */
export function rollup(statuses: readonly ObjectiveStatusDto[]): NodeRollup {
  const r = emptyRollup();
  for (const s of statuses) r.counts[s]++;
  r.total = statuses.length;
  if (r.total === 0) return r;
  r.reachedShare = r.counts.reached / r.total;
  if (r.counts.no_data === r.total) r.status = "no_data";
  else if (r.counts.late > 0) r.status = "late";
  else if (r.counts.reached === r.total) r.status = "reached";
  else r.status = "on_track";
  return r;
}

/**
 * Every objective evaluated on its series (absent series = no value), and every node rolled up.
 * Values under statistical confidentiality count only for a viewer entitled to them on the
 * objective's territory (`seesRestricted`); for the others they do not exist.
 */
export function evaluateRoadmap(
  document: RoadmapDocument,
  seriesByKey: ReadonlyMap<string, readonly SeriesPoint[]>,
  seesRestricted: (objective: Objective) => boolean = () => false,
): { evaluation: RoadmapEvaluation; results: Map<string, ObjectiveResult> } {
  const placed = placedObjectives(document);
  const results = new Map<string, ObjectiveResult>();
  const byNode = new Map<string, ObjectiveStatusDto[]>();
  const add = (id: string, s: ObjectiveStatusDto) => byNode.set(id, [...(byNode.get(id) ?? []), s]);
  for (const p of placed) {
    const result = evaluateObjective(
      p.objective,
      seriesByKey.get(seriesRequestOf(p.objective).key) ?? [],
      seesRestricted(p.objective),
    );
    results.set(p.objective.id, result);
    add(p.ambitionId, result.status);
    add(p.targetId, result.status);
    add(p.fieldId, result.status);
  }
  const nodes: Record<string, NodeRollup> = {};
  for (const ambition of document.ambitions) {
    nodes[ambition.id] = rollup(byNode.get(ambition.id) ?? []);
    for (const target of ambition.targets) {
      nodes[target.id] = rollup(byNode.get(target.id) ?? []);
      for (const field of target.operationalFields) nodes[field.id] = rollup(byNode.get(field.id) ?? []);
    }
  }
  const objectives: Record<string, ObjectiveEvaluation> = {};
  for (const [id, { point: _point, ...evaluation }] of results) objectives[id] = evaluation;
  return {
    evaluation: { roadmap: rollup([...results.values()].map((r) => r.status)), nodes, objectives },
    results,
  };
}
