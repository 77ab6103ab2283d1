import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { Kysely } from "kysely";
import { z } from "zod";
import { importMapping } from "../../../contracts/import-mapping.ts";
import { apiError as apiErrorSchema } from "../../../contracts/territories.ts";
import { requestActor } from "../../identity/index.ts";
import { getCatalogue } from "../../indicators/index.ts";
import type { Database } from "../../platform/index.ts";
import { IMPORT_PERMISSION } from "../framework/scope.ts";
import { deleteMapping, listMappings, saveMapping } from "./store.ts";

const savedMapping = z.object({ mapping: importMapping, updatedBy: z.string(), updatedAt: z.string() });
const catalogueElement = z.object({
  code: z.string(),
  name: z.string(),
  valueType: z.string(),
  disaggregations: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      options: z.array(z.object({ code: z.string(), name: z.string() })),
    }),
  ),
});

/** The school-level data elements a file can give, with their breakdowns and options. */
function catalogueElements(catalogue: Awaited<ReturnType<typeof getCatalogue>>) {
  const byCode = new Map(catalogue.raw.disaggregations.map((d) => [d.code, d]));
  return catalogue.raw.dataElements
    .filter((e) => e.collectedAt === "school")
    .map((e) => ({
      code: e.code,
      name: e.name,
      valueType: e.valueType,
      disaggregations: e.disaggregations.flatMap((code) => {
        const d = byCode.get(code);
        return d
          ? [{ code, name: d.name, options: d.options.map((o) => ({ code: o.code, name: o.name })) }]
          : [];
      }),
    }));
}

const nameParam = z.object({ name: z.string().min(1).max(120) });

/** The mapping profiles of the generic import: listed, saved and deleted by the people who may import. */
export function registerMappingRoutes(app: FastifyInstance, { db }: { db: Kysely<Database> }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    "/api/v1/imports/mappings",
    {
      config: { access: { permission: IMPORT_PERMISSION } },
      schema: {
        tags: ["imports"],
        summary: "Correspondances enregistrées de l'import de fichier quelconque",
        response: { 200: z.object({ items: z.array(savedMapping) }) },
      },
    },
    async () => ({
      items: (await listMappings(db)).map((m) => ({ ...m, updatedAt: m.updatedAt.toISOString() })),
    }),
  );
  r.get(
    "/api/v1/imports/mappings/elements",
    {
      config: { access: { permission: IMPORT_PERMISSION } },
      schema: {
        tags: ["imports"],
        summary: "Éléments de donnée du catalogue et leurs ventilations, pour l'écran de correspondance",
        response: { 200: z.object({ items: z.array(catalogueElement) }) },
      },
    },
    async () => ({ items: catalogueElements(await getCatalogue()) }),
  );
  r.put(
    "/api/v1/imports/mappings/:name",
    {
      config: { access: { permission: IMPORT_PERMISSION } },
      schema: {
        tags: ["imports"],
        summary:
          "Enregistre (ou remplace) une correspondance : colonne UAI, période, colonnes → éléments de donnée",
        params: nameParam,
        // Validated by saveMapping, which names every problem in French (not the framework's English).
        body: z.unknown(),
        response: { 200: importMapping, 400: apiErrorSchema },
      },
    },
    async (req) => {
      const body = { ...(req.body as Record<string, unknown>), name: req.params.name };
      return saveMapping(db, body, requestActor(req, "import"));
    },
  );
  r.delete(
    "/api/v1/imports/mappings/:name",
    {
      config: { access: { permission: IMPORT_PERMISSION } },
      schema: {
        tags: ["imports"],
        summary: "Supprime une correspondance enregistrée",
        params: nameParam,
        response: { 204: z.null(), 404: apiErrorSchema },
      },
    },
    async (req, reply) => {
      await deleteMapping(db, req.params.name, requestActor(req, "import"));
      return reply.code(204).send(null);
    },
  );
}
