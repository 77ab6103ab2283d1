import type { Kysely } from "kysely";
import { type RollbackReport, rollbackImportBatch, writeImportValues } from "../../indicators/index.ts";
import { type Actor, conflict, type Database, notFound, recordAudit } from "../../platform/index.ts";
import { findSchoolAncestriesByIds, recordImportBatch } from "../../territories/index.ts";
import { committedDetails, type ResolvedSchool, SchoolResolver } from "./apply.ts";
import type { Profile } from "./types.ts";

/**
 * The committed files and their batches: the list behind the rollback button, and the rollback
 * of a batch as a whole (the indicators door deletes its values and restores those it had
 * replaced, then the file is marked rolled back; its content may be imported again).
 */

type Db = Kysely<Database>;

export interface ImportBatchSummary {
  fileId: string;
  batchId: string | null;
  profile: string;
  fileName: string;
  schoolUai: string | null;
  schoolName: string | null;
  period: string | null;
  status: "dry-run" | "committed" | "rolled-back";
  actor: string;
  committedAt: string | null;
  rolledBackAt: string | null;
  /** Values the commit wrote. */
  written: number;
}

function writtenOf(report: unknown): number {
  const applied = (report as { applied?: { written?: unknown } } | null)?.applied;
  return typeof applied?.written === "number" ? applied.written : 0;
}

/** The committed and rolled-back files, newest first; only those of schools in scope when `allowed` is given. */
export async function listImportBatches(
  db: Db,
  options: {
    allowed?: (school: ResolvedSchool) => boolean;
    /** The person's label (`import_file.actor`): their own files naming schools row by row are theirs to see. */
    own?: string;
    limit?: number;
    profile?: string;
  } = {},
): Promise<ImportBatchSummary[]> {
  let query = db
    .selectFrom("import_file")
    .selectAll()
    .where("status", "in", ["committed", "rolled-back"])
    .orderBy("id", "desc")
    .limit(options.limit ?? 200);
  if (options.profile) query = query.where("profile", "=", options.profile);
  const rows = await query.execute();
  const schoolIds = [...new Set(rows.map((r) => r.school_id).filter((id): id is string => id !== null))];
  const schools = new Map((await findSchoolAncestriesByIds(db, schoolIds)).map((s) => [String(s.id), s]));
  const resolver = new SchoolResolver(db);
  await resolver.resolve([...schools.values()].map((s) => s.uai));
  return rows
    .filter((r) => {
      if (!options.allowed) return true;
      // A file naming its schools row by row is listed to national importers and to the person
      // who imported it (its rows outside their scope were refused at the import).
      if (r.school_id === null) return options.own !== undefined && r.actor === options.own;
      const school = resolver.get(schools.get(String(r.school_id))?.uai ?? "");
      return school !== null && options.allowed(school);
    })
    .map((r) => {
      const school = r.school_id === null ? undefined : schools.get(String(r.school_id));
      return {
        fileId: String(r.id),
        batchId: r.batch_id === null ? null : String(r.batch_id),
        profile: r.profile,
        fileName: r.file_name,
        schoolUai: school?.uai ?? null,
        schoolName: school?.name ?? null,
        period: r.period,
        status: r.status,
        actor: r.actor,
        committedAt: r.committed_at ? new Date(r.committed_at).toISOString() : null,
        rolledBackAt: r.rolled_back_at ? new Date(r.rolled_back_at).toISOString() : null,
        written: writtenOf(r.report),
      };
    });
}

export interface ImportRollbackReport extends RollbackReport {
  profile: string;
  fileName: string;
  /** Values written again from the school's other files (a combining profile), in batch `recombinedBatchId`. */
  recombined: number;
  recombinedBatchId: string | null;
}

/**
 * Rolls an import batch back, in one transaction. Refused in French for a batch that is not a
 * file's, already rolled back, or (with `allowed`) of a school outside the person's scope. A
 * combining profile's values are then written again from the school's remaining files. The
 * caller queues the roll-up (`indicators.ROLLUP_JOB`): the request is written here.
 */
