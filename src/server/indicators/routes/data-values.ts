import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { apiError as apiErrorSchema } from "../../../contracts/territories.ts";
import { requestActor, requirePermission } from "../../identity/index.ts";
import { recordAudit } from "../../platform/index.ts";
import { dataValuesBody, writeApiValues } from "../api-write.ts";
import { processPendingRollups } from "../engine.ts";
import type { IndicatorRouteDeps } from "./shared.ts";

/** `POST /api/v1/data-values`: schools' values sent through the API, then the aggregates updated. */
export function registerDataValuesRoutes(app: FastifyInstance, { db }: IndicatorRouteDeps): void {
  app.withTypeProvider<ZodTypeProvider>().post(
    "/api/v1/data-values",
    {
      // Holders of indicators.write anywhere; each line's school must be inside their scope.
      config: { access: { permission: "indicators.write" } },
      schema: {
        tags: ["observatoire"],
        summary: "Enregistrer des valeurs d'établissements (source : API), puis mettre à jour les agrégats",
        body: dataValuesBody,
        response: {
          200: z.object({
            written: z.number().int(),
            /** Values stored but held for review: implausible among their peers, in no figure yet. */
            held: z.number().int(),
            refreshMs: z.number().int(),
          }),
          400: z.object({
            error: z.string(),
            message: z.string(),
            errors: z
              .array(z.object({ line: z.number().int(), column: z.string(), reason: z.string() }))
              .optional(),
          }),
          403: apiErrorSchema,
        },
      },
    },
    async (req, reply) => {
      const result = await writeApiValues(db, req.principal, req.body.values);
      if (!result.ok) {
        if (result.forbidden) requirePermission(req, "indicators.write", result.forbidden);
        return reply.code(400).send({
          error: "invalid_values",
          message: "Aucune valeur enregistrée : corrigez les erreurs.",
          errors: result.errors,
        });
      }
      await recordAudit(db, requestActor(req, "api"), {
        action: "data_values.write",
        entityType: "data_value",
        summary: { written: result.written, held: result.held.length, academies: result.academies },
      });
      const report = await processPendingRollups(db);
      return { written: result.written, held: result.held.length, refreshMs: report?.ms ?? 0 };
    },
  );
}
