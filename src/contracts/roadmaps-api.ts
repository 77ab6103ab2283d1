import { z } from "zod";
import { roadmapDocument } from "./roadmaps.ts";
import { territoryRef } from "./territories.ts";

/**
 * API contracts of the roadmaps module (docs/roadmaps.md): lists, a roadmap with the status of
 * each objective and the roll-up of every node, checkpoints. Shared by the server and the web app
 * (types only in the browser).
 */

export const OBJECTIVE_STATUS_VALUES = ["reached", "on_track", "late", "no_data"] as const;
export const objectiveStatusSchema = z.enum(OBJECTIVE_STATUS_VALUES);
export type ObjectiveStatusDto = z.infer<typeof objectiveStatusSchema>;

export const ROADMAP_STATUSES = ["draft", "published"] as const;
export const roadmapStatus = z.enum(ROADMAP_STATUSES);
export type RoadmapStatus = z.infer<typeof roadmapStatus>;

const statusCounts = z.object({
  reached: z.number().int(),
  on_track: z.number().int(),
  late: z.number().int(),
  no_data: z.number().int(),
});

/** Roll-up of the objectives under a node (ambition, cible, champ, indicateur, feuille de route). */
export const nodeRollup = z.object({
  /** null when the node has no numeric objective. */
  status: objectiveStatusSchema.nullable(),
  total: z.number().int(),
  counts: statusCounts,
  /** Share of objectives reached, 0..1 (null without objective). */
  reachedShare: z.number().nullable(),
});
export type NodeRollup = z.infer<typeof nodeRollup>;

export const objectiveEvaluation = z.object({
  status: objectiveStatusSchema,
  statusLabel: z.string(),
  /** The value compared with the target: its period, null when there is none. */
  current: z.object({ period: z.string(), value: z.number() }).nullable(),
  /** The baseline used (the objective's own, or the oldest value known). */
  baseline: z.object({ year: z.number().int(), value: z.number() }).nullable(),
  /** The value to reach (for `increase_percent`: baseline × (1 + target %)). */
  targetValue: z.number().nullable(),
  targetYear: z.number().int(),
  /** The trajectory: the value expected in the current value's year (linear from the baseline). */
  expected: z.number().nullable(),
  /** (current − baseline) / (target − baseline), clamped to 0..1. */
  progress: z.number().nullable(),
});
export type ObjectiveEvaluation = z.infer<typeof objectiveEvaluation>;

export const roadmapEvaluation = z.object({
  roadmap: nodeRollup,
  /** Keyed by ambition, target and operational field id. */
  nodes: z.record(z.string(), nodeRollup),
  /** Keyed by objective id. */
  objectives: z.record(z.string(), objectiveEvaluation),
});
export type RoadmapEvaluation = z.infer<typeof roadmapEvaluation>;

export const roadmapSummary = z.object({
  id: z.string(),
  slug: z.string(),
  title: z.string(),
  status: roadmapStatus,
  territory: territoryRef,
  period: z.object({ from: z.string(), to: z.string(), label: z.string() }),
  templateId: z.string().nullable(),
  version: z.number().int(),
  updatedAt: z.string(),
  ambitions: z.number().int(),
  objectives: z.number().int(),
});
export type RoadmapSummary = z.infer<typeof roadmapSummary>;

export const templateSummary = z.object({
  id: z.string(),
  title: z.string(),
  shortTitle: z.string(),
  authority: z.string(),
  territory: territoryRef,
  period: z.object({ from: z.string(), to: z.string(), label: z.string() }),
  seed: z.string().nullable(),
  ambitions: z.number().int(),
  objectives: z.number().int(),
});
export type TemplateSummary = z.infer<typeof templateSummary>;

export const roadmapList = z.object({
  roadmaps: z.array(roadmapSummary),
  templates: z.array(templateSummary),
  /** Territories (niveau:code) where the reader may create roadmaps (roadmaps.manage). */
  manageableScopes: z.array(z.string()),
});
export type RoadmapList = z.infer<typeof roadmapList>;

export const checkpointValue = z.object({
  objectiveId: z.string(),
  indicatorCode: z.string(),
  label: z.string(),
  territory: territoryRef,
  unit: z.string(),
  period: z.string().nullable(),
  value: z.number().nullable(),
  numerator: z.number().nullable(),
  denominator: z.number().nullable(),
  coverage: z.number().nullable(),
  /** Confidentiality status of the frozen figure: hidden from viewers not entitled when not « published ». */
  cellStatus: z.string().nullable(),
  targetValue: z.number().nullable(),
  targetYear: z.number().int(),
  status: objectiveStatusSchema,
  statusLabel: z.string(),
});
export type CheckpointValue = z.infer<typeof checkpointValue>;

export const roadmapCheckpointDto = z.object({
  id: z.string(),
  date: z.string(),
  title: z.string(),
  comment: z.string().nullable(),
  values: z.array(checkpointValue),
  createdAt: z.string(),
});
export type RoadmapCheckpointDto = z.infer<typeof roadmapCheckpointDto>;

export const roadmapDetail = roadmapSummary.extend({
  createdAt: z.string(),
  canEdit: z.boolean(),
  document: roadmapDocument,
  evaluation: roadmapEvaluation,
  checkpoints: z.array(roadmapCheckpointDto),
});
export type RoadmapDetail = z.infer<typeof roadmapDetail>;

export const templateDetail = templateSummary.extend({
  document: roadmapDocument,
  evaluation: roadmapEvaluation,
});
export type TemplateDetail = z.infer<typeof templateDetail>;

const territoryParam = z
  .string()
  .min(1)
  .describe("Territoire : FR, ou niveau:code (academicRegion:75, academy:04, department:33)");

export const createRoadmapBody = z.object({
  territory: territoryParam,
  templateId: z
    .string()
    .min(1)
    .optional()
    .describe("Modèle de départ ; sans modèle, une feuille de route vierge"),
  title: z.string().trim().min(1).max(300).optional(),
});
export type CreateRoadmapBody = z.infer<typeof createRoadmapBody>;

export const updateRoadmapBody = z.object({
  version: z.number().int().positive().describe("Version lue : 409 si quelqu'un a enregistré depuis"),
  document: z.unknown().describe("L'arbre complet de la feuille de route (même schéma que le YAML)"),
});
export type UpdateRoadmapBody = { version: number; document: unknown };

export const createCheckpointBody = z.object({
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "date attendue au format AAAA-MM-JJ")
    .optional()
    .describe("Date du point d'étape (défaut : aujourd'hui)"),
  title: z.string().trim().min(1).max(300),
  comment: z.string().max(5000).optional(),
});
export type CreateCheckpointBody = z.infer<typeof createCheckpointBody>;

export const ROADMAP_STATUS_LABELS: Record<RoadmapStatus, string> = {
  draft: "brouillon",
  published: "publiée",
};
