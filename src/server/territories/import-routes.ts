import { createHash, randomUUID } from "node:crypto";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { Kysely } from "kysely";
import { z } from "zod";
import { jobStarted } from "../../contracts/jobs.ts";
import { annuaireImportReport, apiError as apiErrorSchema } from "../../contracts/territories.ts";
import {
  type Actor,
  AppError,
  type AuditEntry,
  conflict,
  type Database,
  DuplicateJobError,
  invalid,
  JobFailedError,
  type JobRunner,
  notFound,
  waitForJob,
} from "../platform/index.ts";
import { importAnnuaire } from "./annuaire/index.ts";
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
}

/**
 * Annuaire import from the web app, in two steps: the upload runs a dry run and keeps the file;
 * the confirmation starts a job that imports exactly that file in one transaction (its progress
 * and report at `GET /api/v1/jobs/{id}`).
 */
export function importRoutes(app: FastifyInstance, db: Db, deps: ImportRouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  registerAnnuaireCommitJob(deps.jobs, db, {
    ...deps,
    onError: (error) =>
      app.log.error({ err: error }, "consolidation des indicateurs après l'import de l'Annuaire"),
  });

  r.post(
    "/api/v1/imports/annuaire",
    {
      config: { access: { permission: "import.annuaire" } },
      schema: {
        tags: ["imports"],
        summary: "Envoyer un export de l'Annuaire de l'éducation (simulation, rien n'est écrit)",
        description:
          "Formulaire multipart avec un champ `file` (CSV de l'Annuaire, séparateur `;`). Pour un pilotage académique ou régional, les lignes hors de son périmètre sont rejetées dans le rapport.",
        consumes: ["multipart/form-data"],
        response: {
          200: z.object({ importId: z.string(), report: annuaireImportReport }),
          400: apiErrorSchema,
        },
      },
    },
    async (req) => {
      const file = await req.file().catch(() => undefined);
      if (!file) throw invalid("Aucun fichier reçu : joignez un fichier CSV.", "no_file");
      const content = await file.toBuffer();
      if (content.length === 0) throw invalid("Le fichier envoyé est vide.", "empty_file");
      // A file that is not an Annuaire export throws an AnnuaireFormatError (400 with its code).
      const accept = deps.access.acceptFor(req);
      const report = await importAnnuaire(db, content, {
        commit: false,
        fileName: file.filename,
        ...(accept ? { accept } : {}),
      });
      const importId = randomUUID();
      await db
        .insertInto("import_upload")
        .values({
          id: importId,
          kind: "annuaire",
          file_name: file.filename,
          file_sha256: createHash("sha256").update(content).digest("hex"),
          content,
        })
        .execute();
      return { importId, report };
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
          "Lance l'enregistrement comme un traitement (202 et son identifiant : progression et rapport à `GET /api/v1/jobs/{id}`). Avec `?wait=true`, la réponse attend la fin et porte le rapport.",
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
      const upload = await db
        .selectFrom("import_upload")
        .select(["id", "committed_at"])
        .where("id", "=", req.params.importId)
        .executeTakeFirst();
      if (!upload) throw notFound("Import introuvable : renvoyez le fichier.");
      if (upload.committed_at) throw conflict("Cet import a déjà été confirmé.", "already_committed");
      const actor = deps.access.actor(req);
      const auditTerritory = deps.access.auditTerritory(req);
      const payload: AnnuaireCommitPayload = {
        importId: upload.id,
        actor,
        auditTerritory,
        rights: deps.access.rights(req),
      };
      let jobId: string;
      try {
        jobId = await deps.jobs.enqueue(ANNUAIRE_COMMIT_JOB, payload, {
          scope: {
            userId: actor.userId,
            node: auditTerritory ? `${auditTerritory.level}:${auditTerritory.code}` : null,
          },
          // A second click, another tab, another process: one commit job per upload.
          dedupeKey: upload.id,
        });
      } catch (err) {
        // The job runner's refusal, said for this upload.
        if (err instanceof DuplicateJobError)
          throw conflict("Cet import est déjà en cours d'enregistrement.", "commit_in_progress");
        throw err;
      }
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
