import { z } from "zod";

/**
 * The usage API of ENT and resource providers (docs/imports.md, « API d'usage des
 * fournisseurs »): provider tokens, and the batches of usage rows they send.
 */

/** Most rows one batch may carry (a bigger delivery is cut into batches). */
export const USAGE_BATCH_MAX_ROWS = 100_000;

/** A batch id: the provider's own, unique among its batches (a date, a sequence number, a UUID). */
export const usageBatchId = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[\w.:@/-]+$/, "identifiant de lot : lettres, chiffres et . _ - : @ / seulement")
  .describe("Identifiant du lot chez le fournisseur ; un lot déjà reçu est acquitté sans rien réécrire");

const cell = z.union([z.string(), z.number()]).nullish();

export const usageRow = z.object({
  uai: z.string().describe("UAI de l'établissement"),
  date: z
    .string()
    .describe(
      "Jour (2025-03-14), semaine ISO (2025-W11), mois (2025-03) ; aussi 14/03/2025, « Semaine du 10/03/2025 »",
    ),
  service: z
    .string()
    .nullish()
    .describe(
      "Application ou connecteur (mediacentre, Médiacentre, moodle, messagerie…) ; vide pour l'ENT entier",
    ),
  profile: z
    .string()
    .nullish()
    .describe(
      "pupil, teacher, parent, staff (ou Élèves, Enseignants, Parents, Personnels) ; vide ou « total » : tous profils",
    ),
  measure: z
    .string()
    .describe(
      "connections, unique_visitors, accounts_loaded, accounts_activated, accesses (ou Connexions, Visiteurs uniques, Comptes chargés, Comptes activés, Nombre d'accès)",
    ),
  value: cell.describe("Nombre entier positif ; vide : pas de valeur"),
});
export type UsageRow = z.infer<typeof usageRow>;

export const usageBatchBody = z.object({
  batchId: usageBatchId,
  rows: z.array(usageRow).max(USAGE_BATCH_MAX_ROWS),
});
export type UsageBatchBody = z.infer<typeof usageBatchBody>;

export const usageRowIssue = z.object({
  line: z.number().int().describe("Rang de la ligne dans `rows` (à partir de 1), ou ligne physique du CSV"),
  column: z.string().nullable(),
  reason: z.string(),
});

export const usageBatchAnswer = z.object({
  provider: z.string(),
  batchId: z.string(),
  /** True when this (provider, batch id) was received before: nothing was written this time. */
  alreadyReceived: z.boolean(),
  receivedAt: z.string().describe("Date de réception du lot (la première, pour un lot répété)"),
  read: z.number().int(),
  accepted: z.number().int(),
  rejected: z.array(usageRowIssue).describe("Lignes refusées, avec la raison (les 1 000 premières)"),
  rejectedTotal: z.number().int(),
  duplicates: z.number().int(),
  values: z.number().int().describe("Valeurs écrites ou inchangées"),
  written: z.number().int(),
  unchanged: z.number().int(),
  held: z.number().int().describe("Valeurs retenues pour vérification (invraisemblables)"),
});
export type UsageBatchAnswer = z.infer<typeof usageBatchAnswer>;

export const usageTokenCreateBody = z.object({
  provider: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .regex(/^[\p{L}\p{N} ._'’-]+$/u, "nom du fournisseur : lettres, chiffres, espaces et . _ - ' seulement"),
  territories: z
    .array(z.string().min(1))
    .min(1)
    .describe("Territoires couverts : FR, academy:04, department:33, un UAI…"),
});

export const usageToken = z.object({
  id: z.string(),
  provider: z.string(),
  territories: z.array(z.string()),
  createdBy: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
});
export type UsageToken = z.infer<typeof usageToken>;

export const usageTokenCreated = usageToken.extend({
  token: z.string().describe("Le jeton, montré cette seule fois (seule son empreinte est gardée)"),
});
export type UsageTokenCreated = z.infer<typeof usageTokenCreated>;
