import {
  type Catalogue,
  type CatalogueIndicator,
  disaggregationKey,
  PEOPLE_ELEMENTS,
  parseDisaggregationKey,
} from "./catalogue.ts";
import type { TerritoryAggregation } from "./domain/rollup.ts";
import { type RuleComparator, ratio } from "./domain/rollup.ts";

/**
 * How one indicator is computed for one disaggregation variant: which stored series (element +
 * disaggregation key) give the numerator and the denominator of a school, and, for "per school,
 * then count" indicators, which school value the rule tests.
 */

export interface SeriesRef {
  readonly element: string;
  readonly disaggregation: string;
  readonly aggregation: TerritoryAggregation;
}

export interface IndicatorVariant {
  readonly indicator: CatalogueIndicator;
  /** '' (total) or e.g. `level=troisieme`. */
  readonly disaggregation: string;
  readonly numerator: SeriesRef;
  readonly denominator: SeriesRef | null;
  readonly rule: {
    readonly comparator: RuleComparator;
    /** A number, or the national value of `basedOnIndicator` for the period. */
    readonly threshold: number | "national_value";
    /** The school value tested: a series, or another indicator's school ratio. */
    readonly basedOnSeries: SeriesRef | null;
    readonly basedOnIndicator: IndicatorVariant | null;
  } | null;
  /** Which operand counts people (for the minimum-people rule), if any. */
  readonly peopleOperand: "numerator" | "denominator" | null;
}

/** Disaggregations handled by group sets rather than by stored series. */
const GROUP_DISAGGREGATIONS = new Set(["school_type", "sector"]);

function series(
  catalogue: Catalogue,
  element: string,
  filter: Readonly<Record<string, string>> | undefined,
  variant: Readonly<Record<string, string>>,
): SeriesRef {
  const def = catalogue.elements.get(element);
  if (!def) throw new Error(`élément de donnée inconnu : ${element}`);
  const merged: Record<string, string> = { ...filter };
  for (const [k, v] of Object.entries(variant)) if (def.disaggregations.includes(k)) merged[k] = v;
  return { element, disaggregation: disaggregationKey(merged), aggregation: def.aggregation.territory };
}

/** The disaggregation variants an indicator is computed for: '' plus one per option. */
export function variantKeys(catalogue: Catalogue, indicator: CatalogueIndicator): string[] {
  const numeratorDef = catalogue.elements.get(indicator.numerator.dataElement);
  const keys = [""];
  for (const code of indicator.disaggregations) {
    if (GROUP_DISAGGREGATIONS.has(code)) continue;
    if (!numeratorDef?.disaggregations.includes(code)) continue;
    if (indicator.numerator.filter?.[code] !== undefined) continue;
    const def = catalogue.raw.disaggregations.find((d) => d.code === code);
    for (const option of def?.options ?? []) keys.push(`${code}=${option.code}`);
  }
  return keys;
}

export function planVariant(
  catalogue: Catalogue,
  indicator: CatalogueIndicator,
  variantKey: string,
): IndicatorVariant {
  const variant = parseDisaggregationKey(variantKey);
  const numerator = series(catalogue, indicator.numerator.dataElement, indicator.numerator.filter, variant);
  const denominator =
    indicator.kind === "count" || !indicator.denominator
      ? null
      : series(catalogue, indicator.denominator.dataElement, indicator.denominator.filter, variant);
  let rule: IndicatorVariant["rule"] = null;
  if (indicator.kind === "per_school_then_count" && indicator.schoolRule) {
    const basedOn = indicator.schoolRule.basedOn;
    if ("dataElement" in basedOn) {
      rule = {
        comparator: indicator.schoolRule.comparator,
        threshold: indicator.schoolRule.threshold,
        basedOnSeries: series(catalogue, basedOn.dataElement, indicator.numerator.filter, variant),
        basedOnIndicator: null,
      };
    } else {
      const base = catalogue.indicators.get(basedOn.indicator);
      if (!base) throw new Error(`indicateur de référence inconnu : ${basedOn.indicator}`);
      rule = {
        comparator: indicator.schoolRule.comparator,
        threshold: indicator.schoolRule.threshold,
        basedOnSeries: null,
        basedOnIndicator: planVariant(catalogue, base, ""),
      };
    }
  }
  const peopleOperand =
    denominator && PEOPLE_ELEMENTS.has(denominator.element)
      ? "denominator"
      : PEOPLE_ELEMENTS.has(numerator.element)
        ? "numerator"
        : null;
  return { indicator, disaggregation: variantKey, numerator, denominator, rule, peopleOperand };
}

/** Every series a variant reads (to load only what is needed). */
export function seriesOf(v: IndicatorVariant): SeriesRef[] {
  const out = [v.numerator];
  if (v.denominator) out.push(v.denominator);
  if (v.rule?.basedOnSeries) out.push(v.rule.basedOnSeries);
  if (v.rule?.basedOnIndicator) out.push(...seriesOf(v.rule.basedOnIndicator));
  return out;
}

export function usesNationalThreshold(v: IndicatorVariant): boolean {
  return v.rule?.threshold === "national_value";
}

/** Looks up one school's value of a series in a period; undefined when missing. */
export type SeriesLookup = (ref: SeriesRef, period: string, schoolId: string) => number | undefined;

/** A school's own ratio of a (non per-school) variant: what its staff see and what rules test. */
export function schoolRatio(v: IndicatorVariant, lookup: SeriesLookup, period: string, schoolId: string) {
  const num = lookup(v.numerator, period, schoolId);
  if (num === undefined) return { numerator: null, denominator: null, value: null };
  if (!v.denominator)
    return { numerator: num, denominator: null, value: ratio(num, null, v.indicator.factor, false) };
  const den = lookup(v.denominator, period, schoolId);
  if (den === undefined) return { numerator: num, denominator: null, value: null };
  return { numerator: num, denominator: den, value: ratio(num, den, v.indicator.factor, true) };
}
