import type { Kysely, Transaction } from "kysely";
import type { SchoolPlace } from "../../identity/index.ts";
import { type SchoolValueInput, writeImportValues } from "../../indicators/index.ts";
import { type Actor, type Database, recordAudit } from "../../platform/index.ts";
import {
  findSchoolAncestries,
  findSchoolIds,
  normalizeUai,
  recordImportBatch,
  setImportBatchReport,
} from "../../territories/index.ts";
import type { ProfileValue, SchoolRef } from "./types.ts";

/**
 * Applying a profile's values (a committed file, or a provider's usage batch): one transaction,
 * one import batch (territories' `import_batch`) that every written value points to, one
 * `import_file` row that makes the same content twice a no-op. UAIs are resolved here (an
 * unknown one is counted, its values skipped), each school is checked against the actor's scope
 * (`allowedSchool`), and the values go through the indicators door, which leaves unchanged
 * values alone, keeps what it overwrote (for a rollback) and requests the roll-up.
 */

/** The longest lists a report keeps (their totals are always given): as the other importers. */
export const REPORT_LIST_CAP = 1000;

/** A school as resolved for a value: its reference and where it sits (for the scope checks). */
export interface ResolvedSchool extends SchoolRef {
  readonly place: SchoolPlace;
}

export interface ApplyOptions {
  /** Profile code, or "usage-api". */
  profile: string;
  /** The file's name, or "lot <provider>/<batchId>" for the API. */
  fileName: string;
  /** Identity of the content (idempotence key with profile + school). */
  sha256: string;
  /** Audit actor: a label (e-mail, « ligne de commande »…) or the request's actor. */
  actor: string | Actor;
  /** The schools the actor may write; absent = no restriction (CLI). */
  allowedSchool?: (school: ResolvedSchool) => boolean;
  /** The school the whole file is about (`--school`), part of the idempotence key; null for files naming their schools. */
  school?: SchoolRef | null;
  /** The period asked (`--period`), kept with the file. */
  period?: string | null;
  /** The dry run's report, kept with the file (counts and capped lists). */
  report?: Record<string, unknown>;
  /** The profile's `ProfileResult.detail` (free of personal data), kept with the file. */
  detail?: unknown;
  /** A dry-run `import_file` row (an upload's) that this commit confirms, instead of a new row. */
  fileId?: string;
  /**
   * Called once every value is consumed (a file's report and detail are known only at its end):
   * what it returns replaces `report` and `detail`.
   */
  finalize?: () => { report?: Record<string, unknown>; detail?: unknown };
  /** Schools the caller already resolved (the usage API checks each row's school first): not read again. */
  schools?: SchoolResolver;
  /** Last step inside the transaction (an upload claimed by its commit job): a throw undoes everything. */
  onCommitted?: (trx: Transaction<Database>, batchId: string) => Promise<void>;
}

export interface ApplyReport {
  batchId: string | null;
  /** `import_file.id` of the committed file (of the earlier one when already imported). */
  fileId: string | null;
  written: number;
  unchanged: number;
  held: number;
  /** Unknown UAIs, the first REPORT_LIST_CAP (all of them: `unknownUaiTotal`). */
  unknownUai: string[];
  unknownUaiTotal: number;
  /** UAIs outside the actor's scope, capped the same way. */
  outOfScope: string[];
  outOfScopeTotal: number;
  /** The same (profile, content, school) was committed before (batch `batchId`): nothing written. */
  alreadyImported: boolean;
}

type Db = Kysely<Database>;

/** The committed file with this identity, if any. */
export async function findCommittedFile(
  db: Db,
  key: { profile: string; sha256: string; schoolId: string | null },
): Promise<{ id: string; batchId: string | null } | null> {
  let query = db
    .selectFrom("import_file")
    .select(["id", "batch_id"])
    .where("profile", "=", key.profile)
    .where("sha256", "=", key.sha256)
    .where("status", "=", "committed");
  query =
    key.schoolId === null
      ? query.where("school_id", "is", null)
      : query.where("school_id", "=", key.schoolId);
  const row = await query.executeTakeFirst();
  return row ? { id: String(row.id), batchId: row.batch_id === null ? null : String(row.batch_id) } : null;
}

function actorOf(actor: string | Actor): Actor {
  return typeof actor === "string" ? { userId: null, label: actor, source: "import" } : actor;
}

async function* slicesOf(
  values: readonly ProfileValue[] | AsyncIterable<readonly ProfileValue[]>,
): AsyncIterable<readonly ProfileValue[]> {
  if (Symbol.asyncIterator in values) {
    yield* values;
    return;
  }
  const list = values as readonly ProfileValue[];
  for (let i = 0; i < list.length; i += 5000) yield list.slice(i, i + 5000);
}

