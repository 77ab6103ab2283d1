import { type Kysely, sql } from "kysely";
import { conflict, type Database } from "../platform/index.ts";
import { disaggregationKey } from "./catalogue.ts";
import { requestRollup, type SchoolValueInput, WRITE_SLICE, writeSchoolValues } from "./store.ts";

/**
 * The values of an import batch (the import profiles of issue 10: Pix, ENT usage, open data):
 * written with their batch as provenance, and undone as a whole. Before a batch overwrites a
 * stored value, what the key held is kept in `data_value_previous`; for the keys it creates, the
 * batch only counts them per académie, element and period (`data_value_batch_part`, ADR 0012).
 * A rollback deletes the batch's values there that it created and puts the previous ones back —
 * unless a newer write replaced them since, which then stays.
 */

export interface ImportWriteReport {
  /** Values written (new or changed). */
  written: number;
  /** Values already stored with the same number: left alone (not rewritten, no roll-up). */
  unchanged: number;
  /** Written values held for review (implausible among their peers, see store.ts). */
  held: number;
}

interface KeyedValue extends SchoolValueInput {
  readonly disaggregation: string;
}

const keyOf = (v: KeyedValue) =>
  `${v.academyCode}|${v.dataElement}|${v.period}|${v.schoolId}|${v.disaggregation}`;

/**
 * The values of a slice as one table of arrays (`unnest`, numbered from 1 by `ordinality`): six
 * parameters whatever the slice's size, where a VALUES list of thousands of parameters cost more
 * to parse than to run.
 */
function valueTable(slice: readonly KeyedValue[]) {
  return sql`unnest(
    ${slice.map((v) => v.academyCode)}::text[], ${slice.map((v) => v.dataElement)}::text[],
    ${slice.map((v) => v.period)}::text[], ${slice.map((v) => v.schoolId)}::bigint[],
    ${slice.map((v) => v.disaggregation)}::text[], ${slice.map((v) => v.value)}::double precision[]
  ) with ordinality as k(academy_code, data_element_code, period, school_id, disaggregation, value, i)`;
}

/**
 * The stored row of key `k`, by the primary key. Written as a lateral lookup so that the plan is
 * one index probe per key: joined plainly, PostgreSQL hashed the whole of `data_value` (its
 * statistics lag behind a long import's transaction), a cost that grew with the table.
 */
const storedKey = sql`
  select * from data_value d
  where d.academy_code = k.academy_code and d.data_element_code = k.data_element_code
    and d.period = k.period and d.school_id = k.school_id and d.disaggregation = k.disaggregation
  limit 1`;

/**
 * The values of a slice that change what is stored (new keys, or another number), found by the
 * database in one statement that also keeps, for each overwritten key, its state before this
 * batch in `data_value_previous` (the first time the batch touches it: a key it already wrote is
 * its own), and counts per académie, element and period the keys the batch creates. Returns
 * their positions in the slice, in order; nothing of the stored rows comes back to JavaScript.
 */
async function keepPreviousOfChanged(
  trx: Kysely<Database>,
  batchId: string,
  slice: readonly KeyedValue[],
): Promise<number[]> {
  const batch = sql`cast(${batchId} as bigint)`;
  const result = await sql<{ i: string }>`
    with changed as (
      select k.i, k.academy_code, k.data_element_code, k.period, k.school_id, k.disaggregation,
             d.academy_code is not null as existed, d.import_batch_id is not distinct from ${batch} as own,
             d.value, d.source, d.import_batch_id, d.status, d.held_limit, d.reviewed_by, d.reviewed_at,
             d.updated_at
      from ${valueTable(slice)}
      left join lateral (${storedKey}) d on true
      where d.value is distinct from k.value
    ), kept as (
      insert into data_value_previous (
        import_batch_id, academy_code, data_element_code, period, school_id, disaggregation,
        existed, value, source, previous_batch_id, status, held_limit, reviewed_by, reviewed_at, updated_at
      )
      select ${batch}, academy_code, data_element_code, period, school_id, disaggregation, true, value,
             source, import_batch_id, status, held_limit, reviewed_by, reviewed_at, updated_at
      from changed
      where existed and not own
      on conflict do nothing
    ), parts as (
      insert into data_value_batch_part as t (import_batch_id, academy_code, data_element_code, period, created)
      select ${batch}, academy_code, data_element_code, period, count(*) filter (where not existed)
      from changed
      group by academy_code, data_element_code, period
      on conflict (import_batch_id, academy_code, data_element_code, period)
      do update set created = t.created + excluded.created
    )
    select i from changed order by i
  `.execute(trx);
  return result.rows.map((r) => Number(r.i) - 1);
}

