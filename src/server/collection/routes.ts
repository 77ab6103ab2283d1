import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { Kysely } from "kysely";
import { z } from "zod";
import {
  type CampaignStatus,
  type CampaignTemplate,
  campaignInput,
  campaignStatus as campaignStatusSchema,
  campaignSummary,
  RESPONSE_STATE_LABELS,
  responseView,
  saveResponseBody,
  saveResponseResult,
  templateSummary,
} from "../../contracts/collection.ts";
import { expandForm } from "../../contracts/collection-form.ts";
import { apiError as apiErrorSchema } from "../../contracts/territories.ts";
import { parseNodeKey } from "../../contracts/territory-tree.ts";
import { requestActor } from "../identity/index.ts";
import { csvDocument, type Database, type JobRunner } from "../platform/index.ts";
import { registerApprovalRoutes } from "./approval-routes.ts";
import { todayInFrance } from "./calendar.ts";
import { createCampaign } from "./campaigns.ts";
import { listCampaigns } from "./listing.ts";
import { saveResponse, submitResponse, viewResponse } from "./responses.ts";
import { rollupPacer } from "./rollup-pacer.ts";
import { campaignStatus } from "./status.ts";

export interface CollectionDeps {
  db: Kysely<Database>;
  jobs: JobRunner;
  templates: () => Promise<CampaignTemplate[]>;
}

const idParam = z.object({ id: z.string().min(1).max(20) });
const responseParams = idParam.extend({ uai: z.string().min(1).max(16) });
const statusQuery = z.object({ territory: z.string().max(40).optional() });
const errors = { 400: apiErrorSchema, 401: apiErrorSchema, 403: apiErrorSchema, 404: apiErrorSchema };

export function summarizeTemplate(t: CampaignTemplate) {
  return {
    code: t.code,
    title: t.title,
    description: t.description ?? null,
    periodKind: t.periodKind,
    fields: expandForm(t.form).length,
    rules: t.form.rules.length,
  };
}

function statusCsv(s: CampaignStatus): string {
  if (parseNodeKey(s.territory.key)?.level === "district") return schoolsCsv(s);
  const head = [
    "territoire",
    "code",
    "attendus",
    "commencés",
    "transmis",
    "validés",
    "à temps",
    "champs obligatoires renseignés (%)",
  ];
  const line = (r: CampaignStatus["total"]) => [
    r.label,
    r.key,
    String(r.expected),
    String(r.started),
    String(r.submitted),
    String(r.approved),
    String(r.onTime),
    percent(r.fieldsAnswered),
  ];
  return csvDocument(head, [...s.rows.map(line), line(s.total)]);
}

const percent = (share: number) => (share * 100).toFixed(1).replace(".", ",");

/** A district's schools, one line each with its response's state (the day submitted is Paris's). */
function schoolsCsv(s: CampaignStatus): string {
  const head = [
    "établissement",
    "UAI",
    "état",
    "transmise le",
    "à temps",
    "champs obligatoires renseignés (%)",
  ];
  const lines = s.rows.map((r) => [
    r.label,
    parseNodeKey(r.key)?.code ?? "",
    r.response ? RESPONSE_STATE_LABELS[r.response.state] : "",
    r.response?.submittedAt ? todayInFrance(new Date(r.response.submittedAt)) : "",
    r.submitted === 0 ? "" : r.onTime > 0 ? "oui" : "non",
    percent(r.fieldsAnswered),
  ]);
  return csvDocument(head, lines);
}