/** Resolves UAIs slice by slice, each once (unknown ones remembered as null). */
export class SchoolResolver {
  private readonly known = new Map<string, ResolvedSchool | null>();
  constructor(private readonly db: Db) {}

  async resolve(uais: Iterable<string>): Promise<void> {
    const missing = [...new Set(uais)].filter((u) => !this.known.has(u));
    if (missing.length === 0) return;
    const ids = await findSchoolIds(this.db, missing);
    const places = new Map((await findSchoolAncestries(this.db, missing)).map((p) => [p.uai, p]));
    for (const uai of missing) {
      const id = ids.get(uai);
      const place = places.get(uai);
      this.known.set(
        uai,
        id && place ? { id: id.id, uai, academyCode: id.academyCode, type: place.type, place } : null,
      );
    }
  }

  get(uai: string): ResolvedSchool | null {
    return this.known.get(uai) ?? null;
  }

  /** The same answers, reading what is still missing through `db` (a transaction). */
  on(db: Db): SchoolResolver {
    const copy = new SchoolResolver(db);
    for (const [uai, school] of this.known) copy.known.set(uai, school);
    return copy;
  }
}

/**
 * Values handed to the indicators door at once. A reader's slices are small (a few thousand
 * values); each write also reads the peers' statistics and records a roll-up request, a cost per
 * call that tens of thousands of values share better.
 */
const WRITE_BATCH = 20_000;

/** The values waiting to be written, with their keys (school, element, period, disaggregation). */
class PendingValues {
  private values: SchoolValueInput[] = [];
  private readonly keys = new Set<string>();

  private static keyOf(v: SchoolValueInput): string {
    const dis = v.disaggregation ?? {};
    const parts = typeof dis === "string" ? dis : JSON.stringify(Object.entries(dis).sort());
    return `${v.schoolId}|${v.dataElement}|${v.period}|${parts}`;
  }
  get size(): number {
    return this.values.length;
  }
  sharesAKey(values: readonly SchoolValueInput[]): boolean {
    return values.some((v) => this.keys.has(PendingValues.keyOf(v)));
  }
  add(values: readonly SchoolValueInput[]): void {
    for (const v of values) {
      this.keys.add(PendingValues.keyOf(v));
      this.values.push(v);
    }
  }
  take(): SchoolValueInput[] {
    const out = this.values;
    this.values = [];
    this.keys.clear();
    return out;
  }
}

class CappedList {
  readonly items: string[] = [];
  private readonly seen = new Set<string>();
  add(item: string): void {
    if (this.seen.has(item)) return;
    this.seen.add(item);
    if (this.items.length < REPORT_LIST_CAP) this.items.push(item);
  }
  get total(): number {
    return this.seen.size;
  }
}

function uniqueViolation(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: unknown }).code === "23505";
}

/**
 * Applies values in one transaction. The same (profile, sha256, school) committed before returns
 * `alreadyImported: true` with that file's batch, and writes nothing — also when two commits of
 * the same content race (the unique index on committed files decides, the loser reports
 * « déjà importé »). The caller then enqueues the roll-up job (`indicators.ROLLUP_JOB`): the
 * request is already recorded with the values.
 */
export async function applyValues(
  db: Db,
  values: readonly ProfileValue[] | AsyncIterable<readonly ProfileValue[]>,
  options: ApplyOptions,
): Promise<ApplyReport> {
  const schoolId = options.school?.id ?? null;
  const key = { profile: options.profile, sha256: options.sha256, schoolId };
  const previous = await findCommittedFile(db, key);
  if (previous) return alreadyImportedReport(previous);
  try {
    return await db.transaction().execute((trx) => applyInTransaction(trx, values, options));
  } catch (err) {
    if (!uniqueViolation(err)) throw err;
    const winner = await findCommittedFile(db, key);
    if (!winner) throw err;
    return alreadyImportedReport(winner);
  }
}

function alreadyImportedReport(file: { id: string; batchId: string | null }): ApplyReport {
  return {
    batchId: file.batchId,
    fileId: file.id,
    written: 0,
    unchanged: 0,
    held: 0,
    unknownUai: [],
    unknownUaiTotal: 0,
    outOfScope: [],
    outOfScopeTotal: 0,
    alreadyImported: true,
  };
}

