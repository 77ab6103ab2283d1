import { z } from "zod";

/**
 * The imports API (docs/imports.md): the profiles, an uploaded file's dry-run report, its
 * commit, the committed batches and their rollback.
 */

export const rowIssue = z.object({
  line: z.number().int().describe("Ligne physique du fichier (1 : l'en-tête)"),
  column: z
    .string()
    .nullable()
    .describe("Libellé de la colonne tel qu'écrit dans l'en-tête, ou null pour la ligne entière"),
  reason: z.string().describe("Raison, en français"),
});

export const importFileReport = z.object({
  profile: z.string(),
  profileLabel: z.string(),
  fileName: z.string(),
  format: z.enum(["csv", "xlsx"]).nullable(),
  encoding: z.string().nullable(),
  sha256: z.string().nullable(),
  refused: z.string().nullable().describe("Le fichier entier est refusé (rien n'est lu ni écrit) : pourquoi"),
  warning: z.string().nullable(),
  school: z.string().nullable().describe("UAI de l'établissement du fichier (profils sans colonne UAI)"),
  period: z.string().nullable(),
  read: z.number().int(),
  accepted: z.number().int(),
  empty: z.number().int(),
  rejected: z.array(rowIssue).describe("Les 1 000 premiers rejets, dans l'ordre du fichier"),
  rejectedTotal: z.number().int(),
  duplicates: z.array(rowIssue).describe("Les 1 000 premiers doublons"),
  duplicatesTotal: z.number().int(),
  unknownUai: z
    .array(z.string())
    .describe("Les 1 000 premiers UAI inconnus (leurs valeurs ne sont pas écrites)"),
  unknownUaiTotal: z.number().int(),
  outOfScope: z
    .array(z.string())
    .describe("Les UAI hors du périmètre de la personne (leurs valeurs ne sont pas écrites)"),
  outOfScopeTotal: z.number().int(),
  values: z.number().int().describe("Valeurs que le fichier donne"),
  summary: z.record(z.string(), z.number()).describe("Résumé propre au profil (participants, certifiables…)"),
  alreadyImported: z.boolean().describe("Le même contenu a déjà été importé : la confirmation n'écrira rien"),
  alreadyImportedBatch: z.string().nullable(),
  committed: z.boolean(),
  batchId: z.string().nullable(),
  fileId: z.string().nullable(),
  written: z.number().int(),
  unchanged: z.number().int(),
  held: z.number().int(),
});
export type ImportFileReport = z.infer<typeof importFileReport>;

export const importProfileInfo = z.object({
  code: z.string(),
  label: z.string(),
  needsSchool: z.boolean().describe("Le fichier ne nomme pas d'établissement : il faut le choisir"),
  requiredColumns: z.array(z.string()),
});
export type ImportProfileInfo = z.infer<typeof importProfileInfo>;

export const importUploaded = z.object({
  fileId: z.string().describe("Identifiant du fichier (pour le confirmer)"),
  report: importFileReport,
});

export const importBatchSummary = z.object({
  fileId: z.string(),
  batchId: z.string().nullable(),
  profile: z.string(),
  fileName: z.string(),
  schoolUai: z.string().nullable(),
  schoolName: z.string().nullable(),
  period: z.string().nullable(),
  status: z.enum(["dry-run", "committed", "rolled-back"]),
  actor: z.string(),
  committedAt: z.string().nullable(),
  rolledBackAt: z.string().nullable(),
  written: z.number().int(),
});
export type ImportBatchSummaryDto = z.infer<typeof importBatchSummary>;

export const importRollbackReport = z.object({
  batchId: z.string(),
  profile: z.string(),
  fileName: z.string(),
  removed: z.number().int().describe("Valeurs du lot supprimées (créées par lui)"),
  restored: z.number().int().describe("Valeurs remises comme avant le lot"),
  replacedSince: z
    .number()
    .int()
    .describe("Valeurs du lot déjà remplacées par un import plus récent (laissées)"),
  recombined: z.number().int(),
  recombinedBatchId: z.string().nullable(),
});
