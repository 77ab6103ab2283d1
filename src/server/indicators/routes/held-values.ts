import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { z } from "zod";
import {
  heldValueDecision,
  heldValueDecisionResponse,
  heldValuesResponse,
} from "../../../contracts/indicators.ts";
import { apiError as apiErrorSchema } from "../../../contracts/territories.ts";
import { type PermissionTarget, requestActor } from "../../identity/index.ts";
import { findSchoolAncestries } from "../../territories/index.ts";
import { processPendingRollups } from "../engine.ts";
import { decideHeldValue, listHeldValues } from "../review.ts";
import type { IndicatorRouteDeps } from "./shared.ts";

/**
 * The review of implausible values: `GET /api/v1/data-values/held` lists the held values of the
 * schools in the reader's scope; `POST /api/v1/data-values/held/decisions` accepts or rejects
 * one. Both need `indicators.review` (users above the school: no school role holds it).
 */
export function registerHeldValuesRoutes(app: FastifyInstance, { db }: IndicatorRouteDeps): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.get(
    "/api/v1/data-values/held",
    {
      // Holders anywhere; the list keeps the schools inside their scope.
      config: { access: { permission: "indicators.review" } },
      schema: {
        tags: ["observatoire"],
        summary: "Les valeurs retenues pour vérification (invraisemblables), dans mon périmètre",
        response: { 200: heldValuesResponse, 401: apiErrorSchema, 403: apiErrorSchema },
      },
    },
    async (req) => listHeldValues(db, req.principal),
  );

  typed.post(
    "/api/v1/data-values/held/decisions",
    {
      config: {
        access: {
          permission: "indicators.review",
          // The school of the value: the reviewer's scope must contain it (404 when unknown).
          target: async (req): Promise<PermissionTarget | null> => {
            const uai = (req.body as z.output<typeof heldValueDecision>).uai.toUpperCase();
            const [school] = await findSchoolAncestries(db, [uai]);
            return school ? { kind: "school", school } : null;
          },
        },
      },
      schema: {
        tags: ["observatoire"],
        summary: "Accepter (publier) ou rejeter (supprimer) une valeur retenue pour vérification",
        body: heldValueDecision,
        response: {
          200: heldValueDecisionResponse,
          401: apiErrorSchema,
          403: apiErrorSchema,
          404: apiErrorSchema,
        },
      },
    },
    async (req) => {
      const { decision, ...key } = req.body;
      await decideHeldValue(db, key, decision, requestActor(req, "api"));
      const report = decision === "accept" ? await processPendingRollups(db) : null;
      return { decision, refreshMs: report?.ms ?? 0 };
    },
  );
}
