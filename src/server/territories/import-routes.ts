import fs from "node:fs";
import path from "node:path";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { type Kysely, sql } from "kysely";
import { z } from "zod";
import { jobStarted } from "../../contracts/jobs.ts";
import {
  type AnnuaireImportReport,
  annuaireImportReport,
  apiError as apiErrorSchema,
} from "../../contracts/territories.ts";
import {
  type Actor,
  AppError,
  type AuditEntry,
  CSV_BOM,
  csvLine,
  type Database,
  DuplicateJobError,
  invalid,
  JobFailedError,
  type JobRunner,
  notFound,
  startUploadCommit,
  type UploadStore,
  waitForJob,
} from "../platform/index.ts";
import { type ImportIssue, importAnnuaire } from "./annuaire/index.ts";
import {
  ANNUAIRE_COMMIT_JOB,
  type AnnuaireCommitPayload,
  type AnnuaireCommitResult,
  registerAnnuaireCommitJob,
} from "./import-job.ts";
import type { SchoolRecord } from "./school-record.ts";

type Db = Kysely<Database>;

/**
 * Who may import which rows, asked of identity (a module above territories): wired in app.ts.
 */
export interface ImportAccess {
  /** The rows this requester may import (null: accepted, else the French reason); undefined: all. */
  acceptFor(req: FastifyRequest): ((record: SchoolRecord) => string | null) | undefined;
  /** The territory the import's audit event is filed under. */
  auditTerritory(req: FastifyRequest): AuditEntry["territory"];
  /** The requester, as the audit log names them. */
  actor(req: FastifyRequest): Actor;
  /** The requester's import rights as JSON, kept with the commit job (which runs after the request). */
  rights(req: FastifyRequest): unknown;
  /** `acceptFor` from rights kept by `rights`. */
  acceptForRights(rights: unknown): ((record: SchoolRecord) => string | null) | undefined;
}

/**
 * What depends on the schools (the indicators' roll-up, a module above territories): wired in
 * app.ts, so that territories never imports it.
 */
export interface SchoolChangeHooks {
  /** Inside the Annuaire import's transaction, when schools were created, changed or closed. */
  onSchoolsChanged(trx: Db): Promise<void>;
  /** After a committed Annuaire import: brings what depends on the schools up to date. */
  afterSchoolsCommitted(db: Db): Promise<void>;
}

export interface ImportRouteDeps {
  access: ImportAccess;
  schools: SchoolChangeHooks;
  /** The confirmation runs as an `annuaire.commit` job on this runner (registered here). */
  jobs: JobRunner;
  /** Where uploaded files wait between their dry run and their confirmation. */
  uploads: UploadStore;
}

const KIND = "annuaire";
const REPORT_SUFFIX = "rapport.csv";

/**
 * Annuaire import from the web app, in two steps: the upload streams the file to the upload
 * store and runs a dry run on it (its full list of rejections and duplicates written beside it,
 * in CSV); the confirmation starts a job that imports exactly that file in one transaction (its
 * progress and report at `GET /api/v1/jobs/{id}`). An upload is its sender's: nobody else can
 * confirm it or read its report.
 */
