import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { Kysely } from "kysely";
import { z } from "zod";
import {
  competenceClasses,
  competencesQuery,
  competencesDashboard as dashboardSchema,
} from "../../contracts/competences.ts";
import { apiError as apiErrorSchema } from "../../contracts/territories.ts";
import type { Database } from "../platform/index.ts";
import { schoolClasses } from "./classes.ts";
import { competencesDashboard, type DashboardInput } from "./dashboard.ts";
import { dashboardCsv, dashboardXlsx } from "./exports.ts";

/**
 * The query once validated: the territory parameter has been read by its schema (`territoryParam`),
 * and the observatory resolves it (`resolveNodeKey`: 404 for a territory that does not exist).
 */
function input(q: {
  territory: string;
  period?: string | undefined;
  level: DashboardInput["level"];
}): DashboardInput {
  return { territory: q.territory, period: q.period, level: q.level };
}

export interface CompetencesDeps {
  db: Kysely<Database>;
}

const formats = {
  csv: {
    type: "text/csv; charset=utf-8",
    label: "CSV (;, UTF-8 avec BOM)",
    body: async (d: Parameters<typeof dashboardCsv>[0]) => dashboardCsv(d),
  },
  xlsx: {
    type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    label: "XLSX",
    body: dashboardXlsx,
  },
} as const;

/** `GET /api/v1/competences/dashboard` and its exports: public, confidentiality-safe like every observatory read. */
export function registerCompetencesRoutes(app: FastifyInstance, { db }: CompetencesDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    "/api/v1/competences/dashboard",
    {
      config: { access: "public" },
      schema: {
        tags: ["observatoire"],
        summary:
          "Compétences numériques (Pix) d'un territoire : chiffres clés, évolution et cartes de chaleur par compétence",
        querystring: competencesQuery,
        response: { 200: dashboardSchema, 400: apiErrorSchema, 404: apiErrorSchema },
      },
    },
    async (req) => competencesDashboard(db, req.principal, input(req.query)),
  );
  r.get(
    "/api/v1/competences/schools/:uai/classes",
    {
      // The school's own staff and the people whose role covers it: checked against the school.
      config: { access: "authenticated" },
      schema: {
        tags: ["observatoire"],
        summary:
          "Compétences numériques d'un établissement, classe par classe (réservé à son équipe et à son territoire)",
        params: z.object({ uai: z.string().min(1).max(16) }),
        querystring: z.object({ period: z.string().max(20).optional() }),
        response: { 200: competenceClasses, 401: apiErrorSchema, 403: apiErrorSchema, 404: apiErrorSchema },
      },
    },
    async (req) => schoolClasses(db, req.principal, req.params.uai, req.query.period),
  );
  for (const [extension, format] of Object.entries(formats)) {
    r.get(
      `/api/v1/competences/dashboard.${extension}`,
      {
        config: { access: "public" },
        schema: {
          tags: ["observatoire"],
          summary: `Export ${format.label} du tableau de bord des compétences numériques`,
          querystring: competencesQuery,
        },
      },
      async (req, reply) => {
        const data = await competencesDashboard(db, req.principal, input(req.query));
        const name = `competences-${data.territory.level}-${data.territory.code}-${data.period}.${extension}`;
        return reply
          .type(format.type)
          .header("content-disposition", `attachment; filename="${name}"`)
          .send(await format.body(data));
      },
    );
  }
}
