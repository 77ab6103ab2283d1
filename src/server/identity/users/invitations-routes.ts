import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { Kysely } from "kysely";
import {
  acceptedMessage,
  type InvitationRequest,
  invitationRequest,
  invitationResponse,
  type MailDeliveryDto,
  passwordResetRequest,
} from "../../../contracts/invitations.ts";
import { apiError as apiErrorSchema } from "../../../contracts/territories.ts";
import { type Database, invalid, type JobRunner } from "../../platform/index.ts";
import { type PermissionTarget, parseScope, type RoleGrant, scopeNode } from "../permissions.ts";
import { requestActor } from "../sessions/session-user.ts";
import { inviteUser, requestPasswordReset } from "./invitations.ts";
import { jobDispatch, type MailDispatch } from "./mail-job.ts";
import { territoryPath } from "./scope-store.ts";
import { normalizeEmail } from "./users.ts";

/** Password-reset requests allowed per client address in `RESET_REQUEST_WINDOW`. */
export const RESET_REQUEST_LIMIT = 5;
export const RESET_REQUEST_WINDOW = "15 minutes";

/** The same answer whatever the address: whether an account exists is nobody's business. */
export const RESET_REQUEST_MESSAGE =
  "Si un compte actif correspond à cette adresse, un courriel contenant un lien pour choisir un nouveau mot de passe vient de lui être envoyé. Ce lien est valable une heure.";

const DELIVERY_MESSAGES: Record<MailDeliveryDto, string> = {
  sent: "Invitation envoyée par courriel.",
  logged:
    "Aucun serveur de messagerie n'est configuré : le courriel n'a pas été envoyé. Son texte et le lien figurent dans le journal du serveur, à transmettre vous-même.",
  failed:
    "L'invitation est enregistrée mais le courriel n'a pas pu être envoyé (serveur de messagerie injoignable ou refus). Renvoyez l'invitation plus tard.",
  queued:
    "L'invitation est enregistrée ; le serveur de messagerie n'a pas encore accepté le courriel. De nouveaux essais sont faits automatiquement pendant quelques minutes.",
  skipped: "L'invitation est enregistrée ; aucun courriel n'était plus à envoyer pour ce compte.",
};

/** How long the invitation's answer waits for the mail's first try before saying `queued`. */
const INVITATION_MAIL_WAIT_MS = 5_000;

/** The role and scope an invitation names, checked against the referential and the database. */
async function requestedGrant(
  db: Kysely<Database>,
  input: Pick<InvitationRequest, "role" | "territory">,
): Promise<{ grant: RoleGrant; target: PermissionTarget }> {
  const parsed = parseScope(input.role, input.territory);
  if (!parsed.ok) throw invalid(parsed.error);
  const path = await territoryPath(db, scopeNode(parsed.scope));
  if (!path) throw invalid(`Territoire inconnu : « ${input.territory} »`);
  return {
    grant: { role: input.role, scope: parsed.scope },
    target: { kind: "grant", role: input.role, path },
  };
}

/** `POST /api/v1/users/invitations` and `POST /api/v1/auth/password/reset-request`. */
export function invitationRoutes(
  app: FastifyInstance,
  db: Kysely<Database>,
  deps: { jobs: JobRunner },
): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const sendAndWait: MailDispatch = jobDispatch(deps.jobs, INVITATION_MAIL_WAIT_MS);
  const sendLater: MailDispatch = jobDispatch(deps.jobs, 0);

  r.post(
    "/api/v1/users/invitations",
    {
      schema: {
        tags: ["identité"],
        summary: "Inviter une personne à un rôle sur un territoire (courriel avec lien d'activation)",
        description:
          "Permission users.manage sur le territoire, pour un rôle de rang inférieur ou égal au sien. Crée le compte (statut invited) s'il n'existe pas, attribue le rôle, envoie un lien d'activation valable 7 jours (compte non encore actif) ou un avis du nouveau rôle (compte actif).",
        body: invitationRequest,
        response: { 201: invitationResponse, 400: apiErrorSchema, 403: apiErrorSchema, 409: apiErrorSchema },
      },
      config: {
        access: {
          permission: "users.manage",
          target: async (req) => (await requestedGrant(db, req.body as InvitationRequest)).target,
        },
      },
    },
    async (req, reply) => {
      const email = normalizeEmail(req.body.email);
      if (!email.ok) throw invalid(email.error);
      const { grant } = await requestedGrant(db, req.body);
      const result = await inviteUser(
        db,
        { email: email.email, grant },
        { actor: requestActor(req), send: sendAndWait },
      );
      return reply.code(201).send({
        user: { id: result.user.id, email: result.user.email, status: result.user.status },
        created: result.created,
        roleGranted: result.roleGranted,
        delivery: result.delivery,
        message: DELIVERY_MESSAGES[result.delivery],
      });
    },
  );

  // Work left running after the 202, awaited when the server closes.
  const pending = new Set<Promise<unknown>>();
  app.addHook("onClose", async () => {
    await Promise.allSettled([...pending]);
  });

  r.post(
    "/api/v1/auth/password/reset-request",
    {
      schema: {
        tags: ["identité"],
        summary: "Demander un lien de réinitialisation du mot de passe",
        description: `Répond toujours 202 avec le même message, que l'adresse ait un compte ou non. Un compte actif reçoit un lien valable une heure. Limité à ${RESET_REQUEST_LIMIT} demandes par adresse IP et par quart d'heure (429 au-delà).`,
        body: passwordResetRequest,
        response: { 202: acceptedMessage, 429: apiErrorSchema },
      },
      config: {
        access: "public",
        rateLimit: { max: RESET_REQUEST_LIMIT, timeWindow: RESET_REQUEST_WINDOW },
      },
    },
    async (req, reply) => {
      // The lookup, the token and the mail happen after the answer: its timing says nothing either.
      const context = { actor: requestActor(req, "form"), send: sendLater };
      const task = requestPasswordReset(db, req.body.email, context)
        .catch((err: unknown) =>
          req.log.error({ err }, "échec du traitement d'une demande de réinitialisation"),
        )
        .finally(() => pending.delete(task));
      pending.add(task);
      return reply.code(202).send({ message: RESET_REQUEST_MESSAGE });
    },
  );
}
