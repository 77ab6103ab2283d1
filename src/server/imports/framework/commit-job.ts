import fs from "node:fs";
import type { Kysely } from "kysely";
import type { Principal } from "../../identity/index.ts";
import { ROLLUP_JOB } from "../../indicators/index.ts";
import {
  type Actor,
  alreadyCommitted,
  type Database,
  type JobRunner,
  PermanentJobError,
  type UploadStore,
} from "../../platform/index.ts";
import { findCommittedFile } from "./apply.ts";
import { commitFile, type ImportReport } from "./run.ts";
import { importAllowedSchool } from "./scope.ts";
import type { Profile, ProfileResolver, SchoolRef } from "./types.ts";

/** The job type of a committed import file (from the CLI or a confirmed upload). */
export const IMPORT_COMMIT_JOB = "imports.commit";

/**
 * What the commit job needs once the command or the request is gone: the file (a path the CLI
 * gave, or an upload), the profile and its options, who commits and with which rights.
 */
export interface ImportCommitPayload {
  profile: string;
  source: { kind: "path"; path: string; fileName: string } | { kind: "upload"; uploadId: string };
  /** The upload's dry-run row in `import_file`, confirmed by this commit. */
  fileId?: string | null;
  school: SchoolRef | null;
  period: string | null;
  actor: Actor;
  /** The principal as it was when they confirmed (its scope re-checked); null: no restriction (CLI). */
  rights: Principal | null;
}

export interface ImportCommitResult {
  report: ImportReport;
}

export interface ImportJobDeps {
  profiles: readonly Profile[];
  /** Profiles built at run time (the generic profile of a saved mapping). */
  resolve?: ProfileResolver;
  /** The upload store (the server); null for a command alone on its base (paths only). */
  uploads: UploadStore | null;
}

/**
 * Registers the commit of an import file as a job: the file read again through its profile and
 * applied in one transaction (`commitFile`), which for an upload also claims it for this job
 * (a second job of the same upload rolls back). Progress is the share of the file read. The
 * roll-up is queued once the values are in (the request itself is written with them).
 */
export function registerImportCommitJob(jobs: JobRunner, db: Kysely<Database>, deps: ImportJobDeps): void {
  jobs.register<ImportCommitPayload, ImportCommitResult>(
    IMPORT_COMMIT_JOB,
    async ({ id: jobId, payload, reportProgress }) => {
      const profile =
        deps.profiles.find((p) => p.code === payload.profile) ??
        (await deps.resolve?.(payload.profile)) ??
        null;
      if (!profile) throw new PermanentJobError(`Profil d'import inconnu : ${payload.profile}.`);
      // Taken up again after a stop that came after its commit: the stored report, not a second import.
      const done = await reportOfCommittedUpload(db, payload, deps.uploads, jobId);
      if (done) return { report: done };
      const { file, fileName, uploadId } = await sourceFile(payload, deps.uploads, jobId);
      reportProgress(0, 1, "Lecture du fichier");
      const allowedSchool = payload.rights === null ? undefined : importAllowedSchool(payload.rights);
      const report = await commitFile(db, {
        profile,
        profiles: deps.profiles,
        file,
        fileName,
        school: payload.school,
        period: payload.period,
        actor: payload.actor,
        ...(allowedSchool ? { allowedSchool } : {}),
        ...(payload.fileId ? { fileId: payload.fileId } : {}),
        onProgress: (done, total) => reportProgress(done, total, "Lecture et enregistrement des valeurs"),
        ...(uploadId && deps.uploads
          ? {
              onCommitted: async (trx) => {
                // Once, by this job: a concurrent commit of the same upload rolls back here.
                if (!(await (deps.uploads as UploadStore).claim(trx, uploadId, jobId)))
                  throw new PermanentJobError(alreadyCommitted().message);
              },
            }
          : {}),
      });
      // A refused file wrote nothing: its report says why (the job itself succeeded).
      if (uploadId && deps.uploads && (report.committed || report.alreadyImported))
        await deps.uploads.removeFile(uploadId);
      if (report.committed && report.written > 0) await jobs.enqueue(ROLLUP_JOB, {});
      return { report };
    },
    // A failed commit rolls back whole: retrying a transient failure (a lost connection) is safe.
    { maxAttempts: 3, backoffMs: 2_000 },
  );
}

async function reportOfCommittedUpload(
  db: Kysely<Database>,
  payload: ImportCommitPayload,
  uploads: UploadStore | null,
  jobId: string,
): Promise<ImportReport | null> {
  if (payload.source.kind !== "upload" || !uploads) return null;
  const upload = await uploads.get(payload.source.uploadId);
  if (!upload?.committedAt || upload.commitJobId !== jobId) return null;
  const file = await findCommittedFile(db, {
    profile: payload.profile,
    sha256: upload.sha256,
    schoolId: payload.school?.id ?? null,
  });
  if (!file) return null;
  const row = await db
    .selectFrom("import_file")
    .select("report")
    .where("id", "=", file.id)
    .executeTakeFirst();
  const stored = (row?.report ?? null) as (ImportReport & { applied?: unknown }) | null;
  return stored ? { ...stored, committed: true, batchId: file.batchId, fileId: file.id } : null;
}

async function sourceFile(
  payload: ImportCommitPayload,
  uploads: UploadStore | null,
  jobId: string,
): Promise<{ file: string; fileName: string; uploadId: string | null }> {
  if (payload.source.kind === "path") {
    if (!fs.existsSync(payload.source.path))
      throw new PermanentJobError(`Fichier introuvable : ${payload.source.fileName}.`);
    return { file: payload.source.path, fileName: payload.source.fileName, uploadId: null };
  }
  if (!uploads) throw new PermanentJobError("Les fichiers envoyés ne sont lus que par le serveur.");
  const upload = await uploads.get(payload.source.uploadId);
  if (!upload) throw new PermanentJobError("Import introuvable : renvoyez le fichier.");
  if (upload.committedAt && upload.commitJobId !== jobId)
    throw new PermanentJobError(alreadyCommitted().message);
  const file = uploads.filePath(upload.id);
  if (!fs.existsSync(file))
    throw new PermanentJobError("Le fichier envoyé n'est plus disponible : renvoyez-le.");
  return { file, fileName: upload.fileName, uploadId: upload.id };
}
