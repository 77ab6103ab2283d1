import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { Kysely } from "kysely";
import { z } from "zod";
import {
  indicatorDashboard as dashboardSchema,
  indicatorList,
  keyIndicators as keyIndicatorsSchema,
  parseNodeKey,
  type ValuesResponse,
  valuesQuery,
  valuesResponse,
} from "../../contracts/indicators.ts";
import { apiError as apiErrorSchema } from "../../contracts/territories.ts";
import { requestActor, requirePermission } from "../identity/index.ts";
import { type Database, notFound, recordAudit } from "../platform/index.ts";
import { dataValuesBody, writeApiValues } from "./api-write.ts";
import { getCatalogue } from "./catalogue.ts";
import { processPendingRollups, settleRollups } from "./engine.ts";
import { valuesCsv, valuesTableSchema, valuesXlsx } from "./exports.ts";
import { loadThresholds, protectAggregates, saveThresholds } from "./protect.ts";
import type { RoadmapLinks } from "./roadmap-links.ts";
import {
  indicatorDashboard,
  indicatorValues,
  keyIndicators,
  listIndicators,
  ObservatoryError,
  type ValuesInput,
} from "./service.ts";

/** HTTP routes of the observatory (docs/indicator-api.md). Reads are public and confidentiality-safe. */
export function indicatorRoutes(app: FastifyInstance, db: Kysely<Database>, roadmaps: RoadmapLinks): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  // A roll-up started in the background (after an Annuaire import) ends before the database closes.
  app.addHook("onClose", async () => settleRollups(db));
  const territoryOf = (raw: string) => {
    const key = parseNodeKey(raw);
    if (!key)
      throw new ObservatoryError(
        400,
        `Paramètre « territory » invalide : « ${raw} » (attendu niveau:code, ex. academy:16).`,
      );
    return key;
  };
  const valuesInput = (q: z.output<typeof valuesQuery>): ValuesInput => ({
    territory: territoryOf(q.territory),
    period: q.period,
    group: q.group,
    disaggregation: q.disaggregation,
    children: q.children,
  });
  const code = z.object({ code: z.string().max(80) });

  r.get(
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

  r.get(
    "/api/v1/indicators/:code/values",
    {
      config: { access: "public" },
      schema: {
        tags: ["observatoire"],
        summary: "Valeurs d'un indicateur pour un territoire (et ses enfants), avec couverture et statut",
        description:
          "Le public ne reçoit que les valeurs publiables ; une cellule masquée porte son statut (secret statistique) et sa raison.",
        params: code,
        querystring: valuesQuery,
        response: { 200: valuesResponse, 400: apiErrorSchema, 404: apiErrorSchema },
      },
    },
    async (req) => {
      return await indicatorValues(db, req.principal, req.params.code, valuesInput(req.query));
    },
  );

  const exportQuery = valuesQuery.omit({ children: true });
  // The territory and its children as a file: CSV (;, UTF-8 with BOM) or XLSX, same columns.
  const formats = {
    csv: {
      type: "text/csv; charset=utf-8",
      label: "CSV (;, UTF-8 avec BOM)",
      body: async (d: ValuesResponse) => valuesCsv(d),
    },
    xlsx: {
      type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      label: "XLSX",
      body: valuesXlsx,
    },
  } as const;
  for (const [extension, format] of Object.entries(formats)) {
    r.get(
      `/api/v1/indicators/:code/values.${extension}`,
      {
        config: { access: "public" },
        schema: {
          tags: ["observatoire"],
          summary: `Export ${format.label} d'un territoire et de ses enfants`,
          params: code,
          querystring: exportQuery,
        },
      },
      async (req, reply) => {
        const data = await indicatorValues(
          db,
          req.principal,
          req.params.code,
          valuesInput({ ...req.query, children: true }),
        );
        return reply
          .type(format.type)
          .header(
            "content-disposition",
            `attachment; filename="${req.params.code}-${data.period}.${extension}"`,
          )
          .send(await format.body(data));
      },
    );
  }

  r.get(
    "/api/v1/indicators/:code/values.schema.json",
    {
      config: { access: "public" },
      schema: {
        tags: ["observatoire"],
        summary: "Description Table Schema des exports CSV et JSON",
        params: code,
      },
    },
    async (req) => {
      const indicator = (await getCatalogue()).indicators.get(req.params.code);
      if (!indicator) throw notFound(`Indicateur inconnu : « ${req.params.code} ».`);
      return valuesTableSchema(indicator);
    },
  );

  r.get(
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
          territory: territoryOf(req.query.territory),
          period: req.query.period,
          group: req.query.group,
        },
        roadmaps,
      );
    },
  );

  const periodQuery = z.object({ period: z.string().max(20).optional() });
  r.get(
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
        response: { 200: keyIndicatorsSchema, 404: apiErrorSchema },
      },
    },
    async (req) => {
      return await keyIndicators(
        db,
        req.principal,
        { level: req.params.level, code: req.params.code },
        req.query.period,
        roadmaps,
      );
    },
  );

  r.get(
    "/api/v1/schools/:uai/indicators",
    {
      config: { access: "public" },
      schema: {
        tags: ["observatoire"],
        summary: "Les indicateurs d'un établissement (ses propres valeurs pour ses utilisateurs)",
        params: z.object({ uai: z.string().max(16) }),
        querystring: periodQuery,
        response: { 200: keyIndicatorsSchema, 404: apiErrorSchema },
      },
    },
    async (req) => {
      return await keyIndicators(
        db,
        req.principal,
        { level: "school", code: req.params.uai },
        req.query.period,
        roadmaps,
      );
    },
  );

  r.post(
    "/api/v1/data-values",
    {
      // Holders of indicators.write anywhere; each line's school must be inside their scope.
      config: { access: { permission: "indicators.write" } },
      schema: {
        tags: ["observatoire"],
        summary: "Enregistrer des valeurs d'établissements (source : API), puis mettre à jour les agrégats",
        body: dataValuesBody,
        response: {
          200: z.object({ written: z.number().int(), refreshMs: z.number().int() }),
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
        summary: { written: result.written, academies: result.academies },
      });
      const report = await processPendingRollups(db);
      return { written: result.written, refreshMs: report?.ms ?? 0 };
    },
  );

  const thresholdsBody = z.object({
    minUnits: z.number().int().min(1).max(100),
    minPeople: z.number().int().min(1).max(1000),
    dominanceShare: z.number().gt(0.5).max(1),
  });
  r.get(
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
  r.put(
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
