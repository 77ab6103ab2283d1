import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { Kysely } from "kysely";
import { z } from "zod";
import {
  createCheckpointBody,
  createRoadmapBody,
  roadmapCheckpointDto,
  roadmapDetail,
  roadmapList,
  templateDetail,
  updateRoadmapBody,
} from "../../contracts/roadmaps-api.ts";
import { apiError as apiErrorSchema } from "../../contracts/territories.ts";
import { requestActor } from "../identity/index.ts";
import { type Database, invalid } from "../platform/index.ts";
import { addCheckpoint, listCheckpoints } from "./checkpoints.ts";
import { exportRoadmap, getRoadmap, getTemplate, listRoadmaps } from "./read.ts";
import {
  createRoadmap,
  deleteRoadmap,
  importRoadmap,
  publishRoadmap,
  unpublishRoadmap,
  updateRoadmap,
} from "./write.ts";

/**
 * `/api/v1/roadmaps…` (docs/roadmaps.md). Reading is public (published roadmaps and the
 * templates; drafts for the users of their territory); writing needs `roadmaps.manage` on the
 * roadmap's territory, checked by the use cases once the territory is known.
 */

const YAML_TYPES = ["text/yaml", "application/yaml", "application/x-yaml", "text/x-yaml"];

const errorBody = z.object({
  error: z.string(),
  message: z.string(),
  details: z.array(z.string()).optional(),
});
const idParams = z.object({ id: z.string().min(1).max(120).describe("Identifiant numérique ou slug") });
const errors = {
  400: errorBody,
  401: apiErrorSchema,
  403: apiErrorSchema,
  404: apiErrorSchema,
  409: apiErrorSchema,
};

function writer(req: FastifyRequest) {
  return { principal: req.principal ?? null, actor: requestActor(req, "api") };
}

