import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { requestActor } from "../../identity/index.ts";
import { recordAudit } from "../../platform/index.ts";
import { getCatalogue } from "../catalogue.ts";
import { loadThresholds, protectAggregates, saveThresholds } from "../protect.ts";
import type { IndicatorRouteDeps } from "./shared.ts";

/** `/api/v1/settings/confidentiality`: the thresholds of statistical confidentiality, read and changed. */
export function registerConfidentialityRoutes(app: FastifyInstance, deps: IndicatorRouteDeps): void {
  registerReadThresholds(app, deps);
  registerWriteThresholds(app, deps);
}

const thresholdsBody = z.object({
  minUnits: z.number().int().min(1).max(100),
  minPeople: z.number().int().min(1).max(1000),
  dominanceShare: z.number().gt(0.5).max(1),
});

function registerReadThresholds(app: FastifyInstance, { db }: IndicatorRouteDeps): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    "/api/v1/settings/confidentiality",
    {
      config: { access: "public" },
      schema: {
        tags: ["observatoire"],
        summary: "Seuils du secret statistique",
        response: { 200: thresholdsBody },
      },
    },
    async () => loadThresholds(db),
  );
}

function registerWriteThresholds(app: FastifyInstance, { db }: IndicatorRouteDeps): void {
  app.withTypeProvider<ZodTypeProvider>().put(
    "/api/v1/settings/confidentiality",
    {
      config: { access: { permission: "settings.manage" } },
      schema: {
        tags: ["observatoire"],
        summary: "Modifier les seuils du secret statistique (recalcule les statuts de toutes les cellules)",
        body: thresholdsBody,
        response: { 200: thresholdsBody.extend({ cellsChanged: z.number().int() }) },
      },
    },
    async (req) => {
      await saveThresholds(db, req.body, req.principal?.userId ?? null);
      const catalogue = await getCatalogue();
      const variants = await db
        .selectFrom("indicator_aggregate")
        .select(["indicator_code as code", "disaggregation"])
        .distinct()
        .execute();
      const summary = await protectAggregates(
        db,
        variants.filter((v) => catalogue.indicators.has(v.code)),
        null,
      );
      await recordAudit(db, requestActor(req, "form"), {
        action: "settings.confidentiality",
        entityType: "setting",
        entityId: "confidentiality",
        summary: { ...req.body, cellsChanged: summary.changed },
      });
      return { ...req.body, cellsChanged: summary.changed };
    },
  );
}
