import { z } from "zod";
import { territoryRef } from "./territories.ts";

/**
 * Roadmap templates and the indicator catalogue, as written by the project from the five seed
 * documents (`data/templates/`). Identifiers are English; titles and descriptions are French.
 *
 * Model: ambition → target (cible) → operational field (champ opérationnel) → indicator refs →
 * objectives (one per indicator, territory, year or school year), plus diagnostic figures,
 * checkpoints (points d'étape) and recommendations (préconisations, propositions, leviers).
 */

const FR_ID = /^[a-z0-9]+(?:[-_.][a-z0-9]+)*$/;
/** Stable template-local ids: lower case, digits, `-`, `_` or `.` separators. */
export const localId = z.string().regex(FR_ID, "identifiant invalide (minuscules, chiffres, - _ .)");
/** Indicator and data-element codes: lower-case snake_case English. */
export const catalogueCode = z
  .string()
  .regex(/^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/, "code invalide (snake_case en minuscules attendu)");

export const SEED_IDS = ["000", "001", "002", "003", "004"] as const;
export const seedId = z.enum(SEED_IDS);
export type SeedId = z.infer<typeof seedId>;

/** Where a statement comes from: the seed document and the section inside it. */
export const sourceRef = z.strictObject({
  seed: seedId,
  section: z.string().min(1),
});
export type SourceRef = z.infer<typeof sourceRef>;

export const sourceDocument = z.strictObject({
  seed: seedId,
  file: z.string().min(1),
  title: z.string().min(1),
  publisher: z.string().min(1),
  date: z.string().optional(),
});

const schoolYearString = z.string().regex(/^\d{4}-\d{4}$/, "année scolaire attendue au format 2020-2021");
const yearInt = z.number().int().min(1990).max(2100);

function schoolYearIsConsecutive(value: string): boolean {
  const [a, b] = value.split("-").map(Number);
  return a !== undefined && b !== undefined && b === a + 1;
}

/** A period: a civil year or a school year (1 Sept → 31 Aug). Exactly one of the two. */
const periodFields = {
  year: yearInt.optional(),
  schoolYear: schoolYearString.optional(),
};

export const disaggregation = z.record(catalogueCode, catalogueCode);
export type Disaggregation = z.infer<typeof disaggregation>;

export const COMPARATORS = [">=", "<=", "="] as const;
export const comparator = z.enum(COMPARATORS);
export type Comparator = z.infer<typeof comparator>;

/**
 * A numeric objective for one indicator, territory and period.
 * - `mode: level`: the indicator must reach `target` (compared with `comparator`);
 * - `mode: increase_percent`: the indicator must rise by `target` % over `baseline`.
 * `targetMax` is set when the seed gives a range ("5 à 10"); `ofTotal` when it gives "x / N".
 */
export const objective = z
  .strictObject({
    id: localId,
    indicatorCode: catalogueCode,
    territory: territoryRef,
    ...periodFields,
    disaggregation: disaggregation.optional(),
    mode: z.enum(["level", "increase_percent"]).default("level"),
    baseline: z
      .strictObject({
        value: z.number(),
        year: yearInt.optional(),
        schoolYear: schoolYearString.optional(),
        note: z.string().optional(),
      })
      .optional(),
    target: z.number(),
    targetMax: z.number().optional(),
    ofTotal: z.number().positive().optional(),
    unit: z.string().min(1),
    comparator,
    perYear: z.boolean().default(false),
    note: z.string().optional(),
    /** Required in the project's templates; optional in a roadmap written in Vigie. */
    source: sourceRef.optional(),
  })
  .superRefine((o, ctx) => {
    if ((o.year === undefined) === (o.schoolYear === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: ["year"],
        message: "indiquer soit « year » (année civile), soit « schoolYear » (année scolaire), pas les deux",
      });
    }
    if (o.schoolYear !== undefined && !schoolYearIsConsecutive(o.schoolYear)) {
      ctx.addIssue({ code: "custom", path: ["schoolYear"], message: "années non consécutives" });
    }
    if (o.targetMax !== undefined && o.targetMax < o.target) {
      ctx.addIssue({ code: "custom", path: ["targetMax"], message: "« targetMax » inférieur à « target »" });
    }
    if (o.ofTotal !== undefined && o.target > o.ofTotal) {
      ctx.addIssue({ code: "custom", path: ["ofTotal"], message: "« target » dépasse « ofTotal »" });
    }
  });
export type Objective = z.infer<typeof objective>;

/** An indicator followed in an operational field, with the wording the seed uses. */
export const indicatorRef = z.strictObject({
  indicatorCode: catalogueCode,
  label: z.string().min(1),
  disaggregation: disaggregation.optional(),
  objectives: z.array(objective).default([]),
  note: z.string().optional(),
});
export type IndicatorRef = z.infer<typeof indicatorRef>;

