import type { TIME_AGGREGATIONS } from "../../../contracts/roadmaps.ts";
import { belongsTo, dayNumber, type Period, periodDays } from "./periods.ts";

/**
 * Aggregation over time: turns the values of finer periods (days, weeks, months…) into the value
 * of one coarser period, following the data element's `aggregation.time` from the catalogue.
 */

export type TimeAggregation = (typeof TIME_AGGREGATIONS)[number];

export interface PeriodValue {
  readonly period: Period;
  readonly value: number;
}

export interface TimeAggregate {
  /** Null when no value belongs to the target period. */
  readonly value: number | null;
  /** Days of the target period covered by at least one value (clipped to the period). */
  readonly daysCovered: number;
  readonly daysInPeriod: number;
  /** daysCovered / daysInPeriod, between 0 and 1. */
  readonly coverage: number;
  /** Number of values used. */
  readonly valuesUsed: number;
}

export class TimeAggregationError extends Error {
  override readonly name = "TimeAggregationError";
}

/**
 * Aggregates the values that belong to `target` (by the rule of `containingPeriod`: a week
 * belongs to the period of its Thursday); values of other periods are ignored.
 *
 * - `sum`: Σ values.
 * - `average_over_days`: mean weighted by each value's own number of days (a weekly mean
 *   weighs 7, a monthly one 28 to 31, a daily one 1). Only covered days count: a month with
 *   10 reported days is the mean of those 10 days, not a mean diluted by 20 missing days
 *   (missing days show in the coverage instead).
 * - `last` / `first`: the value of the period that starts last / first.
 *
 * Values must not overlap (e.g. a month and one of its days), otherwise days would count
 * twice: that is refused with a French error.
 */
export function aggregateOverTime(
  values: readonly PeriodValue[],
  target: Period,
  aggregation: TimeAggregation,
): TimeAggregate {
  const used = values
    .filter((v) => belongsTo(v.period, target))
    .sort((a, b) => (a.period.start < b.period.start ? -1 : a.period.start > b.period.start ? 1 : 0));
  for (let i = 1; i < used.length; i++) {
    const before = used[i - 1] as PeriodValue;
    const current = used[i] as PeriodValue;
    if (current.period.start <= before.period.end) {
      throw new TimeAggregationError(
        `les périodes ${before.period.id} et ${current.period.id} se chevauchent : impossible d'agréger sans compter des jours deux fois`,
      );
    }
  }
  const daysInPeriod = periodDays(target);
  const daysCovered = used.reduce((n, v) => n + clippedDays(v.period, target), 0);
  const coverage = daysCovered / daysInPeriod;
  const base = { daysCovered, daysInPeriod, coverage, valuesUsed: used.length };
  if (used.length === 0) return { ...base, value: null };
  switch (aggregation) {
    case "sum":
      return { ...base, value: used.reduce((s, v) => s + v.value, 0) };
    case "average_over_days": {
      let weighted = 0;
      let days = 0;
      for (const v of used) {
        const d = periodDays(v.period);
        weighted += v.value * d;
        days += d;
      }
      return { ...base, value: weighted / days };
    }
    case "first":
      return { ...base, value: (used[0] as PeriodValue).value };
    case "last":
      return { ...base, value: (used[used.length - 1] as PeriodValue).value };
  }
}

/** Days of `p` inside `target`: a week assigned by its Thursday may stick out of its month. */
function clippedDays(p: Period, target: Period): number {
  const start = Math.max(dayNumber(p.start), dayNumber(target.start));
  const end = Math.min(dayNumber(p.end), dayNumber(target.end));
  return Math.max(0, end - start + 1);
}
