import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { indicatorList } from "../../../contracts/indicators.ts";
import { listIndicators } from "../service.ts";
import type { IndicatorRouteDeps } from "./shared.ts";

/** `GET /api/v1/indicators`: the catalogue (docs/indicator-api.md). */
export function registerCatalogueRoutes(app: FastifyInstance, { db }: IndicatorRouteDeps): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    "/api/v1/indicators",
    {
      config: { access: "public" },
      schema: {
        tags: ["observatoire"],
        summary: "Le catalogue des indicateurs (définition, formule, sources, périodes disponibles)",
        response: { 200: indicatorList },
      },
    },
    async () => ({ items: await listIndicators(db) }),
  );
}
