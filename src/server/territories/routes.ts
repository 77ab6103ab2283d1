import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { Kysely } from "kysely";
import { z } from "zod";
import {
  academy,
  apiError as apiErrorSchema,
  schoolDetail,
  schoolListQuery,
  schoolPage,
  territoryDetail,
  territoryLevel,
} from "../../contracts/territories.ts";
import { type Database, notFound } from "../platform/index.ts";
import { checkUai } from "./codes.ts";
import { getSchool, getTerritory, listAcademies, listSchools } from "./queries.ts";

/** HTTP routes of the territory browser and the schools directory (read-only, public: docs/identity.md). */
export function territoryRoutes(app: FastifyInstance, db: Kysely<Database>): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    "/api/v1/territories/academies",
    {
      config: { access: "public" },
      schema: {
        tags: ["territoires"],
        summary: "Les 30 académies et leur région académique",
        response: { 200: z.object({ items: z.array(academy) }) },
      },
    },
    async () => ({ items: await listAcademies(db) }),
  );

  r.get(
    "/api/v1/territories/:level/:code",
    {
      config: { access: "public" },
      schema: {
        tags: ["territoires"],
        summary: "Un territoire : ancêtres, enfants et effectifs",
        description: "Niveaux : nation (code FR), academicRegion, academy, department, district.",
        params: z.object({ level: territoryLevel, code: z.string().max(64) }),
        response: { 200: territoryDetail, 404: apiErrorSchema },
      },
    },
    async (req) => {
      const t = await getTerritory(db, req.params.level, req.params.code);
      if (!t) throw notFound(`Territoire inconnu : ${req.params.code}`);
      return t;
    },
  );

  r.get(
    "/api/v1/territories/:level/:code/children",
    {
      config: { access: "public" },
      schema: {
        tags: ["territoires"],
        summary: "Les territoires enfants d'un territoire",
        params: z.object({ level: territoryLevel, code: z.string().max(64) }),
        response: { 200: z.object({ items: territoryDetail.shape.children }), 404: apiErrorSchema },
      },
    },
    async (req) => {
      const t = await getTerritory(db, req.params.level, req.params.code);
      if (!t) throw notFound(`Territoire inconnu : ${req.params.code}`);
      return { items: t.children };
    },
  );

  r.get(
    "/api/v1/schools",
    {
      config: { access: "public" },
      schema: {
        tags: ["établissements"],
        summary: "Recherche d'établissements (filtres, pagination)",
        querystring: schoolListQuery,
        response: { 200: schoolPage },
      },
    },
    async (req) => listSchools(db, req.query),
  );

  r.get(
    "/api/v1/schools/:uai",
    {
      config: { access: "public" },
      schema: {
        tags: ["établissements"],
        summary: "Fiche d'un établissement",
        params: z.object({ uai: z.string().max(32) }),
        response: { 200: schoolDetail, 404: apiErrorSchema },
      },
    },
    async (req) => {
      const check = checkUai(req.params.uai);
      if (!check.ok) throw notFound(`Établissement introuvable : ${check.reason}.`);
      const school = await getSchool(db, check.uai);
      if (!school) throw notFound(`Aucun établissement ne porte l'UAI ${check.uai}.`);
      return school;
    },
  );
}
