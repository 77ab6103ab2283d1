import { type Kysely, sql } from "kysely";
import { conflict, type Database } from "../platform/index.ts";
import { disaggregationKey } from "./catalogue.ts";
import { requestRollup, type SchoolValueInput, WRITE_SLICE, writeSchoolValues } from "./store.ts";

/**
 * The values of an import batch (the import profiles of issue 10: Pix, ENT usage, open data):
 * written with their batch as provenance, and undone as a whole. Before a batch overwrites a
 * value key, what the key held is kept in `data_value_previous` (nothing: the batch created it),
 * so that a rollback deletes the batch's values and puts the previous ones back — unless a newer
 * write replaced them since, which then stays.
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
 * database in one statement that also keeps, for each of them, the key's state before this batch
 * in `data_value_previous` — the first time the batch touches the key: a second slice of the same
 * batch does not replace it. Returns their positions in the slice, in order; nothing of the
 * stored rows comes back to JavaScript.
 */
async function keepPreviousOfChanged(
  trx: Kysely<Database>,
  batchId: string,
  slice: readonly KeyedValue[],
): Promise<number[]> {
  const result = await sql<{ i: string }>`
    with changed as (
      select k.i, k.academy_code, k.data_element_code, k.period, k.school_id, k.disaggregation,
             d.academy_code is not null as existed, d.value, d.source, d.import_batch_id, d.status,
             d.held_limit, d.reviewed_by, d.reviewed_at, d.updated_at
      from ${valueTable(slice)}
      left join lateral (${storedKey}) d on true
      where d.value is distinct from k.value
    ), kept as (
      insert into data_value_previous (
        import_batch_id, academy_code, data_element_code, period, school_id, disaggregation,
        existed, value, source, previous_batch_id, status, held_limit, reviewed_by, reviewed_at, updated_at
      )
      select cast(${batchId} as bigint), academy_code, data_element_code, period, school_id,
             disaggregation, existed, value, source, import_batch_id, status, held_limit, reviewed_by,
             reviewed_at, updated_at
      from changed
      on conflict do nothing
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

const PREVIOUS_MATCHES_VALUE = sql`
  p.academy_code = d.academy_code and p.data_element_code = d.data_element_code
  and p.period = d.period and p.school_id = d.school_id and p.disaggregation = d.disaggregation`;

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
    const removed = await sql`
      delete from data_value d using data_value_previous p
      where p.import_batch_id = cast(${batchId} as bigint) and not p.existed
        and d.import_batch_id = cast(${batchId} as bigint) and ${PREVIOUS_MATCHES_VALUE}
    `.execute(trx);
    const restored = await sql`
      update data_value d set value = p.value, source = p.source, import_batch_id = p.previous_batch_id,
        status = p.status, held_limit = p.held_limit, reviewed_by = p.reviewed_by,
        reviewed_at = p.reviewed_at, updated_at = now()
      from data_value_previous p
      where p.import_batch_id = cast(${batchId} as bigint) and p.existed
        and d.import_batch_id = cast(${batchId} as bigint) and ${PREVIOUS_MATCHES_VALUE}
    `.execute(trx);
    // A newer batch that replaced this batch's value inherits what this batch had replaced.
    await sql`
      update data_value_previous n set existed = p.existed, value = p.value, source = p.source,
        previous_batch_id = p.previous_batch_id, status = p.status, held_limit = p.held_limit,
        reviewed_by = p.reviewed_by, reviewed_at = p.reviewed_at, updated_at = p.updated_at
      from data_value_previous p
      where n.previous_batch_id = cast(${batchId} as bigint) and p.import_batch_id = cast(${batchId} as bigint)
        and n.academy_code = p.academy_code and n.data_element_code = p.data_element_code
        and n.period = p.period and n.school_id = p.school_id and n.disaggregation = p.disaggregation
    `.execute(trx);
    const touched = await trx
      .selectFrom("data_value_previous")
      .select(["academy_code", "data_element_code", "period"])
      .where("import_batch_id", "=", batchId)
      .groupBy(["academy_code", "data_element_code", "period"])
      .execute();
    const keys = await trx
      .selectFrom("data_value_previous")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("import_batch_id", "=", batchId)
      .executeTakeFirstOrThrow();
    const requests = new Map<string, { elements: Set<string>; periods: Set<string> }>();
    for (const t of touched) {
      const r = requests.get(t.academy_code) ?? { elements: new Set<string>(), periods: new Set<string>() };
      r.elements.add(t.data_element_code);
      r.periods.add(t.period);
      requests.set(t.academy_code, r);
    }
    await requestRollup(trx, requests);
    const report: RollbackReport = {
      batchId,
      removed: Number(removed.numAffectedRows ?? 0),
      restored: Number(restored.numAffectedRows ?? 0),
      replacedSince: 0,
    };
    report.replacedSince = Number(keys.n) - report.removed - report.restored;
    await trx
      .insertInto("rolled_back_batch")
      .values({ import_batch_id: batchId, actor, removed: report.removed, restored: report.restored })
      .execute();
    // The previous states are no longer needed: the batch cannot be rolled back again.
    await trx.deleteFrom("data_value_previous").where("import_batch_id", "=", batchId).execute();
    return report;
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
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
