import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { indicatorDashboard as dashboardSchema, valuesQuery } from "../../../contracts/indicators.ts";
import { apiError as apiErrorSchema } from "../../../contracts/territories.ts";
import { indicatorDashboard } from "../service.ts";
import { code, type IndicatorRouteDeps } from "./shared.ts";

/** `GET /api/v1/indicators/:code/dashboard`: everything an indicator's page shows. */
export function registerDashboardRoutes(app: FastifyInstance, { db, roadmaps }: IndicatorRouteDeps): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    "/api/v1/indicators/:code/dashboard",
    {
      config: { access: "public" },
      schema: {
        tags: ["observatoire"],
        summary: "Tout ce que montre la page d'un indicateur : valeur, comparaisons, série, enfants",
        params: code,
        querystring: valuesQuery.omit({ children: true, disaggregation: true }),
        response: { 200: dashboardSchema, 400: apiErrorSchema, 404: apiErrorSchema },
      },
    },
    async (req) => {
      return await indicatorDashboard(
        db,
        req.principal,
        req.params.code,
        {
          territory: req.query.territory,
          period: req.query.period,
          group: req.query.group,
        },
        roadmaps,
      );
    },
  );
}
