import { type Kysely, sql } from "kysely";
import type { Database } from "../platform/schema.ts";
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

  set(element: string, disaggregation: string, period: string, schoolId: string, value: number): void {
    const key = `${element}|${disaggregation}|${period}`;
    let bySchool = this.values.get(key);
    if (!bySchool) {
      bySchool = new Map();
      this.values.set(key, bySchool);
    }
    bySchool.set(schoolId, value);
    const seriesKey = `${element}|${disaggregation}`;
    let periods = this.periodsBySeries.get(seriesKey);
    if (!periods) {
      periods = new Set();
      this.periodsBySeries.set(seriesKey, periods);
    }
    periods.add(period);
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
    const finer = new Map<
      string,
      { element: string; disaggregation: string; year: Period; school: string; values: PeriodValue[] }
    >();
    const parsed = new Map<string, Period | null>();
    for (const r of rows) {
      index.set(r.data_element_code, r.disaggregation, r.period, r.school_id, r.value);
      let p = parsed.get(r.period);
      if (p === undefined) {
        const result = parsePeriod(r.period);
        p = result.ok ? result.period : null;
        parsed.set(r.period, p);
      }
      if (!p || p.type === "school_year" || p.type === "year") continue;
      const year = containingPeriod(p, "school_year");
      const key = `${r.data_element_code}|${r.disaggregation}|${year.id}|${r.school_id}`;
      let entry = finer.get(key);
      if (!entry) {
        entry = {
          element: r.data_element_code,
          disaggregation: r.disaggregation,
          year,
          school: r.school_id,
          values: [],
        };
        finer.set(key, entry);
      }
      entry.values.push({ period: p, value: r.value });
    }
    for (const e of finer.values()) {
      if (index.values.get(`${e.element}|${e.disaggregation}|${e.year.id}`)?.has(e.school)) continue;
      const aggregation = (catalogue.elements.get(e.element)?.aggregation.time ?? "sum") as TimeAggregation;
      const result = aggregateOverTime(e.values, e.year, aggregation);
      if (result.value !== null) index.set(e.element, e.disaggregation, e.year.id, e.school, result.value);
    }
    return index;
  }
}

/** Loads the values of some elements for the schools of some académies (or of one school). */
export async function loadSeriesIndex(
  db: Kysely<Database>,
  catalogue: Catalogue,
  where: { academyCodes: readonly string[]; elements: readonly string[]; schoolId?: string },
): Promise<SeriesIndex> {
  if (where.elements.length === 0 || where.academyCodes.length === 0) return new SeriesIndex();
  const rows = await db
    .selectFrom("data_value")
    .select(["school_id", "data_element_code", "period", "disaggregation", "value"])
    .where("academy_code", "in", [...where.academyCodes])
    .where("data_element_code", "in", [...where.elements])
    .$if(where.schoolId !== undefined, (qb) => qb.where("school_id", "=", where.schoolId as string))
    .execute();
  return SeriesIndex.fromRows(rows, catalogue);
}

/** Periods having at least one value, per element (for the catalogue's `periods`). */
export async function periodsByElement(db: Kysely<Database>): Promise<Map<string, string[]>> {
  const rows = await sql<{ data_element_code: string; period: string }>`
    select distinct data_element_code, period from data_value
    union select distinct data_element_code, period from territory_value`.execute(db);
  const out = new Map<string, string[]>();
  for (const r of rows.rows)
    out.set(r.data_element_code, [...(out.get(r.data_element_code) ?? []), r.period]);
  return out;
}
