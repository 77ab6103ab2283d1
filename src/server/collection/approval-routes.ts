import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  approvalCommentBody,
  approvalOverview as approvalOverviewSchema,
  lockExceptionBody,
  lockExceptionResult,
  nodeApprovalBody,
  nodeApprovalResult,
  type ResponseActionName,
  responseApprovalResult,
  returnResponseBody,
} from "../../contracts/collection-approval.ts";
import { apiError as apiErrorSchema } from "../../contracts/territories.ts";
import { requestActor } from "../identity/index.ts";
import { ROLLUP_JOB } from "../indicators/index.ts";
import { approvalOverview } from "./approval-overview.ts";
import { grantLockException, stepNode, stepResponse } from "./approvals.ts";
import type { CollectionDeps } from "./routes.ts";

/**
 * Approval routes of a campaign (`/api/v1/collection/campaigns/:id/…`, docs/collection.md,
 * « Validation »). The route rule is `collection.approve` (every `collection.manage` holder has
 * it too); the scope is checked against the school or the territory by approvals.ts.
 */

const responseParams = z.object({ id: z.string().min(1).max(20), uai: z.string().min(1).max(16) });
const idParam = z.object({ id: z.string().min(1).max(20) });
const errors = {
  400: apiErrorSchema,
  401: apiErrorSchema,
  403: apiErrorSchema,
  404: apiErrorSchema,
  409: apiErrorSchema,
};
const access = { permission: "collection.approve" } as const;

const SUMMARIES: Readonly<Record<ResponseActionName, string>> = {
  approve: "Valide les réponses transmises d'un établissement (elles deviennent non modifiables)",
  unapprove:
    "Annule la validation des réponses d'un établissement, tant que le niveau au-dessus n'a pas validé",
  return: "Renvoie les réponses à l'établissement pour correction, avec un commentaire qu'il voit",
};

export function registerApprovalRoutes(app: FastifyInstance, deps: CollectionDeps): void {
  const { db } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const url = "/api/v1/collection/campaigns/:id/responses/:uai";
  for (const action of ["approve", "unapprove", "return"] as const)
    r.post(
      `${url}/${action}`,
      {
        config: { access },
        schema: {
          tags: ["collecte"],
          summary: SUMMARIES[action],
          params: responseParams,
          body: action === "return" ? returnResponseBody : approvalCommentBody,
          response: { 200: responseApprovalResult, ...errors },
        },
      },
      async (req) => {
        const body = (req.body ?? {}) as { comment?: string };
        const { rollup, ...outcome } = await stepResponse(
          db,
          req.principal,
          requestActor(req, "form"),
          req.params.id,
          req.params.uai,
          action,
          body.comment,
        );
        // Values written or taken back: the aggregates follow within seconds.
        if (rollup) await deps.jobs.enqueue(ROLLUP_JOB, {});
        return outcome;
      },
    );
  r.post(
    "/api/v1/collection/campaigns/:id/approvals",
    {
      config: { access },
      schema: {
        tags: ["collecte"],
        summary:
          "Valide ou annule la validation d'un territoire (tous ses établissements validés), accepte ou annule l'acceptation par le niveau au-dessus",
        params: idParam,
        body: nodeApprovalBody,
        response: { 200: nodeApprovalResult, ...errors },
      },
    },
    async (req) => stepNode(db, req.principal, requestActor(req, "form"), req.params.id, req.body),
  );
  r.get(
    "/api/v1/collection/campaigns/:id/approvals",
    {
      config: { access },
      schema: {
        tags: ["collecte"],
        summary:
          "État de la validation sous un territoire : chaque territoire et établissement, et ce que vous pouvez faire",
        params: idParam,
        querystring: z.object({ territory: z.string().max(40).optional() }),
        response: { 200: approvalOverviewSchema, ...errors },
      },
    },
    async (req) => approvalOverview(db, req.principal, req.params.id, req.query.territory),
  );
  r.post(
    `${url}/lock-exception`,
    {
      config: { access },
      schema: {
        tags: ["collecte"],
        summary:
          "Accorde à un établissement une exception au verrouillage : il peut saisir après le délai, jusqu'à une date",
        params: responseParams,
        body: lockExceptionBody,
        response: { 200: lockExceptionResult, ...errors },
      },
    },
    async (req) =>
      grantLockException(
        db,
        req.principal,
        requestActor(req, "form"),
        req.params.id,
        req.params.uai,
        req.body.until,
      ),
  );
}
