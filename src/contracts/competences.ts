import { z } from "zod";
import { COMPETENCE_LEVELS } from "./competence-levels.ts";
import { indicatorCell, nodeRef, valuesQuery } from "./indicators.ts";

/**
 * API contract of the digital-competences dashboards (docs/competences.md): `GET
 * /api/v1/competences/dashboard` and its CSV/XLSX exports. Every figure is an observatory cell,
 * read through the indicators' confidentiality rules: a hidden cell is hidden here too.
 */

export { COMPETENCE_LEVEL_LABELS, COMPETENCE_LEVELS } from "./competence-levels.ts";

export const competencesQuery = valuesQuery.pick({ territory: true, period: true }).extend({
  level: z.enum(COMPETENCE_LEVELS).default(""),
});
export type CompetencesQuery = z.input<typeof competencesQuery>;

/** One headline figure: an indicator's cell for the territory, with the roadmap target when there is one. */
export const competenceHeadline = z.object({
  key: z.enum(["participants", "certifiable", "meanScore", "certification"]),
  label: z.string(),
  indicator: z.string(),
  unit: z.string(),
  cell: indicatorCell,
  /** The roadmaps' target (128 pix in 3e, 256 in terminale), null when none applies. */
  target: z.number().nullable(),
  /** The same figure the previous school years, oldest first (evolution). */
  series: z.array(indicatorCell),
});
export type CompetenceHeadline = z.infer<typeof competenceHeadline>;

/** A heat map: one row per CRCN competence, one column per child territory. */
export const competenceHeatMap = z.object({
  metric: z.enum(["meanLevel", "targetRate"]),
  label: z.string(),
  indicator: z.string(),
  unit: z.string(),
  /** The level the share is measured at (1 in 3e, 2 in terminale); null for the mean level. */
  targetLevel: z.number().nullable(),
  columns: z.array(nodeRef),
  rows: z.array(
    z.object({
      competence: z.string(),
      name: z.string(),
      area: z.string(),
      /** The territory itself, then one cell per column, in the columns' order. */
      territory: indicatorCell,
      cells: z.array(indicatorCell),
    }),
  ),
});
export type CompetenceHeatMap = z.infer<typeof competenceHeatMap>;

export const competencesDashboard = z.object({
  territory: nodeRef,
  period: z.string(),
  level: z.enum(COMPETENCE_LEVELS),
  headlines: z.array(competenceHeadline),
  heatMaps: z.array(competenceHeatMap),
});
export type CompetencesDashboard = z.infer<typeof competencesDashboard>;

/** One class of a school's Pix collection (its own staff only): counts, mean score, mean level per competence. */
export const competenceClass = z.object({
  period: z.string(),
  /** The class label as the file writes it; null for a campaign without classes. */
  class: z.string().nullable(),
  level: z.string().nullable(),
  campaignId: z.string(),
  participants: z.number().int(),
  shared: z.number().int(),
  certifiable: z.number().int(),
  /** Mean total pix of those who shared; null when nobody shared. */
  meanPix: z.number().nullable(),
  /** Those who shared and reached their class level's target on every competence (null: no target). */
  targetReached: z.number().int().nullable(),
  competences: z.array(
    z.object({
      competence: z.string(),
      /** Mean level of those who shared, 0 to 8; null when nobody shared. */
      meanLevel: z.number().nullable(),
      /** Pupils at each level 0 … 8. */
      levels: z.array(z.number().int()),
    }),
  ),
});
export type CompetenceClass = z.infer<typeof competenceClass>;

export const competenceClasses = z.object({
  school: z.object({ uai: z.string(), name: z.string() }),
  classes: z.array(competenceClass),
});
export type CompetenceClasses = z.infer<typeof competenceClasses>;
