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

/**
 * Values per statement. Each statement takes one array per column (`unnest`), so its size does
 * not grow its parameter list: a VALUES list of 1 000 rows × 8 parameters cost more to parse,
 * on both engines, than the write itself.
 */
export const WRITE_SLICE = 20_000;

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
  // One row per key, the last value of a key winning: one statement cannot upsert a key twice.
  const byKey = new Map<string, StoredRow>();
  for (const v of values) {
    const r = requests.get(v.academyCode) ?? { elements: new Set<string>(), periods: new Set<string>() };
    r.elements.add(v.dataElement);
    r.periods.add(v.period);
    requests.set(v.academyCode, r);
    const row: StoredRow = {
      academy_code: v.academyCode,
      data_element_code: v.dataElement,
      period: v.period,
      school_id: v.schoolId,
      disaggregation:
        typeof v.disaggregation === "string" ? v.disaggregation : disaggregationKey(v.disaggregation),
      value: v.value,
    };
    byKey.set(valueKey(row), row);
  }
  if (values.length === 0) return { written: 0, academies: [], held: [] };
  const rows = [...byKey.values()];
  const catalogue = await ensureDataElements(db);
  assertValuesInBounds(catalogue, values);
  let held: HeldWrite[] = [];
  const write = async (trx: Kysely<Database>) => {
    const updatedAt = new Date();
    for (let i = 0; i < rows.length; i += WRITE_SLICE)
      await upsertValues(trx, rows.slice(i, i + WRITE_SLICE), provenance, updatedAt);
    held = await holdImplausible(trx, catalogue, rows);
    await requestRollup(trx, requests);
  };
  // Inside the caller's transaction when it has one (an import and its batch commit together).
  if (db.isTransaction) await write(db);
  else await db.transaction().execute(write);
  return { written: values.length, academies: [...requests.keys()], held };
}

/**
 * Rows as one table of arrays (`unnest`): one parameter per column whatever the number of rows.
 * `school_id` travels as text (a bigint id), cast back by the database.
 */
function valueTable(rows: readonly StoredRow[]) {
  return sql`unnest(
    ${rows.map((r) => r.academy_code)}::text[], ${rows.map((r) => r.data_element_code)}::text[],
    ${rows.map((r) => r.period)}::text[], ${rows.map((r) => r.school_id)}::bigint[],
    ${rows.map((r) => r.disaggregation)}::text[], ${rows.map((r) => r.value)}::double precision[]
  ) as v(academy_code, data_element_code, period, school_id, disaggregation, value)`;
}

/** One upsert of up to WRITE_SLICE distinct keys. */
async function upsertValues(
  trx: Kysely<Database>,
  rows: readonly StoredRow[],
  provenance: Provenance,
  updatedAt: Date,
): Promise<void> {
  await sql`
    insert into data_value (
      academy_code, data_element_code, period, school_id, disaggregation, value, source, import_batch_id
    )
    select v.academy_code, v.data_element_code, v.period, v.school_id, v.disaggregation, v.value,
           cast(${provenance.source} as text), cast(${provenance.importBatchId ?? null} as bigint)
    from ${valueTable(rows)}
    on conflict (academy_code, data_element_code, period, school_id, disaggregation) do update set
      value = excluded.value, source = excluded.source, import_batch_id = excluded.import_batch_id,
      updated_at = ${updatedAt},
      -- A changed value is judged again; an unchanged one keeps its status and review.
      status = case when data_value.value = excluded.value then data_value.status else 'published' end,
      held_limit = case when data_value.value = excluded.value then data_value.held_limit else null end,
      reviewed_by = case when data_value.value = excluded.value then data_value.reviewed_by else null end,
      reviewed_at = case when data_value.value = excluded.value then data_value.reviewed_at else null end
  `.execute(trx);
}

/** A value as stored: its key (académie, element, period, school, disaggregation) and number. */
interface StoredRow {
  readonly academy_code: string;
  readonly data_element_code: string;
  readonly period: string;
  readonly school_id: string;
  readonly disaggregation: string;
  readonly value: number;
}

const valueKey = (r: Omit<StoredRow, "value">) =>
  `${r.academy_code}|${r.data_element_code}|${r.period}|${r.school_id}|${r.disaggregation}`;

