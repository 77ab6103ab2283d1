import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkValue, DEFAULT_MAX, finiteOrNull, formatNumber, valueRule } from "./bounds.ts";

const integer = valueRule({ valueType: "integer" });

describe("valueRule", () => {
  it("gives each type its default bounds, and an element's declared bounds win", () => {
    expect(valueRule({ valueType: "integer" })).toEqual({ valueType: "integer", min: 0, max: 1e9 });
    expect(valueRule({ valueType: "number" })).toEqual({ valueType: "number", min: 0, max: 1e9 });
    expect(valueRule({ valueType: "percentage" })).toEqual({ valueType: "percentage", min: 0, max: 100 });
    expect(valueRule({ valueType: "boolean" })).toEqual({ valueType: "boolean", min: 0, max: 1 });
    expect(valueRule({ valueType: "percentage", max: 200 })).toMatchObject({ min: 0, max: 200 });
    expect(valueRule({ valueType: "number", min: -50 })).toMatchObject({ min: -50, max: 1e9 });
  });
});

describe("checkValue", () => {
  it("refuses the values that broke the observatory, naming the element and the bound", () => {
    const huge = checkValue("computers", integer, 1e308);
    expect(huge).toMatchObject({ ok: false, kind: "above-max" });
    expect(huge.ok ? "" : huge.reason).toBe("1e+308 dépasse le maximum de « computers » (1 000 000 000)");
    expect(checkValue("computers", integer, 1.7976931348623157e308)).toMatchObject({ kind: "above-max" });
    expect(checkValue("computers", integer, Number.POSITIVE_INFINITY)).toMatchObject({
      kind: "not-a-number",
    });
    expect(checkValue("computers", integer, Number.NaN)).toMatchObject({ kind: "not-a-number" });
  });

  it("refuses a fraction for an integer, a negative count, a yes/no other than 0 or 1, a percentage above 100", () => {
    const fraction = checkValue("computers", integer, 12.5);
    expect(fraction.ok ? "" : fraction.reason).toBe(
      "12,5 n'est pas un entier : « computers » se compte en unités",
    );
    expect(checkValue("computers", integer, -1)).toMatchObject({ kind: "below-min" });
    expect(checkValue("ent_active", valueRule({ valueType: "boolean" }), 2)).toMatchObject({
      kind: "not-yes-no",
    });
    expect(checkValue("rate", valueRule({ valueType: "percentage" }), 100.5)).toMatchObject({
      kind: "above-max",
    });
    expect(checkValue("days", valueRule({ valueType: "number" }), 12.5)).toEqual({ ok: true });
  });

  it("accepts exactly the values inside the bounds (property)", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: false }), (value) => {
        const ok = checkValue("x", integer, value).ok;
        expect(ok).toBe(Number.isInteger(value) && value >= 0 && value <= DEFAULT_MAX);
      }),
    );
  });

  it("keeps every sum of accepted values finite, even over a million schools (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: DEFAULT_MAX, noNaN: true }), { minLength: 1 }),
        (values) => {
          const accepted = values.filter((v) => checkValue("x", valueRule({ valueType: "number" }), v).ok);
          // The worst case: a million schools at the maximum.
          expect(Number.isFinite(accepted.reduce((a, b) => a + b, 0) * 1e6)).toBe(true);
        },
      ),
    );
  });
});

describe("formatNumber and finiteOrNull", () => {
  it("writes numbers the French way and huge ones in exponent form", () => {
    expect(formatNumber(1e9)).toBe("1 000 000 000");
    expect(formatNumber(12.5)).toBe("12,5");
    expect(formatNumber(1e308)).toBe("1e+308");
  });

  it("turns NaN and infinities into null, nothing else", () => {
    expect(finiteOrNull(Number.POSITIVE_INFINITY)).toBeNull();
    expect(finiteOrNull(Number.NaN)).toBeNull();
    expect(finiteOrNull(null)).toBeNull();
    expect(finiteOrNull(0)).toBe(0);
    expect(finiteOrNull(-3.5)).toBe(-3.5);
  });
});
