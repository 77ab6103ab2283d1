import { z } from "zod";
import { objectiveEvaluation } from "./roadmaps-api.ts";
import { territoryParam } from "./territory-param.ts";
import {
  NATION_KEY,
  NODE_LEVELS,
  type NodeLevel,
  type NodeRef,
  nodeKey,
  parseNodeKey,
} from "./territory-tree.ts";

/**
 * Observatory API contracts: the indicator catalogue, rolled-up values with their coverage and
 * confidentiality status, and the composite answers the dashboards read. Shared by the server
 * (Fastify + Zod) and the web app.
 */

/** A node of the observatory tree: a territory (see ADR 0002) or a school (code = UAI). */
export { NODE_LEVELS, type NodeLevel, type NodeRef, nodeKey, parseNodeKey };
export const nodeLevel = z.enum(NODE_LEVELS);
export const nodeRef = z.object({ level: nodeLevel, code: z.string(), name: z.string() });

export const CELL_STATUS_VALUES = [
  "published",
  "suppressed-frequency",
  "suppressed-dominance",
  "suppressed-secondary",
] as const;
export const cellStatus = z.enum(CELL_STATUS_VALUES);
export type CellStatusDto = z.infer<typeof cellStatus>;

/** One figure of one indicator for one node, period, group and disaggregation. */
export const indicatorCell = z.object({
  node: nodeRef,
  period: z.string().describe("2024-2025 (année scolaire), 2025, 2025-03, 2025-W10 ou 2025-03-04"),
  group: z
    .string()
    .describe("Sous-ensemble d'établissements : '' (tous), sector=public, priority=REP+, type=college…"),
  disaggregation: z.string().describe("'' (total) ou option de ventilation, ex. level=troisieme"),
  /** null when missing or hidden by the statistical confidentiality. */
  value: z.number().nullable(),
  numerator: z.number().nullable(),
  denominator: z.number().nullable(),
  schoolsReporting: z.number().int().nullable(),
  schoolsExpected: z.number().int().nullable(),
  /** schoolsReporting / schoolsExpected, 0..1. */
  coverage: z.number().nullable(),
  status: cellStatus,
  /** French: « publiée » or « secret statistique : <raison> ». */
  statusLabel: z.string(),
  /**
   * true when the figures are shown although the cell is not publishable, because the viewer is
   * entitled to them (the school's own users, or a user whose role covers the node).
   */
  restricted: z.boolean(),
});
export type IndicatorCell = z.infer<typeof indicatorCell>;

export const indicatorSummary = z.object({
  code: z.string(),
  name: z.string(),
  unit: z.string(),
  definition: z.string(),
  factor: z.number(),
  direction: z.enum(["higher_is_better", "lower_is_better", "target"]),
  kind: z.enum(["ratio", "count", "mean", "per_school_then_count"]),
});
export type IndicatorSummary = z.infer<typeof indicatorSummary>;

export const indicatorCatalogueItem = indicatorSummary.extend({
  numerator: z.object({ dataElement: z.string(), filter: z.record(z.string(), z.string()).optional() }),
  denominator: z
    .object({ dataElement: z.string(), filter: z.record(z.string(), z.string()).optional() })
    .nullable(),
  schoolRule: z.string().nullable().describe("Règle « par établissement, puis compte », en français"),
  disaggregations: z.array(z.string()),
  sources: z.array(
    z.object({ system: z.string(), refs: z.array(z.object({ seed: z.string(), section: z.string() })) }),
  ),
  /** Periods for which values exist, newest first. */
  periods: z.array(z.string()),
});
export type IndicatorCatalogueItem = z.infer<typeof indicatorCatalogueItem>;

export const indicatorList = z.object({ items: z.array(indicatorCatalogueItem) });

/** `GET /api/v1/indicators/{code}/values` query. */
export const valuesQuery = z.object({
  territory: z
    .string()
    .max(80)
    .default(NATION_KEY)
    .pipe(territoryParam(NODE_LEVELS))
    .describe(
      "niveau:code — nation:FR (ou FR), academicRegion:75, academy:16, department:33, district:B-…, school:0330001A — ou un code qui ne désigne qu'un nœud (2A, 0330001A)",
    ),
  period: z.string().max(20).optional().describe("Par défaut, la période la plus récente"),
  group: z.string().max(60).default(""),
  disaggregation: z.string().max(80).default(""),
  children: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true"),
});
export type ValuesQuery = z.input<typeof valuesQuery>;

export const thresholdsDto = z.object({
  minUnits: z.number().int(),
  minPeople: z.number().int(),
  dominanceShare: z.number(),
});

export const valuesResponse = z.object({
  indicator: indicatorSummary,
  period: z.string(),
  group: z.string(),
  disaggregation: z.string(),
  territory: indicatorCell,
  children: z.array(indicatorCell).optional(),
  thresholds: thresholdsDto,
});
export type ValuesResponse = z.infer<typeof valuesResponse>;

export const comparisonDto = z.object({
  label: z.string(),
  reference: z.number().nullable(),
  difference: z.number().nullable(),
  /** better / worse / equal according to the indicator's direction; null when unknown. */
  verdict: z.enum(["better", "worse", "equal"]).nullable(),
});

/**
 * Peers with a similar IPS (docs/observatory.md): schools of the same type in the académie whose
 * IPS is within ±5 points of the school's, or territories of the same level (and group) within
 * ±2.5 points of the territory's mean IPS. `reference` is Σ numerator / Σ denominator over them,
 * null when the group is under the confidentiality thresholds (`status`).
 */