export const operationalField = z.strictObject({
  id: localId,
  code: z.string().optional(),
  title: z.string().min(1),
  description: z.string().optional(),
  actions: z.array(z.string().min(1)).default([]),
  indicatorRefs: z.array(indicatorRef).default([]),
  /** Objectives stated without a measurable indicator (dashboards to build, generalisation…). */
  qualitativeObjectives: z.array(z.string().min(1)).default([]),
  recommendationRefs: z.array(localId).default([]),
  source: sourceRef.optional(),
});
export type OperationalField = z.infer<typeof operationalField>;

export const target = z.strictObject({
  id: localId,
  code: z.string().optional(),
  title: z.string().min(1),
  description: z.string().optional(),
  focus: z.array(z.string().min(1)).default([]),
  operationalFields: z.array(operationalField).default([]),
  source: sourceRef.optional(),
});
export type Target = z.infer<typeof target>;

export const ambition = z.strictObject({
  id: localId,
  code: z.string().optional(),
  title: z.string().min(1),
  description: z.string().optional(),
  targets: z.array(target).min(1),
  source: sourceRef.optional(),
});
export type Ambition = z.infer<typeof ambition>;

/** A figure the seed states as a fact (diagnosis, key figure, checkpoint value). */
export const figure = z
  .strictObject({
    id: localId,
    label: z.string().min(1),
    indicatorCode: catalogueCode.optional(),
    territory: territoryRef,
    ...periodFields,
    date: z.string().optional(),
    disaggregation: disaggregation.optional(),
    value: z.number(),
    numerator: z.number().optional(),
    denominator: z.number().optional(),
    unit: z.string().min(1),
    sourceSystem: z.string().optional(),
    note: z.string().optional(),
    source: sourceRef,
  })
  .superRefine((f, ctx) => {
    if (f.year !== undefined && f.schoolYear !== undefined) {
      ctx.addIssue({ code: "custom", path: ["year"], message: "« year » et « schoolYear » sont exclusifs" });
    }
  });
export type Figure = z.infer<typeof figure>;

export const diagnostic = z.strictObject({
  id: localId,
  kind: z.enum(["shared_diagnosis", "research_finding", "key_figures", "context"]),
  title: z.string().min(1),
  summary: z.string().optional(),
  statements: z.array(z.string().min(1)).default([]),
  figures: z.array(figure).default([]),
  source: sourceRef,
});
export type Diagnostic = z.infer<typeof diagnostic>;

export const checkpoint = z.strictObject({
  id: localId,
  title: z.string().min(1),
  date: z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/, "date attendue au format AAAA-MM ou AAAA-MM-JJ"),
  comment: z.string().optional(),
  values: z.array(figure).min(1),
  source: sourceRef,
});
export type Checkpoint = z.infer<typeof checkpoint>;

export const recommendation = z.strictObject({
  id: localId,
  number: z.number().int().positive().optional(),
  group: z.string().optional(),
  title: z.string().min(1),
  description: z.string().optional(),
  ambitionId: localId.optional(),
  source: sourceRef,
});
export type Recommendation = z.infer<typeof recommendation>;

export const roadmapTemplate = z.strictObject({
  id: localId,
  title: z.string().min(1),
  shortTitle: z.string().min(1),
  authority: z.string().min(1),
  territory: territoryRef,
  period: z.strictObject({
    from: z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/),
    to: z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/),
    label: z.string().min(1),
  }),
  sourceDocument,
  summary: z.string().min(1),
  axes: z.array(z.string().min(1)).default([]),
  ambitions: z.array(ambition).min(1),
  diagnostics: z.array(diagnostic).default([]),
  checkpoints: z.array(checkpoint).default([]),
  recommendations: z.array(recommendation).default([]),
  modellingNotes: z.array(z.string().min(1)).default([]),
});
export type RoadmapTemplate = z.infer<typeof roadmapTemplate>;

/**
 * A roadmap as stored and exchanged in YAML (src/server/roadmaps): the template schema, except
 * that a roadmap written in Vigie has no source document, and its ambitions, targets, fields and
 * objectives need no `source` (templates.ts requires them in the project's templates).
 */
export const roadmapDocument = roadmapTemplate.extend({ sourceDocument: sourceDocument.optional() });
export type RoadmapDocument = z.infer<typeof roadmapDocument>;

// ---------------------------------------------------------------------------------------------
// Indicator catalogue

export const VALUE_TYPES = ["integer", "number", "percentage", "boolean"] as const;
export const TIME_AGGREGATIONS = ["sum", "average_over_days", "last", "first"] as const;
export const TERRITORY_AGGREGATIONS = ["sum", "average", "none"] as const;
export const INDICATOR_KINDS = ["ratio", "count", "mean", "per_school_then_count"] as const;
export const DIRECTIONS = ["higher_is_better", "lower_is_better", "target"] as const;