export function roadmapRoutes(app: FastifyInstance, db: Kysely<Database>): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  // A YAML body arrives as text (import).
  app.addContentTypeParser(
    YAML_TYPES,
    { parseAs: "string", bodyLimit: 5 * 1024 * 1024 },
    (_req, body, done) => done(null, body),
  );
  const tags = ["feuilles de route"];
  const manage = { permission: "roadmaps.manage" as const };

  r.get(
    "/api/v1/roadmaps",
    {
      config: { access: "public" },
      schema: {
        tags,
        summary: "Feuilles de route et modèles",
        description:
          "Les feuilles de route publiées, les brouillons des territoires de l'utilisateur connecté, et les cinq modèles tirés des documents stratégiques.",
        response: { 200: roadmapList },
      },
    },
    async (req) => listRoadmaps(db, req.principal ?? null),
  );

  r.get(
    "/api/v1/roadmaps/templates/:templateId",
    {
      config: { access: "public" },
      schema: {
        tags,
        summary: "Un modèle de feuille de route, avec l'état de ses objectifs",
        params: z.object({ templateId: z.string().min(1).max(120) }),
        response: { 200: templateDetail, 404: apiErrorSchema },
      },
    },
    async (req) => getTemplate(db, req.principal ?? null, req.params.templateId),
  );

  r.post(
    "/api/v1/roadmaps",
    {
      config: { access: manage },
      schema: {
        tags,
        summary: "Créer une feuille de route (vierge ou depuis un modèle), en brouillon",
        description:
          "Permission roadmaps.manage sur le territoire. Depuis un modèle, les objectifs du territoire du modèle (ou hors du nouveau territoire) portent sur le nouveau territoire.",
        body: createRoadmapBody,
        response: { 201: roadmapDetail, ...errors },
      },
    },
    async (req, reply) => reply.code(201).send(await createRoadmap(db, writer(req), req.body)),
  );

  r.post(
    "/api/v1/roadmaps/import",
    {
      config: { access: manage },
      schema: {
        tags,
        summary: "Importer une feuille de route en YAML (brouillon)",
        description:
          "Corps text/yaml, ou formulaire multipart avec un champ `file`. `territoire` (niveau:code) reporte la feuille de route sur un autre territoire. Une erreur nomme le chemin YAML et la raison ; rien n'est enregistré.",
        consumes: ["text/yaml", "multipart/form-data"],
        querystring: z.object({ territoire: z.string().min(1).optional() }),
        response: { 201: roadmapDetail, ...errors },
      },
    },
    async (req, reply) => {
      let text: string;
      let fileName = "import.yaml";
      if (req.isMultipart()) {
        const file = await req.file().catch(() => undefined);
        if (!file) throw invalid("Aucun fichier reçu : joignez un fichier YAML.", "no_file");
        text = (await file.toBuffer()).toString("utf8");
        fileName = file.filename || fileName;
      } else if (typeof req.body === "string") {
        text = req.body;
      } else {
        throw invalid(
          "Envoyez la feuille de route en YAML (Content-Type: text/yaml) ou en fichier.",
          "no_file",
        );
      }
      if (text.trim() === "") throw invalid("Le fichier YAML est vide.", "empty_file");
      return reply
        .code(201)
        .send(
          await importRoadmap(db, writer(req), { yaml: text, fileName, territory: req.query.territoire }),
        );
    },
  );

  r.get(
    "/api/v1/roadmaps/:id",
    {
      config: { access: "public" },
      schema: {
        tags,
        summary: "Une feuille de route : arbre, état de chaque objectif et de chaque niveau, points d'étape",
        params: idParams,
        response: { 200: roadmapDetail, 404: apiErrorSchema },
      },
    },
    async (req) => getRoadmap(db, req.principal ?? null, req.params.id),
  );

  r.put(
    "/api/v1/roadmaps/:id",
    {
      config: { access: manage },
      schema: {
        tags,
        summary: "Enregistrer l'arbre complet d'une feuille de route (contrôle de version)",
        description:
          "`version` est celle qui a été lue : si la feuille de route a été enregistrée depuis, 409 et rien n'est écrit.",
        params: idParams,
        body: updateRoadmapBody,
        response: { 200: roadmapDetail, ...errors },
      },
    },
    async (req) =>
      updateRoadmap(db, writer(req), req.params.id, {
        version: req.body.version,
        document: req.body.document,
      }),
  );

  r.delete(
    "/api/v1/roadmaps/:id",
    {
      config: { access: manage },
      schema: {
        tags,
        summary: "Supprimer une feuille de route et ses points d'étape",
        params: idParams,
        response: { 204: z.undefined().describe("Supprimée"), ...errors },
      },
    },
    async (req, reply) => {
      await deleteRoadmap(db, writer(req), req.params.id);
      return reply.code(204).send();
    },
  );

  r.post(
    "/api/v1/roadmaps/:id/publish",
    {
      config: { access: manage },
      schema: {
        tags,
        summary: "Publier une feuille de route (visible de tous)",
        params: idParams,
        response: { 200: roadmapDetail, ...errors },
      },
    },
    async (req) => publishRoadmap(db, writer(req), req.params.id),
  );

  r.post(
    "/api/v1/roadmaps/:id/unpublish",
    {
      config: { access: manage },
      schema: {
        tags,
        summary: "Dépublier une feuille de route (retour au brouillon)",
        params: idParams,
        response: { 200: roadmapDetail, ...errors },
      },
    },
    async (req) => unpublishRoadmap(db, writer(req), req.params.id),
  );

  r.get(
    "/api/v1/roadmaps/:id/export.yaml",
    {
      config: { access: "public" },
      schema: {
        tags,
        summary: "Exporter une feuille de route en YAML",
        params: idParams,
        produces: ["text/yaml"],
        response: { 200: z.string().describe("Le fichier YAML"), 404: apiErrorSchema },
      },
    },
    async (req, reply) => {
      const { slug, yaml } = await exportRoadmap(db, req.principal ?? null, req.params.id);
      return reply
        .type("text/yaml; charset=utf-8")
        .header("content-disposition", `attachment; filename="${slug}.yaml"`)
        .send(yaml);
    },
  );

  r.get(
    "/api/v1/roadmaps/:id/checkpoints",
    {
      config: { access: "public" },
      schema: {
        tags,
        summary: "Points d'étape d'une feuille de route",
        params: idParams,
        response: { 200: z.object({ items: z.array(roadmapCheckpointDto) }), 404: apiErrorSchema },
      },
    },
    async (req) => ({ items: await listCheckpoints(db, req.principal ?? null, req.params.id) }),
  );

  r.post(
    "/api/v1/roadmaps/:id/checkpoints",
    {
      config: { access: manage },
      schema: {
        tags,
        summary: "Ajouter un point d'étape : fige la valeur et l'état de chaque objectif",
        params: idParams,
        body: createCheckpointBody,
        response: { 201: roadmapCheckpointDto, ...errors },
      },
    },
    async (req, reply) => reply.code(201).send(await addCheckpoint(db, writer(req), req.params.id, req.body)),
  );
}
