import type { Kysely } from "kysely";
import type { Database } from "../platform/index.ts";
import type { Catalogue } from "./catalogue.ts";
import { containingPeriod, type Period, parsePeriod } from "./domain/periods.ts";
import type { TimeAggregation } from "./domain/time-aggregation.ts";
import { aggregateOverTime, type PeriodValue } from "./domain/time-aggregation.ts";
import type { SeriesLookup, SeriesRef } from "./plan.ts";

/**
 * School values of some series, in memory, indexed by series and period. Values stored for
 * months, weeks or days also give the value of their school year, aggregated over time as the
 * data element says (sum, average over the days covered, last, first). A value stored for the
 * school year itself wins over the derived one.
 */
export class SeriesIndex {
  /** `element|disaggregation|period` → school id → value. */
  private readonly values = new Map<string, Map<string, number>>();
  /** `element|disaggregation` → periods having values. */
  private readonly periodsBySeries = new Map<string, Set<string>>();

  lookup: SeriesLookup = (ref, period, schoolId) =>
    this.values.get(`${ref.element}|${ref.disaggregation}|${period}`)?.get(schoolId);

  schoolsOf(ref: SeriesRef, period: string): ReadonlyMap<string, number> | undefined {
    return this.values.get(`${ref.element}|${ref.disaggregation}|${period}`);
  }

  periodsOf(ref: SeriesRef): string[] {
    return [...(this.periodsBySeries.get(`${ref.element}|${ref.disaggregation}`) ?? [])];
  }

  // The last bucket written: rows come grouped by element and period, so most writes reuse it
  // without building and hashing a key.
  private last: {
    element: string;
    disaggregation: string;
    period: string;
    bySchool: Map<string, number>;
  } | null = null;

  set(element: string, disaggregation: string, period: string, schoolId: string, value: number): void {
    const last = this.last;
    if (
      last &&
      last.element === element &&
      last.period === period &&
      last.disaggregation === disaggregation
    ) {
      last.bySchool.set(schoolId, value);
      return;
    }
    const key = `${element}|${disaggregation}|${period}`;
    let bySchool = this.values.get(key);
    if (!bySchool) {
      bySchool = new Map();
      this.values.set(key, bySchool);
      const seriesKey = `${element}|${disaggregation}`;
      let periods = this.periodsBySeries.get(seriesKey);
      if (!periods) {
        periods = new Set();
        this.periodsBySeries.set(seriesKey, periods);
      }
      periods.add(period);
    }
    bySchool.set(schoolId, value);
    this.last = { element, disaggregation, period, bySchool };
  }

  /** Builds the index from raw rows (already filtered), deriving school years. */
  static fromRows(
    rows: Iterable<{
      school_id: string;
      data_element_code: string;
      period: string;
      disaggregation: string;
      value: number;
    }>,
    catalogue: Catalogue,
  ): SeriesIndex {
    const index = new SeriesIndex();
    // (element|disaggregation|schoolYear|school) → finer values, aggregated after the scan.
    const finer = new Map<string, FinerValues>();
    // Parsed once per distinct period string (there are a handful), not once per row.
    const yearOfPeriod = new Map<string, { period: Period; year: Period } | null>();
    for (const r of rows) {
      index.set(r.data_element_code, r.disaggregation, r.period, r.school_id, r.value);
      let entryPeriod = yearOfPeriod.get(r.period);
      if (entryPeriod === undefined) {
        const result = parsePeriod(r.period);
        entryPeriod =
          result.ok && result.period.type !== "school_year" && result.period.type !== "year"
            ? { period: result.period, year: containingPeriod(result.period, "school_year") }
            : null;
        yearOfPeriod.set(r.period, entryPeriod);
      }
      if (!entryPeriod) continue;
      const key = `${r.data_element_code}|${r.disaggregation}|${entryPeriod.year.id}|${r.school_id}`;
      let entry = finer.get(key);
      if (!entry) {
        entry = {
          element: r.data_element_code,
          disaggregation: r.disaggregation,
          year: entryPeriod.year,
          school: r.school_id,
          values: [],
        };
        finer.set(key, entry);
      }
      entry.values.push({ period: entryPeriod.period, value: r.value });
    }
    for (const e of finer.values()) {
      if (index.values.get(`${e.element}|${e.disaggregation}|${e.year.id}`)?.has(e.school)) continue;
      const aggregation = (catalogue.elements.get(e.element)?.aggregation.time ?? "sum") as TimeAggregation;
      const value = aggregateYear(e.values, e.year, aggregation);
      if (value !== null) index.set(e.element, e.disaggregation, e.year.id, e.school, value);
    }
    return index;
  }
}