export function importRoutes(app: FastifyInstance, db: Db, deps: ImportRouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  registerAnnuaireCommitJob(deps.jobs, db, {
    ...deps,
    onError: (error) =>
      app.log.error({ err: error }, "consolidation des indicateurs après l'import de l'Annuaire"),
  });
  // Files a previous version kept in the database move to the store once.
  app.addHook("onReady", async () => adoptLegacyUploads(db, deps.uploads));

  r.post(
    "/api/v1/imports/annuaire",
    {
      config: { access: { permission: "import.annuaire" } },
      schema: {
        tags: ["imports"],
        summary: "Envoyer un export de l'Annuaire de l'éducation (simulation, rien n'est écrit)",
        description:
          "Formulaire multipart avec un champ `file` (CSV de l'Annuaire, séparateur `;`). Pour un pilotage académique ou régional, les lignes hors de son périmètre sont rejetées dans le rapport. Le rapport liste les 1 000 premiers rejets et doublons (avec leurs totaux) ; tous sont dans le rapport CSV (`fullReportUrl`).",
        consumes: ["multipart/form-data"],
        response: {
          200: z.object({ importId: z.string(), report: annuaireImportReport, fullReportUrl: z.string() }),
          400: apiErrorSchema,
          413: apiErrorSchema,
        },
      },
    },
    async (req) => {
      const file = await req.file().catch(() => undefined);
      if (!file) throw invalid("Aucun fichier reçu : joignez un fichier CSV.", "no_file");
      const upload = await deps.uploads.receive(file.file, {
        kind: KIND,
        fileName: file.filename,
        ownerUserId: deps.access.actor(req).userId,
        truncated: () => file.file.truncated,
      });
      try {
        const accept = deps.access.acceptFor(req);
        const report = await dryRunToCsv(db, deps.uploads, upload.id, file.filename, accept);
        return { importId: upload.id, report, fullReportUrl: reportUrl(upload.id) };
      } catch (error) {
        // A file that is not an Annuaire export throws an AnnuaireFormatError (400 with its
        // code): nothing of it is kept.
        await deps.uploads.remove(upload.id);
        throw error;
      }
    },
  );

  r.get(
    "/api/v1/imports/annuaire/:importId/rapport.csv",
    {
      config: { access: { permission: "import.annuaire" } },
      schema: {
        tags: ["imports"],
        summary: "Rapport complet d'une simulation d'import de l'Annuaire (CSV)",
        description:
          "Toutes les lignes rejetées et tous les doublons, dans l'ordre du fichier. Seulement pour la personne qui a envoyé le fichier, pendant la durée de conservation des fichiers envoyés.",
        params: z.object({ importId: z.string().uuid() }),
        produces: ["text/csv"],
        response: {
          200: z.unknown().describe("Fichier CSV (séparateur `;`, UTF-8 avec BOM)"),
          404: apiErrorSchema,
        },
      },
    },
    async (req, reply) => {
      const upload = await deps.uploads.getOwned(req.params.importId, KIND, deps.access.actor(req).userId);
      const file = deps.uploads.sidePath(upload.id, REPORT_SUFFIX);
      if (!fs.existsSync(file))
        throw notFound("Rapport introuvable : il a été supprimé après la durée de conservation.");
      const name = `rapport-${path.parse(upload.fileName).name || "import"}.csv`.replace(/[^\w.-]+/g, "_");
      return reply
        .type("text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="${name}"`)
        .send(fs.createReadStream(file));
    },
  );

  r.post(
    "/api/v1/imports/annuaire/:importId/commit",
    {
      config: { access: { permission: "import.annuaire" } },
      schema: {
        tags: ["imports"],
        summary: "Confirmer un import de l'Annuaire après lecture du rapport de simulation",
        description:
          "Lance l'enregistrement comme un traitement (202 et son identifiant : progression et rapport à `GET /api/v1/jobs/{id}`). Avec `?wait=true`, la réponse attend la fin et porte le rapport. Un import se confirme une fois : les demandes concurrentes reçoivent 409.",
        params: z.object({ importId: z.string().uuid() }),
        querystring: z.object({ wait: z.enum(["true", "false"]).optional() }),
        response: {
          200: z.object({ jobId: z.string(), report: annuaireImportReport }),
          202: jobStarted,
          404: apiErrorSchema,
          409: apiErrorSchema,
          422: apiErrorSchema,
        },
      },
    },
    async (req, reply) => {
      const actor = deps.access.actor(req);
      const upload = await deps.uploads.getOwned(req.params.importId, KIND, actor.userId);
      const auditTerritory = deps.access.auditTerritory(req);
      const payload: AnnuaireCommitPayload = {
        importId: upload.id,
        actor,
        auditTerritory,
        rights: deps.access.rights(req),
      };
      const jobId = await startUploadCommit(deps.uploads, upload, {
        enqueue: () =>
          deps.jobs.enqueue(ANNUAIRE_COMMIT_JOB, payload, {
            scope: {
              userId: actor.userId,
              node: auditTerritory ? `${auditTerritory.level}:${auditTerritory.code}` : null,
            },
            // A second click, another tab, another process: one unfinished commit job per upload.
            dedupeKey: upload.id,
          }),
        isDuplicate: (error) => error instanceof DuplicateJobError,
        cancel: (id) => deps.jobs.cancel(id),
      });
      if (req.query.wait !== "true") return reply.code(202).send({ jobId });
      try {
        const { report } = await waitForJob<AnnuaireCommitResult>(deps.jobs, jobId);
        return { jobId, report };
      } catch (err) {
        if (err instanceof JobFailedError) throw new AppError(422, "import_failed", err.message);
        throw err;
      }
    },
  );
}

function reportUrl(importId: string): string {
  return `/api/v1/imports/annuaire/${importId}/${REPORT_SUFFIX}`;
}

/** French headers of the full report, one row per rejected line or repeated UAI. */
const REPORT_HEADER = ["Ligne", "UAI", "Type", "Colonne", "Motif", "Première ligne avec cet UAI"];

/**
 * The dry run of an upload, reading its file in slices; every rejection and duplicate goes to
 * the CSV report beside it as it is found (the JSON report keeps the first 1 000 of each).
 */
async function dryRunToCsv(
  db: Db,
  uploads: UploadStore,
  id: string,
  fileName: string,
  accept: ((record: SchoolRecord) => string | null) | undefined,
): Promise<AnnuaireImportReport> {
  const out = fs.createWriteStream(uploads.sidePath(id, REPORT_SUFFIX), { mode: 0o600 });
  const closed = new Promise<void>((resolve, reject) => {
    out.on("close", resolve);
    out.on("error", reject);
  });
  out.write(CSV_BOM + csvLine(REPORT_HEADER));
  try {
    return await importAnnuaire(db, uploads.filePath(id), {
      commit: false,
      fileName,
      ...(accept ? { accept } : {}),
      onIssue: (issue) => out.write(csvLine(issueRow(issue))),
    });
  } finally {
    out.end();
    await closed;
  }
}

function issueRow(issue: ImportIssue): unknown[] {
  return issue.kind === "rejected"
    ? [issue.line, issue.uai, "rejet", issue.column ?? "", issue.reason, ""]
    : [issue.line, issue.uai, "doublon", "", "UAI déjà présent plus haut dans le fichier", issue.firstLine];
}

/**
 * Uploads kept in the database by a version before the upload store (`import_upload.content`)
 * and never confirmed: written to the store under the same id, then their bytes cleared. One
 * at a time, so that memory holds one file at most.
 */
async function adoptLegacyUploads(db: Db, uploads: UploadStore): Promise<void> {
  const waiting = await db
    .selectFrom("import_upload")
    .select("id")
    .where("committed_at", "is", null)
    .where(sql<boolean>`octet_length(content) > 0`)
    .execute();
  for (const { id } of waiting) {
    const row = await db
      .selectFrom("import_upload")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    await uploads.adopt(
      row.id,
      { kind: KIND, fileName: row.file_name, createdAt: row.created_at },
      row.content,
    );
    await db.updateTable("import_upload").set({ content: new Uint8Array() }).where("id", "=", id).execute();
  }
}