async function applyInTransaction(
  trx: Transaction<Database>,
  values: readonly ProfileValue[] | AsyncIterable<readonly ProfileValue[]>,
  options: ApplyOptions,
): Promise<ApplyReport> {
  const batchId = await recordImportBatch(trx, {
    kind: `imports:${options.profile}`,
    fileName: options.fileName,
    fileSha256: options.sha256,
    report: {},
  });
  // The file is claimed first: a concurrent commit of the same content waits on the unique index
  // here, before writing anything, then fails and reports « déjà importé ».
  const fileId = await claimFile(trx, batchId, options);
  const schools = options.schools?.on(trx) ?? new SchoolResolver(trx);
  const unknown = new CappedList();
  const outOfScope = new CappedList();
  const report: ApplyReport = {
    batchId,
    fileId,
    written: 0,
    unchanged: 0,
    held: 0,
    unknownUai: unknown.items,
    unknownUaiTotal: 0,
    outOfScope: outOfScope.items,
    outOfScopeTotal: 0,
    alreadyImported: false,
  };
  const pending = new PendingValues();
  const flush = async () => {
    const written = await writeImportValues(trx, batchId, pending.take());
    report.written += written.written;
    report.unchanged += written.unchanged;
    report.held += written.held;
  };
  for await (const slice of slicesOf(values)) {
    await schools.resolve(slice.map((v) => normalizeUai(v.uai)));
    const inputs: SchoolValueInput[] = [];
    for (const v of slice) {
      const uai = normalizeUai(v.uai);
      const school = schools.get(uai);
      if (!school) unknown.add(uai);
      else if (options.allowedSchool && !options.allowedSchool(school)) outOfScope.add(uai);
      else
        inputs.push({
          schoolId: school.id,
          academyCode: school.academyCode,
          dataElement: v.dataElement,
          period: v.period,
          disaggregation: v.disaggregation,
          value: v.value,
        });
    }
    // A key of an earlier slice still waiting is written first: the slices are written as if one
    // by one (within a slice the last value of a key wins, across slices each is written).
    if (pending.sharesAKey(inputs)) await flush();
    pending.add(inputs);
    if (pending.size >= WRITE_BATCH) await flush();
  }
  if (pending.size > 0) await flush();
  report.unknownUaiTotal = unknown.total;
  report.outOfScopeTotal = outOfScope.total;
  const final = options.finalize?.() ?? {};
  const summary = { ...(final.report ?? options.report ?? {}), profile: options.profile, applied: report };
  const detail = "detail" in final ? final.detail : options.detail;
  await setImportBatchReport(trx, batchId, summary);
  await trx
    .updateTable("import_file")
    .set({
      report: JSON.stringify(summary),
      detail: detail === undefined || detail === null ? null : JSON.stringify(detail),
    })
    .where("id", "=", fileId)
    .execute();
  await recordAudit(trx, actorOf(options.actor), {
    action: "imports.commit",
    entityType: "import_batch",
    entityId: batchId,
    sourceRef: batchId,
    territory: options.school
      ? { level: "school", code: options.school.uai, academyCode: options.school.academyCode }
      : null,
    summary: {
      profile: options.profile,
      file: options.fileName,
      written: report.written,
      unchanged: report.unchanged,
      held: report.held,
      unknownUai: report.unknownUaiTotal,
      outOfScope: report.outOfScopeTotal,
    },
  });
  await options.onCommitted?.(trx, batchId);
  return report;
}

/** A school by its UAI, as the values' schools are resolved; null when unknown. */
export async function findSchool(db: Db, uai: string): Promise<ResolvedSchool | null> {
  const resolver = new SchoolResolver(db);
  const key = normalizeUai(uai);
  await resolver.resolve([key]);
  return resolver.get(key);
}

/**
 * The details of the committed files of a profile for one school (a profile's `combine` takes
 * them together with a new file's), oldest first; `except` leaves one batch out.
 */
export async function committedDetails(
  db: Db,
  profile: string,
  schoolId: string | null,
  except?: string,
): Promise<unknown[]> {
  let query = db
    .selectFrom("import_file")
    .select(["detail", "batch_id"])
    .where("profile", "=", profile)
    .where("status", "=", "committed")
    .where("detail", "is not", null)
    .orderBy("id");
  query = schoolId === null ? query.where("school_id", "is", null) : query.where("school_id", "=", schoolId);
  const rows = await query.execute();
  return rows.filter((r) => except === undefined || String(r.batch_id) !== except).map((r) => r.detail);
}

/** The file's row, committed with its batch (a new row, or the upload's dry-run row). */
async function claimFile(trx: Db, batchId: string, options: ApplyOptions): Promise<string> {
  const actor = actorOf(options.actor).label;
  const row = {
    status: "committed" as const,
    batch_id: batchId,
    committed_at: new Date(),
    actor,
    report: JSON.stringify(options.report ?? {}),
    detail: options.detail === undefined ? null : JSON.stringify(options.detail),
  };
  if (options.fileId) {
    const updated = await trx
      .updateTable("import_file")
      .set(row)
      .where("id", "=", options.fileId)
      .where("status", "=", "dry-run")
      .returning("id")
      .executeTakeFirst();
    if (updated) return String(updated.id);
  }
  const inserted = await trx
    .insertInto("import_file")
    .values({
      ...row,
      profile: options.profile,
      file_name: options.fileName,
      sha256: options.sha256,
      school_id: options.school?.id ?? null,
      period: options.period ?? null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return String(inserted.id);
}
