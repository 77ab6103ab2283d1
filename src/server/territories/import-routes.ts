import { createHash, randomUUID } from "node:crypto";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { Kysely } from "kysely";
import { z } from "zod";
import { annuaireImportReport, apiError as apiErrorSchema } from "../../contracts/territories.ts";
import { type Actor, type AuditEntry, apiError, type Database, recordAudit } from "../platform/index.ts";
import { AnnuaireFormatError, importAnnuaire } from "./annuaire/index.ts";
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
}

/**
 * Annuaire import from the web app, in two steps: the upload runs a dry run and keeps the file;
 * the confirmation imports exactly that file in one transaction.
 */
export function importRoutes(app: FastifyInstance, db: Db, deps: ImportRouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

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
    async (req, reply) => {
      const file = await req.file().catch(() => undefined);
      if (!file)
        return reply.code(400).send(apiError("no_file", "Aucun fichier reçu : joignez un fichier CSV."));
      const content = await file.toBuffer();
      if (content.length === 0)
        return reply.code(400).send(apiError("empty_file", "Le fichier envoyé est vide."));
      try {
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
      } catch (err) {
        if (err instanceof AnnuaireFormatError)
          return reply.code(400).send(apiError("invalid_file", err.message));
        throw err;
      }
    },
  );

  r.post(
    "/api/v1/imports/annuaire/:importId/commit",
    {
      config: { access: { permission: "import.annuaire" } },
      schema: {
        tags: ["imports"],
        summary: "Confirmer un import de l'Annuaire après lecture du rapport de simulation",
        params: z.object({ importId: z.string().uuid() }),
        response: {
          200: z.object({ report: annuaireImportReport }),
          404: apiErrorSchema,
          409: apiErrorSchema,
        },
      },
    },
    async (req, reply) => {
      const upload = await db
        .selectFrom("import_upload")
        .selectAll()
        .where("id", "=", req.params.importId)
        .executeTakeFirst();
      if (!upload)
        return reply.code(404).send(apiError("not_found", "Import introuvable : renvoyez le fichier."));
      if (upload.committed_at) {
        return reply.code(409).send(apiError("already_committed", "Cet import a déjà été confirmé."));
      }
      const accept = deps.access.acceptFor(req);
      const report = await importAnnuaire(db, Buffer.from(upload.content), {
        commit: true,
        fileName: upload.file_name,
        ...(accept ? { accept } : {}),
        onCommitted: async (trx, batchId, committed) => {
          // Schools changed: every coverage may have moved (refreshed right after, in the background).
          if (committed.created + committed.updated + committed.closed > 0)
            await deps.schools.onSchoolsChanged(trx);
          await recordAudit(trx, deps.access.actor(req), {
            action: "annuaire.import",
            entityType: "import_batch",
            entityId: batchId,
            sourceRef: batchId,
            territory: deps.access.auditTerritory(req),
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
        },
      });
      if (report.committed) {
        deps.schools
          .afterSchoolsCommitted(db)
          .catch((error: unknown) =>
            req.log.error({ err: error }, "consolidation des indicateurs après l'import de l'Annuaire"),
          );
      }
      // The file is no longer needed once applied; its report stays in import_batch.
      await db
        .updateTable("import_upload")
        .set({ committed_at: new Date(), content: new Uint8Array() })
        .where("id", "=", upload.id)
        .execute();
      return { report };
    },
  );
}