/**
 * Writes one slice of a batch's values inside the caller's transaction: unchanged values are
 * left alone, each key the batch changes keeps its previous state (the first time this batch
 * touches it), then `writeSchoolValues` writes them and requests their roll-up. Within a slice
 * the last value of a key wins.
 */
export async function writeImportValues(
  trx: Kysely<Database>,
  batchId: string,
  values: readonly SchoolValueInput[],
  /** « form » for a collection campaign's answers; a batch either way, for its rollback. */
  source: "import" | "form" = "import",
): Promise<ImportWriteReport> {
  const byKey = new Map<string, KeyedValue>();
  for (const v of values) {
    const keyed: KeyedValue = {
      ...v,
      disaggregation:
        typeof v.disaggregation === "string" ? v.disaggregation : disaggregationKey(v.disaggregation),
    };
    byKey.set(keyOf(keyed), keyed);
  }
  const list = [...byKey.values()];
  const changed: KeyedValue[] = [];
  for (let i = 0; i < list.length; i += WRITE_SLICE) {
    const slice = list.slice(i, i + WRITE_SLICE);
    for (const at of await keepPreviousOfChanged(trx, batchId, slice)) changed.push(slice[at] as KeyedValue);
  }
  const result = await writeSchoolValues(trx, changed, { source, importBatchId: batchId });
  return { written: result.written, unchanged: list.length - changed.length, held: result.held.length };
}

export interface RollbackReport {
  batchId: string;
  /** Values of the batch deleted (the batch had created their key). */
  removed: number;
  /** Values put back as they were before the batch. */
  restored: number;
  /** Values of the batch a newer write had already replaced: left as they are. */
  replacedSince: number;
}

/** The same value key in the rows of two aliases (constants of this file, never input). */
const sameKey = (a: string, b: string) =>
  sql.raw(
    ["academy_code", "data_element_code", "period", "school_id", "disaggregation"]
      .map((c) => `${a}.${c} = ${b}.${c}`)
      .join(" and "),
  );
const PREVIOUS_MATCHES_VALUE = sameKey("p", "d");
const SAME_KEY_AS_PREVIOUS = sameKey("n", "p");

/**
 * Undoes an import batch in one transaction: its values that are still current are deleted
 * (created by the batch) or restored (overwritten by it); a newer batch that overwrote one of
 * them now remembers, as its own previous state, what this batch had replaced (so that rolling
 * it back later does not bring this batch's value back). The roll-up of every touched académie,
 * element and period is requested, and the batch is marked rolled back: a second rollback is
 * refused.
 */