export const ipsPeersDto = z.object({
  label: z.string(),
  /**
   * The node's own IPS (a school's, or the mean of a territory's schools) and the band of its
   * peers; null for a school whose figures the viewer may not see (a school alone is never public).
   */
  ips: z.number().nullable(),
  ipsPeriod: z.string(),
  band: z.object({ min: z.number(), max: z.number() }).nullable(),
  /** Peers with a value for the indicator, and the schools behind them. */
  peers: z.number().int(),
  schools: z.number().int(),
  reference: z.number().nullable(),
  difference: z.number().nullable(),
  verdict: z.enum(["better", "worse", "equal"]).nullable(),
  status: cellStatus,
  statusLabel: z.string(),
});
export type IpsPeers = z.infer<typeof ipsPeersDto>;

/** An objective a published roadmap sets on the indicator for the territory, with its status. */
export const indicatorObjective = z.object({
  roadmap: z.object({ id: z.string(), slug: z.string(), title: z.string() }),
  objectiveId: z.string(),
  label: z.string(),
  disaggregation: z.string(),
  comparator: z.enum([">=", "<=", "="]),
  note: z.string().nullable(),
  evaluation: objectiveEvaluation,
});
export type IndicatorObjective = z.infer<typeof indicatorObjective>;

/** `GET /api/v1/indicators/{code}/dashboard`: everything the indicator page shows. */
export const indicatorDashboard = z.object({
  indicator: indicatorCatalogueItem,
  period: z.string(),
  group: z.string(),
  /** Groups available for this node: '' and the group-set options, with French labels. */
  groups: z.array(z.object({ key: z.string(), label: z.string() })),
  territory: indicatorCell,
  ancestors: z.array(indicatorCell).describe("Du parent direct à la nation"),
  nation: indicatorCell,
  children: z.array(indicatorCell),
  /** The territory over every period with values, oldest first. */
  series: z.array(indicatorCell),
  previous: indicatorCell.nullable(),
  comparisons: z.object({
    parent: comparisonDto.nullable(),
    nation: comparisonDto.nullable(),
    previousYear: comparisonDto.nullable(),
    /** Rank among the siblings whose value is published, 1 = best. */
    siblingsRank: z.object({ rank: z.number().int(), of: z.number().int(), level: nodeLevel }).nullable(),
    /** Peers with a similar IPS; null when the node has no IPS (or is the nation, a district). */
    ipsPeers: ipsPeersDto.nullable().default(null),
  }),
  /** Share of the node's schools above the national value (seed 000); null when not allowed. */
  schoolsAboveNational: z
    .object({ share: z.number().nullable(), count: z.number().int(), of: z.number().int() })
    .nullable(),
  /** Deciles of school values inside the node, for users whose role covers it. */
  deciles: z.array(z.number()).nullable(),
  thresholds: thresholdsDto,
  /** Objectives of the published roadmaps for this indicator and territory. */
  objectives: z.array(indicatorObjective).default([]),
});
export type IndicatorDashboard = z.infer<typeof indicatorDashboard>;

/** `GET /api/v1/territories/{level}/{code}/indicators` and `GET /api/v1/schools/{uai}/indicators`. */
export const keyIndicators = z.object({
  node: nodeRef,
  period: z.string().nullable(),
  /** The published roadmap whose indicators are shown (the territory's or its nearest ancestor's). */
  roadmap: z.object({ id: z.string(), slug: z.string(), title: z.string() }).nullable().optional(),
  items: z.array(
    z.object({
      indicator: indicatorSummary,
      cell: indicatorCell,
      parent: indicatorCell.nullable(),
      nation: indicatorCell,
      /** Peers with a similar IPS, as on the indicator's page. */
      ipsPeers: ipsPeersDto.nullable().default(null),
    }),
  ),
});
export type KeyIndicators = z.infer<typeof keyIndicators>;

export const CELL_STATUS_LABELS: Record<CellStatusDto, string> = {
  published: "publiée",
  "suppressed-frequency": "secret statistique : trop peu d'établissements ou de personnes",
  "suppressed-dominance": "secret statistique : un établissement représente l'essentiel de la valeur",
  "suppressed-secondary": "secret statistique : masquée pour empêcher un recalcul par soustraction",
};

// ---------------------------------------------------------------------------------------------
// Values held for review (docs/indicator-semantics.md, « Valeurs invraisemblables »)

/** A school's value held as implausible among its peers, as the users above the school see it. */
export const heldValue = z.object({
  uai: z.string(),
  schoolName: z.string(),
  academyCode: z.string(),
  departmentCode: z.string(),
  dataElement: z.string(),
  dataElementName: z.string(),
  period: z.string(),
  disaggregation: z.string(),
  value: z.number(),
  /** The limit it exceeds: ten times the 9th decile of its peers. */
  limit: z.number().nullable(),
  source: z.enum(["form", "import", "api", "demo"]),
  updatedAt: z.string(),
});
export type HeldValue = z.infer<typeof heldValue>;

export const heldValuesResponse = z.object({
  items: z.array(heldValue),
  /** Held values in the reader's scope; `items` lists the first 500, oldest first. */
  total: z.number().int(),
});
export type HeldValuesResponse = z.infer<typeof heldValuesResponse>;

export const HELD_DECISIONS = ["accept", "reject"] as const;
export type HeldDecision = (typeof HELD_DECISIONS)[number];

export const heldValueDecision = z.object({
  uai: z.string().min(1).max(16),
  dataElement: z.string().min(1).max(80),
  period: z.string().min(1).max(20),
  disaggregation: z.string().max(200).default(""),
  /** `accept`: published and in the figures; `reject`: deleted, the school writes it again. */
  decision: z.enum(HELD_DECISIONS),
});
export type HeldValueDecision = z.input<typeof heldValueDecision>;

export const heldValueDecisionResponse = z.object({
  decision: z.enum(HELD_DECISIONS),
  refreshMs: z.number().int(),
});
