import type { Kysely } from "kysely";
import type { Database } from "../platform/index.ts";
import { disaggregationKey, ensureDataElements } from "./catalogue.ts";
import type { ValueSource } from "./schema.ts";

/**
 * Writing data values. A write upserts the values (one per element, school, period and
 * disaggregation; the source and import batch are kept as provenance, see ADR 0006) and records a
 * roll-up request in the same transaction, so that the aggregates it touched are refreshed
 * right after — or at the next start if the process stops in between.
 */

export interface SchoolValueInput {
  readonly schoolId: string;
  readonly academyCode: string;
  readonly dataElement: string;
  readonly period: string;
  readonly disaggregation?: Readonly<Record<string, string>> | string;
  readonly value: number;
}

export interface Provenance {
  readonly source: ValueSource;
  readonly importBatchId?: string | null;
}

const CHUNK = 1000;

export async function writeSchoolValues(
  db: Kysely<Database>,
  values: readonly SchoolValueInput[],
  provenance: Provenance,
): Promise<{ written: number; academies: string[] }> {
  const requests = new Map<string, { elements: Set<string>; periods: Set<string> }>();
  const rows = values.map((v) => {
    const r = requests.get(v.academyCode) ?? { elements: new Set<string>(), periods: new Set<string>() };
    r.elements.add(v.dataElement);
    r.periods.add(v.period);
    requests.set(v.academyCode, r);
    return {
      academy_code: v.academyCode,
      data_element_code: v.dataElement,
      period: v.period,
      school_id: v.schoolId,
      disaggregation:
        typeof v.disaggregation === "string" ? v.disaggregation : disaggregationKey(v.disaggregation),
      value: v.value,
      source: provenance.source,
      import_batch_id: provenance.importBatchId ?? null,
    };
  });
  if (rows.length === 0) return { written: 0, academies: [] };
  await ensureDataElements(db);
  const write = async (trx: Kysely<Database>) => {
    for (let i = 0; i < rows.length; i += CHUNK) {
      await trx
        .insertInto("data_value")
        .values(rows.slice(i, i + CHUNK))
        .onConflict((oc) =>
          oc
            .columns(["academy_code", "data_element_code", "period", "school_id", "disaggregation"])
            .doUpdateSet((eb) => ({
              value: eb.ref("excluded.value"),
              source: eb.ref("excluded.source"),
              import_batch_id: eb.ref("excluded.import_batch_id"),
              updated_at: new Date(),
            })),
        )
        .execute();
    }
    await trx
      .insertInto("rollup_request")
      .values(
        [...requests].map(([academy, r]) => ({
          academy_code: academy,
          data_element_codes: [...r.elements],
          periods: [...r.periods],
        })),
      )
      .execute();
  };
  // Inside the caller's transaction when it has one (an import and its batch commit together).
  if (db.isTransaction) await write(db);
  else await db.transaction().execute(write);
  return { written: rows.length, academies: [...requests.keys()] };
}

/**
 * Asks for a refresh of every aggregate (no académie, element or period named): after the
 * Annuaire changed the schools (openings, closings, moves), every coverage may have moved.
 * Written in the caller's transaction, processed like any other request.
 */
export async function requestFullRefresh(db: Kysely<Database>): Promise<void> {
  await db
    .insertInto("rollup_request")
    .values({ academy_code: "", data_element_codes: [], periods: [] })
    .execute();
}
