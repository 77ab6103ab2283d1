import { createHash, randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { Kysely } from "kysely";
import { z } from "zod";
import { annuaireImportReport, apiError as apiErrorSchema } from "../../contracts/territories.ts";
import { importAcceptFor, importAuditTerritory } from "../identity/import-scope.ts";
import { requestActor } from "../identity/session-user.ts";
import { processPendingRollups } from "../indicators/engine.ts";
import { requestFullRefresh } from "../indicators/store.ts";
import { recordAudit } from "../platform/audit.ts";
import { apiError } from "../platform/http.ts";
import type { Database } from "../platform/schema.ts";
import { AnnuaireFormatError, importAnnuaire } from "./annuaire/index.ts";

/**
 * Annuaire import from the web app, in two steps: the upload runs a dry run and keeps the file;
 * the confirmation imports exactly that file in one transaction.
 */
export function importRoutes(app: FastifyInstance, db: Kysely<Database>): void {
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
        const accept = importAcceptFor(req.principal);
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
      const accept = importAcceptFor(req.principal);
      const report = await importAnnuaire(db, Buffer.from(upload.content), {
        commit: true,
        fileName: upload.file_name,
        ...(accept ? { accept } : {}),
        onCommitted: async (trx, batchId, committed) => {
          // Schools changed: every coverage may have moved (refreshed right after, in the background).
          if (committed.created + committed.updated + committed.closed > 0) await requestFullRefresh(trx);
          await recordAudit(trx, requestActor(req, "import"), {
            action: "annuaire.import",
            entityType: "import_batch",
            entityId: batchId,
            sourceRef: batchId,
            territory: importAuditTerritory(req.principal),
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
        processPendingRollups(db).catch((error: unknown) =>
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
