import { z } from "zod";
import {
  PRIORITY_EDUCATIONS,
  type PriorityEducation,
  SCHOOL_SECTORS,
  SCHOOL_STATUSES,
  SCHOOL_TYPES,
  type SchoolSector,
  type SchoolStatus,
  type SchoolType,
} from "./schools.ts";
import { territoryParam } from "./territory-param.ts";
import { DISTRICT_KINDS, TERRITORY_LEVELS, type TerritoryLevel } from "./territory-tree.ts";

/**
 * API contracts of the territories module, shared by the server (validation, OpenAPI) and the
 * web app (types). Identifiers are English; labels shown to people are French (see `labels.ts`).
 */

export { TERRITORY_LEVELS, type TerritoryLevel };
export const territoryLevel = z.enum(TERRITORY_LEVELS);

export {
  PRIORITY_EDUCATIONS,
  type PriorityEducation,
  SCHOOL_SECTORS,
  SCHOOL_STATUSES,
  SCHOOL_TYPES,
  type SchoolSector,
  type SchoolStatus,
  type SchoolType,
};
export const schoolType = z.enum(SCHOOL_TYPES);
export const schoolSector = z.enum(SCHOOL_SECTORS);
export const priorityEducation = z.enum(PRIORITY_EDUCATIONS);
export const schoolStatus = z.enum(SCHOOL_STATUSES);

export const territoryRef = z.object({
  level: territoryLevel,
  code: z.string(),
  name: z.string(),
});
export type TerritoryRef = z.infer<typeof territoryRef>;

export const academy = z.object({
  code: z.string().describe("Code officiel de l'académie (01 Paris … 43 Mayotte, 70 Normandie)"),
  name: z.string(),
  academicRegion: z.object({ code: z.string(), name: z.string() }),
});
export type AcademyDto = z.infer<typeof academy>;

export const territoryChild = territoryRef.extend({
  districtKind: z.enum(DISTRICT_KINDS).optional(),
  openSchools: z.number().int(),
});
export type TerritoryChild = z.infer<typeof territoryChild>;

export const territoryDetail = territoryRef.extend({
  districtKind: z.enum(DISTRICT_KINDS).optional(),
  ancestors: z.array(territoryRef).describe("Du plus large (la nation) au parent direct"),
  childLevel: territoryLevel.nullable(),
  children: z.array(territoryChild),
  openSchools: z.number().int(),
  closedSchools: z.number().int(),
  pupils: z.number().int().describe("Élèves des établissements ouverts dont l'effectif est connu"),
});
export type TerritoryDetail = z.infer<typeof territoryDetail>;

export const schoolSummary = z.object({
  uai: z.string(),
  name: z.string(),
  type: schoolType,
  sector: schoolSector,
  priorityEducation: priorityEducation.nullable(),
  communeName: z.string().nullable(),
  department: z.string().describe("Code COG du département"),
  academy: z.string().describe("Code de l'académie"),
  status: schoolStatus,
  pupils: z.number().int().nullable(),
});
export type SchoolSummary = z.infer<typeof schoolSummary>;

export const schoolDetail = schoolSummary.extend({
  natureCode: z.string().nullable(),
  natureLabel: z.string().nullable(),
  academicRegion: z.string(),
  communeCode: z.string().nullable(),
  postalCode: z.string().nullable(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  openedOn: z.string().nullable(),
  districts: z.array(territoryRef.extend({ districtKind: z.enum(DISTRICT_KINDS) })),
  ancestors: z.array(territoryRef),
  updatedAt: z.string(),
});
export type SchoolDetail = z.infer<typeof schoolDetail>;

export const schoolListQuery = z.object({
  territory: territoryParam(TERRITORY_LEVELS)
    .optional()
    .describe(
      "Territoire : nation:FR (ou FR), niveau:code (ex. academy:04, department:33, district:C-033-xxx), ou un code qui ne désigne qu'un territoire (2A)",
    ),
  type: schoolType.optional(),
  sector: schoolSector.optional(),
  priorityEducation: z.enum(["REP", "REP+", "none"]).optional(),
  status: z.enum(["open", "closed", "all"]).default("open"),
  q: z
    .string()
    .max(100)
    .optional()
    .describe(
      "Recherche par UAI (ou son début), sinon par mots ou morceaux de mots du nom ou de la commune, sans tenir compte des majuscules ni des accents",
    ),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type SchoolListQuery = z.infer<typeof schoolListQuery>;

export const schoolPage = z.object({
  items: z.array(schoolSummary),
  total: z.number().int(),
  /** True when a name search stopped counting: there are more than `total` results. */
  totalIsLowerBound: z.boolean(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type SchoolPage = z.infer<typeof schoolPage>;

export const importRejection = z.object({
  line: z.number().int(),
  uai: z.string(),
  column: z.string().optional(),
  reason: z.string(),
});
export const importDuplicate = z.object({
  line: z.number().int(),
  uai: z.string(),
  firstLine: z.number().int(),
});

export const annuaireImportReport = z.object({
  read: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  closed: z
    .number()
    .int()
    .describe(
      "Établissements que l'import ferme : fermés dans le fichier (etat = FERME) et pas déjà fermés dans Vigie (0 pour un fichier réimporté sans changement)",
    ),
  rejected: z
    .array(importRejection)
    .describe("Les 1 000 premières lignes rejetées (toutes dans le rapport CSV)"),
  rejectedTotal: z.number().int().describe("Nombre de lignes rejetées"),
  duplicates: z.array(importDuplicate).describe("Les 1 000 premiers doublons (tous dans le rapport CSV)"),
  duplicatesTotal: z.number().int().describe("Nombre de doublons"),
  layout: z.string().describe("Version de l'export reconnue"),
  encoding: z.string(),
  committed: z.boolean(),
  warnings: z.array(z.string()),
});
export type AnnuaireImportReport = z.infer<typeof annuaireImportReport>;

export const apiError = z.object({
  error: z.string().describe("Code stable, pour les programmes"),
  message: z.string().describe("Phrase en français, pour les personnes"),
  details: z
    .union([z.array(z.string()), z.record(z.string(), z.unknown())])
    .optional()
    .describe("Précisions : les problèmes d'un fichier, par exemple"),
  requestId: z.string().optional().describe("Identifiant de la requête, pour une erreur inattendue (500)"),
});
