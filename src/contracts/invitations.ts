import { z } from "zod";
import { role } from "./identity.ts";

/**
 * API contracts of invitations, password-reset requests and login providers (docs/proconnect.md),
 * shared by the server (validation, OpenAPI) and the web app (types).
 */

export const invitationRequest = z.object({
  email: z.string().max(254).describe("Adresse électronique de la personne invitée"),
  role,
  territory: z
    .string()
    .max(64)
    .describe(
      "Territoire du rôle : FR, ou le code seul quand le rôle fixe le niveau (04), sinon niveau:code",
    ),
});
export type InvitationRequest = z.infer<typeof invitationRequest>;

export const mailDelivery = z
  .enum(["sent", "logged", "failed", "queued", "skipped"])
  .describe(
    "sent : accepté par le serveur SMTP ; logged : pas de serveur SMTP configuré, le texte est dans le journal du serveur ; failed : envoi impossible ; queued : premier essai refusé ou pas encore fait, nouveaux essais automatiques ; skipped : plus rien à envoyer (compte désactivé entre-temps)",
  );
export type MailDeliveryDto = z.infer<typeof mailDelivery>;

export const invitationResponse = z.object({
  user: z.object({
    id: z.string(),
    email: z.string(),
    status: z.enum(["invited", "active", "disabled"]),
  }),
  created: z.boolean().describe("Le compte vient d'être créé"),
  roleGranted: z.boolean().describe("Le rôle est nouveau pour ce compte"),
  delivery: mailDelivery,
  message: z.string(),
});
export type InvitationResponse = z.infer<typeof invitationResponse>;

export const passwordResetRequest = z.object({
  email: z.string().max(320).describe("Adresse électronique du compte"),
});

export const acceptedMessage = z.object({ message: z.string() });

export const authProviders = z.object({
  proconnect: z.boolean().describe("La connexion par ProConnect est configurée"),
});
export type AuthProviders = z.infer<typeof authProviders>;

/** Codes of `/connexion?erreur=…` after a ProConnect login that did not open a session. */
export const PROCONNECT_ERROR_CODES = [
  "compte-inconnu",
  "session-expiree",
  "proconnect-annule",
  "proconnect-echec",
  "proconnect-indisponible",
] as const;
export type ProConnectErrorCode = (typeof PROCONNECT_ERROR_CODES)[number];