/** The largest bound an element may declare (a sum over a million schools stays finite). */
export const MAX_DECLARED_BOUND = 1e12;

export const dataElement = z.strictObject({
  code: catalogueCode,
  name: z.string().min(1),
  description: z.string().optional(),
  valueType: z.enum(VALUE_TYPES),
  /** Unit shown beside a value (« salles », « kits ») ; set on the elements a DANE defines. */
  unit: z.string().max(40).optional(),
  /**
   * Bounds of one value, when the type's defaults do not fit (indicators/domain/bounds.ts:
   * integers and numbers 0 to 10⁹, percentages 0 to 100, yes/no 0 or 1). Capped at ±10¹² so that
   * the sum of every school's value stays a finite number.
   */
  min: z.number().min(-MAX_DECLARED_BOUND).max(MAX_DECLARED_BOUND).optional(),
  max: z.number().min(-MAX_DECLARED_BOUND).max(MAX_DECLARED_BOUND).optional(),
  /** Level at which a value is collected: school, or a territory when only delivered there. */
  collectedAt: z.enum(["school", "district", "department", "academy", "academicRegion", "nation"]),
  aggregation: z.strictObject({
    time: z.enum(TIME_AGGREGATIONS),
    territory: z.enum(TERRITORY_AGGREGATIONS),
  }),
  additive: z.boolean(),
  zeroIsSignificant: z.boolean().default(true),
  disaggregations: z.array(catalogueCode).default([]),
  sourceSystems: z.array(z.string().min(1)).default([]),
});
export type DataElement = z.infer<typeof dataElement>;

export const disaggregationDefinition = z.strictObject({
  code: catalogueCode,
  name: z.string().min(1),
  options: z.array(z.strictObject({ code: catalogueCode, name: z.string().min(1) })).min(1),
});
export type DisaggregationDefinition = z.infer<typeof disaggregationDefinition>;

export const operand = z.strictObject({
  dataElement: catalogueCode,
  /** Restricts the operand to some options (e.g. `level: troisieme`). */
  filter: disaggregation.optional(),
});

/** School-level rule of a "per school, then count" indicator. */
export const schoolRule = z.strictObject({
  description: z.string().min(1),
  basedOn: z.union([
    z.strictObject({ indicator: catalogueCode }),
    z.strictObject({ dataElement: catalogueCode }),
  ]),
  comparator: z.enum([">", ">=", "<", "<=", "=", "!="]),
  threshold: z.union([z.number(), z.literal("national_value")]),
});

export const indicatorSource = z.strictObject({
  system: z.string().min(1),
  refs: z.array(sourceRef).min(1),
});

export const indicator = z
  .strictObject({
    code: catalogueCode,
    name: z.string().min(1),
    definition: z.string().min(1),
    unit: z.string().min(1),
    factor: z.number().positive(),
    direction: z.enum(DIRECTIONS),
    kind: z.enum(INDICATOR_KINDS),
    numerator: operand,
    denominator: operand.optional(),
    schoolRule: schoolRule.optional(),
    disaggregations: z.array(catalogueCode).default([]),
    sources: z.array(indicatorSource).min(1),
    note: z.string().optional(),
  })
  .superRefine((i, ctx) => {
    if ((i.kind === "ratio" || i.kind === "mean" || i.kind === "per_school_then_count") && !i.denominator) {
      ctx.addIssue({
        code: "custom",
        path: ["denominator"],
        message: `un indicateur « ${i.kind} » exige un dénominateur`,
      });
    }
    if (i.kind === "count" && i.denominator) {
      ctx.addIssue({
        code: "custom",
        path: ["denominator"],
        message: "un indicateur « count » n'a pas de dénominateur",
      });
    }
    if (i.kind === "per_school_then_count" && !i.schoolRule) {
      ctx.addIssue({ code: "custom", path: ["schoolRule"], message: "règle par établissement manquante" });
    }
    if (i.kind !== "per_school_then_count" && i.schoolRule) {
      ctx.addIssue({
        code: "custom",
        path: ["schoolRule"],
        message: "règle par établissement réservée à « per_school_then_count »",
      });
    }
  });
export type Indicator = z.infer<typeof indicator>;

export const indicatorCatalogue = z.strictObject({
  version: z.number().int().positive(),
  disaggregations: z.array(disaggregationDefinition),
  dataElements: z.array(dataElement).min(1),
  indicators: z.array(indicator).min(1),
});
export type IndicatorCatalogue = z.infer<typeof indicatorCatalogue>;
