import { type Kysely, sql } from "kysely";
import type { AnnuaireImportReport } from "../../contracts/territories.ts";
import {
  type Actor,
  type AuditEntry,
  type Database,
  type JobRunner,
  PermanentJobError,
  recordAudit,
} from "../platform/index.ts";
import { importAnnuaire } from "./annuaire/index.ts";
import type { ImportAccess, SchoolChangeHooks } from "./import-routes.ts";

type Db = Kysely<Database>;

/** The job type of a confirmed Annuaire upload. */
export const ANNUAIRE_COMMIT_JOB = "annuaire.commit";

/**
 * What the commit job needs once the request is gone: the upload, and the requester as data
 * (their audit name, the audit territory, their import rights, re-checked row by row).
 */
export interface AnnuaireCommitPayload {
  importId: string;
  actor: Actor;
  auditTerritory: AuditEntry["territory"];
  rights: unknown;
}

export interface AnnuaireCommitResult {
  report: AnnuaireImportReport;
}

/**
 * Registers the commit of an uploaded Annuaire file as a job: the file is imported in one
 * transaction, which also marks the upload committed, so a re-run after a crash finds it done and
 * answers the stored report instead of importing twice.
 */
export function registerAnnuaireCommitJob(
  jobs: JobRunner,
  db: Db,
  deps: { access: ImportAccess; schools: SchoolChangeHooks; onError?: (error: unknown) => void },
): void {
  jobs.register<AnnuaireCommitPayload, AnnuaireCommitResult>(
    ANNUAIRE_COMMIT_JOB,
    async ({ payload, reportProgress }) => {
      const upload = await db
        .selectFrom("import_upload")
        .selectAll()
        .where("id", "=", payload.importId)
        .executeTakeFirst();
      if (!upload) throw new PermanentJobError("Import introuvable : renvoyez le fichier.");
      if (upload.committed_at) {
        const report = await committedReport(db, upload.file_sha256);
        if (report) return { report };
        throw new PermanentJobError("Cet import a déjà été confirmé.");
      }
      reportProgress(0, 1, "Lecture du fichier");
      const accept = deps.access.acceptForRights(payload.rights);
      const report = await importAnnuaire(db, Buffer.from(upload.content), {
        commit: true,
        fileName: upload.file_name,
        ...(accept ? { accept } : {}),
        onProgress: (done, total) => reportProgress(done, total, "Enregistrement des établissements"),
        onCommitted: async (trx, batchId, committed) => {
          // Schools changed: every coverage may have moved (refreshed right after, in the background).
          if (committed.created + committed.updated + committed.closed > 0)
            await deps.schools.onSchoolsChanged(trx);
          await recordAudit(trx, payload.actor, {
            action: "annuaire.import",
            entityType: "import_batch",
            entityId: batchId,
            sourceRef: batchId,
            territory: payload.auditTerritory,
            summary: {
              file: upload.file_name,
              read: committed.read,
              created: committed.created,
              updated: committed.updated,
              unchanged: committed.unchanged,
              closed: committed.closed,
              rejected: committed.rejected.length,
              duplicates: committed.duplicates.length,
            },
          });
          // The file is no longer needed once applied; its report stays in import_batch.
          // Only once: a concurrent commit of the same upload (two processes) rolls back here.
          const marked = await trx
            .updateTable("import_upload")
            .set({ committed_at: sql<Date>`now()`, content: new Uint8Array() })
            .where("id", "=", upload.id)
            .where("committed_at", "is", null)
            .executeTakeFirst();
          if (Number(marked.numUpdatedRows) === 0)
            throw new PermanentJobError("Cet import a déjà été confirmé.");
        },
      });
      if (report.committed) {
        deps.schools.afterSchoolsCommitted(db).catch((error: unknown) => deps.onError?.(error));
      }
      return { report };
    },
    // A failed import rolls back whole: retrying a transient failure (a lost connection) is safe.
    { maxAttempts: 3, backoffMs: 2_000 },
  );
}

/** The report of the batch an upload's commit wrote (the last committed batch of the same file). */
async function committedReport(db: Db, sha256: string): Promise<AnnuaireImportReport | null> {
  const batch = await db
    .selectFrom("import_batch")
    .select("report")
    .where("file_sha256", "=", sha256)
    .where("committed_at", "is not", null)
    .orderBy("id", "desc")
    .executeTakeFirst();
  return (batch?.report as AnnuaireImportReport | undefined) ?? null;
}
