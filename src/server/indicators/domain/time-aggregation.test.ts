import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { period, periodsWithin } from "./periods.ts";
import { aggregateOverTime, type PeriodValue } from "./time-aggregation.ts";

const v = (id: string, value: number): PeriodValue => ({ period: period(id), value });

describe("aggregateOverTime", () => {
  const september = [v("2024-09", 300), v("2024-10", 310), v("2024-11", 0)];
  const schoolYear = period("2024-2025");

  it("sums", () => {
    expect(aggregateOverTime(september, schoolYear, "sum")).toMatchObject({
      value: 610,
      daysCovered: 91, // 30 + 31 + 30
      daysInPeriod: 365,
      valuesUsed: 3,
    });
    expect(aggregateOverTime(september, schoolYear, "sum").coverage).toBeCloseTo(91 / 365, 12);
  });

  it("averages over covered days, weighted by days", () => {
    // September (30 days) at 300, October (31 days) at 310: (300×30 + 310×31) / 61 = 18 610 / 61.
    const r = aggregateOverTime([v("2024-09", 300), v("2024-10", 310)], schoolYear, "average_over_days");
    expect(r.value).toBeCloseTo(18_610 / 61, 12);
    expect(r.value).not.toBeCloseTo(305, 3); // not the plain mean of the two months
    // Days: 2 days at 10 and a week at 3 → (10 + 10 + 3×7) / 9 = 41 / 9.
    const mixed = aggregateOverTime(
      [v("2024-09-02", 10), v("2024-09-03", 10), v("2024-W38", 3)],
      period("2024-09"),
      "average_over_days",
    );
    expect(mixed.value).toBeCloseTo(41 / 9, 12);
    expect(mixed.daysCovered).toBe(9);
    expect(mixed.coverage).toBeCloseTo(9 / 30, 12);
  });

  it("takes the first and last by period start, whatever the input order", () => {
    const shuffled = [v("2025-06", 40), v("2024-09", 12), v("2025-01", 30)];
    expect(aggregateOverTime(shuffled, schoolYear, "first").value).toBe(12);
    expect(aggregateOverTime(shuffled, schoolYear, "last").value).toBe(40);
  });

  it("ignores values of other periods and reports no data", () => {
    const r = aggregateOverTime([v("2024-08", 5)], schoolYear, "sum");
    expect(r).toEqual({ value: null, daysCovered: 0, daysInPeriod: 365, coverage: 0, valuesUsed: 0 });
  });

  it("assigns a straddling week to the month of its Thursday, clipping covered days", () => {
    // 2024-W35 runs 26 Aug → 1 Sept; its Thursday is 29 August.
    const r = aggregateOverTime([v("2024-W35", 70)], period("2024-08"), "sum");
    expect(r.value).toBe(70);
    expect(r.daysCovered).toBe(6); // 26 → 31 August
    expect(aggregateOverTime([v("2024-W35", 70)], period("2024-09"), "sum").value).toBeNull();
  });

  it("refuses overlapping values", () => {
    expect(() => aggregateOverTime([v("2024-09", 1), v("2024-09-02", 1)], schoolYear, "sum")).toThrow(
      /se chevauchent/,
    );
  });

  it("a full year of days averages like the daily mean; coverage is 1 (property)", () => {
    const days = periodsWithin(period("2024-09"), "day");
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 30, maxLength: 30 }), (xs) => {
        const values = days.map((d, i) => ({ period: d, value: xs[i] as number }));
        const r = aggregateOverTime(values, period("2024-09"), "average_over_days");
        expect(r.coverage).toBe(1);
        expect(r.value).toBeCloseTo(xs.reduce((a, b) => a + b, 0) / 30, 9);
        expect(aggregateOverTime(values, period("2024-09"), "sum").value).toBe(xs.reduce((a, b) => a + b, 0));
      }),
    );
  });
});
