import type { VALUE_TYPES } from "../../../contracts/roadmaps.ts";

/**
 * What one data value may be (docs/indicator-semantics.md, « Valeurs bornées et typées »): every
 * data element has a value type and bounds. A value outside them is refused at every write, so
 * that no sum or ratio of the observatory can overflow: 10⁹ per school × a million schools is
 * still a finite double, whereas two schools writing 1e308 made the nation's sum Infinity.
 */

export type ValueType = (typeof VALUE_TYPES)[number];

/** Counts and quantities: no school has a billion of anything the catalogue counts. */
export const DEFAULT_MAX = 1e9;

export interface ValueRule {
  readonly valueType: ValueType;
  readonly min: number;
  readonly max: number;
}

const DEFAULTS: Readonly<Record<ValueType, { min: number; max: number }>> = {
  integer: { min: 0, max: DEFAULT_MAX },
  number: { min: 0, max: DEFAULT_MAX },
  percentage: { min: 0, max: 100 },
  boolean: { min: 0, max: 1 },
};

/** The element's type with its declared bounds, or the type's defaults. */
export function valueRule(element: { valueType: ValueType; min?: number; max?: number }): ValueRule {
  const d = DEFAULTS[element.valueType];
  return { valueType: element.valueType, min: element.min ?? d.min, max: element.max ?? d.max };
}

export type ValueCheck =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly kind: "not-a-number" | "not-an-integer" | "not-yes-no" | "below-min" | "above-max";
      readonly reason: string;
    };

const frenchNumber = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 6 });

/** A number as a French reader writes it (1 000 000 000; 12,5), or its exponent form when huge. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  // Plain spaces between thousands: the messages are read in terminals and CSV reports too.
  if (Math.abs(value) >= 1e15) return value.toExponential().replace(".", ",");
  return frenchNumber.format(value).replace(/[\u202f\u00a0]/g, " ");
}

/**
 * Checks one value against its element's rule. The reason names the element and the bound; the
 * caller adds the line. Yes/no values are 0 or 1; integers have no fractional part.
 */
export function checkValue(elementCode: string, rule: ValueRule, value: number): ValueCheck {
  const shown = formatNumber(value);
  if (!Number.isFinite(value))
    return { ok: false, kind: "not-a-number", reason: `« ${shown} » n'est pas un nombre fini` };
  if (rule.valueType === "boolean" && value !== 0 && value !== 1)
    return {
      ok: false,
      kind: "not-yes-no",
      reason: `« ${elementCode} » vaut 0 (non) ou 1 (oui), pas ${shown}`,
    };
  if (rule.valueType === "integer" && !Number.isInteger(value))
    return {
      ok: false,
      kind: "not-an-integer",
      reason: `${shown} n'est pas un entier : « ${elementCode} » se compte en unités`,
    };
  if (value < rule.min)
    return {
      ok: false,
      kind: "below-min",
      reason: `${shown} est sous le minimum de « ${elementCode} » (${formatNumber(rule.min)})`,
    };
  if (value > rule.max)
    return {
      ok: false,
      kind: "above-max",
      reason: `${shown} dépasse le maximum de « ${elementCode} » (${formatNumber(rule.max)})`,
    };
  return { ok: true };
}

/** A figure computed from bounded values, kept only when finite: NaN and ±Infinity become null. */
export function finiteOrNull(value: number | null | undefined): number | null {
  return value !== null && value !== undefined && Number.isFinite(value) ? value : null;
}
