import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { Kysely } from "kysely";
import { z } from "zod";
import { apiError } from "../../../contracts/territories.ts";
import {
  usageBatchAnswer,
  usageBatchBody,
  usageBatchId,
  usageToken,
  usageTokenCreateBody,
  usageTokenCreated,
} from "../../../contracts/usage.ts";
import { requestActor } from "../../identity/index.ts";
import { processPendingRollups } from "../../indicators/index.ts";
import { type Database, invalid, unauthenticated } from "../../platform/index.ts";
import { jsonRows, receiveUsageBatch } from "./batches.ts";
import { csvBatch } from "./csv.ts";
import {
  authenticateUsageToken,
  createUsageToken,
  listUsageTokens,
  revokeUsageToken,
  type TokenHolder,
} from "./tokens.ts";

/**
 * The usage API (docs/imports.md, « API d'usage des fournisseurs »): `POST
 * /api/v1/usage/batches`, authenticated by a provider's bearer token (access rule `token`: the
 * session plays no part), and the national administrator's token routes (`settings.manage`).
 */

/** A batch of 100 000 rows in JSON is about 10 MB; CSV less. */
const BATCH_BODY_LIMIT = 32 * 1024 * 1024;
const CSV_TYPES = ["text/csv", "application/csv"];

const holders = new WeakMap<FastifyRequest, TokenHolder>();

async function authenticate(db: Kysely<Database>, req: FastifyRequest): Promise<void> {
  const header = req.headers.authorization ?? "";
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  const holder = match ? await authenticateUsageToken(db, match[1] as string) : null;
  if (!holder) {
    throw unauthenticated(
      "Jeton de fournisseur manquant, inconnu ou révoqué : envoyez l'en-tête « Authorization: Bearer <jeton> » du jeton remis par l'administration nationale.",
    );
  }
  holders.set(req, holder);
}

export function registerUsageApiRoutes(app: FastifyInstance, db: Kysely<Database>): void {
  // Scoped: the CSV parser serves the batches route only.
  app.register(async (scoped) => {
    scoped.addContentTypeParser(
      CSV_TYPES,
      { parseAs: "string", bodyLimit: BATCH_BODY_LIMIT },
      (_req, body, done) => done(null, body),
    );
    batchRoute(scoped, db);
  });
  tokenRoutes(app, db);
}

function batchRoute(app: FastifyInstance, db: Kysely<Database>): void {
  app.withTypeProvider<ZodTypeProvider>().post(
    "/api/v1/usage/batches",
    {
      config: { access: "token" },
      bodyLimit: BATCH_BODY_LIMIT,
      // The token is checked before the body is read: no upload without a valid token.
      onRequest: async (req) => authenticate(db, req),
      schema: {
        tags: ["imports"],
        summary: "Envoyer un lot de statistiques d'usage (fournisseur d'ENT ou de ressources)",
        description:
          "Authentification : `Authorization: Bearer <jeton>` (jeton de fournisseur). Corps JSON `{ batchId, rows: [{ uai, date, service, profile, measure, value }] }`, ou CSV (`text/csv`, en-tête `uai;date;service;profile;measure;value`, séparateur `;`, `,` ou tabulation) avec l'identifiant du lot dans l'en-tête `X-Batch-Id` ou le paramètre `batchId`. Un lot est reçu une fois par (fournisseur, identifiant) : renvoyé, il est acquitté (`alreadyReceived: true`) sans rien écrire. Les lignes d'un établissement inconnu ou hors des territoires du jeton sont refusées avec la raison.",
        querystring: z.object({ batchId: usageBatchId.optional() }),
        body: z.union([usageBatchBody, z.string()]),
        response: { 200: usageBatchAnswer, 400: apiError, 401: apiError, 413: apiError },
      },
    },
    async (req) => {
      const holder = holders.get(req) as TokenHolder;
      const batch =
        typeof req.body === "string"
          ? csvBatch(req.body, batchIdOf(req.headers["x-batch-id"], req.query.batchId))
          : { batchId: req.body.batchId, rows: jsonRows(req.body.rows) };
      const received = await receiveUsageBatch(db, holder, batch);
      if (received.wrote) {
        // The dashboards follow within seconds; the provider does not wait for the roll-up.
        processPendingRollups(db).catch((err: unknown) =>
          req.log.error({ err }, "consolidation après un lot d'usage"),
        );
      }
      return received.answer;
    },
  );
}

function batchIdOf(header: string | string[] | undefined, query: string | undefined): string {
  const raw = (Array.isArray(header) ? header[0] : header) ?? query;
  const parsed = usageBatchId.safeParse(raw ?? "");
  if (!parsed.success) {
    throw invalid(
      raw
        ? `Identifiant de lot « ${raw} » refusé : lettres, chiffres et . _ - : @ / seulement, 200 caractères au plus.`
        : "Identifiant de lot manquant : en-tête « X-Batch-Id » ou paramètre « batchId ».",
      "invalid_batch_id",
    );
  }
  return parsed.data;
}

function tokenRoutes(app: FastifyInstance, db: Kysely<Database>): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const access = { permission: "settings.manage" as const };
  const tags = ["imports"];
  r.get(
    "/api/v1/usage/tokens",
    {
      config: { access },
      schema: {
        tags,
        summary: "Jetons des fournisseurs de statistiques d'usage (sans le jeton lui-même)",
        response: { 200: z.object({ tokens: z.array(usageToken) }) },
      },
    },
    async () => ({ tokens: await listUsageTokens(db) }),
  );
  r.post(
    "/api/v1/usage/tokens",
    {
      config: { access },
      schema: {
        tags,
        summary: "Créer le jeton d'un fournisseur, limité à des territoires (montré cette seule fois)",
        body: usageTokenCreateBody,
        response: { 201: usageTokenCreated, 400: apiError },
      },
    },
    async (req, reply) => {
      const created = await createUsageToken(db, req.body, requestActor(req, "api"));
      return reply.code(201).send(created);
    },
  );
  r.delete(
    "/api/v1/usage/tokens/:id",
    {
      config: { access },
      schema: {
        tags,
        summary: "Révoquer le jeton d'un fournisseur (ses envois suivants reçoivent 401)",
        params: z.object({ id: z.string() }),
        response: { 200: usageToken, 404: apiError },
      },
    },
    async (req) => revokeUsageToken(db, req.params.id, requestActor(req, "api")),
  );
}