/** Campaigns (`/api/v1/collection/…`): templates, creation, completeness, a school's response. */
export function registerCollectionRoutes(app: FastifyInstance, deps: CollectionDeps): void {
  const { db } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    "/api/v1/collection/templates",
    {
      config: { access: { permission: "collection.manage" } },
      schema: {
        tags: ["collecte"],
        summary: "Modèles de campagne de collecte livrés avec Vigie",
        response: { 200: z.object({ items: z.array(templateSummary) }) },
      },
    },
    async () => ({ items: (await deps.templates()).map(summarizeTemplate) }),
  );
  r.get(
    "/api/v1/collection/campaigns",
    {
      config: { access: "authenticated" },
      schema: {
        tags: ["collecte"],
        summary:
          "Campagnes de collecte visibles : celles de vos territoires et celles qui interrogent vos établissements",
        response: { 200: z.object({ items: z.array(campaignSummary) }), 401: apiErrorSchema },
      },
    },
    async (req) => ({ items: await listCampaigns(db, req.principal) }),
  );
  r.post(
    "/api/v1/collection/campaigns",
    {
      config: { access: { permission: "collection.manage" } },
      schema: {
        tags: ["collecte"],
        summary: "Lance une campagne à partir d'un modèle, pour un territoire et une période",
        body: campaignInput,
        response: { 201: campaignSummary, ...errors },
      },
    },
    async (req, reply) => {
      const created = await createCampaign(
        db,
        await deps.templates(),
        req.body,
        req.principal,
        requestActor(req, "form"),
      );
      return reply.code(201).send(created);
    },
  );
  r.get(
    "/api/v1/collection/campaigns/:id/status",
    {
      config: { access: { permission: "collection.approve" } },
      schema: {
        tags: ["collecte"],
        summary: "Complétude et ponctualité d'une campagne sous un territoire, par territoire enfant",
        params: idParam,
        querystring: statusQuery,
        response: { 200: campaignStatusSchema, ...errors },
      },
    },
    async (req) => campaignStatus(db, req.principal, req.params.id, req.query.territory),
  );
  r.get(
    "/api/v1/collection/campaigns/:id/status.csv",
    {
      config: { access: { permission: "collection.approve" } },
      schema: {
        tags: ["collecte"],
        summary: "Complétude d'une campagne (CSV ;, UTF-8 avec BOM)",
        params: idParam,
        querystring: statusQuery,
      },
    },
    async (req, reply) => {
      const status = await campaignStatus(db, req.principal, req.params.id, req.query.territory);
      return reply
        .header("content-type", "text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="completude-campagne-${status.campaign.id}.csv"`)
        .send(statusCsv(status));
    },
  );
  registerResponseRoutes(app, deps);
  registerApprovalRoutes(app, deps);
}

function registerResponseRoutes(app: FastifyInstance, deps: CollectionDeps): void {
  const { db } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const url = "/api/v1/collection/campaigns/:id/responses/:uai";
  const pace = rollupPacer(deps.jobs);
  r.get(
    url,
    {
      // The school's respondents and the people who follow it: checked against the school.
      config: { access: "authenticated" },
      schema: {
        tags: ["collecte"],
        summary:
          "Réponse d'un établissement : formulaire, réponses, valeurs de l'an dernier, effectifs connus",
        params: responseParams,
        response: { 200: responseView, ...errors },
      },
    },
    async (req) => viewResponse(db, req.principal, req.params.id, req.params.uai),
  );
  r.put(
    url,
    {
      config: { access: { permission: "collection.respond" } },
      schema: {
        tags: ["collecte"],
        summary:
          "Enregistre le brouillon (sauvegarde automatique) ; renvoie les erreurs et avertissements des règles",
        params: responseParams,
        body: saveResponseBody,
        response: { 200: saveResponseResult, ...errors, 409: apiErrorSchema },
      },
    },
    async (req) =>
      saveResponse(db, req.principal, requestActor(req, "form"), req.params.id, req.params.uai, req.body),
  );
  r.post(
    `${url}/submit`,
    {
      config: { access: { permission: "collection.respond" } },
      schema: {
        tags: ["collecte"],
        summary:
          "Transmet les réponses : refusé tant qu'une erreur bloquante reste ; ensuite en lecture seule",
        params: responseParams,
        body: saveResponseBody,
        response: {
          200: saveResponseResult.extend({ valuesWritten: z.number().int(), fed: z.boolean() }),
          ...errors,
          409: apiErrorSchema,
          422: apiErrorSchema,
        },
      },
    },
    async (req) => {
      const outcome = await submitResponse(
        db,
        req.principal,
        requestActor(req, "form"),
        req.params.id,
        req.params.uai,
        req.body,
      );
      // The values are in the observatory: the aggregates follow within seconds.
      if (outcome.fed) pace();
      return outcome;
    },
  );
}
