import { z } from "zod";
import { territoryParam } from "./territory-param.ts";
import { NODE_LEVELS } from "./territory-tree.ts";

/** API contracts of the audit log (docs/identity.md, « Journal d'audit »). */

export const AUDIT_SOURCES = ["form", "import", "cli", "api", "system", "login"] as const;

export const AUDIT_SORTS = ["date", "actor", "action", "entityType"] as const;
export type AuditSort = (typeof AUDIT_SORTS)[number];

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "date attendue au format AAAA-MM-JJ")
  .refine((text) => !Number.isNaN(Date.parse(`${text}T00:00:00Z`)), "date invalide");

const LOCAL_AUTHORITY_KEY = /^(region|commune):[0-9A-Za-z_-]+$/;
const treeTerritory = territoryParam(NODE_LEVELS);

/** Filters shared by the JSON search and the CSV export. */
export const auditFilters = z.object({
  actor: z
    .string()
    .trim()
    .max(254)
    .optional()
    .describe("Auteur : une partie de l'adresse électronique ou du libellé"),
  action: z
    .string()
    .trim()
    .max(80)
    .optional()
    .describe("Action, ou son début (« user. » : toutes les actions sur les comptes)"),
  entityType: z.string().trim().max(80).optional().describe("Type d'objet (user, school, import, setting…)"),
  from: day.optional().describe("Premier jour inclus (AAAA-MM-JJ, heure de Paris)"),
  to: day.optional().describe("Dernier jour inclus (AAAA-MM-JJ, heure de Paris)"),
  territory: z
    .string()
    .trim()
    .max(80)
    .transform((raw, ctx) => {
      // The scopes of local authorities (region:75, commune:33063) are outside the tree.
      if (LOCAL_AUTHORITY_KEY.test(raw)) return raw;
      const tree = treeTerritory.safeParse(raw);
      if (tree.success) return tree.data;
      ctx.addIssue({
        code: "custom",
        message: tree.error.issues[0]?.message ?? "territoire invalide",
        input: raw,
      });
      return z.NEVER;
    })
    .optional()
    .describe(
      "Territoire : FR, academicRegion:75, academy:04 (événements de l'académie), niveau:code exact, ou un code qui ne désigne qu'un territoire (2A)",
    ),
  sort: z.enum(AUDIT_SORTS).default("date"),
  order: z.enum(["asc", "desc"]).default("desc"),
});
export type AuditFilters = z.infer<typeof auditFilters>;

export const auditQuery = auditFilters.extend({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type AuditQuery = z.infer<typeof auditQuery>;

export const auditEvent = z.object({
  id: z.string(),
  occurredAt: z.string(),
  actorUserId: z.string().nullable(),
  actorLabel: z.string(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  territoryLevel: z.string().nullable(),
  territoryCode: z.string().nullable(),
  academyCode: z.string().nullable(),
  summary: z.record(z.string(), z.unknown()),
  source: z.enum(AUDIT_SOURCES),
  sourceRef: z.string().nullable(),
  requestId: z.string().nullable(),
  ip: z
    .string()
    .nullable()
    .describe("Adresse IP de l'auteur : visible des administrateurs nationaux seulement"),
});
export type AuditEventDto = z.infer<typeof auditEvent>;

export const auditPage = z.object({
  items: z.array(auditEvent),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type AuditPage = z.infer<typeof auditPage>;
