import fs from "node:fs";
import type { Kysely } from "kysely";
import type { AnnuaireImportReport } from "../../contracts/territories.ts";
import {
  type Actor,
  type AuditEntry,
  alreadyCommitted,
  type Database,
  type JobRunner,
  PermanentJobError,
  recordAudit,
  type UploadStore,
} from "../platform/index.ts";
import { importAnnuaire, schoolsChanged } from "./annuaire/index.ts";
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
 * Registers the commit of an uploaded Annuaire file as a job: the file is read from the upload
 * store and imported in one transaction, which also claims the upload for this job
 * (`UploadStore.claim`): a second job of the same upload rolls back, and a re-run of this job
 * after a crash finds it done and answers the stored report instead of importing twice.
 */
export function registerAnnuaireCommitJob(
  jobs: JobRunner,
  db: Db,
  deps: {
    access: ImportAccess;
    schools: SchoolChangeHooks;
    uploads: UploadStore;
    onError?: (error: unknown) => void;
  },
): void {
  jobs.register<AnnuaireCommitPayload, AnnuaireCommitResult>(
    ANNUAIRE_COMMIT_JOB,
    async ({ id: jobId, payload, reportProgress }) => {
      const upload = await deps.uploads.get(payload.importId);
      if (!upload) throw new PermanentJobError("Import introuvable : renvoyez le fichier.");
      if (upload.committedAt) {
        const report = upload.commitJobId === jobId ? await committedReport(db, upload.sha256) : null;
        if (report) return { report };
        throw new PermanentJobError(alreadyCommitted().message);
      }
      const file = deps.uploads.filePath(upload.id);
      if (!fs.existsSync(file))
        throw new PermanentJobError("Le fichier envoyé n'est plus disponible : renvoyez-le.");
      reportProgress(0, 1, "Lecture du fichier");
      const accept = deps.access.acceptForRights(payload.rights);
      const report = await importAnnuaire(db, file, {
        commit: true,
        fileName: upload.fileName,
        ...(accept ? { accept } : {}),
        onProgress: (done, total) => reportProgress(done, total, "Enregistrement des établissements"),
        onCommitted: async (trx, batchId, committed) => {
          // Once, by this job: a concurrent commit of the same upload rolls back here.
          if (!(await deps.uploads.claim(trx, upload.id, jobId)))
            throw new PermanentJobError(alreadyCommitted().message);
          // Schools changed: every coverage may have moved (refreshed right after, in the background).
          if (schoolsChanged(committed)) await deps.schools.onSchoolsChanged(trx);
          await recordAudit(trx, payload.actor, {
            action: "annuaire.import",
            entityType: "import_batch",
            entityId: batchId,
            sourceRef: batchId,
            territory: payload.auditTerritory,
            summary: {
              file: upload.fileName,
              read: committed.read,
              created: committed.created,
              updated: committed.updated,
              unchanged: committed.unchanged,
              closed: committed.closed,
              rejected: committed.rejectedTotal,
              duplicates: committed.duplicatesTotal,
            },
          });
        },
      });
      // The file is no longer needed once applied; its report stays in import_batch.
      await deps.uploads.removeFile(upload.id);
      // An unchanged file changes no school: no roll-up to queue.
      if (report.committed && schoolsChanged(report)) {
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