export async function rollbackImportBatch(
  db: Kysely<Database>,
  batchId: string,
  actor: string,
): Promise<RollbackReport> {
  const run = async (trx: Kysely<Database>): Promise<RollbackReport> => {
    await refuseSecondRollback(trx, batchId);
    const keys = await keysOfBatch(trx, batchId);
    const removed = await removeCreatedValues(trx, batchId);
    const restored = await restoreOverwrittenValues(trx, batchId);
    await handDownPreviousStates(trx, batchId);
    await requestRollup(trx, await partsOfBatch(trx, batchId));
    const report: RollbackReport = { batchId, removed, restored, replacedSince: keys - removed - restored };
    await trx
      .insertInto("rolled_back_batch")
      .values({ import_batch_id: batchId, actor, removed, restored })
      .execute();
    // The previous states and parts are no longer needed: the batch cannot be rolled back again.
    await trx.deleteFrom("data_value_previous").where("import_batch_id", "=", batchId).execute();
    await trx.deleteFrom("data_value_batch_part").where("import_batch_id", "=", batchId).execute();
    return report;
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}

async function refuseSecondRollback(trx: Kysely<Database>, batchId: string): Promise<void> {
  const done = await trx
    .selectFrom("rolled_back_batch")
    .select(["rolled_back_at"])
    .where("import_batch_id", "=", batchId)
    .executeTakeFirst();
  if (done)
    throw conflict(
      `Le lot ${batchId} a déjà été annulé (le ${frenchDate(done.rolled_back_at)}) : rien n'a été changé.`,
      "already_rolled_back",
    );
}

/** The keys the batch wrote: those it created (counted per part) and those it overwrote. */
async function keysOfBatch(trx: Kysely<Database>, batchId: string): Promise<number> {
  const created = await trx
    .selectFrom("data_value_batch_part")
    .select((eb) => eb.fn.coalesce(eb.fn.sum<string>("created"), eb.lit(0)).as("n"))
    .where("import_batch_id", "=", batchId)
    .executeTakeFirstOrThrow();
  const overwritten = await trx
    .selectFrom("data_value_previous")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("import_batch_id", "=", batchId)
    .executeTakeFirstOrThrow();
  return Number(created.n) + Number(overwritten.n);
}

/**
 * Deletes the batch's current values in its parts that it did not overwrite (it created them;
 * a batch written before migration 0024 says so with `existed = false`), each part read by its
 * primary-key prefix.
 */
async function removeCreatedValues(trx: Kysely<Database>, batchId: string): Promise<number> {
  const batch = sql`cast(${batchId} as bigint)`;
  const removed = await sql`
    delete from data_value d using data_value_batch_part t
    where t.import_batch_id = ${batch} and d.academy_code = t.academy_code
      and d.data_element_code = t.data_element_code and d.period = t.period and d.import_batch_id = ${batch}
      and not exists (
        select 1 from data_value_previous p
        where p.import_batch_id = ${batch} and p.existed and ${PREVIOUS_MATCHES_VALUE}
      )
  `.execute(trx);
  return Number(removed.numAffectedRows ?? 0);
}

async function restoreOverwrittenValues(trx: Kysely<Database>, batchId: string): Promise<number> {
  const restored = await sql`
    update data_value d set value = p.value, source = p.source, import_batch_id = p.previous_batch_id,
      status = p.status, held_limit = p.held_limit, reviewed_by = p.reviewed_by,
      reviewed_at = p.reviewed_at, updated_at = now()
    from data_value_previous p
    where p.import_batch_id = cast(${batchId} as bigint) and p.existed
      and d.import_batch_id = cast(${batchId} as bigint) and ${PREVIOUS_MATCHES_VALUE}
  `.execute(trx);
  return Number(restored.numAffectedRows ?? 0);
}

/**
 * A newer batch that replaced this batch's value inherits what this batch had replaced: the
 * previous state this batch kept, or, for a key this batch created (no state kept), none.
 */
async function handDownPreviousStates(trx: Kysely<Database>, batchId: string): Promise<void> {
  const batch = sql`cast(${batchId} as bigint)`;
  await sql`
    update data_value_previous n set existed = false, value = null, source = null,
      previous_batch_id = null, status = null, held_limit = null, reviewed_by = null,
      reviewed_at = null, updated_at = null
    where n.previous_batch_id = ${batch}
      and not exists (select 1 from data_value_previous p where p.import_batch_id = ${batch} and ${SAME_KEY_AS_PREVIOUS})
  `.execute(trx);
  await sql`
    update data_value_previous n set existed = p.existed, value = p.value, source = p.source,
      previous_batch_id = p.previous_batch_id, status = p.status, held_limit = p.held_limit,
      reviewed_by = p.reviewed_by, reviewed_at = p.reviewed_at, updated_at = p.updated_at
    from data_value_previous p
    where n.previous_batch_id = ${batch} and p.import_batch_id = ${batch} and ${SAME_KEY_AS_PREVIOUS}
  `.execute(trx);
}

/** The académies, elements and periods the batch wrote, as roll-up requests. */
async function partsOfBatch(
  trx: Kysely<Database>,
  batchId: string,
): Promise<Map<string, { elements: Set<string>; periods: Set<string> }>> {
  const parts = await trx
    .selectFrom("data_value_batch_part")
    .select(["academy_code", "data_element_code", "period"])
    .where("import_batch_id", "=", batchId)
    .execute();
  const requests = new Map<string, { elements: Set<string>; periods: Set<string> }>();
  for (const t of parts) {
    const r = requests.get(t.academy_code) ?? { elements: new Set<string>(), periods: new Set<string>() };
    r.elements.add(t.data_element_code);
    r.periods.add(t.period);
    requests.set(t.academy_code, r);
  }
  return requests;
}

/** Whether a batch was rolled back (for the batch lists). */
export async function rolledBackBatches(
  db: Kysely<Database>,
  batchIds: readonly string[],
): Promise<Map<string, Date>> {
  if (batchIds.length === 0) return new Map();
  const rows = await db
    .selectFrom("rolled_back_batch")
    .select(["import_batch_id", "rolled_back_at"])
    .where("import_batch_id", "in", [...batchIds])
    .execute();
  return new Map(rows.map((r) => [String(r.import_batch_id), r.rolled_back_at]));
}

function frenchDate(date: Date): string {
  return new Intl.DateTimeFormat("fr-FR", {
    dateStyle: "long",
    timeStyle: "short",
    timeZone: "Europe/Paris",
  }).format(new Date(date));
}