export async function rollbackImport(
  db: Db,
  batchId: string,
  options: { actor: Actor; profiles: readonly Profile[]; allowed?: (school: ResolvedSchool) => boolean },
): Promise<ImportRollbackReport> {
  // A file naming its schools row by row: rolled back by national importers and by its importer.
  const mayRollBack = (school: ResolvedSchool | null, importer: string) =>
    !options.allowed || (school === null ? importer === options.actor.label : options.allowed(school));
  if (!/^\d{1,18}$/.test(batchId)) throw notFound(`Lot d'import inconnu : ${batchId}.`, "unknown_batch");
  return db.transaction().execute(async (trx) => {
    const file = await trx
      .selectFrom("import_file")
      .selectAll()
      .where("batch_id", "=", batchId)
      .forUpdate()
      .executeTakeFirst();
    if (!file) throw notFound(`Aucun fichier importé n'a le lot ${batchId}.`, "unknown_batch");
    if (file.status === "rolled-back")
      throw conflict(`Le lot ${batchId} a déjà été annulé : rien n'a été changé.`, "already_rolled_back");
    const school = await schoolOfFile(trx, file.school_id);
    if (!mayRollBack(school, file.actor))
      throw notFound(`Aucun fichier importé n'a le lot ${batchId} dans votre périmètre.`, "unknown_batch");
    const undone = await rollbackImportBatch(trx, batchId, options.actor.label);
    await trx
      .updateTable("import_file")
      .set({ status: "rolled-back", rolled_back_at: new Date() })
      .where("id", "=", file.id)
      .execute();
    const profile = options.profiles.find((p) => p.code === file.profile);
    const recombined =
      profile?.combine && school ? await recombine(trx, profile, school, file.file_name) : null;
    await recordAudit(trx, options.actor, {
      action: "imports.rollback",
      entityType: "import_batch",
      entityId: batchId,
      sourceRef: batchId,
      territory: school ? { level: "school", code: school.uai, academyCode: school.academyCode } : null,
      summary: {
        profile: file.profile,
        file: file.file_name,
        removed: undone.removed,
        restored: undone.restored,
        replacedSince: undone.replacedSince,
        recombined: recombined?.written ?? 0,
      },
    });
    return {
      ...undone,
      profile: file.profile,
      fileName: file.file_name,
      recombined: recombined?.written ?? 0,
      recombinedBatchId: recombined?.batchId ?? null,
    };
  });
}

async function schoolOfFile(db: Db, schoolId: string | null): Promise<ResolvedSchool | null> {
  if (schoolId === null) return null;
  const [place] = await findSchoolAncestriesByIds(db, [String(schoolId)]);
  if (!place) return null;
  const resolver = new SchoolResolver(db);
  await resolver.resolve([place.uai]);
  return resolver.get(place.uai);
}

/** The values of a school's remaining files of a combining profile, written again in a batch of their own. */
async function recombine(
  trx: Db,
  profile: Profile,
  school: ResolvedSchool,
  fileName: string,
): Promise<{ written: number; batchId: string } | null> {
  const details = await committedDetails(trx, profile.code, school.id);
  if (details.length === 0 || !profile.combine) return null;
  const values = profile.combine(details);
  const batchId = await recordImportBatch(trx, {
    kind: `imports:${profile.code}:recalcul`,
    fileName: `recalcul après l'annulation de ${fileName}`,
    fileSha256: "",
    report: { profile: profile.code, files: details.length },
  });
  const written = await writeImportValues(
    trx,
    batchId,
    values.map((v) => ({
      schoolId: school.id,
      academyCode: school.academyCode,
      dataElement: v.dataElement,
      period: v.period,
      disaggregation: v.disaggregation,
      value: v.value,
    })),
  );
  return { written: written.written, batchId };
}