interface FinerValues {
  element: string;
  disaggregation: string;
  year: Period;
  school: string;
  values: PeriodValue[];
}

/**
 * The value of a school year from its finer values. Sums, first and last need no day arithmetic
 * and are computed directly (this runs for every school and usage series, 60 000 × 10 at the
 * nation); the weighted mean goes through the domain's aggregateOverTime. Same results: the
 * domain tests define them, series-index.test.ts checks the equivalence.
 */
export function aggregateYear(
  values: readonly PeriodValue[],
  year: Period,
  aggregation: TimeAggregation,
): number | null {
  if (values.length === 0) return null;
  switch (aggregation) {
    case "sum": {
      let total = 0;
      for (const v of values) total += v.value;
      return total;
    }
    case "last":
    case "first": {
      let pick = values[0] as PeriodValue;
      for (const v of values) {
        if (aggregation === "last" ? v.period.start > pick.period.start : v.period.start < pick.period.start)
          pick = v;
      }
      return pick.value;
    }
    case "average_over_days":
      return aggregateOverTime(values, year, aggregation).value;
  }
}

interface SeriesWhere {
  academyCodes: readonly string[];
  elements: readonly string[];
  schoolId?: string;
  /** Only these schools (a page's few schools: a school's peers), instead of whole académies. */
  schoolIds?: readonly string[];
}

/**
 * Loads the published values of some elements for the schools of some académies (or of one
 * school). Whole académies are read one element at a time: a large académie's values for every
 * element are one statement of seconds, during which the embedded base, which serves one
 * statement at a time, answers nobody else (page reads during a nation roll-up, issue 9 point 5);
 * by element each read is a range of the primary key, and other requests pass in between.
 */
export async function loadSeriesIndex(
  db: Kysely<Database>,
  catalogue: Catalogue,
  where: SeriesWhere,
): Promise<SeriesIndex> {
  if (where.elements.length === 0 || where.academyCodes.length === 0) return new SeriesIndex();
  const fewSchools =
    where.schoolId !== undefined || (where.schoolIds !== undefined && where.schoolIds.length > 0);
  const slices = fewSchools ? [where.elements] : [...where.elements].sort().map((e) => [e]);
  const rows: SeriesRow[] = [];
  for (const elements of slices) {
    // One by one: a slice can hold more rows than a call's arguments may number.
    for (const row of await readSeries(db, { ...where, elements })) rows.push(row);
  }
  return SeriesIndex.fromRows(rows, catalogue);
}

interface SeriesRow {
  school_id: string;
  data_element_code: string;
  period: string;
  disaggregation: string;
  value: number;
}

function readSeries(db: Kysely<Database>, where: SeriesWhere): Promise<SeriesRow[]> {
  return (
    db
      .selectFrom("data_value")
      .select(["school_id", "data_element_code", "period", "disaggregation", "value"])
      .where("academy_code", "in", [...where.academyCodes])
      .where("data_element_code", "in", [...where.elements])
      // A held value (implausible, under review) is in no figure until a reviewer accepts it.
      .where("status", "=", "published")
      .$if(where.schoolId !== undefined, (qb) => qb.where("school_id", "=", where.schoolId as string))
      .$if(where.schoolIds !== undefined && where.schoolIds.length > 0, (qb) =>
        qb.where("school_id", "in", [...(where.schoolIds as readonly string[])]),
      )
      .orderBy("data_element_code")
      .orderBy("period")
      .execute()
  );
}
