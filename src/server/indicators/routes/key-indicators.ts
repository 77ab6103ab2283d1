import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { keyIndicators as keyIndicatorsSchema } from "../../../contracts/indicators.ts";
import { apiError as apiErrorSchema } from "../../../contracts/territories.ts";
import { nodeKey } from "../../territories/index.ts";
import { keyIndicators } from "../service.ts";
import type { IndicatorRouteDeps } from "./shared.ts";

/** The key indicators of a territory and of a school. */
export function registerKeyIndicatorRoutes(app: FastifyInstance, deps: IndicatorRouteDeps): void {
  registerTerritoryKeyIndicators(app, deps);
  registerSchoolKeyIndicators(app, deps);
}

const periodQuery = z.object({ period: z.string().max(20).optional() });

function registerTerritoryKeyIndicators(app: FastifyInstance, { db, roadmaps }: IndicatorRouteDeps): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    "/api/v1/territories/:level/:code/indicators",
    {
      config: { access: "public" },
      schema: {
        tags: ["observatoire"],
        summary: "Les indicateurs clés d'un territoire",
        params: z.object({
          level: z.enum(["nation", "academicRegion", "academy", "department", "district"]),
          code: z.string().max(64),
        }),
        querystring: periodQuery,
        response: { 200: keyIndicatorsSchema, 400: apiErrorSchema, 404: apiErrorSchema },
      },
    },
    async (req) => {
      return await keyIndicators(
        db,
        req.principal,
        nodeKey({ level: req.params.level, code: req.params.code }),
        req.query.period,
        roadmaps,
      );
    },
  );
}

function registerSchoolKeyIndicators(app: FastifyInstance, { db, roadmaps }: IndicatorRouteDeps): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    "/api/v1/schools/:uai/indicators",
    {
      config: { access: "public" },
      schema: {
        tags: ["observatoire"],
        summary: "Les indicateurs d'un établissement (ses propres valeurs pour ses utilisateurs)",
        params: z.object({ uai: z.string().max(16) }),
        querystring: periodQuery,
        response: { 200: keyIndicatorsSchema, 400: apiErrorSchema, 404: apiErrorSchema },
      },
    },
    async (req) => {
      return await keyIndicators(
        db,
        req.principal,
        nodeKey({ level: "school", code: req.params.uai }),
        req.query.period,
        roadmaps,
        "uai",
      );
    },
  );
}