const groupKey = (r: Omit<StoredRow, "school_id" | "value">) =>
  `${r.academy_code}|${r.data_element_code}|${r.period}|${r.disaggregation}`;

/**
 * Marks `held` the written values that are implausible among their peers (same académie,
 * element, period and disaggregation; the written values included). The peers' 9th decile is
 * computed by the database (`percentile_disc`, what domain/outliers.ts's quantileDisc defines),
 * so no group's values are loaded here; the rule itself (domain/outliers.ts) is applied here, and
 * the values it holds are marked in one statement per slice. Yes/no values and percentages are
 * bounded per school and not judged. A value a reviewer accepted, unchanged since, stays published.
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
  const candidates: { row: StoredRow; limit: number }[] = [];
  for (const row of judged) {
    const limit = reviewLimit(stats.get(groupKey(row)) ?? null);
    if (limit !== null && isImplausible(row.value, limit)) candidates.push({ row, limit });
  }
  const marked = new Set<string>();
  for (let i = 0; i < candidates.length; i += WRITE_SLICE) {
    const slice = candidates.slice(i, i + WRITE_SLICE);
    const result = await sql<Omit<StoredRow, "value">>`
      update data_value d set status = 'held', held_limit = c.held_limit
      from unnest(
        ${slice.map((c) => c.row.academy_code)}::text[], ${slice.map((c) => c.row.data_element_code)}::text[],
        ${slice.map((c) => c.row.period)}::text[], ${slice.map((c) => c.row.school_id)}::bigint[],
        ${slice.map((c) => c.row.disaggregation)}::text[], ${slice.map((c) => c.limit)}::double precision[]
      ) as c(academy_code, data_element_code, period, school_id, disaggregation, held_limit)
      where d.academy_code = c.academy_code and d.data_element_code = c.data_element_code
        and d.period = c.period and d.school_id = c.school_id and d.disaggregation = c.disaggregation
        and d.reviewed_at is null
      returning d.academy_code, d.data_element_code, d.period, cast(d.school_id as text) as school_id,
        d.disaggregation
    `.execute(trx);
    for (const r of result.rows) marked.add(valueKey(r));
  }
  return candidates
    .filter((c) => marked.has(valueKey(c.row)))
    .map(({ row, limit }) => ({
      schoolId: row.school_id,
      dataElement: row.data_element_code,
      period: row.period,
      disaggregation: row.disaggregation,
      value: row.value,
      limit,
    }));
}

/**
 * Count and 9th decile of the published values of each group the rows belong to (groups
 * without a published value are absent). One statement per slice of groups, each group read by
 * its primary-key prefix (a lateral lookup: one index range per group, never the whole table).
 */
export async function peerStatsOf(
  db: Kysely<Database>,
  rows: readonly Omit<StoredRow, "school_id" | "value">[],
): Promise<Map<string, PeerStats>> {
  const groups = [...new Map(rows.map((r) => [groupKey(r), r])).values()];
  const out = new Map<string, PeerStats>();
  for (let i = 0; i < groups.length; i += WRITE_SLICE) {
    const slice = groups.slice(i, i + WRITE_SLICE);
    const result = await sql<Omit<StoredRow, "school_id" | "value"> & { n: string; decile9: number }>`
      select g.academy_code, g.data_element_code, g.period, g.disaggregation, s.n, s.decile9
      from unnest(
        ${slice.map((g) => g.academy_code)}::text[], ${slice.map((g) => g.data_element_code)}::text[],
        ${slice.map((g) => g.period)}::text[], ${slice.map((g) => g.disaggregation)}::text[]
      ) as g(academy_code, data_element_code, period, disaggregation)
      cross join lateral (
        select count(*) as n, percentile_disc(0.9) within group (order by d.value) as decile9
        from data_value d
        where d.academy_code = g.academy_code and d.data_element_code = g.data_element_code
          and d.period = g.period and d.disaggregation = g.disaggregation and d.status = 'published'
      ) s
      where s.n > 0
    `.execute(db);
    for (const r of result.rows) out.set(groupKey(r), { count: Number(r.n), decile9: Number(r.decile9) });
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
