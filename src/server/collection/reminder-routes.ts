import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { Kysely } from "kysely";
import { z } from "zod";
import { outlierList, reminderHistory } from "../../contracts/collection-reminders.ts";
import { apiError as apiErrorSchema } from "../../contracts/territories.ts";
import { readNodeKey } from "../../contracts/territory-tree.ts";
import { conflict, type Database, DuplicateJobError, type JobRunner } from "../platform/index.ts";
import { type Caller, requireManage, territoryPathOf } from "./access.ts";
import { phaseOf, todayInFrance } from "./calendar.ts";
import { campaignRow } from "./campaigns.ts";
import { outlierList as listOutliers } from "./outlier-checks.ts";
import { enqueueCampaignReminders } from "./reminder-job.ts";
import { reminderHistory as readHistory } from "./reminders.ts";

/**
 * Reminders and outliers of a campaign (`/api/v1/collection/campaigns/:id/…`, docs/collection.md):
 * a DANE sends the reminders at once and reads their history; an approver lists the values far
 * from their peers'.
 */

export interface ReminderRouteDeps {
  db: Kysely<Database>;
  jobs: JobRunner;
}

const idParam = z.object({ id: z.string().min(1).max(20) });
const errors = { 400: apiErrorSchema, 401: apiErrorSchema, 403: apiErrorSchema, 404: apiErrorSchema };

/** The campaign, if the caller manages its territory. */
async function managedCampaign(db: Kysely<Database>, caller: Caller, id: string) {
  const campaign = await campaignRow(db, id);
  const read = readNodeKey(campaign.territory);
  const path = read.ok ? await territoryPathOf(db, read.node) : undefined;
  requireManage(caller, path, campaign.territory);
  return campaign;
}

export function registerReminderRoutes(app: FastifyInstance, deps: ReminderRouteDeps): void {
  const { db } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    "/api/v1/collection/campaigns/:id/reminders",
    {
      config: { access: { permission: "collection.manage" } },
      schema: {
        tags: ["collecte"],
        summary:
          "Relance tout de suite les établissements qui n'ont pas transmis (dans la limite de l'intervalle et du nombre de relances)",
        params: idParam,
        response: { 202: z.object({ jobId: z.string() }), ...errors, 409: apiErrorSchema },
      },
    },
    async (req, reply) => {
      const campaign = await managedCampaign(db, req.principal, req.params.id);
      const dates = {
        opensOn: campaign.opens_on,
        closesOn: campaign.closes_on,
        expiryDays: campaign.expiry_days,
      };
      const phase = phaseOf(dates, todayInFrance());
      if (phase === "upcoming" || phase === "locked")
        throw conflict(
          phase === "upcoming"
            ? "La campagne n'est pas encore ouverte : rien à relancer."
            : "La saisie de cette campagne est verrouillée : une relance ne servirait plus à rien.",
          "campaign_not_open",
        );
      try {
        const jobId = await enqueueCampaignReminders(
          deps.jobs,
          String(campaign.id),
          req.principal?.userId ?? null,
        );
        return reply.code(202).send({ jobId });
      } catch (err) {
        if (err instanceof DuplicateJobError)
          throw conflict(
            "Des relances de cette campagne sont déjà en cours d'envoi.",
            "reminders_in_progress",
          );
        throw err;
      }
    },
  );
  r.get(
    "/api/v1/collection/campaigns/:id/reminders",
    {
      config: { access: { permission: "collection.manage" } },
      schema: {
        tags: ["collecte"],
        summary: "Relances envoyées par jour, réglages des relances de la campagne",
        params: idParam,
        response: { 200: reminderHistory, ...errors },
      },
    },
    async (req) => readHistory(db, await managedCampaign(db, req.principal, req.params.id)),
  );
  r.get(
    "/api/v1/collection/campaigns/:id/outliers",
    {
      config: { access: { permission: "collection.approve" } },
      schema: {
        tags: ["collecte"],
        summary: "Valeurs atypiques des réponses transmises sous un territoire (score z modifié)",
        params: idParam,
        querystring: z.object({ territory: z.string().max(40).optional() }),
        response: { 200: outlierList, ...errors },
      },
    },
    async (req) => listOutliers(db, req.principal, req.params.id, req.query.territory),
  );
}
