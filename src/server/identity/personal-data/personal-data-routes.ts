import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { Kysely } from "kysely";
import { z } from "zod";
import {
  closeRequestBody,
  deletionRequestBody,
  deletionRequestResponse,
  myData,
  personalDataRequest,
  personalDataRequestList,
  privacyContacts,
} from "../../../contracts/personal-data.ts";
import { apiError as apiErrorSchema } from "../../../contracts/territories.ts";
import { type Config, csvDocument, type Database, unauthenticated } from "../../platform/index.ts";
import { parisDay } from "../audit/audit-routes.ts";
import { requestActor } from "../sessions/session-user.ts";
import {
  closeRequest,
  collectMyData,
  listRequests,
  myDataCsvRows,
  requestDeletion,
} from "./personal-data.ts";

export const DELETION_REQUESTED_MESSAGE =
  "Votre demande de suppression de compte est enregistrée. Un administrateur national la traitera dans un délai d'un mois au plus, comme le prévoit le RGPD ; votre compte, vos rôles et vos sessions seront alors supprimés, et votre adresse retirée du journal d'audit.";
export const DELETION_ALREADY_REQUESTED_MESSAGE =
  "Une demande de suppression de votre compte est déjà en cours : elle sera traitée dans un délai d'un mois au plus.";

/** « Mes données » (any signed-in user, about themselves) and the requests' handling (national administrators). */
export function personalDataRoutes(
  app: FastifyInstance,
  db: Kysely<Database>,
  config: Pick<Config, "privacyContacts">,
): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    "/api/v1/privacy/contacts",
    {
      config: { access: "public" },
      schema: {
        tags: ["données personnelles"],
        summary: "Responsable de traitement et délégué à la protection des données de cette instance",
        description:
          "Valeurs de VIGIE_CONTROLLER et VIGIE_DPO_CONTACT ; null quand elles ne sont pas configurées.",
        response: { 200: privacyContacts },
      },
    },
    async () => config.privacyContacts,
  );

  r.get(
    "/api/v1/me/data",
    {
      config: { access: "authenticated" },
      schema: {
        tags: ["données personnelles"],
        summary: "Mes données : tout ce que Vigie conserve sur mon compte (JSON)",
        description:
          "Compte, rôles, sessions (sans leurs jetons), événements du journal d'audit faits par moi ou portant sur mon compte, mes demandes. Jamais de mot de passe, d'empreinte ni de jeton.",
        response: { 200: myData, 401: apiErrorSchema },
      },
    },
    async (req, reply) => {
      reply.header("cache-control", "no-store");
      // The access rule guarantees a signed-in user: principal and session are set.
      const userId = req.principal?.userId ?? "";
      return collectMyData(db, userId, req.userSession?.idHash ?? null);
    },
  );

  r.get(
    "/api/v1/me/data.csv",
    {
      config: { access: "authenticated" },
      schema: {
        tags: ["données personnelles"],
        summary: "Mes données, en un fichier CSV",
        description:
          "Colonnes stables : section (account, role, session, request, audit_event), id, occurred_at, label, details (JSON). Séparateur « ; », UTF-8 avec BOM.",
        produces: ["text/csv"],
        response: { 200: z.string().describe("Le fichier CSV"), 401: apiErrorSchema },
      },
    },
    async (req, reply) => {
      const data = await collectMyData(db, req.principal?.userId ?? "", req.userSession?.idHash ?? null);
      const { header, rows } = myDataCsvRows(data);
      return reply
        .type("text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="mes-donnees-vigie-${parisDay()}.csv"`)
        .header("cache-control", "no-store")
        .send(csvDocument(header, rows));
    },
  );

  r.post(
    "/api/v1/me/deletion-request",
    {
      config: { access: "authenticated" },
      schema: {
        tags: ["données personnelles"],
        summary: "Demander la suppression de mon compte",
        description:
          "Enregistre la demande (une seule en cours à la fois) pour un administrateur national, qui supprime alors le compte.",
        body: deletionRequestBody,
        response: { 201: deletionRequestResponse, 200: deletionRequestResponse, 401: apiErrorSchema },
      },
    },
    async (req, reply) => {
      const principal = req.principal;
      if (!principal) throw unauthenticated("Connectez-vous.");
      const { request, created } = await requestDeletion(
        db,
        { id: principal.userId, email: principal.email },
        req.body.message || null,
        requestActor(req, "form"),
      );
      return reply.code(created ? 201 : 200).send({
        request,
        created,
        message: created ? DELETION_REQUESTED_MESSAGE : DELETION_ALREADY_REQUESTED_MESSAGE,
      });
    },
  );

  r.get(
    "/api/v1/personal-data-requests",
    {
      // National administrators only: the permission they alone hold (docs/identity.md).
      config: { access: { permission: "settings.manage" } },
      schema: {
        tags: ["données personnelles"],
        summary: "Les demandes de données personnelles (administrateur national)",
        querystring: z.object({ status: z.enum(["open", "closed", "all"]).default("open") }),
        response: { 200: personalDataRequestList, 401: apiErrorSchema, 403: apiErrorSchema },
      },
    },
    async (req) => ({ items: await listRequests(db, req.query.status) }),
  );

  r.post(
    "/api/v1/personal-data-requests/:requestId/close",
    {
      config: { access: { permission: "settings.manage" } },
      schema: {
        tags: ["données personnelles"],
        summary: "Traiter une demande : supprimer le compte (done) ou refuser (refused)",
        description:
          "done sur une demande de suppression : supprime le compte, ses rôles, ses sessions et ses liens, et remplace son adresse par « compte supprimé n° … » dans le journal d'audit. Le dernier administrateur national actif ne peut pas être supprimé (409).",
        params: z.object({ requestId: z.string().regex(/^\d{1,18}$/) }),
        body: closeRequestBody,
        response: { 200: personalDataRequest, 404: apiErrorSchema, 409: apiErrorSchema },
      },
    },
    async (req) =>
      closeRequest(
        db,
        req.params.requestId,
        req.body.decision,
        req.body.reason || null,
        requestActor(req, "form"),
      ),
  );
}
