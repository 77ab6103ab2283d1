import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { Kysely } from "kysely";
import { retentionSettings, retentionState } from "../../../contracts/personal-data.ts";
import { apiError as apiErrorSchema } from "../../../contracts/territories.ts";
import type { Database } from "../../platform/index.ts";
import { requestActor } from "../sessions/session-user.ts";
import { DEFAULT_RETENTION, getRetention, setRetention } from "./retention.ts";

/** `GET/PUT /api/v1/settings/retention` (`settings.manage`). */
export function retentionRoutes(app: FastifyInstance, db: Kysely<Database>): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  const state = async () => {
    const stored = await getRetention(db);
    return {
      settings: stored.settings,
      defaults: DEFAULT_RETENTION,
      updatedAt: stored.updatedAt?.toISOString() ?? null,
      updatedBy: stored.updatedBy,
    };
  };

  r.get(
    "/api/v1/settings/retention",
    {
      config: { access: { permission: "settings.manage" } },
      schema: {
        tags: ["données personnelles"],
        summary: "Durées de conservation des données personnelles, en jours",
        response: { 200: retentionState, 401: apiErrorSchema, 403: apiErrorSchema },
      },
    },
    state,
  );

  r.put(
    "/api/v1/settings/retention",
    {
      config: { access: { permission: "settings.manage" } },
      schema: {
        tags: ["données personnelles"],
        summary: "Modifier les durées de conservation (en jours)",
        description:
          "La purge quotidienne (et « vigie purge ») supprime ce qui dépasse ces durées. Journal d'audit : 30 jours au moins ; toutes : 3 650 jours au plus.",
        body: retentionSettings,
        response: { 200: retentionState, 400: apiErrorSchema, 401: apiErrorSchema, 403: apiErrorSchema },
      },
    },
    async (req) => {
      await setRetention(db, req.body, requestActor(req, "form"));
      return state();
    },
  );
}
