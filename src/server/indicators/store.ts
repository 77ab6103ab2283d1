import { type Kysely, sql } from "kysely";
import { type Database, invalid } from "../platform/index.ts";
import { type Catalogue, disaggregationKey, ensureDataElements } from "./catalogue.ts";
import { checkValue, valueRule } from "./domain/bounds.ts";
import { isImplausible, type PeerStats, reviewLimit } from "./domain/outliers.ts";
import type { ValueSource } from "./schema.ts";

/**
 * Writing data values. A write upserts the values (one per element, school, period and
 * disaggregation; the source and import batch are kept as provenance, see ADR 0006) and records a
 * roll-up request in the same transaction, so that the aggregates it touched are refreshed
 * right after — or at the next start if the process stops in between.
 *
 * It is also the last guard of the values (issue 9): a value outside its element's type and
 * bounds is refused whoever the caller (the API, the import and the demo check first, with the
 * line), and a value far beyond its peers is stored `held` (domain/outliers.ts), out of the
 * roll-ups until a user above the school reviews it (review.ts).
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
/** Groups per statistics query: a short OR list keeps each plan quick. */
const STATS_CHUNK = 200;

/** A value the write stored `held` (implausible among its peers). */
export interface HeldWrite {
  readonly schoolId: string;
  readonly dataElement: string;
  readonly period: string;
  readonly disaggregation: string;
  readonly value: number;
  readonly limit: number;
}

export interface WriteReport {
  written: number;
  academies: string[];
  held: HeldWrite[];
}

/** Refuses the first value outside its element's type and bounds (the callers name the line first). */
export function assertValuesInBounds(catalogue: Catalogue, values: readonly SchoolValueInput[]): void {
  values.forEach((v, i) => {
    const element = catalogue.elements.get(v.dataElement);
    if (!element)
      throw invalid(`Valeur ${i + 1} : élément de donnée inconnu « ${v.dataElement} ».`, "invalid_value");
    const check = checkValue(v.dataElement, valueRule(element), v.value);
    if (!check.ok) throw invalid(`Valeur ${i + 1} refusée : ${check.reason}.`, "invalid_value");
  });
}

export async function writeSchoolValues(
  db: Kysely<Database>,
  values: readonly SchoolValueInput[],
  provenance: Provenance,
): Promise<WriteReport> {
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
  if (rows.length === 0) return { written: 0, academies: [], held: [] };
  const catalogue = await ensureDataElements(db);
  assertValuesInBounds(catalogue, values);
  let held: HeldWrite[] = [];
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
              // A changed value is judged again; an unchanged one keeps its status and review.
              status: sql<
                "published" | "held"
              >`case when data_value.value = excluded.value then data_value.status else 'published' end`,
              held_limit: sql<
                number | null
              >`case when data_value.value = excluded.value then data_value.held_limit else null end`,
              reviewed_by: sql<
                string | null
              >`case when data_value.value = excluded.value then data_value.reviewed_by else null end`,
              reviewed_at: sql<Date | null>`case when data_value.value = excluded.value then data_value.reviewed_at else null end`,
            })),
        )
        .execute();
    }
    held = await holdImplausible(trx, catalogue, rows);
    await requestRollup(trx, requests);
  };
  // Inside the caller's transaction when it has one (an import and its batch commit together).
  if (db.isTransaction) await write(db);
  else await db.transaction().execute(write);
  return { written: rows.length, academies: [...requests.keys()], held };
}

interface StoredRow {
  academy_code: string;
  data_element_code: string;
  period: string;
  school_id: string;
  disaggregation: string;
  value: number;
}

const groupKey = (r: Omit<StoredRow, "school_id" | "value">) =>
  `${r.academy_code}|${r.data_element_code}|${r.period}|${r.disaggregation}`;

/**
 * Marks `held` the written values that are implausible among their peers (same académie,
 * element, period and disaggregation; the written values included). The peers' 9th decile is
 * computed by the database (`percentile_disc`, what domain/outliers.ts's quantileDisc defines),
 * so no group's values are loaded here. Yes/no values and percentages are bounded per school and
 * not judged. A value a reviewer accepted, unchanged since, stays published.
 */
async function holdImplausible(
  trx: Kysely<Database>,
  catalogue: Catalogue,
  rows: readonly StoredRow[],
): Promise<HeldWrite[]> {
  const judged = rows.filter((r) => {
    const type = catalogue.elements.get(r.data_element_code)?.valueType;
    return type === "integer" || type === "number";
  });
  if (judged.length === 0) return [];
  const stats = await peerStatsOf(trx, judged);
  const candidates = judged.filter((r) =>
    isImplausible(r.value, reviewLimit(stats.get(groupKey(r)) ?? null)),
  );
  const held: HeldWrite[] = [];
  for (const r of candidates) {
    const limit = reviewLimit(stats.get(groupKey(r)) ?? null) as number;
    const result = await trx
      .updateTable("data_value")
      .set({ status: "held", held_limit: limit })
      .where("academy_code", "=", r.academy_code)
      .where("data_element_code", "=", r.data_element_code)
      .where("period", "=", r.period)
      .where("school_id", "=", r.school_id)
      .where("disaggregation", "=", r.disaggregation)
      .where("reviewed_at", "is", null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) > 0)
      held.push({
        schoolId: r.school_id,
        dataElement: r.data_element_code,
        period: r.period,
        disaggregation: r.disaggregation,
        value: r.value,
        limit,
      });
  }
  return held;
}

/** Count and 9th decile of the published values of each group the rows belong to. */
export async function peerStatsOf(
  db: Kysely<Database>,
  rows: readonly Omit<StoredRow, "school_id" | "value">[],
): Promise<Map<string, PeerStats>> {
  const groups = new Map(rows.map((r) => [groupKey(r), r]));
  const out = new Map<string, PeerStats>();
  const list = [...groups.values()];
  for (let i = 0; i < list.length; i += STATS_CHUNK) {
    const slice = list.slice(i, i + STATS_CHUNK);
    const result = await db
      .selectFrom("data_value")
      .select([
        "academy_code",
        "data_element_code",
        "period",
        "disaggregation",
        sql<string>`count(*)`.as("n"),
        sql<number>`percentile_disc(0.9) within group (order by value)`.as("decile9"),
      ])
      .where("status", "=", "published")
      .where((eb) =>
        eb.or(
          slice.map((g) =>
            eb.and([
              eb("academy_code", "=", g.academy_code),
              eb("data_element_code", "=", g.data_element_code),
              eb("period", "=", g.period),
              eb("disaggregation", "=", g.disaggregation),
            ]),
          ),
        ),
      )
      .groupBy(["academy_code", "data_element_code", "period", "disaggregation"])
      .execute();
    for (const r of result) out.set(groupKey(r), { count: Number(r.n), decile9: Number(r.decile9) });
  }
  return out;
}

/** Records the roll-up work of a write (per académie: its elements and periods), in its transaction. */
export async function requestRollup(
  trx: Kysely<Database>,
  requests: ReadonlyMap<string, { elements: Iterable<string>; periods: Iterable<string> }>,
): Promise<void> {
  if (requests.size === 0) return;
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
