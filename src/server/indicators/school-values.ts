import type { Kysely } from "kysely";
import type { Database } from "../platform/index.ts";

/**
 * A school's stored values of a few data elements and periods, for the modules that show them
 * back to the school itself (the collection form's last-year column and pre-filled headcounts).
 * Raw values, held ones included: the school's own figures, never published as such.
 */

export interface SchoolValue {
  dataElement: string;
  period: string;
  /** The disaggregation key (`profile=pupil`; "" for the total). */
  disaggregation: string;
  value: number;
}

export async function readSchoolValues(
  db: Kysely<Database>,
  schoolId: string,
  dataElements: readonly string[],
  periods: readonly string[],
): Promise<SchoolValue[]> {
  if (dataElements.length === 0 || periods.length === 0) return [];
  const rows = await db
    .selectFrom("data_value")
    .select(["data_element_code", "period", "disaggregation", "value"])
    .where("school_id", "=", schoolId)
    .where("data_element_code", "in", [...new Set(dataElements)])
    .where("period", "in", [...new Set(periods)])
    .execute();
  return rows.map((r) => ({
    dataElement: r.data_element_code,
    period: r.period,
    disaggregation: r.disaggregation,
    value: Number(r.value),
  }));
}
