import type { DIRECTIONS, INDICATOR_KINDS } from "../../../contracts/roadmaps.ts";

/**
 * Objective status from the linear trajectory baseline → target: reached, on track, late or no
 * data. Ratio targets are never summed across territories.
 */

export type Direction = (typeof DIRECTIONS)[number];
export type IndicatorKind = (typeof INDICATOR_KINDS)[number];
export const OBJECTIVE_STATUSES = ["reached", "on_track", "late", "no_data"] as const;
export type ObjectiveStatus = (typeof OBJECTIVE_STATUSES)[number];

export const OBJECTIVE_STATUS_LABELS: Record<ObjectiveStatus, string> = {
  reached: "atteint",
  on_track: "en bonne voie",
  late: "en retard",
  no_data: "sans donnée",
};

/** A point in time: a civil year, or a school year given by its first year (2024-2025 → 2024). */
export interface YearValue {
  readonly value: number;
  readonly year: number;
}

export interface ObjectiveInput {
  readonly baseline: YearValue;
  readonly target: YearValue;
  readonly current: YearValue | null;
  readonly direction: Direction;
  /** Share of the planned change (|target − baseline|) accepted as slack; default 5 %. */
  readonly tolerance?: number;
}

export class ObjectiveError extends Error {
  override readonly name = "ObjectiveError";
}

export const DEFAULT_TOLERANCE = 0.05;

/** The school year `2024-2025` as the number 2024; a civil year as itself. */
export function yearOf(period: string | number): number {
  if (typeof period === "number") return period;
  const m = /^(\d{4})(?:-(\d{4}))?$/.exec(period.trim());
  if (!m) throw new ObjectiveError(`année « ${period} » non reconnue (attendu 2024 ou 2024-2025)`);
  return Number(m[1]);
}

/** The value the trajectory expects in `year`: linear from baseline to target, flat after. */
export function expectedValue(baseline: YearValue, target: YearValue, year: number): number {
  if (target.year <= baseline.year) return target.value;
  const t = Math.min(1, Math.max(0, (year - baseline.year) / (target.year - baseline.year)));
  return baseline.value + t * (target.value - baseline.value);
}

/**
 * - `no_data`: no current value.
 * - `reached`: the current value meets the target (≥ for higher is better, ≤ for lower is better,
 *   within the tolerance for a `target` direction).
 * - `on_track`: not reached, the target year not passed, and the current value is at least as good
 *   as the trajectory's expected value for its year, minus the tolerance. The tolerance is a share
 *   (default 5 %) of the planned change |target − baseline|: with a baseline of 40 % and a target
 *   of 80 %, a value 2 points below the trajectory is still on track.
 * - `late`: otherwise, and always once the target year is reached without the target.
 */
export function objectiveStatus(input: ObjectiveInput): ObjectiveStatus {
  const { baseline, target, current, direction } = input;
  const tolerance = input.tolerance ?? DEFAULT_TOLERANCE;
  if (tolerance < 0) throw new ObjectiveError("la tolérance doit être positive ou nulle");
  if (current === null || !Number.isFinite(current.value)) return "no_data";
  const slack = tolerance * Math.abs(target.value - baseline.value);
  const expected = expectedValue(baseline, target, current.year);
  switch (direction) {
    case "higher_is_better":
      if (current.value >= target.value) return "reached";
      if (current.year >= target.year) return "late";
      return current.value >= expected - slack ? "on_track" : "late";
    case "lower_is_better":
      if (current.value <= target.value) return "reached";
      if (current.year >= target.year) return "late";
      return current.value <= expected + slack ? "on_track" : "late";
    case "target": {
      const distance = Math.abs(current.value - target.value);
      if (distance <= slack) return "reached";
      if (current.year >= target.year) return "late";
      return distance <= Math.abs(expected - target.value) + slack ? "on_track" : "late";
    }
  }
}

/** Kinds whose targets are levels of a ratio or a mean: they do not add up across territories. */
const NON_ADDITIVE: ReadonlySet<IndicatorKind> = new Set(["ratio", "mean", "per_school_then_count"]);

export interface TerritoryTarget {
  readonly territory: string;
  readonly target: number;
}

/**
 * Sums territorial targets of a count indicator (e.g. certified teachers per département into an
 * académie target). Refuses ratios: 80 % in one département and 60 % in another do not make
 * 140 %, nor 70 % unless both have the same denominator — the territory's own target must be set.
 */
export function sumTargets(
  indicator: { code: string; kind: IndicatorKind },
  targets: readonly TerritoryTarget[],
) {
  if (NON_ADDITIVE.has(indicator.kind)) {
    throw new ObjectiveError(
      `les objectifs de l'indicateur « ${indicator.code} » sont des taux ou des moyennes : ils ne s'additionnent pas entre territoires ; fixer l'objectif du territoire lui-même`,
    );
  }
  return targets.reduce((s, t) => s + t.target, 0);
}
