import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { type ValuesResponse, valuesQuery, valuesResponse } from "../../../contracts/indicators.ts";
import { apiError as apiErrorSchema } from "../../../contracts/territories.ts";
import { notFound } from "../../platform/index.ts";
import { getCatalogue } from "../catalogue.ts";
import { valuesCsv, valuesTableSchema, valuesXlsx } from "../exports.ts";
import { indicatorValues } from "../service.ts";
import { code, type IndicatorRouteDeps, valuesInput } from "./shared.ts";

/** An indicator's values, as JSON or as a file (CSV, XLSX), and the Table Schema of the exports. */
export function registerValuesRoutes(app: FastifyInstance, deps: IndicatorRouteDeps): void {
  registerValuesJson(app, deps);
  registerValuesExports(app, deps);
  registerValuesTableSchema(app);
}

function registerValuesJson(app: FastifyInstance, { db }: IndicatorRouteDeps): void {
  app.withTypeProvider<ZodTypeProvider>().get(
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
}

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

function registerValuesExports(app: FastifyInstance, { db }: IndicatorRouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
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
}

function registerValuesTableSchema(app: FastifyInstance): void {
  app.withTypeProvider<ZodTypeProvider>().get(
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
}
