import { z } from "zod";
import { auditEvent } from "./audit.ts";

/** API contracts of « Mes données », personal-data requests and retention settings (docs/identity.md). */

export const personalDataRequest = z.object({
  id: z.string(),
  kind: z.enum(["deletion"]),
  status: z.enum(["open", "done", "refused"]),
  email: z.string(),
  userId: z.string().nullable().describe("null une fois le compte supprimé"),
  message: z.string().nullable().describe("Le message de la personne, s'il y en a un"),
  createdAt: z.string(),
  handledAt: z.string().nullable(),
});
export type PersonalDataRequestDto = z.infer<typeof personalDataRequest>;

export const myData = z.object({
  exportedAt: z.string(),
  account: z.object({
    id: z.string(),
    email: z.string(),
    givenName: z.string().nullable(),
    familyName: z.string().nullable(),
    status: z.enum(["invited", "active", "disabled"]),
    createdAt: z.string(),
    lastLoginAt: z.string().nullable(),
    hasPassword: z.boolean().describe("Un mot de passe est défini (jamais le mot de passe ni son empreinte)"),
    proconnect: z.object({
      linked: z.boolean(),
      identityProvider: z.string().nullable(),
      siret: z.string().nullable(),
    }),
    failedLogins: z.number().int(),
    lockedUntil: z.string().nullable(),
  }),
  roles: z.array(
    z.object({
      role: z.string(),
      roleLabel: z.string(),
      territory: z.string(),
      territoryLabel: z.string(),
      grantedAt: z.string(),
      grantedBy: z.string().nullable(),
    }),
  ),
  sessions: z
    .array(
      z.object({
        authMethod: z.enum(["password", "proconnect"]),
        createdAt: z.string(),
        lastSeenAt: z.string(),
        expiresAt: z.string(),
        ip: z.string().nullable(),
        userAgent: z.string().nullable(),
        current: z.boolean(),
      }),
    )
    .describe("Sessions ouvertes (sans leurs jetons)"),
  auditEvents: z
    .array(auditEvent)
    .describe("Les événements du journal faits par vous ou portant sur votre compte"),
  requests: z.array(personalDataRequest),
});
export type MyData = z.infer<typeof myData>;

export const deletionRequestBody = z.object({
  message: z.string().trim().max(2000).optional().describe("Précisions pour l'administrateur (facultatif)"),
});

export const deletionRequestResponse = z.object({
  request: personalDataRequest,
  created: z.boolean().describe("false : une demande était déjà en cours, c'est elle qui est renvoyée"),
  message: z.string(),
});
export type DeletionRequestResponse = z.infer<typeof deletionRequestResponse>;

export const personalDataRequestList = z.object({
  items: z.array(personalDataRequest.extend({ userExists: z.boolean() })),
});
export type PersonalDataRequestList = z.infer<typeof personalDataRequestList>;

export const closeRequestBody = z.object({
  decision: z
    .enum(["done", "refused"])
    .describe("done : supprimer le compte et clore ; refused : clore sans supprimer"),
  reason: z.string().trim().max(2000).optional().describe("Motif (refus), gardé dans le journal d'audit"),
});

const days = (min: number, max: number) => z.number().int().min(min).max(max);

/** Bounds repeated from the server's RETENTION_BOUNDS (a test checks they agree). */
export const retentionSettings = z.object({
  auditEventsDays: days(30, 3650).describe("Événements du journal d'audit, comptés depuis l'événement"),
  expiredSessionsDays: days(1, 3650).describe("Sessions, comptées depuis leur expiration"),
  usedTokensDays: days(1, 3650).describe(
    "Liens d'invitation et de réinitialisation, depuis leur usage ou leur expiration",
  ),
  closedRequestsDays: days(30, 3650).describe("Demandes de données personnelles, depuis leur clôture"),
});
export type RetentionSettingsDto = z.infer<typeof retentionSettings>;

export const retentionState = z.object({
  settings: retentionSettings,
  defaults: retentionSettings,
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
});
export type RetentionState = z.infer<typeof retentionState>;

export const privacyContacts = z.object({
  controller: z.string().nullable().describe("Organisme responsable de traitement (VIGIE_CONTROLLER)"),
  dpo: z.string().nullable().describe("Contact du délégué à la protection des données (VIGIE_DPO_CONTACT)"),
});
export type PrivacyContacts = z.infer<typeof privacyContacts>;
